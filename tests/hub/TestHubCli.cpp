// The signiq-hub command line against the real PostgreSQL server of the CTest fixture (database
// signiq_test_cli): every command once, and its bad input (nonzero exit, a message naming it).
#include "../api/ApiTestSupport.h"
#include "HubTestSupport.h"

#include "crypto/CertificateAuthority.h"
#include "hub/SyncIngest.h"
#include "protocol/ApiKey.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace signiq;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestHubCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void migrateIsIdempotent();
    void organisationSiteAndKey();
    void deploymentCaAndDeviceForSync();
    void badInputFailsWithAMessage();
    void retentionRuns();
    void backupAndRestore();
    void serveRunsTheWebhookDispatcherAndStopsOnSigterm();
    void webhookOptionsAreChecked();

private:
    Run hub(const QStringList &args, bool withCredentials = true) const;
    QString m_db;
    QString m_org;
};

Run TestHubCli::hub(const QStringList &args, bool withCredentials) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CREDENTIALS_DIRECTORY"));
    if (withCredentials)
        env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), QDir(hub::test::clusterDir()).filePath(QStringLiteral("credentials")));
    process.setProcessEnvironment(env);
    // --db first: a case that passes its own --db overrides it (the last value wins).
    process.start(QStringLiteral(SIGNIQ_HUB_BINARY), QStringList{QStringLiteral("--db"), m_db} + args);
    Run run;
    if (!process.waitForFinished(60'000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestHubCli::initTestCase()
{
    const QString dir = hub::test::clusterDir();
    QVERIFY2(!dir.isEmpty() && QFileInfo::exists(QDir(dir).filePath(QStringLiteral("port"))),
             "fixture missing: PostgreSQL cluster (run through ctest)");
    m_db = QStringLiteral("host=%1 port=%2 dbname=signiq_test_cli").arg(dir).arg(qEnvironmentVariableIntValue("SIGNIQ_TEST_PG_PORT"));
}

void TestHubCli::migrateIsIdempotent()
{
    const Run first = hub({QStringLiteral("migrate")});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.err.contains(QLatin1String("applied migration 1")), qPrintable(first.err));
    const Run second = hub({QStringLiteral("migrate")});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.err.contains(QLatin1String("up to date")), qPrintable(second.err));
    QVERIFY(!second.err.contains(QLatin1String("applied migration")));
}

void TestHubCli::organisationSiteAndKey()
{
    const Run org = hub({QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("Demo"),
                         QStringLiteral("--tier"), QStringLiteral("pro")});
    QVERIFY2(org.exitCode == 0, qPrintable(org.err));
    m_org = org.out.trimmed();
    QVERIFY2(!QUuid::fromString(m_org).isNull(), qPrintable(org.out));

    const Run site = hub({QStringLiteral("site"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--name"),
                          QStringLiteral("Paris"), QStringLiteral("--time-zone"), QStringLiteral("Europe/Paris")});
    QVERIFY2(site.exitCode == 0, qPrintable(site.err));
    const QString siteId = site.out.trimmed();
    QVERIFY(!QUuid::fromString(siteId).isNull());

    const Run key = hub({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--scopes"),
                         QStringLiteral("read,export"), QStringLiteral("--site"), siteId});
    QVERIFY2(key.exitCode == 0, qPrintable(key.err));
    QVERIFY2(protocol::ApiKeyFormat::parse(key.out.trimmed()), qPrintable(key.out));
    QVERIFY(key.err.contains(QLatin1String("shown only once")));
    QVERIFY(!key.err.contains(key.out.trimmed())); // the secret goes to stdout only, once

    const Run tier = hub({QStringLiteral("org"), QStringLiteral("set-tier"), QStringLiteral("--org"), m_org, QStringLiteral("--tier"),
                          QStringLiteral("enterprise")});
    QVERIFY2(tier.exitCode == 0, qPrintable(tier.err));
    QVERIFY(tier.err.contains(QLatin1String("audited")));
    const Run show = hub({QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), m_org});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    QVERIFY(show.out.contains(QLatin1String("tier enterprise")));
    QVERIFY(show.out.contains(QLatin1String("history_days 400")));
}

