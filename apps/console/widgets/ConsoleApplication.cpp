#include "ConsoleApplication.h"

#include "ApiKeysPage.h"
#include "AuditPage.h"
#include "CertificateDialog.h"
#include "ConsoleLog.h"
#include "DashboardPage.h"
#include "DevicesPage.h"
#include "MainWindow.h"
#include "SettingsPage.h"
#include "ZonesPage.h"
#include "audit/AuditViewModel.h"
#include "client/DemoData.h"
#include "client/FakeDeviceClient.h"
#include "client/FakeDeviceConnector.h"
#include "client/HttpsDeviceConnector.h"
#include "dashboard/DashboardViewModel.h"
#include "devices/AuditKeyPins.h"
#include "devices/CertificateTrust.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/EncryptedFileSecretStore.h"
#include "devices/InMemorySecretStore.h"
#include "devices/KeychainSecretStore.h"
#include "devices/SecretStoreSelector.h"
#include "keys/ApiKeysViewModel.h"
#include "settings/ConsoleSettings.h"
#include "settings/Translations.h"
#include "zones/ZoneEditorModel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>

namespace signiq::console {

namespace {

RangePreset presetFor(const QString &setting)
{
    if (setting == QStringLiteral("today"))
        return RangePreset::Today;
    if (setting == QStringLiteral("30d"))
        return RangePreset::Last30Days;
    return RangePreset::Last7Days;
}

// --screenshot: waits until every page has its data, grabs each page, then quits.
class ScreenshotRun : public QObject {
public:
    ScreenshotRun(QString dir, MainWindow &window, DashboardViewModel &dashboard, ApiKeysViewModel &keys, AuditViewModel &audit,
                  ZoneEditorModel &zones, ZonesPage &zonesPage, DevicesViewModel &devices, const QString &tempDir)
        : m_dir(std::move(dir)), m_window(window), m_dashboard(dashboard), m_keys(keys), m_audit(audit), m_zones(zones),
          m_zonesPage(zonesPage), m_devices(devices), m_tempDir(tempDir)
    {
        connect(&m_poll, &QTimer::timeout, this, &ScreenshotRun::poll);
        m_poll.start(250);
        QTimer::singleShot(90'000, this, [] {
            qCCritical(lcConsole) << "screenshots: timed out waiting for the pages";
            QCoreApplication::exit(1);
        });
    }

private:
    bool ready() const
    {
        return !m_dashboard.isBusy() && m_dashboard.data().windowCount > 0 && m_keys.model()->rowCount() > 0 &&
               m_audit.entries()->rowCount() > 0 && !m_zones.config().zones.isEmpty() && !m_audit.isBusy();
    }

    void grab(const QString &key, QWidget *widget)
    {
        const QString path = QDir(m_dir).filePath(QStringLiteral("console-%1.png").arg(key));
        if (!widget->grab().save(path, "PNG")) {
            qCCritical(lcConsole) << "cannot write" << path;
            m_failed = true;
        } else {
            qCInfo(lcConsole) << "wrote" << path;
        }
    }

