#include "client/FakeDeviceClient.h"
#include "devices/DeviceSession.h"
#include "keys/ApiKeysViewModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace signiq;
using namespace signiq::console;


class TestApiKeysViewModel : public QObject {
    Q_OBJECT

private:
    static constexpr qint64 DayMs = 24LL * 3600 * 1000;
    core::ManualClock m_clock{1'750'000'000'000};
    std::unique_ptr<FakeDeviceClient> m_device;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<ApiKeysViewModel> m_model;

private slots:
    void init()
    {
        m_session = std::make_unique<DeviceSession>();
        m_device = std::make_unique<FakeDeviceClient>(m_clock);
        m_model = std::make_unique<ApiKeysViewModel>(*m_session, m_clock);
        m_session->setClient(m_device.get(), QStringLiteral("fake"));
    }
    void cleanup()
    {
        m_session->clear();
        m_model.reset();
        m_device.reset();
    }

    void validation()
    {
        const qint64 now = m_clock.nowMs();
        QVERIFY(ApiKeysViewModel::validate({QString(), {}, protocol::Tier::Free, protocol::KeyEnvironment::Live, std::nullopt}, now).has_value());
        QVERIFY(!ApiKeysViewModel::validate({QString(), protocol::Scope::Read, protocol::Tier::Free, protocol::KeyEnvironment::Live, std::nullopt}, now).has_value());
        QVERIFY(ApiKeysViewModel::validate({QString(), protocol::Scope::Read, protocol::Tier::Free, protocol::KeyEnvironment::Live, now - 1}, now).has_value());
        QVERIFY(ApiKeysViewModel::validate({QString(65, u'x'), protocol::Scope::Read, protocol::Tier::Free, protocol::KeyEnvironment::Live, std::nullopt}, now).has_value());
        QVERIFY(ApiKeysViewModel::validateOverlap(-1).has_value());
        QVERIFY(!ApiKeysViewModel::validateOverlap(0).has_value());
        QVERIFY(!ApiKeysViewModel::validateOverlap(7).has_value());
        QVERIFY(ApiKeysViewModel::validateOverlap(8).has_value());
    }

    void createShowsTheSecretOnce()
    {
        QSignalSpy issued(m_model.get(), &ApiKeysViewModel::keyIssued);
        m_model->createKey({QStringLiteral("BI"), protocol::Scope::Read | protocol::Scope::Analytics, protocol::Tier::Pro, protocol::KeyEnvironment::Live, m_clock.nowMs() + DayMs});
        QVERIFY(issued.wait());
        const IssuedKey key = issued.first().first().value<IssuedKey>();
        QVERIFY(protocol::ApiKeyFormat::parse(key.token).ok());
        QCOMPARE(issued.first().at(1).toBool(), false);
        QTRY_COMPARE(m_model->model()->rowCount(), 1);
        const ApiKeyInfo listed = m_model->model()->keys().first();
        QCOMPARE(listed.keyId, key.info.keyId);
        QCOMPARE(listed.scopes, protocol::Scope::Read | protocol::Scope::Analytics);
        QCOMPARE(listed.tier, protocol::Tier::Pro);
        QCOMPARE(m_device->auditEntries().last().action, QStringLiteral("key.create"));
        // The list never carries a secret.
        const QModelIndex row = m_model->model()->index(0, 0);
        for (int c = 0; c < ApiKeyTableModel::ColumnCount; ++c)
            QVERIFY(!row.siblingAtColumn(c).data().toString().contains(key.token));
    }

    void invalidRequestIsNotSent()
    {
        QSignalSpy failed(m_model.get(), &ApiKeysViewModel::failed);
        m_model->createKey({QString(), {}, protocol::Tier::Free, protocol::KeyEnvironment::Live, std::nullopt});
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m_device->callCount(FakeDeviceClient::Operation::CreateKey), 0);
    }

    void rotateWithOverlapThenRevoke()
    {
        QSignalSpy issued(m_model.get(), &ApiKeysViewModel::keyIssued);
        m_model->createKey({QStringLiteral("x"), protocol::Scope::Admin, protocol::Tier::Free, protocol::KeyEnvironment::Live, std::nullopt});
        QVERIFY(issued.wait());
        const IssuedKey first = issued.takeFirst().first().value<IssuedKey>();
        QTRY_COMPARE(m_model->model()->rowCount(), 1);

        m_model->rotateKey(first.info.keyId, 3);
        QVERIFY(issued.wait());
        const IssuedKey rotated = issued.first().first().value<IssuedKey>();
        QCOMPARE(issued.first().at(1).toBool(), true);
        QCOMPARE(rotated.info.keyId, first.info.keyId);
        QVERIFY(rotated.token != first.token);
        QTRY_VERIFY(m_model->model()->keys().first().previousValidUntilMs.has_value());
        QCOMPARE(*m_model->model()->keys().first().previousValidUntilMs, m_clock.nowMs() + 3 * DayMs);
        QVERIFY(ApiKeyTableModel::statusText(m_model->model()->keys().first(), m_clock.nowMs()).startsWith(QStringLiteral("rotating")));

        QSignalSpy revoked(m_model.get(), &ApiKeysViewModel::keyRevoked);
        m_model->revokeKey(first.info.keyId);
        QVERIFY(revoked.wait());
        QTRY_VERIFY(m_model->model()->keys().first().revokedAtMs.has_value());
        QCOMPARE(ApiKeyTableModel::statusText(m_model->model()->keys().first(), m_clock.nowMs()), QStringLiteral("revoked"));
    }

    void deviceErrorsBecomeMessages()
    {
        QSignalSpy failed(m_model.get(), &ApiKeysViewModel::failed);
        m_device->failNext(FakeDeviceClient::Operation::Keys, core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("403: scope admin required")));
        m_model->refresh();
        QVERIFY(failed.wait());
        const QString message = failed.first().first().toString();
        QVERIFY(message.contains(QStringLiteral("refused the API key")));
        QVERIFY(message.contains(QStringLiteral("scope admin required")));
        QVERIFY(!m_model->isBusy());
    }

    void noDevice()
    {
        m_session->clear();
        QSignalSpy failed(m_model.get(), &ApiKeysViewModel::failed);
        m_model->refresh();
        QCOMPARE(failed.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestApiKeysViewModel)
#include "TestApiKeysViewModel.moc"