void TestHubCli::deploymentCaAndDeviceForSync()
{
    QVERIFY(!m_org.isEmpty());
    QTemporaryDir dir;
    const core::SystemClock clock;
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Demo deployment CA"), 24LL * 3600 * 1000, clock);
    QVERIFY(ca);
    auto key = crypto::PrivateKey::generateEcP256();
    auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("screen-1"));
    crypto::IssueOptions options;
    options.commonName = QStringLiteral("screen-1");
    options.lifetimeMs = 3600 * 1000;
    auto cert = ca->issue(*csr, options, clock);
    QVERIFY(cert);
    const QString caPath = dir.filePath(QStringLiteral("ca.crt"));
    const QString certPath = dir.filePath(QStringLiteral("device.crt"));
    QVERIFY(ca->certificate().save(caPath));
    QVERIFY(cert->save(certPath));

    const Run registered = hub({QStringLiteral("ca"), QStringLiteral("register"), QStringLiteral("--org"), m_org, QStringLiteral("--ca-cert"), caPath});
    QVERIFY2(registered.exitCode == 0, qPrintable(registered.err));
    const Run device = hub({QStringLiteral("device"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--name"),
                            QStringLiteral("screen-1"), QStringLiteral("--certificate"), certPath});
    QVERIFY2(device.exitCode == 0, qPrintable(device.err));
    const QUuid deviceId = QUuid::fromString(device.out.trimmed());
    QVERIFY2(!deviceId.isNull(), qPrintable(device.out));

    // What the sync listener will decide for this certificate.
    QString why;
    auto db = hub::test::connect(QStringLiteral("signiq_app"), QStringLiteral("signiq_test_cli"), &why);
    QVERIFY2(db, qPrintable(why));
    hub::SyncIngest ingest(*db, clock);
    auto anchors = ingest.trustAnchors();
    QVERIFY(anchors && anchors->size() == 1);
    auto identified = ingest.identify(*cert, *anchors);
    QVERIFY2(identified, qPrintable(identified.ok() ? QString() : identified.error().toString()));
    QCOMPARE(identified->deviceId, deviceId);
    QCOMPARE(identified->orgId, QUuid::fromString(m_org));

    const Run revoked = hub({QStringLiteral("ca"), QStringLiteral("revoke"), QStringLiteral("--org"), m_org, QStringLiteral("--ca-cert"), caPath,
                             QStringLiteral("--serial"), cert->serialHex()});
    QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.err));
    QCOMPARE(ingest.identify(*cert, *anchors).error().code, core::ErrorCode::PermissionDenied);

    const Run notCa = hub({QStringLiteral("ca"), QStringLiteral("register"), QStringLiteral("--org"), m_org, QStringLiteral("--ca-cert"), certPath});
    QCOMPARE(notCa.exitCode, 1);
    QVERIFY2(notCa.err.contains(QLatin1String("not a CA")), qPrintable(notCa.err));
}