    void poll()
    {
        switch (m_step) {
        case 0: // everything loaded: export the audit log, tamper with a copy and verify it
            if (!ready())
                return;
            m_zonesPage.startOverlay();
            m_exportPath = QDir(m_tempDir).filePath(QStringLiteral("audit.jsonl"));
            m_audit.exportTo(m_exportPath, AuditExportFormat::JsonLines);
            m_step = 1;
            return;
        case 1: {
            if (m_audit.isBusy() || !QFile::exists(m_exportPath))
                return;
            QFile file(m_exportPath);
            if (!file.open(QIODevice::ReadOnly))
                return;
            QList<QByteArray> lines = file.readAll().split('\n');
            file.close();
            if (lines.size() > 40) // an "edited" entry in the middle of the file
                lines[40].replace("\"result\":\"ok\"", "\"result\":\"denied\"");
            const QString tampered = QDir(m_tempDir).filePath(QStringLiteral("audit-tampered.jsonl"));
            QFile out(tampered);
            if (out.open(QIODevice::WriteOnly))
                out.write(lines.join('\n'));
            out.close();
            m_audit.verifyFile(tampered);
            m_step = 2;
            m_wait = 4; // ~1 s for the overlay frames and the verification
            return;
        }
        case 2:
            if (m_audit.isBusy() || --m_wait > 0)
                return;
            for (int i = 0; i < m_window.pageCount(); ++i) {
                m_window.showPage(i);
                QCoreApplication::processEvents();
                grab(m_window.pageKey(i), &m_window);
                if (m_window.pageKey(i) == QStringLiteral("dashboard")) {
                    // The lower half: heatmap, flow and demographics.
                    if (auto *scroll = m_window.page(i)->findChild<QScrollArea *>(QStringLiteral("chartsScroll"))) {
                        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
                        QCoreApplication::processEvents();
                        grab(QStringLiteral("dashboard-lower"), &m_window);
                        scroll->verticalScrollBar()->setValue(0);
                    }
                }
            }
            m_window.showPage(QStringLiteral("devices"));
            connect(&m_devices, &DevicesViewModel::certificateReviewRequested, this, [this] { m_step = 4; });
            m_devices.addDevice(QStringLiteral("Checkout screen"), QStringLiteral("checkout-player.local:8443"),
                                m_demoKey);
            m_step = 3;
            return;
        case 3:
            return; // waiting for the certificate dialog
        case 4: {
            QCoreApplication::processEvents();
            if (auto *dialog = m_window.findChild<CertificateDialog *>()) {
                dialog->resize(760, 560);
                grab(QStringLiteral("certificate"), dialog);
                dialog->reject();
            }
            m_poll.stop();
            QCoreApplication::exit(m_failed ? 1 : 0);
            return;
        }
        }
    }

public:
    QString m_demoKey;

private:
    QString m_dir;
    MainWindow &m_window;
    DashboardViewModel &m_dashboard;
    ApiKeysViewModel &m_keys;
    AuditViewModel &m_audit;
    ZoneEditorModel &m_zones;
    ZonesPage &m_zonesPage;
    DevicesViewModel &m_devices;
    QString m_tempDir;
    QString m_exportPath;
    QTimer m_poll;
    int m_step = 0;
    int m_wait = 0;
    bool m_failed = false;
};

} // namespace

