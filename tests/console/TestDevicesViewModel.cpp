#include "client/DemoData.h"
#include "client/FakeDeviceClient.h"
#include "client/FakeDeviceConnector.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/InMemorySecretStore.h"
#include "settings/ConsoleSettings.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestDevicesViewModel : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    QTemporaryDir m_dir;
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<FakeDeviceConnector> m_connector;
    std::unique_ptr<InMemorySecretStore> m_secrets;
    std::unique_ptr<CertificateTrust> m_trust;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<DevicesViewModel> m_model;
    PeerIdentity m_identity;
    QString m_key;
    const DeviceAddress m_address{QStringLiteral("player.local"), 8443};

private slots:
    void initTestCase()
    {
        auto identity = DemoData::identity(m_address.host, m_clock);
        QVERIFY(identity.ok());
        m_identity = identity.value();
        m_key = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
    }

    void init()
    {
        m_model.reset();
        m_registry = std::make_unique<DeviceRegistry>(m_dir.filePath(QStringLiteral("devices-%1.json").arg(QString::fromLatin1(QTest::currentTestFunction()))));
        m_connector = std::make_unique<FakeDeviceConnector>(m_clock);
        m_connector->setIdentity(m_address, m_identity);
        m_secrets = std::make_unique<InMemorySecretStore>();
        m_trust = std::make_unique<CertificateTrust>(m_clock);
        m_session = std::make_unique<DeviceSession>();
        m_model = std::make_unique<DevicesViewModel>(*m_registry, *m_connector, *m_secrets, *m_trust, *m_session, m_clock);
    }

    void cleanup() { m_model.reset(); }

    void addAfterAcceptingTheCertificate()
    {
        QSignalSpy review(m_model.get(), &DevicesViewModel::certificateReviewRequested);
        QSignalSpy added(m_model.get(), &DevicesViewModel::deviceAdded);
        QSignalSpy current(m_session.get(), &DeviceSession::clientChanged);
        m_model->addDevice(QStringLiteral("Lobby"), QStringLiteral("player.local"), m_key);
        QVERIFY(review.wait());
        const auto pending = review.first().first().value<PendingDevice>();
        QCOMPARE(pending.assessment.verdict, TrustVerdict::FirstContact);
        QCOMPARE(pending.assessment.leafSha256(), CertificateTrust::fingerprint(m_identity.chain.first()));
        QCOMPARE(added.count(), 0);
        QVERIFY(m_registry->devices().isEmpty());

        m_model->acceptCertificate();
        QVERIFY(added.count() == 1 || added.wait());
        QCOMPARE(m_registry->devices().size(), 1);
        const DeviceEntry entry = m_registry->devices().first();
        QCOMPARE(entry.pinnedSha256, pending.assessment.leafSha256());
        QVERIFY(m_secrets->contains(entry.secretKey()));
        QVERIFY(current.count() == 1 || current.wait());
        QVERIFY(m_session->client() != nullptr);
        QCOMPARE(m_connector->lastApiKey(), m_key);
        QCOMPARE(m_connector->lastPin(), entry.pinnedSha256);
        // The health check marks it online with the TLS version and versions.
        QTRY_COMPARE(m_model->model()->status(entry.id).state, DeviceStatus::State::Online);
        QCOMPARE(m_model->model()->status(entry.id).health.tlsProtocol, QStringLiteral("TLS 1.3"));
        QCOMPARE(m_model->model()->rowCount(), 1);
    }

    // After a restart the device used last is selected again and checked.
    void lastDeviceIsSelectedAfterRestart()
    {
        QSettings qsettings(m_dir.filePath(QStringLiteral("last.ini")), QSettings::IniFormat);
        ConsoleSettings settings(qsettings);
        m_model->restoreLastDevice(settings); // nothing remembered yet: nothing selected
        QVERIFY(m_model->currentDeviceId().isEmpty());
        QSignalSpy review(m_model.get(), &DevicesViewModel::certificateReviewRequested);
        QSignalSpy added(m_model.get(), &DevicesViewModel::deviceAdded);
        m_model->addDevice(QStringLiteral("Lobby"), QStringLiteral("player.local"), m_key);
        QVERIFY(review.wait());
        m_model->acceptCertificate();
        QVERIFY(added.count() == 1 || added.wait());
        const QString id = added.first().first().toString();
        QTRY_COMPARE(m_model->currentDeviceId(), id);
        QCOMPARE(settings.lastDevice(), id);

        // "Restart": a new registry read from the file, a new session and view model.
        m_model.reset();
        DeviceRegistry registry(m_dir.filePath(QStringLiteral("devices-lastDeviceIsSelectedAfterRestart.json")));
        QVERIFY(registry.load().ok());
        DeviceSession session;
        DevicesViewModel restarted(registry, *m_connector, *m_secrets, *m_trust, session, m_clock);
        QSignalSpy current(&restarted, &DevicesViewModel::currentDeviceChanged);
        restarted.restoreLastDevice(settings);
        QVERIFY(current.count() == 1 || current.wait());
        QCOMPARE(restarted.currentDeviceId(), id);
        QVERIFY(session.client() != nullptr);
        QTRY_COMPARE(restarted.model()->status(id).state, DeviceStatus::State::Online); // checked on start

        // A removed device is forgotten.
        restarted.removeDevice(id);
        QVERIFY(settings.lastDevice().isEmpty());
    }

    void rejectingAddsNothing()
    {
        QSignalSpy review(m_model.get(), &DevicesViewModel::certificateReviewRequested);
        m_model->addDevice(QStringLiteral("Lobby"), QStringLiteral("player.local:8443"), m_key);
        QVERIFY(review.wait());
        m_model->rejectCertificate();
        QVERIFY(m_registry->devices().isEmpty());
        QVERIFY(!m_model->pending().has_value());
    }

    void deploymentCaSkipsTheQuestion()
    {
        m_trust->setDeploymentCa({m_identity.chain.last()});
        QSignalSpy review(m_model.get(), &DevicesViewModel::certificateReviewRequested);
        QSignalSpy added(m_model.get(), &DevicesViewModel::deviceAdded);
        m_model->addDevice(QStringLiteral("Lobby"), QStringLiteral("player.local"), m_key);
        QVERIFY(added.wait());
        QCOMPARE(review.count(), 0);
        QVERIFY(m_registry->devices().first().pinnedSha256.isEmpty());
    }

    void badInputFailsWithAMessage_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("validKey");
        QTest::newRow("no name") << QString() << QStringLiteral("player.local") << true;
        QTest::newRow("bad address") << QStringLiteral("x") << QStringLiteral("https://x") << true;
        QTest::newRow("not a key") << QStringLiteral("x") << QStringLiteral("player.local") << false;
    }
    void badInputFailsWithAMessage()
    {
        QFETCH(QString, name);
        QFETCH(QString, address);
        QFETCH(bool, validKey);
        QSignalSpy failed(m_model.get(), &DevicesViewModel::failed);
        m_model->addDevice(name, address, validKey ? m_key : QStringLiteral("password123"));
        QCOMPARE(failed.count(), 1);
        QVERIFY(!failed.first().first().toString().isEmpty());
    }

    void unreachableDevice()
    {
        QSignalSpy failed(m_model.get(), &DevicesViewModel::failed);
        m_model->addDevice(QStringLiteral("Ghost"), QStringLiteral("10.9.9.9"), m_key);
        QVERIFY(failed.wait());
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("cannot be reached")));
    }

    void removeClearsSessionAndSecret()
    {
        m_trust->setDeploymentCa({m_identity.chain.last()});
        QSignalSpy added(m_model.get(), &DevicesViewModel::deviceAdded);
        m_model->addDevice(QStringLiteral("Lobby"), QStringLiteral("player.local"), m_key);
        QVERIFY(added.wait());
        QTRY_VERIFY(m_session->client() != nullptr);
        const DeviceEntry entry = m_registry->devices().first();
        m_model->removeDevice(entry.id);
        QVERIFY(m_session->client() == nullptr);
        QVERIFY(m_registry->devices().isEmpty());
        QTRY_VERIFY(!m_secrets->contains(entry.secretKey()));
    }
};


QTEST_GUILESS_MAIN(TestDevicesViewModel)
#include "TestDevicesViewModel.moc"
