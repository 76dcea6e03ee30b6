// The API key the console itself uses: "key refused" on Devices when the device answers 401 to an
// authenticated call (its /v1/health needs no key), "Change key…", and rotating or revoking the
// console's own key on the API keys page (warned, the new secret kept in the secret store).
#include "ApiKeysPage.h"
#include "DevicesPage.h"
#include "RotateKeyDialog.h"
#include "SecretRevealDialog.h"
#include "client/DemoData.h"
#include "client/FakeDeviceClient.h"
#include "client/FakeDeviceConnector.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/InMemorySecretStore.h"
#include "keys/ApiKeysViewModel.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

namespace {
template <typename T>
T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.result();
}

template <typename T>
T *waitForChild(QWidget &parent, const QString &name = QString())
{
    T *child = nullptr;
    (void)QTest::qWaitFor([&] { return (child = parent.findChild<T *>(name)) && child->isVisible(); });
    return child && child->isVisible() ? child : nullptr;
}
} // namespace

class TestConsoleOwnKey : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    QTemporaryDir m_dir;
    const DeviceAddress m_address{QStringLiteral("player.local"), 8443};
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<FakeDeviceConnector> m_connector;
    std::unique_ptr<InMemorySecretStore> m_secrets;
    std::unique_ptr<CertificateTrust> m_trust;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<DevicesViewModel> m_devices;
    std::unique_ptr<ApiKeysViewModel> m_keys;
    std::unique_ptr<DevicesPage> m_devicesPage;
    std::unique_ptr<ApiKeysPage> m_keysPage;
    QString m_deviceId;
    QString m_keyId;

    QString statusCell() const { return m_devices->model()->index(0, DeviceTableModel::Status).data().toString(); }

    QString storedKey() { return await(m_secrets->readSecret(m_registry->find(m_deviceId)->secretKey())).value(); }

    // The device knows the console's key (id, scopes and secret) and checks it on every call.
    void deviceKnowsKey(const QString &token)
    {
        ApiKeyInfo info;
        info.keyId = protocol::ApiKeyFormat::parse(token)->keyId;
        info.name = QStringLiteral("console");
        info.createdAtMs = m_clock.nowMs();
        m_connector->lastClient()->registerKey(info, token);
    }

    void selectConsoleKeyRow()
    {
        m_keys->refresh();
        QTRY_VERIFY(m_keysPage->table()->model()->rowCount() >= 1);
        for (int row = 0; row < m_keysPage->table()->model()->rowCount(); ++row)
            if (m_keysPage->table()->model()->index(row, 0).data(ApiKeyTableModel::KeyIdRole).toString() == m_keyId)
                m_keysPage->table()->selectRow(row);
    }