void TestHubCli::badInputFailsWithAMessage()
{
    struct Case {
        QStringList args;
        QString message;
        bool withCredentials = true;
    };
    const QString unknownOrg = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Audit-signing key files for serve: one readable by others, one too short.
    QTemporaryDir keys;
    QVERIFY(keys.isValid());
    const QString openKey = keys.filePath(QStringLiteral("open.key"));
    const QString shortKey = keys.filePath(QStringLiteral("short.key"));
    for (const auto &[path, content, mode] : {std::tuple{openKey, QByteArray(64, 'a'), QFileDevice::Permissions(0x6644)},
                                              std::tuple{shortKey, QByteArray(40, 'a'), QFileDevice::ReadOwner | QFileDevice::WriteOwner}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QVERIFY(f.setPermissions(mode));
    }
    const QStringList serve{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                            QStringLiteral("0"), QStringLiteral("--audit-key-file")};
    const core::SystemClock clock;
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Bad input CA"), 24LL * 3600 * 1000, clock);
    QVERIFY(ca);
    const QString caPath = keys.filePath(QStringLiteral("ca.crt"));
    QVERIFY(ca->certificate().save(caPath));
    const QList<Case> cases{
        {serve + QStringList{keys.filePath(QStringLiteral("missing.key"))}, QStringLiteral("audit key file")},
        {serve + QStringList{openKey}, QStringLiteral("audit key file")},
        {serve + QStringList{shortKey}, QStringLiteral("must hold 64 hex characters or 32 raw bytes")},
        {{QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("X"), QStringLiteral("--tier"), QStringLiteral("gold")},
         QStringLiteral("unknown tier 'gold'")},
        {{QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--tier"), QStringLiteral("free")}, QStringLiteral("--name is required")},
        {{QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), unknownOrg}, QStringLiteral("unknown organisation ") + unknownOrg},
        {{QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), QStringLiteral("acme")}, QStringLiteral("is not a UUID")},
        {{QStringLiteral("site"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--name"), QStringLiteral("Mars"),
          QStringLiteral("--time-zone"), QStringLiteral("Mars/Olympus")},
         QStringLiteral("unknown time zone 'Mars/Olympus'")},
        {{QStringLiteral("site"), QStringLiteral("create"), QStringLiteral("--org"), unknownOrg, QStringLiteral("--name"), QStringLiteral("X"),
          QStringLiteral("--time-zone"), QStringLiteral("UTC")},
         QStringLiteral("unknown organisation")},
        {{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--scopes"), QStringLiteral("read,root")},
         QStringLiteral("unknown scope 'root'")},
        {{QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), m_org, QStringLiteral("--db"), QStringLiteral("password=hunter2")},
         QStringLiteral("passwords are not accepted on the command line")},
        {{QStringLiteral("migrate"), QStringLiteral("--user"), QStringLiteral("signiq_app")}, QStringLiteral("refusing to migrate as the application role")},
        {{QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), m_org}, QStringLiteral("cannot connect to PostgreSQL"), false},
        {{QStringLiteral("frobnicate")}, QStringLiteral("unknown command 'frobnicate'")},
        // Sync administration (docs/sync.md).
        {serve.mid(0, 5) + QStringList{QStringLiteral("--tls-cert"), keys.filePath(QStringLiteral("none.pem")), QStringLiteral("--sync-port"),
                                       QStringLiteral("70000")},
         QStringLiteral("--sync-port '70000' is not a port")},
        {{QStringLiteral("ca"), QStringLiteral("revoke"), QStringLiteral("--org"), m_org, QStringLiteral("--ca-cert"), caPath, QStringLiteral("--serial"),
          QStringLiteral("not-a-serial")},
         QStringLiteral("'not-a-serial' is not a certificate serial number")},
        {{QStringLiteral("ca"), QStringLiteral("revoke"), QStringLiteral("--org"), m_org, QStringLiteral("--ca-cert"), caPath},
         QStringLiteral("--serial is required")},
        {{QStringLiteral("ca"), QStringLiteral("register"), QStringLiteral("--org"), m_org}, QStringLiteral("--ca-cert is required")},
        {{QStringLiteral("device"), QStringLiteral("create"), QStringLiteral("--org"), m_org, QStringLiteral("--name"), QStringLiteral("s"),
          QStringLiteral("--certificate"), keys.filePath(QStringLiteral("missing.crt"))},
         QStringLiteral("missing.crt")},
    };
    for (const Case &c : cases) {
        const Run run = hub(c.args, c.withCredentials);
        const QString what = c.args.join(QLatin1Char(' '));
        QVERIFY2(run.exitCode != 0 && run.exitCode != -1, qPrintable(what));
        QVERIFY2(run.err.contains(c.message), qPrintable(what + QStringLiteral(": ") + run.err));
        QVERIFY2(!run.err.contains(QLatin1String("hunter2")), qPrintable(run.err));
    }
}

void TestHubCli::retentionRuns()
{
    const Run run = hub({QStringLiteral("retention"), QStringLiteral("run"), QStringLiteral("--date"), QStringLiteral("2031-03-10")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("created audience_windows_p2031_03")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("created demographic_windows_p2031_06")), qPrintable(run.out));
    const Run bad = hub({QStringLiteral("retention"), QStringLiteral("run"), QStringLiteral("--date"), QStringLiteral("yesterday")});
    QVERIFY(bad.exitCode != 0);
    QVERIFY(bad.err.contains(QLatin1String("is not YYYY-MM-DD")));
}

// backup as signiq_backup (its default user) and restore as signiq_owner into the fresh, empty
// database signiq_test_cli_restore, end to end through the binary (pg_dump and psql included).
void TestHubCli::backupAndRestore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString key = dir.filePath(QStringLiteral("backup.key"));
    {
        QFile f(key);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::NewOnly));
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        f.write(QByteArray(32, '\x42').toHex() + '\n');
    }
    const QString file = dir.filePath(QStringLiteral("hub.sqev"));
    const Run backup = hub({QStringLiteral("backup"), QStringLiteral("--out"), file, QStringLiteral("--backup-key-file"), key});
    QVERIFY2(backup.exitCode == 0, qPrintable(backup.err));
    QVERIFY2(backup.err.contains(QLatin1String("backup of ")) && backup.err.contains(QLatin1String("MiB of SQL so far")), qPrintable(backup.err));
    QVERIFY(QFileInfo::exists(file));
    QVERIFY(!QFileInfo::exists(file + QStringLiteral(".partial")));

    const QStringList restore{QStringLiteral("restore"), QStringLiteral("--in"), file, QStringLiteral("--backup-key-file"), key,
                              QStringLiteral("--dbname"), QStringLiteral("signiq_test_cli_restore")};
    const Run restored = hub(restore);
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.err));
    QVERIFY2(restored.err.contains(QLatin1String("restored ")) && restored.err.contains(QLatin1String("checked")), qPrintable(restored.err));
    // The restored database serves the organisation created above.
    const Run show = hub({QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), m_org, QStringLiteral("--dbname"),
                          QStringLiteral("signiq_test_cli_restore")});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    QVERIFY(show.out.contains(QLatin1String("tier enterprise")));

    struct Case {
        QStringList args;
        QString message;
    };
    const QList<Case> cases{
        {restore, QStringLiteral("is not empty")},
        {{QStringLiteral("backup"), QStringLiteral("--out"), file, QStringLiteral("--backup-key-file"), key}, QStringLiteral("already exists")},
        {{QStringLiteral("backup"), QStringLiteral("--out"), dir.filePath(QStringLiteral("x.sqev"))}, QStringLiteral("--backup-key-file is required")},
        {{QStringLiteral("backup"), QStringLiteral("--backup-key-file"), key}, QStringLiteral("--out is required")},
        {{QStringLiteral("backup"), QStringLiteral("--out"), dir.filePath(QStringLiteral("x.sqev")), QStringLiteral("--backup-key-file"),
          dir.filePath(QStringLiteral("missing.key"))},
         QStringLiteral("does not exist")},
        {{QStringLiteral("backup"), QStringLiteral("--out"), dir.filePath(QStringLiteral("x.sqev")), QStringLiteral("--backup-key-file"), key,
          QStringLiteral("--user"), QStringLiteral("signiq_app")},
         QStringLiteral("does not bypass row-level security")},
        {{QStringLiteral("restore"), QStringLiteral("--in"), dir.filePath(QStringLiteral("missing.sqev")), QStringLiteral("--backup-key-file"), key},
         QStringLiteral("cannot read backup")},
    };
    for (const Case &c : cases) {
        const Run run = hub(c.args);
        const QString what = c.args.join(QLatin1Char(' '));
        QVERIFY2(run.exitCode == 1, qPrintable(what + QStringLiteral(": ") + run.err));
        QVERIFY2(run.err.contains(c.message), qPrintable(what + QStringLiteral(": ") + run.err));
    }
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.sqev"))));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.sqev.partial"))));
}

