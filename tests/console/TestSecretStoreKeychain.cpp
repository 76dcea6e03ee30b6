// The real desktop keychain: a private dbus-daemon with a real gnome-keyring-daemon (secrets
// component, a fresh login keyring unlocked from stdin) is the session bus of this test. With a
// Secret Service there, "Automatic" keeps API keys in it through QtKeychain and libsecret, and
// the encrypted file is never created.
#include "CertificateDialog.h"
#include "DevicesPage.h"
#include "client/DemoData.h"
#include "client/FakeDeviceConnector.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/EncryptedFileSecretStore.h"
#include "devices/KeychainSecretStore.h"
#include "devices/KeychainService.h"
#include "devices/SecretStoreSelector.h"

#include <QLabel>
#include <QLineEdit>
#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

#include "SecretStoreTestSupport.h"

using namespace signiq::console::test;

class TestSecretStoreKeychain : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    QTemporaryDir m_dir;
    QProcess m_bus;
    QProcess m_keyring;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString keyringDaemon = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        QVERIFY2(!keyringDaemon.isEmpty(), "gnome-keyring-daemon is missing (Debian: gnome-keyring, libsecret-1-0)");
        QString busError;
        const QByteArray address = startEmptySessionBus(m_bus, m_dir.path(), busError);
        QVERIFY2(!address.isEmpty(), qPrintable(busError));
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);

        // A keyring daemon of its own: home, data and runtime directories in the temporary dir.
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("run"))));
        QFile::setPermissions(m_dir.filePath(QStringLiteral("run")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString::fromUtf8(address));
        env.insert(QStringLiteral("HOME"), m_dir.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.filePath(QStringLiteral("run")));
        m_keyring.setProcessEnvironment(env);
        m_keyring.start(keyringDaemon, {QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
        QVERIFY2(m_keyring.waitForStarted(), qPrintable(m_keyring.errorString()));
        m_keyring.write("test-login-password");
        m_keyring.closeWriteChannel();
        KeychainServiceState state;
        QVERIFY2(QTest::qWaitFor([&] { return (state = detectKeychainService()).available; }, 20'000), qPrintable(state.reason));
        QCOMPARE(state.service, QStringLiteral("Secret Service"));
    }

    void cleanupTestCase()
    {
        m_keyring.terminate();
        m_keyring.waitForFinished();
        m_bus.terminate();
        m_bus.waitForFinished();
    }

    void automaticUsesTheRealKeychain()
    {
        const QString dir = m_dir.filePath(QStringLiteral("console"));
        Console console(dir, SecretStoreSelector::Choice::Auto, m_clock);
        QVERIFY(!console.selector.isUsingFile());
        QVERIFY2(console.page.storageText().contains(QStringLiteral("system keychain (Secret Service)")),
                 qPrintable(console.page.storageText()));

        const DeviceAddress address{QStringLiteral("player.local"), 8443};
        const auto identity = DemoData::identity(address.host, m_clock);
        QVERIFY(identity.ok());
        console.connector.setIdentity(address, identity.value());
        console.page.show();
        console.page.nameEdit()->setText(QStringLiteral("Lobby"));
        console.page.addressEdit()->setText(address.toString());
        const QString key = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        console.page.keyEdit()->setText(key);
        QSignalSpy added(&console.model, &DevicesViewModel::deviceAdded);
        QSignalSpy failed(&console.model, &DevicesViewModel::failed);
        console.page.addButton()->click();
        CertificateDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dialog = console.page.findChild<CertificateDialog *>()) && dialog->isVisible(); }));
        dialog->findChild<QPushButton *>(QStringLiteral("trust"))->click();
        QVERIFY(QTest::qWaitFor([&] { return added.count() + failed.count() > 0; }, 20'000));
        QVERIFY2(added.count() == 1, qPrintable(console.page.statusText()));
        console.session.clear();

        // In gnome-keyring (read back by a second QtKeychain store), not in a file.
        const DeviceEntry entry = console.registry.devices().constFirst();
        KeychainSecretStore other(QStringLiteral("signiq-console-test"));
        QCOMPARE(await(other.readSecret(entry.secretKey())).value(), key);
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/secrets.db")));
        QVERIFY(!console.selector.isUsingFile());

        // Removing the device deletes the key from the keychain.
        console.model.removeDevice(entry.id);
        QTRY_COMPARE(await(other.readSecret(entry.secretKey())).error().code, core::ErrorCode::NotFound);
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/secrets.key"))); // the file store was never created
    }
};

QTEST_MAIN(TestSecretStoreKeychain)
#include "TestSecretStoreKeychain.moc"