int ConsoleApplication::run(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Signiq"));
    QApplication::setApplicationName(QStringLiteral("signiq-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Signiq Console"));
    QApplication::setApplicationVersion(QStringLiteral(SIGNIQ_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Signiq console: zones, calibration, dashboards, API keys and audit for Signiq edge devices."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Use in-memory demo devices with synthetic data."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Demo mode: save every page as DIR/console-<page>.png and exit."),
                                        QStringLiteral("DIR"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("Override the UI language (en, de, fr)."),
                                      QStringLiteral("LANG"));
    parser.addOptions({demo, screenshot, language});
    parser.process(app);
    const bool demoMode = parser.isSet(demo) || parser.isSet(screenshot);

    // Demo and screenshot runs never touch the user's settings, devices or keychain.
    QTemporaryDir demoDir;
    const QString dataDir = demoMode ? demoDir.path() : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    std::unique_ptr<QSettings> qsettings =
        demoMode ? std::make_unique<QSettings>(QDir(dataDir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat)
                 : std::make_unique<QSettings>();
    ConsoleSettings settings(*qsettings);
    const core::Status settingsValid = settings.validate();
    const QStringList resetKeys = settingsValid ? QStringList() : settings.resetInvalid();

    const QString chosenLanguage = parser.isSet(language) ? parser.value(language) : settings.language();
    const QString uiLanguage = Translations::resolve(chosenLanguage, QLocale::system().uiLanguages());
    if (chosenLanguage != QStringLiteral("system")) // dates and numbers follow a chosen language too
        QLocale::setDefault(QLocale(uiLanguage));
    Translations::install(app, uiLanguage);

    core::SystemClock clock;
    CertificateTrust trust(clock);
    if (const core::Status ca = trust.loadDeploymentCa(settings.deploymentCa()); !ca)
        qCWarning(lcConsole) << "deployment CA not loaded:" << ca.error().message;

    // Secrets: the keychain, or the encrypted file when there is no keychain service (or when
    // Settings says so); memory only in demo mode.
    InMemorySecretStore memorySecrets;
    KeychainSecretStore keychain(QStringLiteral("signiq-console"));
    EncryptedFileSecretStore secretsFile(QDir(dataDir).filePath(QStringLiteral("secrets.db")),
                                         QDir(dataDir).filePath(QStringLiteral("secrets.key")));
    const SecretStoreSelector::ServiceProbe demoProbe = [] {
        return KeychainServiceState{true, QStringLiteral("demo"), QString()};
    };
    SecretStoreSelector selector(demoMode ? static_cast<SecretStore &>(memorySecrets) : keychain,
                                 demoMode ? static_cast<SecretStore &>(memorySecrets) : secretsFile,
                                 SecretStoreSelector::parseChoice(settings.secretBackend()).value_or(SecretStoreSelector::Choice::Auto),
                                 demoMode ? demoProbe : SecretStoreSelector::ServiceProbe(&detectKeychainService));
    SecretStore *secrets = &selector;

    FakeDeviceConnector fakeConnector(clock);
    HttpsDeviceConnector https(trust);
    DeviceConnector *connector = &https;
    DeviceRegistry registry(QDir(dataDir).filePath(QStringLiteral("devices.json")));
    if (const core::Status loaded = registry.load(); !loaded)
        qCWarning(lcConsole) << loaded.error().message;
    QString demoDeviceId;
    QString demoKey;
    if (demoMode) {
        connector = &fakeConnector;
        fakeConnector.setSetup([&clock](FakeDeviceClient &client, const DeviceAddress &) {
            DemoData::populate(client, clock);
            client.setLatencyMs(60);
        });
        const DeviceAddress lobby{QStringLiteral("lobby-player.local"), 8443};
        const DeviceAddress checkout{QStringLiteral("checkout-player.local"), 8443};
        for (const DeviceAddress &address : {lobby, checkout})
            if (auto identity = DemoData::identity(address.host, clock))
                fakeConnector.setIdentity(address, identity.value());
        auto lobbyIdentity = DemoData::identity(lobby.host, clock);
        demoKey = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Test).value().token;
        DeviceEntry entry{QUuid::createUuid().toString(QUuid::WithoutBraces), QApplication::translate("ConsoleApplication", "Lobby player (demo)"),
                          lobby, lobbyIdentity ? CertificateTrust::fingerprint(lobbyIdentity->chain.first()) : QString(), clock.nowMs(), {}};
        (void)registry.add(entry);
        (void)memorySecrets.writeSecret(entry.secretKey(), demoKey);
        demoDeviceId = entry.id;
    }

    DeviceSession session;
    DevicesViewModel devices(registry, *connector, *secrets, trust, session, clock);
    devices.setDemoMode(demoMode);
    DashboardViewModel dashboard(session, clock);
    dashboard.setRange(presetFor(settings.dashboardRange()));
    ZoneEditorModel zones(session);
    zones.setClock(&clock);
    ApiKeysViewModel keys(session, clock);
    AuditKeyPins auditKeys(registry);
    AuditViewModel audit(session, &auditKeys);
    QObject::connect(&auditKeys, &AuditKeyPins::pinChanged, &devices, &DevicesViewModel::reloadDevices);
    // The console's own key rotated: keep and use the new secret; revoked: say so on Devices.
    devices.followConsoleKey(keys);
    // A new current device: every page loads its data.
    QObject::connect(&session, &DeviceSession::clientChanged, &app, [&](DeviceClient *client) {
        if (!client)
            return;
        dashboard.refresh();
        zones.load();
        keys.refresh();
        audit.refresh();
    });

    MainWindow window(session);
    auto *devicesPage = new DevicesPage(devices, *secrets);
    auto *zonesPage = new ZonesPage(zones, session);
    window.addPage(QStringLiteral("devices"), QApplication::translate("ConsoleApplication", "Devices"), devicesPage);
    window.addPage(QStringLiteral("zones"), QApplication::translate("ConsoleApplication", "Zones & calibration"), zonesPage);
    window.addPage(QStringLiteral("dashboard"), QApplication::translate("ConsoleApplication", "Dashboard"),
                   new DashboardPage(dashboard, session));
    window.addPage(QStringLiteral("keys"), QApplication::translate("ConsoleApplication", "API keys"), new ApiKeysPage(keys, clock));
    window.addPage(QStringLiteral("audit"), QApplication::translate("ConsoleApplication", "Audit log"), new AuditPage(audit));
    window.addPage(QStringLiteral("settings"), QApplication::translate("ConsoleApplication", "Settings"),
                   new SettingsPage(settings, trust, selector));
    window.resize(1440, 900);
    window.show();

    if (!resetKeys.isEmpty())
        QMessageBox::warning(&window, QApplication::translate("ConsoleApplication", "Settings reset"),
                             QApplication::translate("ConsoleApplication", "Invalid settings were reset to their defaults: %1")
                                     .arg(resetKeys.join(QStringLiteral(", "))) +
                                 u'\n' + settingsValid.error().message);

    std::unique_ptr<ScreenshotRun> screenshots;
    if (parser.isSet(screenshot)) {
        QDir().mkpath(parser.value(screenshot));
        screenshots = std::make_unique<ScreenshotRun>(parser.value(screenshot), window, dashboard, keys, audit, zones, *zonesPage,
                                                      devices, demoDir.path());
        screenshots->m_demoKey = demoKey;
    }
    if (!demoDeviceId.isEmpty())
        devices.selectDevice(demoDeviceId);
    else if (!demoMode)
        devices.restoreLastDevice(settings); // after a restart the last device is selected and checked
    const int rc = app.exec();
    session.clear();
    return rc;
}

} // namespace signiq::console