void TestHubCli::serveRunsTheWebhookDispatcherAndStopsOnSigterm()
{
    // signiq-hub serve with a webhook key: /v1/webhooks answers, the dispatcher posts a test
    // event to a receiver process (development mode: http on loopback), SIGTERM stops it (exit 0).
    const Run org = hub({QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("Hooks"),
                         QStringLiteral("--tier"), QStringLiteral("pro")});
    QVERIFY2(org.exitCode == 0, qPrintable(org.err));
    const Run key = hub({QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--org"), org.out.trimmed(), QStringLiteral("--scopes"),
                         QStringLiteral("webhooks")});
    QVERIFY2(key.exitCode == 0, qPrintable(key.err));
    const QString token = key.out.trimmed();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const api::test::TestPki pki = api::test::TestPki::create();
    const QString certFile = dir.filePath(QStringLiteral("hub.crt"));
    const QString keyFile = dir.filePath(QStringLiteral("hub.key"));
    const QString webhookKey = dir.filePath(QStringLiteral("webhook.key"));
    for (const auto &[path, content] : {std::pair{certFile, pki.server.certificate.toPem()}, std::pair{keyFile, pki.server.privateKey.toPem()},
                                        std::pair{webhookKey, QByteArray(64, 'c')}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }
    QProcess server;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), QDir(hub::test::clusterDir()).filePath(QStringLiteral("credentials")));
    server.setProcessEnvironment(env);
    QString serverErr;
    connect(&server, &QProcess::readyReadStandardError, this, [&] { serverErr += QString::fromUtf8(server.readAllStandardError()); });
    server.start(QStringLiteral(SIGNIQ_HUB_BINARY),
                 {QStringLiteral("--db"), m_db, QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1"),
                  QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-cert"), certFile, QStringLiteral("--tls-key"), keyFile,
                  QStringLiteral("--webhook-key-file"), webhookKey, QStringLiteral("--webhook-mode"), QStringLiteral("development"),
                  QStringLiteral("--webhook-interval"), QStringLiteral("0.2")});
    QVERIFY(server.waitForStarted(10000));
    static const QRegularExpression serving(QStringLiteral("serving https://127\\.0\\.0\\.1:(\\d+)/v1"));
    QTRY_VERIFY_WITH_TIMEOUT(serving.match(serverErr).hasMatch() || server.state() == QProcess::NotRunning, 30000);
    QVERIFY2(serving.match(serverErr).hasMatch(), qPrintable(serverErr));
    QVERIFY2(serverErr.contains(QLatin1String("webhooks on (development mode)")), qPrintable(serverErr));
    api::test::HttpsClient client(pki.clientConfig(), quint16(serving.match(serverErr).captured(1).toInt()));

    // An endpoint (its secret comes back once), then the receiver that knows that secret.
    api::test::HttpResult made = client.post(QStringLiteral("/v1/webhooks"), token, R"({"url": "http://127.0.0.1:9/placeholder"})");
    QVERIFY2(made.status == 201, made.body.constData());
    const QString endpoint = made.json().value(QStringLiteral("id")).toString();
    QProcess receiver;
    QStringList lines;
    connect(&receiver, &QProcess::readyReadStandardOutput, this, [&] {
        while (receiver.canReadLine())
            lines << QString::fromUtf8(receiver.readLine()).trimmed();
    });
    receiver.start(QStringLiteral("python3"), {QStringLiteral(SIGNIQ_TEST_RECEIVER), made.json().value(QStringLiteral("secret")).toString(),
                                               QStringLiteral("204")});
    QVERIFY(receiver.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!lines.isEmpty(), 30000);
    const QString port = lines.takeFirst().mid(5);
    const api::test::HttpResult patched = client.request("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, token,
                                                         QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hook\"}").arg(port).toUtf8());
    QVERIFY2(patched.status == 200, patched.body.constData());
    const api::test::HttpResult test = client.post(QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), token, {});
    QVERIFY2(test.status == 202, test.body.constData());

    // The dispatcher (every 0.2 s) posts it; the receiver verifies the signature.
    QTRY_VERIFY_WITH_TIMEOUT(!lines.isEmpty(), 30000);
    const QStringList got = lines.first().split(QLatin1Char(' '));
    QCOMPARE(got.at(1), test.json().value(QStringLiteral("message_id")).toString());
    QCOMPARE(got.at(3), QStringLiteral("verified"));
    const api::test::HttpResult log = client.get(QStringLiteral("/v1/webhooks/%1/deliveries").arg(endpoint), token);
    QCOMPARE(log.json().value(QStringLiteral("deliveries")).toArray().first().toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("delivered"));

    server.terminate(); // SIGTERM
    QVERIFY(server.waitForFinished(30000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
    serverErr += QString::fromUtf8(server.readAllStandardError());
    QVERIFY2(serverErr.contains(QLatin1String("signiq-hub: stopped")), qPrintable(serverErr));
    receiver.kill();
    receiver.waitForFinished(5000);
}

void TestHubCli::webhookOptionsAreChecked()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString webhookKey = dir.filePath(QStringLiteral("webhook.key"));
    QFile f(webhookKey);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(64, 'c'));
    f.close();
    QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const QStringList serve{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"), QStringLiteral("0")};
    const QStringList withKey = serve + QStringList{QStringLiteral("--webhook-key-file"), webhookKey};
    const QList<std::pair<QStringList, QString>> cases{
        {serve + QStringList{QStringLiteral("--webhook-mode"), QStringLiteral("development")}, QStringLiteral("--webhook-mode needs --webhook-key-file")},
        {serve + QStringList{QStringLiteral("--webhook-key-file"), dir.filePath(QStringLiteral("missing.key"))}, QStringLiteral("webhook key file")},
        {withKey + QStringList{QStringLiteral("--webhook-mode"), QStringLiteral("lax")}, QStringLiteral("--webhook-mode 'lax' is not production or development")},
        {withKey + QStringList{QStringLiteral("--webhook-interval"), QStringLiteral("0")}, QStringLiteral("--webhook-interval must be 0.1..3600 seconds")},
        {withKey + QStringList{QStringLiteral("--webhook-timeout"), QStringLiteral("600")}, QStringLiteral("--webhook-timeout must be 1..60 seconds")},
        {withKey + QStringList{QStringLiteral("--webhook-ca-file"), webhookKey}, QStringLiteral("holds no PEM certificate")},
        {{QStringLiteral("org"), QStringLiteral("set-webhook-ranges"), QStringLiteral("--org"), QUuid::createUuid().toString(QUuid::WithoutBraces),
          QStringLiteral("--ranges"), QStringLiteral("10.0.0.0/8")},
         QStringLiteral("unknown organisation")},
    };
    for (const auto &[args, message] : cases) {
        const Run run = hub(args);
        QVERIFY2(run.exitCode == 1, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY2(run.err.contains(message), qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.err));
    }
    // Setting an organisation's ranges: audited, printed, and a bad range named.
    const Run org = hub({QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("On premises"),
                         QStringLiteral("--tier"), QStringLiteral("free")});
    QVERIFY2(org.exitCode == 0, qPrintable(org.err));
    Run set = hub({QStringLiteral("org"), QStringLiteral("set-webhook-ranges"), QStringLiteral("--org"), org.out.trimmed(), QStringLiteral("--ranges"),
                   QStringLiteral("10.20.0.0/16,fd00:1::/64")});
    QVERIFY2(set.exitCode == 0, qPrintable(set.err));
    QCOMPARE(set.out, QStringLiteral("10.20.0.0/16\nfd00:1::/64\n"));
    set = hub({QStringLiteral("org"), QStringLiteral("set-webhook-ranges"), QStringLiteral("--org"), org.out.trimmed(), QStringLiteral("--ranges"),
               QStringLiteral("10.20.0.0/16,everything")});
    QCOMPARE(set.exitCode, 1);
    QVERIFY2(set.err.contains(QLatin1String("'everything' is not an address range")), qPrintable(set.err));
}

QTEST_GUILESS_MAIN(TestHubCli)
#include "TestHubCli.moc"
