// The console's real widgets against a real `signiq-edge` on loopback: a test CA and server
// certificate (libs/crypto), an admin key made with `signiq-edge keys create`, the database
// filled by `signiq-edge run --once` over vtest.avi, then `signiq-edge run --api-port 0`
// serving it while its pipeline runs (the live overlay). Everything goes through
// HttpsDeviceConnector / HttpsDeviceClient: TLS 1.3, pinning, the CA path, error mapping.
#include "ApiKeysPage.h"
#include "AuditKeyDialog.h"
#include "AuditPage.h"
#include "CertificateDialog.h"
#include "CreateKeyDialog.h"
#include "DashboardPage.h"
#include "DevicesPage.h"
#include "MatrixView.h"
#include "RotateKeyDialog.h"
#include "SecretRevealDialog.h"
#include "ZoneCanvas.h"
#include "ZonesPage.h"
#include "audit/AuditPublicKey.h"
#include "audit/AuditViewModel.h"
#include "client/HttpsDeviceClient.h"
#include "client/HttpsDeviceConnector.h"
#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "dashboard/DashboardViewModel.h"
#include "devices/AuditKeyPins.h"
#include "devices/CertificateTrust.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/EncryptedFileSecretStore.h"
#include "keys/ApiKeysViewModel.h"
#include "zones/ZoneEditorModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace signiq;
using namespace signiq::console;

namespace {

// Waits for a future on the event loop (QSignalSpy-style, never blocking the loop).
template <typename T>
T await(QFuture<T> future, int timeoutMs = 30000)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs))
        qFatal("a device call did not finish within %d ms", timeoutMs); // never block on result()
    return future.result();
}

} // namespace

class TestConsoleWithDevice : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db, m_dbKey, m_cert, m_tlsKey, m_adminKey, m_auditKey;
    QSslCertificate m_ca, m_serverCert;
    QProcess m_edge;
    QString m_edgeLog; // what `signiq-edge run` printed at start-up
    quint16 m_port = 0;
    QElapsedTimer m_total;
    qint64 m_onceStartMs = 0;

    core::SystemClock m_clock;
    std::unique_ptr<CertificateTrust> m_trust;
    std::unique_ptr<HttpsDeviceConnector> m_connector;
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<EncryptedFileSecretStore> m_secrets;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<DevicesViewModel> m_devices;
    std::unique_ptr<DevicesPage> m_devicesPage;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QStringList store() const { return {QStringLiteral("--db"), m_db, QStringLiteral("--key-file"), m_dbKey}; }
    // Writers of the audit log sign it with the device's audit key.
    QStringList signedStore() const { return store() + QStringList{QStringLiteral("--audit-key-file"), m_auditKey}; }
    DeviceAddress address() const { return DeviceAddress{QStringLiteral("localhost"), m_port}; }
    QString pin() const { return CertificateTrust::fingerprint(m_serverCert); }

    bool edge(const QStringList &args, QString *out = nullptr, int timeoutMs = 120000)
    {
        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments(args);
        p.start();
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            return false;
        }
        if (out)
            *out = QString::fromUtf8(p.readAllStandardOutput());
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            qWarning().noquote() << "signiq-edge" << args.first() << "failed:" << p.readAllStandardError();
            return false;
        }
        return true;
    }

    // A client of its own (not the page's), e.g. with another key or trust.
    std::unique_ptr<HttpsDeviceClient> client(const QString &key, DeviceTrust trust, HttpsDeviceClient::Options options = {})
    {
        return std::make_unique<HttpsDeviceClient>(address(), std::move(trust), key, options);
    }

    template <typename T>
    T *waitForChild(QWidget *parent)
    {
        T *child = nullptr;
        if (!QTest::qWaitFor([&] { return (child = parent->findChild<T *>()) && child->isVisible(); }, 10000))
            QTest::qFail("the expected dialog did not appear within 10 s", __FILE__, __LINE__);
        return child;
    }