private slots:
    void init()
    {
        m_registry = std::make_unique<DeviceRegistry>(m_dir.filePath(QStringLiteral("devices-%1.json").arg(QString::fromLatin1(QTest::currentTestFunction()))));
        m_connector = std::make_unique<FakeDeviceConnector>(m_clock);
        const auto identity = DemoData::identity(m_address.host, m_clock);
        QVERIFY(identity.ok());
        m_connector->setIdentity(m_address, identity.value());
        m_secrets = std::make_unique<InMemorySecretStore>();
        m_trust = std::make_unique<CertificateTrust>(m_clock);
        m_session = std::make_unique<DeviceSession>();
        m_devices = std::make_unique<DevicesViewModel>(*m_registry, *m_connector, *m_secrets, *m_trust, *m_session, m_clock);
        m_keys = std::make_unique<ApiKeysViewModel>(*m_session, m_clock);
        m_devices->followConsoleKey(*m_keys);
        m_devicesPage = std::make_unique<DevicesPage>(*m_devices, *m_secrets);
        m_keysPage = std::make_unique<ApiKeysPage>(*m_keys, m_clock);
        m_devicesPage->show();
        m_keysPage->show();

        const QString token = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        m_keyId = protocol::ApiKeyFormat::parse(token)->keyId;
        QSignalSpy review(m_devices.get(), &DevicesViewModel::certificateReviewRequested);
        QSignalSpy added(m_devices.get(), &DevicesViewModel::deviceAdded);
        m_devices->addDevice(QStringLiteral("Lobby"), m_address.toString(), token);
        QVERIFY(review.wait());
        m_devices->acceptCertificate();
        QVERIFY(added.count() == 1 || added.wait());
        m_deviceId = added.first().first().toString();
        QTRY_VERIFY(m_session->client() != nullptr);
        QCOMPARE(m_session->apiKeyId(), m_keyId);
        deviceKnowsKey(token);
        m_devicesPage->table()->selectRow(0);
        QTRY_COMPARE(statusCell(), QStringLiteral("reachable"));
    }

    void cleanup()
    {
        m_keysPage.reset();
        m_devicesPage.reset();
        m_session->clear();
        m_devices.reset();
        m_keys.reset();
    }

    // Someone rotated the key elsewhere: health still answers, the key does not.
    void refusedKeyIsShownAndChanged()
    {
        const auto rotated = await(m_connector->lastClient()->rotateKey(m_keyId, 0));
        QVERIFY(rotated.ok());
        m_devices->checkStatus(m_deviceId);
        QTRY_COMPARE(statusCell(), QStringLiteral("key refused"));
        QCOMPARE(m_devices->model()->index(0, DeviceTableModel::Tls).data().toString(), QStringLiteral("TLS 1.3"));
        QVERIFY(m_devices->model()->index(0, DeviceTableModel::Status).data(Qt::ToolTipRole).toString().contains(
            QStringLiteral("HTTP 401")));

        // Devices → Change key…: the new secret is used at once and stored.
        m_devicesPage->findChild<QPushButton *>(QStringLiteral("changeKey"))->click();
        auto *dialog = waitForChild<QInputDialog>(*m_devicesPage, QStringLiteral("changeKeyDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
        QSignalSpy changed(m_devices.get(), &DevicesViewModel::keyChanged);
        dialog->setTextValue(rotated->token);
        dialog->accept();
        QVERIFY(changed.count() == 1 || changed.wait());
        QCOMPARE(storedKey(), rotated->token);
        QCOMPARE(m_connector->lastApiKey(), rotated->token);
        QCOMPARE(m_session->client(), static_cast<DeviceClient *>(m_connector->lastClient()));
        QVERIFY(m_devicesPage->statusText().contains(QStringLiteral("new API key is in use")));
        QTRY_COMPARE(statusCell(), QStringLiteral("reachable"));
    }

    void changeKeyRefusesANonKey()
    {
        QSignalSpy failed(m_devices.get(), &DevicesViewModel::failed);
        const QString before = storedKey();
        m_devices->changeKey(m_deviceId, QStringLiteral("not-a-key"));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("not a Signiq key")));
        QCOMPARE(storedKey(), before);
    }

    // Rotating the console's own key warns first, then the console keeps the new secret.
    void rotatingTheConsoleKeyKeepsTheNewSecret()
    {
        const QString before = storedKey();
        selectConsoleKeyRow();
        m_keysPage->openRotateDialog();
        auto *warning = waitForChild<QMessageBox>(*m_keysPage, QStringLiteral("consoleKeyWarning"));
        QVERIFY(warning);
        QVERIFY(warning->text().contains(QStringLiteral("this console uses")));
        QCOMPARE(warning->defaultButton(), warning->button(QMessageBox::Cancel));
        warning->button(QMessageBox::Ok)->click();
        auto *rotate = waitForChild<RotateKeyDialog>(*m_keysPage);
        QVERIFY(rotate);
        rotate->overlapBox()->setValue(0); // the old secret dies at once
        QSignalSpy changed(m_devices.get(), &DevicesViewModel::keyChanged);
        rotate->accept();
        QVERIFY(changed.wait());
        const QString after = storedKey();
        QVERIFY(after != before);
        QCOMPARE(protocol::ApiKeyFormat::parse(after)->keyId, m_keyId);
        QCOMPARE(m_connector->lastApiKey(), after);
        auto *reveal = waitForChild<SecretRevealDialog>(*m_keysPage);
        QVERIFY(reveal);
        reveal->accept();
        QVERIFY2(m_keysPage->statusText().contains(QStringLiteral("uses the new secret")), qPrintable(m_keysPage->statusText()));
        QTRY_COMPARE(statusCell(), QStringLiteral("reachable"));
    }

    void revokingTheConsoleKeyWarnsAndShowsKeyRefused()
    {
        selectConsoleKeyRow();
        m_keysPage->confirmRevoke();
        auto *box = waitForChild<QMessageBox>(*m_keysPage, QStringLiteral("revokeConfirmation"));
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("this console uses")));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        QSignalSpy revoked(m_keys.get(), &ApiKeysViewModel::consoleKeyRevoked);
        box->button(QMessageBox::Yes)->click();
        QVERIFY(revoked.wait());
        QCOMPARE(statusCell(), QStringLiteral("key refused"));
        QVERIFY(m_devicesPage->statusText().contains(QStringLiteral("was revoked")));
        // And the device really refuses it now.
        m_devices->checkStatus(m_deviceId);
        QTRY_COMPARE(statusCell(), QStringLiteral("checking…"));
        QTRY_COMPARE(statusCell(), QStringLiteral("key refused"));
    }

    void removeDeviceDefaultsToNo()
    {
        m_devicesPage->findChild<QPushButton *>(QStringLiteral("remove"))->click();
        auto *box = waitForChild<QMessageBox>(*m_devicesPage, QStringLiteral("removeConfirmation"));
        QVERIFY(box);
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
        QTest::keyClick(box, Qt::Key_Return); // Enter keeps the device
        QTRY_VERIFY(!m_devicesPage->findChild<QMessageBox *>(QStringLiteral("removeConfirmation")));
        QCOMPARE(m_registry->devices().size(), 1);
    }
};

QTEST_MAIN(TestConsoleOwnKey)
#include "TestConsoleOwnKey.moc"
