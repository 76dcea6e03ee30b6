// First use on a minimal desktop: no keychain service on the session bus. A private dbus-daemon
// (no services at all) is the session bus of this test; the real QtKeychain store and the real
// SQLCipher file store are used, and the Devices and Settings pages say which one holds the keys.
#include "CertificateDialog.h"
#include "DevicesPage.h"
#include "SettingsPage.h"
#include "client/DemoData.h"
#include "client/FakeDeviceConnector.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/EncryptedFileSecretStore.h"
#include "devices/KeychainSecretStore.h"
#include "devices/KeychainService.h"
#include "devices/SecretStoreSelector.h"
#include "settings/ConsoleSettings.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

#include "SecretStoreTestSupport.h"

using namespace signiq::console::test;

class TestSecretStoreChoice : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    QTemporaryDir m_dir;
    QProcess m_bus;
    int m_devices = 0;


    // Types a new device into the Devices page and trusts its certificate; true when it was added.
    bool addThroughPage(Console &console, const QString &key)
    {
        const DeviceAddress address{QStringLiteral("player%1.local").arg(++m_devices), 8443};
        const auto identity = DemoData::identity(address.host, m_clock);
        if (!identity)
            return false;
        console.connector.setIdentity(address, identity.value());
        console.page.show();
        console.page.nameEdit()->setText(QStringLiteral("Lobby %1").arg(m_devices));
        console.page.addressEdit()->setText(address.toString());
        console.page.keyEdit()->setText(key);
        QSignalSpy added(&console.model, &DevicesViewModel::deviceAdded);
        QSignalSpy failed(&console.model, &DevicesViewModel::failed);
        console.page.addButton()->click();
        CertificateDialog *dialog = nullptr;
        if (!QTest::qWaitFor([&] { return (dialog = console.page.findChild<CertificateDialog *>()) && dialog->isVisible(); }))
            return false;
        dialog->findChild<QPushButton *>(QStringLiteral("trust"))->click();
        (void)QTest::qWaitFor([&] { return added.count() + failed.count() > 0; });
        console.session.clear();
        return added.count() == 1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString busError;
        const QByteArray address = startEmptySessionBus(m_bus, m_dir.path(), busError);
        QVERIFY2(!address.isEmpty(), qPrintable(busError));
        // Before anything opens the session bus: this test's bus is the only one it sees.
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);
    }

    void cleanupTestCase()
    {
        m_bus.terminate();
        m_bus.waitForFinished();
    }

    void noKeychainServiceIsDetected()
    {
        const KeychainServiceState state = detectKeychainService();
        QVERIFY(!state.available);
        QVERIFY2(state.reason.contains(QStringLiteral("no Secret Service")), qPrintable(state.reason));
    }

    // The first use: "Automatic" (the default) on a desktop without a keychain service.
    void firstDeviceGoesToTheEncryptedFile()
    {
        const QString dir = m_dir.filePath(QStringLiteral("first"));
        Console console(dir, SecretStoreSelector::Choice::Auto, m_clock);
        QVERIFY(console.selector.isUsingFile());
        QVERIFY2(console.page.storageText().contains(QStringLiteral("encrypted file")), qPrintable(console.page.storageText()));
        QVERIFY(console.page.storageText().contains(QStringLiteral("no keychain service")));
        QVERIFY(console.page.storageText().contains(QStringLiteral("no Secret Service")));

        const QString key = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        QVERIFY2(addThroughPage(console, key), qPrintable(console.page.statusText()));
        QCOMPARE(console.page.statusText(), QStringLiteral("Device added."));
        const DeviceEntry entry = console.registry.devices().constFirst();
        // In the SQLCipher file (read back through a second instance), not in the keychain.
        EncryptedFileSecretStore reopened(dir + QStringLiteral("/secrets.db"), dir + QStringLiteral("/secrets.key"));
        QCOMPARE(await(reopened.readSecret(entry.secretKey())).value(), key);
        const auto inKeychain = await(console.keychain.readSecret(entry.secretKey()));
        QVERIFY(!inKeychain.ok());
        QCOMPARE(inKeychain.error().code, core::ErrorCode::Unsupported); // no service: the real QtKeychain error
    }

    // The probe said yes (e.g. a service that went away): the keychain's real failure switches to
    // the file for the rest of the session, and the page says so.
    void keychainFailureFallsBackAtRunTime()
    {
        const QString dir = m_dir.filePath(QStringLiteral("runtime"));
        Console console(dir, SecretStoreSelector::Choice::Auto, m_clock,
                        [] { return KeychainServiceState{true, QStringLiteral("Secret Service"), QString()}; });
        QVERIFY(!console.selector.isUsingFile());
        QVERIFY(console.page.storageText().contains(QStringLiteral("system keychain")));
        QSignalSpy changed(&console.selector, &SecretStoreSelector::backendChanged);
        const QString key = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        QVERIFY2(addThroughPage(console, key), qPrintable(console.page.statusText()));
        QVERIFY(changed.count() >= 1);
        QVERIFY(console.selector.isUsingFile());
        QVERIFY2(console.page.storageText().contains(QStringLiteral("because the system keychain failed")),
                 qPrintable(console.page.storageText()));
        QCOMPARE(await(console.file.readSecret(console.registry.devices().constFirst().secretKey())).value(), key);
    }

    // Settings → "API keys stored in": the switch is saved, applies at once, and the pages follow.
    void settingsSwitchesTheStore()
    {
        const QString dir = m_dir.filePath(QStringLiteral("switch"));
        QSettings qsettings(dir + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        ConsoleSettings settings(qsettings);
        Console console(dir, SecretStoreSelector::parseChoice(settings.secretBackend()).value(), m_clock);
        SettingsPage settingsPage(settings, console.trust, console.selector);
        settingsPage.show();
        QComboBox *box = settingsPage.secretStoreBox();
        QCOMPARE(box->currentData().toString(), QStringLiteral("auto"));
        QVERIFY(settingsPage.secretStoreText().contains(QStringLiteral("no keychain service")));

        // Keychain only: refused with a sentence that says what to do, nothing stored.
        box->setCurrentIndex(box->findData(QStringLiteral("keychain")));
        QCOMPARE(settings.secretBackend(), QStringLiteral("keychain"));
        QCOMPARE(console.selector.choice(), SecretStoreSelector::Choice::Keychain);
        QVERIFY(!console.selector.isUsingFile());
        QVERIFY2(settingsPage.secretStoreText().contains(QStringLiteral("none is available")),
                 qPrintable(settingsPage.secretStoreText()));
        QCOMPARE(console.page.storageText(), settingsPage.secretStoreText());
        const QString first = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        QVERIFY(!addThroughPage(console, first));
        QVERIFY2(console.page.statusText().contains(QStringLiteral("No keychain service is running")),
                 qPrintable(console.page.statusText()));
        QVERIFY(console.registry.devices().isEmpty());

        // Encrypted file: works.
        box->setCurrentIndex(box->findData(QStringLiteral("file")));
        QCOMPARE(settings.secretBackend(), QStringLiteral("file"));
        QVERIFY(console.selector.isUsingFile());
        QVERIFY(settingsPage.secretStoreText().contains(QStringLiteral("chosen in Settings")));
        QVERIFY(console.page.storageText().contains(QStringLiteral("encrypted file")));
        const QString second = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        QVERIFY2(addThroughPage(console, second), qPrintable(console.page.statusText()));
        const DeviceEntry entry = console.registry.devices().constFirst();
        QCOMPARE(await(console.file.readSecret(entry.secretKey())).value(), second);

        // Back to keychain only: a key saved in the file is still found (read falls through).
        box->setCurrentIndex(box->findData(QStringLiteral("keychain")));
        QCOMPARE(await(console.selector.readSecret(entry.secretKey())).value(), second);

        // The choice survives a restart.
        qsettings.sync();
        QSettings reread(dir + QStringLiteral("/settings.ini"), QSettings::IniFormat);
        QCOMPARE(ConsoleSettings(reread).secretBackend(), QStringLiteral("keychain"));
    }
};

QTEST_MAIN(TestSecretStoreChoice)
#include "TestSecretStoreChoice.moc"