private slots:
    void initTestCase()
    {
        m_total.start();
        QVERIFY(m_dir.isValid());
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing (Debian opencv-doc)");
        m_db = path(QStringLiteral("edge.db"));
        m_dbKey = path(QStringLiteral("db.key"));
        QVERIFY(edge({QStringLiteral("init-key"), m_dbKey}));
        m_auditKey = path(QStringLiteral("audit.key"));
        QVERIFY(edge({QStringLiteral("init-key"), m_auditKey}));

        // A deployment CA and the device's certificate for localhost, as `signiq-edge ca` would.
        auto ca = crypto::CertificateAuthority::create(QStringLiteral("console test CA"), 24LL * 3600 * 1000, m_clock);
        QVERIFY(ca.ok());
        auto key = crypto::PrivateKey::generateEcP256();
        QVERIFY(key.ok());
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("edge-console-test"));
        QVERIFY(csr.ok());
        crypto::IssueOptions options;
        options.commonName = QStringLiteral("edge-console-test");
        options.dnsNames = {QStringLiteral("localhost")};
        options.ipAddresses = {QStringLiteral("127.0.0.1")};
        options.lifetimeMs = 3600 * 1000;
        auto cert = ca->issue(*csr, options, m_clock);
        QVERIFY(cert.ok());
        m_ca = ca->certificate().toQSslCertificate();
        m_serverCert = cert->toQSslCertificate();
        m_cert = path(QStringLiteral("device.crt"));
        m_tlsKey = path(QStringLiteral("device.key"));
        QVERIFY(cert->save(m_cert).ok());
        QVERIFY(key->save(m_tlsKey).ok());

        // The bootstrap key the admin types into the console.
        QString out;
        QVERIFY(edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("console"),
                                 QStringLiteral("--tier"), QStringLiteral("enterprise")}
                         + QStringList{QStringLiteral("--scope"), QStringLiteral("admin"), QStringLiteral("--scope"), QStringLiteral("export"),
                                       QStringLiteral("--scope"), QStringLiteral("analytics"), QStringLiteral("--scope"), QStringLiteral("read"),
                                       QStringLiteral("--scope"), QStringLiteral("write"), QStringLiteral("--scope"), QStringLiteral("calibrate")}
                         + signedStore(),
                     &out));
        m_adminKey = out.trimmed();
        QVERIFY2(protocol::ApiKeyFormat::parse(m_adminKey).ok(), qPrintable(m_adminKey));

        // Windows from vtest.avi (as fast as possible), two hours ago, then the API serving them
        // while the pipeline runs on a long directory of frames (the live overlay).
        const QString models = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
        m_onceStartMs = (m_clock.nowMs() - 2 * 3600 * 1000) / 60000 * 60000;
        QVERIFY(edge(QStringList{QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
                                 QStringLiteral("--config"), QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"),
                                 QStringLiteral("--no-faces"), QStringLiteral("--models-dir"), models, QStringLiteral("--start-time"),
                                 QDateTime::fromMSecsSinceEpoch(m_onceStartMs, QTimeZone::utc()).toString(Qt::ISODate)}
                         + store(),
                     nullptr, 90000));
        qInfo() << "run --once took" << m_total.elapsed() << "ms";

        const QString frames = path(QStringLiteral("frames"));
        QVERIFY(QDir().mkpath(frames));
        const QStringList images = QDir(QStringLiteral(SIGNIQ_TESTDATA_DIR)).entryList({QStringLiteral("ulfd_*.jpg")}, QDir::Files, QDir::Name);
        QVERIFY(!images.isEmpty());
        for (int i = 0; i < 3000; ++i) // ~5 minutes at 10 fps: longer than this test
            QVERIFY(QFile::link(QStringLiteral(SIGNIQ_TESTDATA_DIR "/") + images.at(i % images.size()),
                                QStringLiteral("%1/%2.jpg").arg(frames).arg(i, 5, 10, QLatin1Char('0'))));
        m_edge.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        m_edge.setArguments(QStringList{QStringLiteral("run"), QStringLiteral("--realtime"), QStringLiteral("--source"), frames,
                                        QStringLiteral("--no-faces"), QStringLiteral("--models-dir"), models,
                                        QStringLiteral("--api-port"), QStringLiteral("0"), QStringLiteral("--tls-cert"), m_cert,
                                        QStringLiteral("--tls-key"), m_tlsKey}
                            + signedStore());
        m_edge.setReadChannel(QProcess::StandardError);
        m_edge.start();
        QVERIFY(m_edge.waitForStarted());
        QString err;
        const QRegularExpression portLine(QStringLiteral("API on https://127\\.0\\.0\\.1:(\\d+)/v1/"));
        while (!(portLine.match(err).hasMatch() && err.contains(QStringLiteral("processing"))) && m_edge.waitForReadyRead(60000))
            err += QString::fromUtf8(m_edge.readAllStandardError());
        const auto match = portLine.match(err);
        QVERIFY2(match.hasMatch(), qPrintable(err));
        m_edgeLog = err;
        m_port = quint16(match.captured(1).toUInt());

        // The console's services as ConsoleApplication composes them (no deployment CA yet).
        m_trust = std::make_unique<CertificateTrust>(m_clock);
        m_connector = std::make_unique<HttpsDeviceConnector>(*m_trust);
        m_registry = std::make_unique<DeviceRegistry>(path(QStringLiteral("devices.json")));
        m_secrets = std::make_unique<EncryptedFileSecretStore>(path(QStringLiteral("secrets.db")), path(QStringLiteral("secrets.key")));
        m_session = std::make_unique<DeviceSession>();
        m_devices = std::make_unique<DevicesViewModel>(*m_registry, *m_connector, *m_secrets, *m_trust, *m_session, m_clock);
        m_devicesPage = std::make_unique<DevicesPage>(*m_devices, *m_secrets);
        m_devicesPage->show();
        qInfo() << "device ready on port" << m_port << "after" << m_total.elapsed() << "ms";
    }

    void cleanupTestCase()
    {
        m_devicesPage.reset();
        if (m_session)
            m_session->clear();
        m_devices.reset();
        if (m_edge.state() != QProcess::NotRunning) {
            m_edge.terminate();
            if (!m_edge.waitForFinished(30000))
                m_edge.kill();
            QCOMPARE(m_edge.exitCode(), 0);
        }
        qInfo() << "total" << m_total.elapsed() << "ms";
    }

    void addDeviceAndAcceptItsCertificate()
    {
        DevicesPage &page = *m_devicesPage;
        page.nameEdit()->setText(QStringLiteral("Loopback player"));
        page.addressEdit()->setText(QStringLiteral("localhost:%1").arg(m_port));
        page.keyEdit()->setText(m_adminKey);
        page.addButton()->click();

        // First contact without a deployment CA: the admin compares the fingerprint.
        auto *dialog = waitForChild<CertificateDialog>(&page);
        QVERIFY(dialog);
        const QString shown = dialog->findChild<QLabel *>(QStringLiteral("fingerprint"))->text();
        QCOMPARE(shown, CertificateTrust::formatFingerprint(pin()));
        // The same text the device printed when its API started: what the admin compares.
        QVERIFY2(m_edgeLog.contains(QStringLiteral("TLS certificate SHA-256 fingerprint: ") + shown + u'\n'), qPrintable(m_edgeLog));
        QVERIFY(m_devices->pending().has_value());
        QCOMPARE(m_devices->pending()->tlsProtocol, QStringLiteral("TLS 1.3"));
        QCOMPARE(m_devices->pending()->assessment.verdict, TrustVerdict::FirstContact);
        QSignalSpy added(m_devices.get(), &DevicesViewModel::deviceAdded);
        dialog->findChild<QPushButton *>(QStringLiteral("trust"))->click();
        QVERIFY(added.count() == 1 || added.wait(10000));
        QCOMPARE(m_registry->devices().size(), 1);
        QCOMPARE(m_registry->devices().first().pinnedSha256, pin());
        QVERIFY(page.keyEdit()->text().isEmpty());

        // Connected through the pin; /v1/health fills the status columns.
        QTRY_VERIFY_WITH_TIMEOUT(m_session->client() != nullptr, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page.table()->model()->index(0, DeviceTableModel::Status).data().toString(), QStringLiteral("reachable"), 10000);
        QCOMPARE(page.table()->model()->index(0, DeviceTableModel::Tls).data().toString(), QStringLiteral("TLS 1.3"));

        // The key went to the encrypted file store, not into devices.json.
        QFile devicesJson(path(QStringLiteral("devices.json")));
        QVERIFY(devicesJson.open(QIODevice::ReadOnly));
        QVERIFY(!devicesJson.readAll().contains(m_adminKey.toLatin1()));
        const auto stored = await(m_secrets->readSecret(m_registry->devices().first().secretKey()));
        QVERIFY(stored.ok());
        QCOMPARE(stored.value(), m_adminKey);
    }

    void certificateTrustAndErrorMapping()
    {
        // A pin that does not match: refused in the handshake, before the key is sent.
        auto wrongPin = client(m_adminKey, DeviceTrust{QString(64, u'0'), {}});
        auto health = await(wrongPin->health());
        QVERIFY(!health.ok());
        QCOMPARE(health.error().code, core::ErrorCode::Corrupt);
        // Neither pin nor CA: nothing is trusted.
        health = await(client(m_adminKey, DeviceTrust{})->health());
        QVERIFY(!health.ok());
        QCOMPARE(health.error().code, core::ErrorCode::Corrupt);
        // The deployment CA verifies the chain for "localhost": no pin needed.
        auto viaCa = client(m_adminKey, DeviceTrust{QString(), {m_ca}});
        health = await(viaCa->health());
        QVERIFY2(health.ok(), health.ok() ? "" : qPrintable(health.error().message));
        QCOMPARE(health->tlsProtocol, QStringLiteral("TLS 1.3"));
        QCOMPARE(health->calibrationVersion.size(), 16);
        m_trust->setDeploymentCa({m_ca});
        auto identity = await(m_connector->probe(address()));
        QVERIFY(identity.ok());
        QCOMPARE(m_trust->assess(address(), identity->chain, QString()).verdict, TrustVerdict::DeploymentCa);
        m_trust->setDeploymentCa({});

        // HTTP errors with the device's message.
        auto pinned = client(m_adminKey, DeviceTrust{pin(), {}});
        auto notFound = await(pinned->rotateKey(QStringLiteral("nosuchkey123"), 1));
        QVERIFY(!notFound.ok());
        QCOMPARE(notFound.error().code, core::ErrorCode::NotFound);
        QVERIFY2(notFound.error().message.contains(QStringLiteral("HTTP 404 not_found")), qPrintable(notFound.error().message));
        NewKeyRequest past;
        past.scopes = protocol::Scope::Read;
        past.expiresAtMs = m_clock.nowMs() - 3600 * 1000;
        auto invalid = await(pinned->createKey(past));
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(invalid.error().message.contains(QStringLiteral("422")), qPrintable(invalid.error().message));
        const QString stranger = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        auto denied = await(client(stranger, DeviceTrust{pin(), {}})->keys());
        QVERIFY(!denied.ok());
        QCOMPARE(denied.error().code, core::ErrorCode::PermissionDenied);
        // Nothing listens on port 1: unreachable.
        auto nowhere = std::make_unique<HttpsDeviceClient>(DeviceAddress{QStringLiteral("127.0.0.1"), 1}, DeviceTrust{pin(), {}}, m_adminKey);
        auto io = await(nowhere->health());
        QVERIFY(!io.ok());
        QCOMPARE(io.error().code, core::ErrorCode::Io);
        // /v1/demographics answers; the vtest run has demographics switched off, so none are stored.
        auto demographics = await(pinned->demographicWindows({}));
        QVERIFY2(demographics.ok(), demographics.ok() ? "" : qPrintable(demographics.error().message));
        QVERIFY(demographics->isEmpty());
    }

    void drawAZoneAndSaveIt()
    {
        QVERIFY(m_session->client());
        ZoneEditorModel model(*m_session);
        ZonesPage page(model, *m_session);
        page.resize(1300, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy loaded(&model, &ZoneEditorModel::loaded);
        model.load();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page.zoneList()->count(), 2); // vtest.json
        const QString before = model.config().version();

        // The anonymised live overlay from the running pipeline.
        page.startOverlay();
        QTRY_VERIFY_WITH_TIMEOUT(page.canvas()->backgroundFrames() >= 2, 20000);
        QVERIFY(page.isOverlayRunning());

        ZoneCanvas *canvas = page.canvas();
        canvas->setTool(ZoneCanvas::Tool::DrawZone);
        for (QPointF p : {QPointF(0.6, 0.7), QPointF(0.9, 0.7), QPointF(0.9, 0.95), QPointF(0.6, 0.95)})
            QTest::mouseClick(canvas->viewport(), Qt::LeftButton, {}, canvas->viewportPoint(p));
        QTest::keyClick(canvas, Qt::Key_Return);
        QCOMPARE(model.config().zones.size(), 3);

        QSignalSpy saved(&model, &ZoneEditorModel::saved);
        QSignalSpy failed(&model, &ZoneEditorModel::failed);
        page.findChild<QPushButton *>(QStringLiteral("save"))->click();
        QVERIFY2(saved.wait(10000), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const QString version = saved.first().first().toString();
        QCOMPARE(version.size(), 16);
        QVERIFY(version != before);
        QCOMPARE(version, model.config().version()); // the device computed the same version
        QVERIFY(page.statusText().contains(version));

        // The device stored it: a fresh read has the three zones and that version.
        auto reread = await(client(m_adminKey, DeviceTrust{pin(), {}})->zones());
        QVERIFY(reread.ok());
        QCOMPARE(reread->calibrationVersion, version);
        QCOMPARE(reread->config.zones.size(), 3);
        page.stopOverlay();
    }

    void createRotateAndRevokeAKey()
    {
        ApiKeysViewModel model(*m_session, m_clock);
        ApiKeysPage page(model, m_clock);
        page.show();
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(page.table()->model()->rowCount() >= 1 && !model.isBusy(), 10000);
        const int before = page.table()->model()->rowCount();
        QVERIFY(before >= 1);

        page.openCreateDialog();
        auto *create = waitForChild<CreateKeyDialog>(&page);
        QVERIFY(create);
        create->labelEdit()->setText(QStringLiteral("BI dashboard"));
        create->scopeBox(protocol::Scope::Analytics)->setChecked(true);
        QSignalSpy issued(&model, &ApiKeysViewModel::keyIssued);
        create->okButton()->click();
        QVERIFY(issued.wait(10000));
        auto *reveal = waitForChild<SecretRevealDialog>(&page);
        QVERIFY(reveal);
        const QString token = reveal->secretEdit()->text();
        QVERIFY(protocol::ApiKeyFormat::parse(token).ok());
        reveal->accept();
        QTRY_COMPARE_WITH_TIMEOUT(page.table()->model()->rowCount(), before + 1, 10000);
        const QString keyId = issued.first().first().value<IssuedKey>().info.keyId;
        QCOMPARE(issued.first().first().value<IssuedKey>().info.name, QStringLiteral("BI dashboard"));

        // The new key reads windows (analytics) and nothing else.
        auto bi = client(token, DeviceTrust{pin(), {}});
        QVERIFY(await(bi->windows({})).ok());
        QCOMPARE(await(bi->keys()).error().code, core::ErrorCode::PermissionDenied);

        // Rotate without overlap: the old secret stops at once, the new one works.
        int row = -1;
        for (int r = 0; r < page.table()->model()->rowCount(); ++r)
            if (page.table()->model()->index(r, 0).data().toString() == keyId)
                row = r;
        QVERIFY(row >= 0);
        page.table()->selectRow(row);
        page.openRotateDialog();
        auto *rotate = waitForChild<RotateKeyDialog>(&page);
        QVERIFY(rotate);
        rotate->overlapBox()->setValue(0);
        issued.clear();
        rotate->accept();
        QVERIFY(issued.wait(10000));
        QCOMPARE(issued.first().at(1).toBool(), true);
        reveal = waitForChild<SecretRevealDialog>(&page);
        QVERIFY(reveal);
        const QString rotated = reveal->secretEdit()->text();
        reveal->accept();
        QVERIFY(rotated != token);
        QCOMPARE(await(bi->windows({})).error().code, core::ErrorCode::PermissionDenied);
        auto renewed = client(rotated, DeviceTrust{pin(), {}});
        QVERIFY(await(renewed->windows({})).ok());

        // Revoke with confirmation: refused at once.
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), 10000);
        for (int r = 0; r < page.table()->model()->rowCount(); ++r)
            if (page.table()->model()->index(r, 0).data().toString() == keyId)
                page.table()->selectRow(r);
        page.confirmRevoke();
        auto *box = waitForChild<QMessageBox>(&page);
        QVERIFY(box);
        QSignalSpy revoked(&model, &ApiKeysViewModel::keyRevoked);
        box->button(QMessageBox::Yes)->click();
        QVERIFY(revoked.wait(10000));
        QCOMPARE(revoked.first().first().toString(), keyId);
        QCOMPARE(await(renewed->windows({})).error().code, core::ErrorCode::PermissionDenied);
    }

    void exportTheAuditLogAndVerifyIt()
    {
        AuditKeyPins pins(*m_registry);
        AuditViewModel model(*m_session, &pins);
        AuditPage page(model);
        page.show();
        // The device's audit public key as `signiq-edge audit public-key` prints it (no secret),
        // pinned for the device through the dialog: exports verify as intact.
        QString publicKey;
        QVERIFY(edge({QStringLiteral("audit"), QStringLiteral("public-key"), QStringLiteral("--audit-key-file"), m_auditKey}, &publicKey));
        QVERIFY(model.canPinAuditKey());
        page.openPinDialog();
        auto *pinDialog = waitForChild<AuditKeyDialog>(&page);
        QVERIFY(pinDialog);
        pinDialog->keyEdit()->setText(publicKey);
        QVERIFY2(pinDialog->okButton()->isEnabled(), qPrintable(pinDialog->checkText()));
        pinDialog->okButton()->click();
        const QByteArray deviceKey = QByteArray::fromHex(publicKey.trimmed().toLatin1());
        QCOMPARE(m_registry->find(m_session->deviceId())->auditPublicKey, deviceKey);
        QCOMPARE(model.auditPublicKey(), deviceKey);
        QSignalSpy loaded(&model, &AuditViewModel::loaded);
        model.setQuery({});
        model.refresh();
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.entriesTable()->model()->rowCount() >= 5);
        // Filters apply to what the device sent: only this test's key operations.
        AuditQuery keyOps;
        keyOps.action = QStringLiteral("key.");
        model.setQuery(keyOps);
        model.refresh();
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.entriesTable()->model()->rowCount() >= 4); // bootstrap create, create, rotate, revoke

        for (const bool csv : {false, true}) {
            const QString file = path(csv ? QStringLiteral("audit.csv") : QStringLiteral("audit.jsonl"));
            model.setQuery({});
            QSignalSpy exported(&model, &AuditViewModel::exported);
            model.exportTo(file, csv ? AuditExportFormat::Csv : AuditExportFormat::JsonLines);
            QVERIFY(exported.wait(10000));
            QSignalSpy verified(&model, &AuditViewModel::verified);
            model.verifyFile(file);
            QVERIFY(verified.wait(10000));
            QVERIFY2(verified.first().at(1).toBool(), qPrintable(verified.first().first().toString()));
            QVERIFY2(page.verificationText().contains(QStringLiteral("The log is intact")), qPrintable(page.verificationText()));
            QVERIFY(page.verificationText().contains(QStringLiteral("pinned for this device: %1").arg(auditKeyId(deviceKey))));
            QVERIFY(page.verifiedTable()->model()->rowCount() >= 8);
        }

        // An edited entry is found.
        QFile f(path(QStringLiteral("audit.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = f.readAll().split('\n');
        f.close();
        QVERIFY(lines.size() > 3);
        QVERIFY(lines[2].contains("\"actor\":"));
        lines[2].replace("\"actor\":\"", "\"actor\":\"x");
        const QString tampered = path(QStringLiteral("tampered.jsonl"));
        QFile t(tampered);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(lines.join('\n'));
        t.close();
        QSignalSpy verified(&model, &AuditViewModel::verified);
        model.verifyFile(tampered);
        QVERIFY(verified.wait(10000));
        QCOMPARE(verified.first().at(1).toBool(), false);
        QVERIFY2(page.verificationText().contains(QStringLiteral("BROKEN at entry 3")), qPrintable(page.verificationText()));
    }

    void dashboardShowsTheWindowsOfVtest()
    {
        // What the device holds for the range, fetched in pages of 3 (paging of /v1/windows).
        HttpsDeviceClient::Options small;
        small.pageSize = 3;
        const qint64 now = m_clock.nowMs();
        const WindowQuery query{now - 7LL * 24 * 3600 * 1000, now + 60000, QString()};
        auto all = await(client(m_adminKey, DeviceTrust{pin(), {}}, small)->windows(query));
        QVERIFY(all.ok());
        int fromVtest = 0;
        QSet<QString> zones;
        for (const core::AudienceWindow &w : *all)
            if (w.startMs >= m_onceStartMs && w.startMs < m_onceStartMs + 120000) {
                ++fromVtest;
                zones.insert(w.zone);
            }
        QVERIFY2(fromVtest >= 4, qPrintable(QString::number(fromVtest))); // 2 zones x (60 s + 19 s)
        QVERIFY(zones.contains(QStringLiteral("west-walkway")) && zones.contains(QStringLiteral("east-walkway")));

        DashboardViewModel model(*m_session, m_clock);
        DashboardPage page(model, *m_session);
        page.resize(1200, 900);
        page.show();
        QSignalSpy changed(&model, &DashboardViewModel::dataChanged);
        model.setRange(RangePreset::Last7Days);
        model.refresh();
        QVERIFY(changed.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!model.isBusy(), 10000);
        const DashboardData &data = model.data();
        QVERIFY2(data.windowCount >= int(all->size()), qPrintable(QString::number(data.windowCount)));
        int ots = 0;
        for (const core::AudienceWindow &w : *all)
            if (w.startMs >= model.range().fromMs)
                ots += w.ots;
        QVERIFY(ots > 0);
        QVERIFY(data.totalOts() >= ots);
        QVERIFY(page.otsSeries()->count() > 0);
        QVERIFY(model.knownZones().contains(QStringLiteral("west-walkway")));
        // Demographics: the device answers /v1/demographics, but the vtest run had them off: no
        // windows, no error note, and the matrix shows its empty text instead of zeros.
        QVERIFY(model.demographicsNote().isEmpty());
        QVERIFY(!page.demographicsView()->emptyText().isEmpty());
    }
};

QTEST_MAIN(TestConsoleWithDevice)
#include "TestConsoleWithDevice.moc"
