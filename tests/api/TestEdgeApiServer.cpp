// The edge API over real TLS 1.3 on loopback: every endpoint, scope, error, rate limit (injected
// clock) and the overlay stream mechanics (a fake feed; the real anonymised feed is tested in
// tests/edge/TestOverlayStream.cpp).
//
// Over 600 lines for a reason: it is the contract test of the whole server through one TLS
// fixture; the cases are grouped by resource in the order of docs/api.md, and splitting them
// would start a TLS server per file for the same fixture.
#include "api/AuditLog.h"
#include "api/EdgeApiServer.h"
#include "api/endpoints/WindowsEndpoint.h"
#include "api/KeyStore.h"
#include "api/OverlayFeed.h"
#include "core/AudienceWindow.h"
#include "core/ZoneConfig.h"
#include "crypto/Signature.h"
#include "crypto/TlsServer.h"
#include "storage/ConfigRepository.h"
#include "storage/EncryptedDatabase.h"
#include "storage/WindowRepository.h"

#include "ApiTestSupport.h"

#include <QJsonArray>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;
using namespace signiq::api::test;

namespace {

const qint64 kT0 = 1'795'000'000'000; // 2026-11-18

const QByteArray kZones = R"({"zones":[{"name":"entrance","polygon":[[0,0],[0.5,0],[0.5,1],[0,1]]},
  {"name":"shelf","polygon":[[0.5,0],[1,0],[1,1],[0.5,1]]}],"lines":[]})";
const QByteArray kCalibration = R"({"floor_points":[{"image":[0.1,0.9],"floor_m":[-2,1]},{"image":[0.9,0.9],"floor_m":[2,1]},
  {"image":[0.7,0.5],"floor_m":[2,6]},{"image":[0.3,0.5],"floor_m":[-2,6]}],
  "screen":{"centre_m":[0,0],"centre_height_m":1.6,"width_m":1.2,"height_m":0.7},
  "camera":{"position_m":[0.5,0],"height_m":2.2},"distance_bands_m":[1.5,3,6]})";

class FakeFeed : public OverlayFeed {
public:
    int starts = 0;
    int stops = 0;
    void start() override { ++starts; }
    void stop() override { ++stops; }
    void emitFrame(qint64 ts) { emit frameEncoded(QByteArrayLiteral("\xff\xd8 fake jpeg \xff\xd9"), ts); }
};

core::AudienceWindow window(const QString &zone, qint64 startMs, int ots)
{
    core::AudienceWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + 60'000;
    w.ots = ots;
    w.modelVersion = QStringLiteral("m@1");
    w.calibrationVersion = QStringLiteral("c1");
    w.confidence = 0.9;
    return w;
}

} // namespace

class TestEdgeApiServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void healthOverTls13WithoutKey();
    void tls12ClientIsRefused();
    void rateLimitHeadersOnEveryResponse();
    void badKeysAre401AndAudited_data();
    void badKeysAre401AndAudited();
    void scopesAreEnforced_data();
    void scopesAreEnforced();
    void unknownEndpointAndMethod();
    void windowsFiltersAndPagination();
    void demographicsAreSuppressedAndScoped();
    void windowsBadInput_data();
    void windowsBadInput();
    void windowsCsvExportIsAudited();
    void zonesGetPut();
    void calibrationGetPut();
    void configBadInputChangesNothing_data();
    void configBadInputChangesNothing();
    void keysCreateListRevoke();
    void keyRotationWithOverlap();
    void keyCreateBadInput_data();
    void keyCreateBadInput();
    void rateLimitAtWindowEdges();
    void tiersHaveTheirOwnLimits();
    void auditEndpointPaginates();
    void auditExportVerifiesOnItsOwn();
    void auditExportNeedsProTier();
    void changesFailWhenTheirAuditCannotBeWritten();
    void overlayStreamIsLimitedAndAudited();
    void overlayEndsWhenItsKeyIsRevoked();
    void csvCellsCannotBeFormulas();
    void overlayClosesAfterTimeLimit();

private:
    QString createKey(const QStringList &scopes, Tier tier = Tier::Pro);
    QList<AuditEntry> auditEntries();
    QString currentVersion();

    TestPki m_pki = TestPki::create();
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::EncryptedDatabase> m_db;
    core::ManualClock m_clock{kT0};
    std::unique_ptr<FakeFeed> m_feed;
    std::unique_ptr<EdgeApiServer> m_server;
    std::unique_ptr<HttpsClient> m_client;
    QString m_admin;
    int m_configChanges = 0;
    ApiServerOptions m_options;
    // The server signs every audit head with it (like `signiq-edge run --audit-key-file`).
    crypto::Ed25519SigningKey m_auditKey = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x29'));
};

void TestEdgeApiServer::initTestCase()
{
    QVERIFY(crypto::TlsConfigurationFactory::checkBackend().ok());
}

void TestEdgeApiServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_clock.setMs(kT0);
    auto db = storage::EncryptedDatabase::open(m_dir->filePath(QStringLiteral("edge.db")), QByteArray(32, '\x11'), QStringLiteral("api"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    m_db = std::make_unique<storage::EncryptedDatabase>(std::move(db).value());
    m_feed = std::make_unique<FakeFeed>();
    m_configChanges = 0;
    ApiServerContext context;
    context.database = m_db.get();
    context.clock = &m_clock;
    context.auditKey = &m_auditKey;
    context.overlay = m_feed.get();
    context.health = [this] {
        protocol::HealthRecord h;
        h.uptimeS = 5.0;
        h.pipelineFps = 12.5;
        h.framesProcessed = 100;
        h.captureToReleaseP50Ms = 31.0;
        h.captureToReleaseP99Ms = 58.0;
        h.modelVersion = QStringLiteral("yolo@abc");
        h.calibrationVersion = QStringLiteral("running-version");
        return h;
    };
    context.configChanged = [this](const core::ZoneConfig &) { ++m_configChanges; };
    ApiServerOptions options = m_options;
    // Generous limits so that the functional tests never hit them; rate tests set their own.
    if (options.anonymousPolicy.limit == 120)
        options.anonymousPolicy = RatePolicy{10000, 60, 10000};
    m_server = std::make_unique<EdgeApiServer>(context, options);
    auto port = m_server->listenTls(m_pki.server, QHostAddress::LocalHost, 0);
    QVERIFY2(port.ok(), port.ok() ? "" : qPrintable(port.error().toString()));
    m_client = std::make_unique<HttpsClient>(m_pki.clientConfig(), *port);
    KeyStore keys(*m_db, m_clock);
    auto admin = keys.create(KeyRequest{QStringLiteral("bootstrap"), Scope::Admin, Tier::Enterprise, KeyEnvironment::Live, {}});
    QVERIFY(admin.ok());
    m_admin = admin->token;
}

void TestEdgeApiServer::cleanup()
{
    m_client.reset();
    m_server.reset();
    m_feed.reset();
    m_db.reset();
    m_options = ApiServerOptions{};
}

QString TestEdgeApiServer::createKey(const QStringList &scopes, Tier tier)
{
    const HttpResult r = m_client->post(QStringLiteral("/v1/keys"), m_admin,
                                        json({{QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)},
                                              {QStringLiteral("tier"), tierName(tier)}}));
    if (r.status != 201)
        qWarning() << r.status << r.body;
    return r.json().value(QStringLiteral("key")).toString();
}

QList<AuditEntry> TestEdgeApiServer::auditEntries()
{
    return *AuditLog(*m_db, m_clock).all();
}

QString TestEdgeApiServer::currentVersion()
{
    auto current = storage::ConfigRepository(*m_db, m_clock).currentZoneConfig();
    return current.ok() && current->has_value() ? (*current)->version : QString();
}

void TestEdgeApiServer::healthOverTls13WithoutKey()
{
    const HttpResult r = m_client->get(QStringLiteral("/v1/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.protocol, QSsl::TlsV1_3);
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(o.value(QStringLiteral("uptime_s")).toDouble(), 5.0);
    QCOMPARE(o.value(QStringLiteral("pipeline")).toObject().value(QStringLiteral("fps")).toDouble(), 12.5);
    QCOMPARE(o.value(QStringLiteral("pipeline")).toObject().value(QStringLiteral("capture_to_release_ms")).toObject().value(QStringLiteral("p99")).toDouble(), 58.0);
    QCOMPARE(o.value(QStringLiteral("model_version")).toString(), QStringLiteral("yolo@abc"));
    QCOMPARE(o.value(QStringLiteral("calibration_version")).toString(), QStringLiteral("running-version"));
    // No counts of any kind.
    for (const char *forbidden : {"ots", "occupancy", "entries", "windows"})
        QVERIFY2(!r.body.contains(forbidden), forbidden);
    QVERIFY(r.header("content-type").startsWith("application/json"));
}

void TestEdgeApiServer::tls12ClientIsRefused()
{
    QSslConfiguration config = m_pki.clientConfig();
    config.setProtocol(QSsl::TlsV1_2);
    QSslSocket socket;
    socket.setSslConfiguration(config);
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    QSignalSpy failed(&socket, &QSslSocket::errorOccurred);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), m_server->tlsServer()->serverPort());
    QVERIFY(failed.wait(10000) || !failed.isEmpty());
    QVERIFY(encrypted.isEmpty());
    // And the TLS 1.3 control succeeds.
    QSslSocket ok;
    ok.setSslConfiguration(m_pki.clientConfig());
    QSignalSpy okEncrypted(&ok, &QSslSocket::encrypted);
    ok.connectToHostEncrypted(QStringLiteral("localhost"), m_server->tlsServer()->serverPort());
    QVERIFY(okEncrypted.wait(10000));
    QCOMPARE(ok.sessionProtocol(), QSsl::TlsV1_3);
}

void TestEdgeApiServer::rateLimitHeadersOnEveryResponse()
{
    const QString analytics = createKey({QStringLiteral("analytics")}, Tier::Free);
    for (const HttpResult &r : {m_client->get(QStringLiteral("/v1/health")), m_client->get(QStringLiteral("/v1/nope")),
                                m_client->get(QStringLiteral("/v1/windows")), m_client->get(QStringLiteral("/v1/windows"), analytics),
                                m_client->get(QStringLiteral("/v1/keys"), analytics)}) {
        QVERIFY2(!r.header("ratelimit-policy").isEmpty(), r.body.constData());
        QVERIFY2(r.header("ratelimit").startsWith("limit="), r.body.constData());
    }
    const HttpResult keyed = m_client->get(QStringLiteral("/v1/windows"), analytics);
    QCOMPARE(keyed.header("ratelimit-policy"), QByteArray("60;w=60;burst=10"));
    QCOMPARE(keyed.header("ratelimit"), QByteArray("limit=60, remaining=57, reset=0"));
}

void TestEdgeApiServer::badKeysAre401AndAudited_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("rawAuthorization");
    QTest::newRow("missing") << QString() << QByteArray();
    QTest::newRow("not bearer") << QString() << QByteArray("Basic dXNlcjpwYXNz");
    QTest::newRow("malformed") << QStringLiteral("sq_live_nope") << QByteArray();
    QTest::newRow("bad checksum") << QStringLiteral("sq_live_abcdefghijkl_0123456789ABCDEFGHIJKLMNOPQRSTUV000000") << QByteArray();
    QTest::newRow("unknown id") << QString() << QByteArray("generate");
    QTest::newRow("revoked") << QString() << QByteArray("revoked");
    QTest::newRow("expired") << QString() << QByteArray("expired");
    QTest::newRow("wrong environment") << QString() << QByteArray("test-env");
}

void TestEdgeApiServer::badKeysAre401AndAudited()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, rawAuthorization);
    KeyStore keys(*m_db, m_clock);
    if (rawAuthorization == "generate") {
        key = ApiKeyFormat::generate(KeyEnvironment::Live)->token; // well-formed, never stored
        rawAuthorization.clear();
    } else if (rawAuthorization == "revoked") {
        auto k = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Free, KeyEnvironment::Live, {}});
        QVERIFY(m_client->get(QStringLiteral("/v1/windows"), k->token).status == 200);
        QVERIFY(keys.revoke(k->info.keyId).ok());
        key = k->token;
        rawAuthorization.clear();
    } else if (rawAuthorization == "expired") {
        auto k = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Free, KeyEnvironment::Live, kT0 + 1000});
        QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), k->token).status, 200);
        m_clock.advanceMs(1000);
        key = k->token;
        rawAuthorization.clear();
    } else if (rawAuthorization == "test-env") {
        auto k = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Free, KeyEnvironment::Live, {}});
        key = k->token;
        key.replace(QStringLiteral("sq_live_"), QStringLiteral("sq_test_")); // checksum no longer matches either
        rawAuthorization.clear();
    }
    const int before = auditEntries().size();
    HttpResult r;
    if (!rawAuthorization.isEmpty()) {
        QNetworkRequest req(QUrl(QStringLiteral("https://localhost:%1/v1/windows").arg(m_server->tlsServer()->serverPort())));
        req.setSslConfiguration(m_pki.clientConfig());
        req.setRawHeader("Authorization", rawAuthorization);
        QNetworkReply *reply = m_client->manager().get(req);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(20000));
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        reply->deleteLater();
    } else {
        r = m_client->get(QStringLiteral("/v1/windows"), key);
    }
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
    QVERIFY(!r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
    if (!key.isEmpty())
        QVERIFY2(!r.body.contains(key.right(20).toLatin1()), "the secret is never echoed");
    const auto entries = auditEntries();
    QCOMPARE(entries.size(), before + 1);
    QCOMPARE(entries.last().action, QStringLiteral("auth.failed"));
    QCOMPARE(entries.last().sourceIp, QStringLiteral("127.0.0.1"));
    QVERIFY(entries.last().result.startsWith(QStringLiteral("denied")));
}

void TestEdgeApiServer::scopesAreEnforced_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("granting");
    QTest::addColumn<QStringList>("denied");
    const QStringList all{QStringLiteral("read"), QStringLiteral("write"), QStringLiteral("analytics"), QStringLiteral("export"),
                          QStringLiteral("webhooks"), QStringLiteral("calibrate"), QStringLiteral("admin")};
    auto others = [&](const QStringList &granting) {
        QStringList out;
        for (const QString &s : all)
            if (!granting.contains(s))
                out << s;
        return out;
    };
    auto row = [&](const char *name, const char *method, const char *path, const QStringList &granting, QStringList denied = {}) {
        QTest::newRow(name) << QByteArray(method) << QString::fromLatin1(path) << granting << (denied.isEmpty() ? others(granting) : denied);
    };
    row("windows", "GET", "/v1/windows", {QStringLiteral("analytics")});
    row("windows.csv", "GET", "/v1/windows.csv", {QStringLiteral("export")});
    row("zones get", "GET", "/v1/zones", {QStringLiteral("read")});
    row("zones put", "PUT", "/v1/zones", {QStringLiteral("write")});
    row("calibration get", "GET", "/v1/calibration", {QStringLiteral("read"), QStringLiteral("calibrate")});
    row("calibration put", "PUT", "/v1/calibration", {QStringLiteral("write"), QStringLiteral("calibrate")});
    row("keys list", "GET", "/v1/keys", {QStringLiteral("admin")});
    row("keys create", "POST", "/v1/keys", {QStringLiteral("admin")});
    row("key rotate", "POST", "/v1/keys/abcdefghijkl/rotate", {QStringLiteral("admin")});
    row("key revoke", "DELETE", "/v1/keys/abcdefghijkl", {QStringLiteral("admin")});
    row("audit", "GET", "/v1/audit", {QStringLiteral("admin")});
    row("overlay", "GET", "/v1/overlay", {QStringLiteral("calibrate")});
    // Both admin and export: either alone is refused.
    QTest::newRow("audit export") << QByteArray("GET") << QStringLiteral("/v1/audit/export")
                                  << QStringList{QStringLiteral("admin"), QStringLiteral("export")}
                                  << QStringList{QStringLiteral("admin"), QStringLiteral("export"), QStringLiteral("read")};
}

void TestEdgeApiServer::scopesAreEnforced()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QStringList, granting);
    QFETCH(QStringList, denied);
    for (const QString &scope : denied) {
        const QString key = createKey({scope});
        const int before = auditEntries().size();
        const HttpResult r = m_client->request(method, path, key, method == "GET" || method == "DELETE" ? QByteArray() : QByteArray("{}"));
        QVERIFY2(r.status == 403, qPrintable(QStringLiteral("%1 with %2: %3 %4").arg(path, scope).arg(r.status).arg(QString::fromUtf8(r.body))));
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
        const auto entries = auditEntries();
        QCOMPARE(entries.size(), before + 1);
        QCOMPARE(entries.last().action, QStringLiteral("auth.denied"));
        QCOMPARE(entries.last().actor, key.section(QLatin1Char('_'), 2, 2));
    }
    // A key with the granting scope(s) gets past authorisation (whatever the endpoint then says).
    const QString key = createKey(path.endsWith(QLatin1String("export")) ? granting : QStringList{granting.first()});
    if (path == QLatin1String("/v1/overlay"))
        return; // streaming: covered by the overlay tests
    const HttpResult r = m_client->request(method, path, key, method == "GET" || method == "DELETE" ? QByteArray() : QByteArray("{}"));
    QVERIFY2(r.status != 403 && r.status != 401, qPrintable(QStringLiteral("%1: %2 %3").arg(path).arg(r.status).arg(QString::fromUtf8(r.body))));
}

void TestEdgeApiServer::unknownEndpointAndMethod()
{
    HttpResult r = m_client->get(QStringLiteral("/v1/nothing"), m_admin);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    r = m_client->get(QStringLiteral("/v2/health"));
    QCOMPARE(r.status, 404);
    r = m_client->del(QStringLiteral("/v1/zones"), m_admin);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.errorCode(), QStringLiteral("method_not_allowed"));
    QCOMPARE(r.header("allow"), QByteArray("GET, PUT"));
}

void TestEdgeApiServer::windowsFiltersAndPagination()
{
    storage::WindowRepository repo(*m_db);
    QList<core::AudienceWindow> windows;
    for (int i = 0; i < 5; ++i) {
        windows << window(QStringLiteral("entrance"), kT0 + i * 60'000, i);
        windows << window(QStringLiteral("shelf"), kT0 + i * 60'000, 10 + i);
    }
    QVERIFY(repo.insert(windows).ok());
    const QString key = createKey({QStringLiteral("analytics")});

    HttpResult r = m_client->get(QStringLiteral("/v1/windows"), key);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("windows")).toArray().size(), 10);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 10);
    QVERIFY(r.json().value(QStringLiteral("next_offset")).isNull());

    r = m_client->get(QStringLiteral("/v1/windows?zone=shelf&limit=2"), key);
    QCOMPARE(r.status, 200);
    QJsonArray page = r.json().value(QStringLiteral("windows")).toArray();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.at(0).toObject().value(QStringLiteral("zone")).toString(), QStringLiteral("shelf"));
    QCOMPARE(r.json().value(QStringLiteral("next_offset")).toInt(), 2);
    r = m_client->get(QStringLiteral("/v1/windows?zone=shelf&limit=2&offset=4"), key);
    QCOMPARE(r.json().value(QStringLiteral("windows")).toArray().size(), 1);
    QVERIFY(r.json().value(QStringLiteral("next_offset")).isNull());

    // from inclusive, to exclusive; ISO and milliseconds.
    r = m_client->get(QStringLiteral("/v1/windows?from=%1&to=%2").arg(isoTime(kT0 + 60'000)).arg(kT0 + 180'000), key);
    QCOMPARE(r.status, 200);
    page = r.json().value(QStringLiteral("windows")).toArray();
    QCOMPARE(page.size(), 4);
    const auto first = core::AudienceWindow::fromJson(page.at(0).toObject());
    QVERIFY(first.ok());
    QCOMPARE(first->startMs, kT0 + 60'000);
    QCOMPARE(first->ots, 1);
}

void TestEdgeApiServer::demographicsAreSuppressedAndScoped()
{
    storage::WindowRepository repo(*m_db);
    core::DemographicWindow w;
    w.zone = QStringLiteral("entrance");
    w.startMs = kT0;
    w.endMs = kT0 + 300'000;
    w.k = 10;
    for (auto &band : w.suppressed)
        band = {true, true};
    w.counts[2][0] = 12; // 25-34 female: shown
    w.suppressed[2][0] = false;
    w.modelVersion = QStringLiteral("age-gender-faceapi@58d052c3e114");
    w.calibrationVersion = QStringLiteral("0123456789abcdef");
    QVERIFY(repo.insertDemographics({w}).ok());

    const QString analytics = createKey({QStringLiteral("analytics")});
    HttpResult r = m_client->get(QStringLiteral("/v1/demographics?zone=entrance"), analytics);
    QCOMPARE(r.status, 200);
    const QJsonArray page = r.json().value(QStringLiteral("demographic_windows")).toArray();
    QCOMPARE(page.size(), 1);
    const auto parsed = core::DemographicWindow::fromJson(page.at(0).toObject());
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed, w);
    // A suppressed cell is null on the wire, never a number.
    const QJsonObject cells = page.at(0).toObject().value(QStringLiteral("cells")).toObject();
    QVERIFY(cells.value(QStringLiteral("18-24")).toObject().value(QStringLiteral("male")).isNull());
    QCOMPARE(cells.value(QStringLiteral("25-34")).toObject().value(QStringLiteral("female")).toInt(), 12);

    QCOMPARE(m_client->get(QStringLiteral("/v1/demographics"), createKey({QStringLiteral("read")})).status, 403);
    QCOMPARE(m_client->get(QStringLiteral("/v1/demographics?limit=0"), analytics).status, 400);

    // An offset near 2^63 is past the end: an empty page and no next page, never a negative
    // (overflowed) next_offset; the same on /v1/windows.
    for (const QString &path : {QStringLiteral("/v1/demographics"), QStringLiteral("/v1/windows")}) {
        const HttpResult far = m_client->get(path + QStringLiteral("?offset=9223372036854775000&limit=1000"), analytics);
        QCOMPARE(far.status, 200);
        QVERIFY2(far.json().value(QStringLiteral("next_offset")).isNull(), far.body.constData());
        QCOMPARE(far.json().value(QStringLiteral("offset")).toInteger(), 9223372036854775000LL);
    }
}

void TestEdgeApiServer::windowsBadInput_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("code");
    QTest::newRow("limit 0") << QStringLiteral("limit=0") << QStringLiteral("bad_pagination");
    QTest::newRow("limit too big") << QStringLiteral("limit=1001") << QStringLiteral("bad_pagination");
    QTest::newRow("limit text") << QStringLiteral("limit=ten") << QStringLiteral("bad_pagination");
    QTest::newRow("negative offset") << QStringLiteral("offset=-1") << QStringLiteral("bad_pagination");
    QTest::newRow("bad from") << QStringLiteral("from=yesterday") << QStringLiteral("bad_request");
    QTest::newRow("local time") << QStringLiteral("from=2026-11-29T10:00:00") << QStringLiteral("bad_request");
    QTest::newRow("from after to") << QStringLiteral("from=2000&to=1000") << QStringLiteral("bad_request");
    QTest::newRow("unknown param") << QStringLiteral("page=2") << QStringLiteral("bad_request");
    QTest::newRow("twice") << QStringLiteral("zone=a&zone=b") << QStringLiteral("bad_request");
}

void TestEdgeApiServer::windowsBadInput()
{
    QFETCH(QString, query);
    QFETCH(QString, code);
    const QString key = createKey({QStringLiteral("analytics")});
    const HttpResult r = m_client->get(QStringLiteral("/v1/windows?") + query, key);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
}

void TestEdgeApiServer::windowsCsvExportIsAudited()
{
    QVERIFY(storage::WindowRepository(*m_db).insert({window(QStringLiteral("entrance"), kT0, 7), window(QStringLiteral("a,b \"c\""), kT0, 2)}).ok());
    const QString key = createKey({QStringLiteral("export")});
    const HttpResult r = m_client->get(QStringLiteral("/v1/windows.csv?zone=entrance"), key);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("text/csv"));
    const QList<QByteArray> lines = r.body.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith("zone,start,end,ots"));
    QVERIFY(lines[1].startsWith(QByteArray("entrance," + isoTime(kT0).toLatin1() + ',')));
    QCOMPARE(auditEntries().last().action, QStringLiteral("windows.export"));
    // Pagination parameters are not accepted by the export.
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows.csv?limit=5"), key).status, 400);
    // Quoting.
    const HttpResult all = m_client->get(QStringLiteral("/v1/windows.csv"), key);
    QVERIFY(all.body.contains("\"a,b \"\"c\"\"\""));

    // Calibrated-only columns: empty when not measured, numbers when measured.
    const QList<QByteArray> header = lines[0].split(',');
    const auto column = [&](const char *name) { return header.indexOf(QByteArray(name)); };
    for (const char *name : {"mean_speed_mps", "walk_toward_s", "walk_away_s", "walk_left_s", "walk_right_s"})
        QVERIFY2(column(name) >= 0, name);
    QCOMPARE(lines[1].split(',').size(), header.size());
    QCOMPARE(lines[1].split(',').at(column("walk_toward_s")), QByteArray());
    core::AudienceWindow calibrated = window(QStringLiteral("walkway"), kT0, 3);
    calibrated.meanSpeedMps = 0.75;
    calibrated.walkingDirections = core::WalkingDirections{12.5, 3, 0, 1.25};
    QVERIFY(storage::WindowRepository(*m_db).insert({calibrated}).ok());
    const QList<QByteArray> walkway = m_client->get(QStringLiteral("/v1/windows.csv?zone=walkway"), key).body.trimmed().split('\n');
    QCOMPARE(walkway.size(), 2);
    const QList<QByteArray> fields = walkway[1].split(',');
    QCOMPARE(fields.size(), header.size());
    QCOMPARE(fields.at(column("mean_speed_mps")), QByteArray("0.75"));
    QCOMPARE(fields.at(column("walk_toward_s")), QByteArray("12.5"));
    QCOMPARE(fields.at(column("walk_away_s")), QByteArray("3"));
    QCOMPARE(fields.at(column("walk_left_s")), QByteArray("0"));
    QCOMPARE(fields.at(column("walk_right_s")), QByteArray("1.25"));
    // ... and the JSON carries them as walking_directions.
    const HttpResult json = m_client->get(QStringLiteral("/v1/windows?zone=walkway"), createKey({QStringLiteral("analytics")}));
    QCOMPARE(json.status, 200);
    const QJsonObject walk = json.json().value(QStringLiteral("windows")).toArray().at(0).toObject()
                                 .value(QStringLiteral("walking_directions")).toObject();
    QCOMPARE(walk.value(QStringLiteral("toward_s")).toDouble(), 12.5);
}

void TestEdgeApiServer::zonesGetPut()
{
    const QString reader = createKey({QStringLiteral("read")});
    const QString writer = createKey({QStringLiteral("write")});
    QCOMPARE(m_client->get(QStringLiteral("/v1/zones"), reader).status, 404);

    HttpResult r = m_client->put(QStringLiteral("/v1/zones"), writer, kZones);
    QVERIFY2(r.status == 200, r.body.constData());
    const QString v1 = r.json().value(QStringLiteral("calibration_version")).toString();
    QCOMPARE(v1.size(), 16);
    QCOMPARE(v1, currentVersion());
    QCOMPARE(m_configChanges, 1);
    AuditEntry last = auditEntries().last();
    QCOMPARE(last.action, QStringLiteral("zones.update"));
    QCOMPARE(last.target, v1);
    QVERIFY(last.result.startsWith(QStringLiteral("ok")));

    r = m_client->get(QStringLiteral("/v1/zones"), reader);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("calibration_version")).toString(), v1);
    QCOMPARE(r.json().value(QStringLiteral("config")).toObject().value(QStringLiteral("zones")).toArray().size(), 2);

    // A changed zone: a new version; health reports that the pipeline runs an older one.
    QByteArray changed = kZones;
    changed.replace("[0.5,0],[0.5,1]", "[0.6,0],[0.6,1]");
    r = m_client->put(QStringLiteral("/v1/zones"), writer, changed);
    QCOMPARE(r.status, 200);
    const QString v2 = r.json().value(QStringLiteral("calibration_version")).toString();
    QVERIFY(v2 != v1);
    QCOMPARE(r.json().value(QStringLiteral("previous_calibration_version")).toString(), v1);
    const QJsonObject health = m_client->get(QStringLiteral("/v1/health")).json();
    QCOMPARE(health.value(QStringLiteral("stored_calibration_version")).toString(), v2);
    // The server forwards the change to the running pipeline (configChanged), which switches
    // at the next window boundary: pending, but no restart needed.
    QCOMPARE(health.value(QStringLiteral("config_pending")).toBool(), true);
    QCOMPARE(health.value(QStringLiteral("restart_required")).toBool(), false);
    QCOMPARE(r.json().value(QStringLiteral("applies")).toString(), QStringLiteral("at the next window boundary"));
}

void TestEdgeApiServer::calibrationGetPut()
{
    const QString writer = createKey({QStringLiteral("write")});
    const QString installer = createKey({QStringLiteral("calibrate")});
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), writer, kZones).status, 200);
    const QString zonesVersion = currentVersion();
    HttpResult r = m_client->get(QStringLiteral("/v1/calibration"), installer);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QStringLiteral("calibration")).isNull());

    r = m_client->put(QStringLiteral("/v1/calibration"), installer, kCalibration);
    QVERIFY2(r.status == 200, r.body.constData());
    const QString v = r.json().value(QStringLiteral("calibration_version")).toString();
    QVERIFY(v != zonesVersion);
    QCOMPARE(currentVersion(), v);
    QCOMPARE(auditEntries().last().action, QStringLiteral("calibration.update"));
    r = m_client->get(QStringLiteral("/v1/calibration"), installer);
    QCOMPARE(r.json().value(QStringLiteral("calibration")).toObject().value(QStringLiteral("floor_points")).toArray().size(), 4);
    // The zones are kept when the calibration changes, and the calibration when the zones change.
    auto stored = core::ZoneConfig::fromJson((*storage::ConfigRepository(*m_db, m_clock).currentZoneConfig())->json);
    QCOMPARE(stored->zones.size(), 2);
    QVERIFY(stored->calibration.has_value());
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), writer, kZones).status, 200);
    stored = core::ZoneConfig::fromJson((*storage::ConfigRepository(*m_db, m_clock).currentZoneConfig())->json);
    QVERIFY(stored->calibration.has_value());
    QCOMPARE(currentVersion(), v); // same content, same version
}

void TestEdgeApiServer::configBadInputChangesNothing_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray ct = "application/json";
    QTest::newRow("malformed json") << "/v1/zones" << QByteArray("{\"zones\":[") << ct << 400 << "malformed_json";
    QTest::newRow("not an object") << "/v1/zones" << QByteArray("[1,2]") << ct << 400 << "malformed_json";
    QTest::newRow("wrong content type") << "/v1/zones" << kZones << QByteArray("text/plain") << 415 << "unsupported_media_type";
    QTest::newRow("unknown field") << "/v1/zones" << QByteArray(R"({"zones":[],"colour":"red"})") << ct << 400 << "unknown_field";
    QTest::newRow("calibration in zones") << "/v1/zones" << QByteArray(R"({"zones":[],"calibration":{}})") << ct << 400 << "unknown_field";
    QTest::newRow("polygon outside") << "/v1/zones" << QByteArray(R"({"zones":[{"name":"a","polygon":[[0,0],[1.5,0],[1,1]]}]})") << ct << 422 << "invalid_config";
    QTest::newRow("two points") << "/v1/zones" << QByteArray(R"({"zones":[{"name":"a","polygon":[[0,0],[1,1]]}]})") << ct << 422 << "invalid_config";
    QTest::newRow("line to unknown zone") << "/v1/zones"
        << QByteArray(R"({"zones":[{"name":"a","polygon":[[0,0],[1,0],[1,1]]}],"lines":[{"name":"l","zone":"b","from":[0,0],"to":[1,1]}]})") << ct << 422 << "invalid_config";
    QByteArray collinear = kCalibration;
    collinear.replace(R"("image":[0.7,0.5])", R"("image":[0.5,0.9])");
    QTest::newRow("collinear floor points") << "/v1/calibration" << collinear << ct << 422 << "invalid_config";
    QByteArray unknown = kCalibration;
    unknown.replace(R"("distance_bands_m")", R"("tilt":3,"distance_bands_m")");
    QTest::newRow("unknown calibration key") << "/v1/calibration" << unknown << ct << 400 << "unknown_field";
    QTest::newRow("oversized") << "/v1/zones" << QByteArray(70 * 1024, ' ') << ct << 413 << "payload_too_large";
}

void TestEdgeApiServer::configBadInputChangesNothing()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QString key = createKey({QStringLiteral("write")});
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), key, kZones).status, 200);
    const QString before = currentVersion();
    const int changes = m_configChanges;
    const HttpResult r = m_client->request("PUT", path, key, body, contentType);
    QVERIFY2(r.status == status, qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body))));
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(currentVersion(), before);
    QCOMPARE(m_configChanges, changes);
}

void TestEdgeApiServer::keysCreateListRevoke()
{
    HttpResult r = m_client->post(QStringLiteral("/v1/keys"), m_admin,
                                  json({{QStringLiteral("name"), QStringLiteral("dashboard")},
                                        {QStringLiteral("scopes"), QJsonArray{QStringLiteral("analytics"), QStringLiteral("read")}},
                                        {QStringLiteral("tier"), QStringLiteral("pro")},
                                        {QStringLiteral("environment"), QStringLiteral("test")}}));
    QCOMPARE(r.status, 201);
    const QString token = r.json().value(QStringLiteral("key")).toString();
    const QString id = r.json().value(QStringLiteral("id")).toString();
    QVERIFY(token.startsWith(QStringLiteral("sq_test_") + id + QLatin1Char('_')));
    QVERIFY(ApiKeyFormat::parse(token).ok());
    QCOMPARE(r.json().value(QStringLiteral("scopes")).toArray(), (QJsonArray{QStringLiteral("read"), QStringLiteral("analytics")}));
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.create"));
    QCOMPARE(auditEntries().last().target, id);

    m_clock.advanceMs(5000);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), token).status, 200);
    r = m_client->get(QStringLiteral("/v1/keys"), m_admin);
    QCOMPARE(r.status, 200);
    QVERIFY2(!r.body.contains(token.toLatin1()), "the secret is shown only once");
    QVERIFY(!r.body.contains("hash"));
    QJsonObject listed;
    for (const auto &k : r.json().value(QStringLiteral("keys")).toArray())
        if (k.toObject().value(QStringLiteral("id")).toString() == id)
            listed = k.toObject();
    QCOMPARE(listed.value(QStringLiteral("name")).toString(), QStringLiteral("dashboard"));
    QCOMPARE(listed.value(QStringLiteral("last_used_at")).toString(), isoTime(kT0 + 5000));
    QCOMPARE(listed.value(QStringLiteral("state")).toString(), QStringLiteral("active"));

    r = m_client->del(QStringLiteral("/v1/keys/") + id, m_admin);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("revoked"));
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.revoke"));
    // Immediate: the very next request is refused.
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), token).status, 401);
    QCOMPARE(m_client->del(QStringLiteral("/v1/keys/nosuchkey000"), m_admin).status, 404);
}

void TestEdgeApiServer::keyRotationWithOverlap()
{
    KeyStore keys(*m_db, m_clock);
    auto k = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Pro, KeyEnvironment::Live, {}});
    const QString id = k->info.keyId;
    HttpResult r = m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap_s"), 3600}}));
    QCOMPARE(r.status, 200);
    const QString newToken = r.json().value(QStringLiteral("key")).toString();
    QVERIFY(newToken != k->token);
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), id);
    QCOMPARE(r.json().value(QStringLiteral("previous_secret_valid_until")).toString(), isoTime(kT0 + 3600'000));
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.rotate"));
    // Both work during the overlap; the old one stops at its end.
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), k->token).status, 200);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), newToken).status, 200);
    m_clock.advanceMs(3600'000 - 1);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), k->token).status, 200);
    m_clock.advanceMs(1);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), k->token).status, 401);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), newToken).status, 200);

    // Overlap 0: the old secret dies at once. Empty body = default overlap (1 day).
    r = m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap_s"), 0}}));
    QCOMPARE(r.status, 200);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), newToken).status, 401);
    // Out of range, wrong type, unknown field, unknown key, revoked key.
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap_s"), 8 * 86400}})).status, 422);
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap_s"), -1}})).status, 422);
    // Far beyond the range: refused before any arithmetic (it once overflowed into a 384 ms overlap).
    for (const QByteArray &body : {QByteArray(R"({"overlap_s":18446744073709552})"), QByteArray(R"({"overlap_s":9223372036854775807})"),
                                  QByteArray(R"({"overlap_s":1e300})"), QByteArray(R"({"overlap_s":3600.5})")})
        QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, body).status, 422);
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, R"({"overlap_s":1,"overlap_s":2})").status, 400);
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap_s"), QStringLiteral("1h")}})).status, 422);
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, json({{QStringLiteral("overlap"), 1}})).status, 400);
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/nosuchkey000/rotate"), m_admin, "{}").status, 404);
    // Refused key operations are audited too.
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.rotate"));
    QCOMPARE(auditEntries().last().target, QStringLiteral("nosuchkey000"));
    QCOMPARE(auditEntries().last().result, QStringLiteral("denied: HTTP 404 not_found"));
    QVERIFY(keys.revoke(id).ok());
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(id), m_admin, "{}").status, 409);
    QCOMPARE(auditEntries().last().result, QStringLiteral("denied: HTTP 409 conflict"));
    QCOMPARE(m_client->del(QStringLiteral("/v1/keys/nosuchkey000"), m_admin).status, 404);
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.revoke"));
    QCOMPARE(auditEntries().last().result, QStringLiteral("denied: HTTP 404 not_found"));
}

void TestEdgeApiServer::keyCreateBadInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("no scopes") << QByteArray(R"({"name":"x"})") << 422;
    QTest::newRow("empty scopes") << QByteArray(R"({"scopes":[]})") << 422;
    QTest::newRow("unknown scope") << QByteArray(R"({"scopes":["root"]})") << 422;
    QTest::newRow("unknown tier") << QByteArray(R"({"scopes":["read"],"tier":"gold"})") << 422;
    QTest::newRow("unknown field") << QByteArray(R"({"scopes":["read"],"owner":"me"})") << 400;
    QTest::newRow("expired") << QByteArray(R"({"scopes":["read"],"expires_at":"2001-01-01T00:00:00Z"})") << 422;
    QTest::newRow("malformed") << QByteArray(R"({"scopes":["read"])") << 400;
    QTest::newRow("duplicate scopes") << QByteArray(R"({"scopes":["read"],"scopes":["admin"]})") << 400;
    QTest::newRow("duplicate scopes, escaped") << QByteArray("{\"scopes\":[\"read\"],\"sc\\u006fpes\":[\"admin\"]}") << 400;
    QTest::newRow("name too long") << QByteArray(R"({"scopes":["read"],"name":")" + QByteArray(65, 'n') + "\"}") << 422;
}

void TestEdgeApiServer::keyCreateBadInput()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const int keysBefore = int(KeyStore(*m_db, m_clock).list()->size());
    const HttpResult r = m_client->post(QStringLiteral("/v1/keys"), m_admin, body);
    QVERIFY2(r.status == status, qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body))));
    QVERIFY(r.json().value(QStringLiteral("error")).isObject());
    QCOMPARE(int(KeyStore(*m_db, m_clock).list()->size()), keysBefore);
    // ...and audited as refused.
    QCOMPARE(auditEntries().last().action, QStringLiteral("key.create"));
    QVERIFY2(auditEntries().last().result.startsWith(QStringLiteral("denied: HTTP %1").arg(status)), qPrintable(auditEntries().last().result));
}

void TestEdgeApiServer::rateLimitAtWindowEdges()
{
    // Free tier: 60 per sliding minute, at most 10 in any second.
    KeyStore keys(*m_db, m_clock);
    const QString key = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Free, KeyEnvironment::Live, {}})->token;
    for (int i = 0; i < 10; ++i)
        QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 200);
    HttpResult r = m_client->get(QStringLiteral("/v1/windows"), key);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    QCOMPARE(r.header("retry-after"), QByteArray("1"));
    // Refused by the burst limit: nothing left now, room again in 1 s (not "remaining=50, reset=0").
    QCOMPARE(r.header("ratelimit"), QByteArray("limit=60, remaining=0, reset=1"));
    m_clock.advanceMs(999);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 429);
    m_clock.advanceMs(1); // the burst second has slid past
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 200);
    // Fill the minute: 11 used at t0 / t0+1 s, 49 more spread over later seconds.
    int used = 11;
    while (used < 60) {
        m_clock.advanceMs(1000);
        for (int i = 0; i < 10 && used < 60; ++i, ++used)
            QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 200);
    }
    const qint64 now = m_clock.nowMs();
    m_clock.advanceMs(1000);
    r = m_client->get(QStringLiteral("/v1/windows"), key);
    QCOMPARE(r.status, 429);
    // The 10 requests of t0 leave the window at t0 + 60 s exactly.
    const qint64 retry = r.header("retry-after").toLongLong();
    QCOMPARE(retry, (kT0 + 60'000 - m_clock.nowMs() + 999) / 1000);
    m_clock.setMs(kT0 + 60'000 - 1);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 429);
    m_clock.setMs(kT0 + 60'000);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), key).status, 200);
    Q_UNUSED(now);
    // 429s are not audited (no log flooding); other keys are unaffected.
    for (const AuditEntry &e : auditEntries())
        QVERIFY(e.action != QLatin1String("rate_limited"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/keys"), m_admin).status, 200);
}

void TestEdgeApiServer::tiersHaveTheirOwnLimits()
{
    KeyStore keys(*m_db, m_clock);
    const QString pro = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Pro, KeyEnvironment::Live, {}})->token;
    for (int i = 0; i < 50; ++i)
        QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), pro).status, 200);
    const HttpResult r = m_client->get(QStringLiteral("/v1/windows"), pro);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("ratelimit-policy"), QByteArray("600;w=60;burst=50"));
    // Requests without a valid key share a per-address budget.
    cleanup();
    m_options.anonymousPolicy = RatePolicy{5, 60, 5};
    init();
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_client->get(QStringLiteral("/v1/health")).status, 200);
    QCOMPARE(m_client->get(QStringLiteral("/v1/health")).status, 429);
    const int before = auditEntries().size();
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), QStringLiteral("sq_live_nope")).status, 429);
    QCOMPARE(auditEntries().size(), before); // a flood of bad keys does not flood the audit log
}

void TestEdgeApiServer::auditEndpointPaginates()
{
    AuditLog log(*m_db, m_clock, &m_auditKey);
    for (int i = 0; i < 7; ++i) {
        QVERIFY(log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("test.event"), QString::number(i), QStringLiteral("ok")}).ok());
        m_clock.advanceMs(1000);
    }
    HttpResult r = m_client->get(QStringLiteral("/v1/audit?limit=3"), m_admin);
    QCOMPARE(r.status, 200);
    QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries.at(0).toObject().value(QStringLiteral("seq")).toInt(), 1);
    QCOMPARE(r.json().value(QStringLiteral("next_after")).toInt(), 3);
    r = m_client->get(QStringLiteral("/v1/audit?limit=3&after=3"), m_admin);
    QCOMPARE(r.json().value(QStringLiteral("entries")).toArray().at(0).toObject().value(QStringLiteral("seq")).toInt(), 4);
    r = m_client->get(QStringLiteral("/v1/audit?from=%1&to=%2").arg(isoTime(kT0 + 2000), isoTime(kT0 + 4000)), m_admin);
    entries = r.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).toObject().value(QStringLiteral("target")).toString(), QStringLiteral("2"));
    QVERIFY(entries.at(0).toObject().contains(QStringLiteral("hash")));
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit?limit=0"), m_admin).errorCode(), QStringLiteral("bad_pagination"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit?after=-2"), m_admin).errorCode(), QStringLiteral("bad_pagination"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit?sort=desc"), m_admin).status, 400);
}

void TestEdgeApiServer::auditExportVerifiesOnItsOwn()
{
    const QString key = createKey({QStringLiteral("admin"), QStringLiteral("export")}, Tier::Pro);
    createKey({QStringLiteral("read")});
    m_client->get(QStringLiteral("/v1/windows")); // auth.failed
    for (const QString &format : {QStringLiteral("jsonl"), QStringLiteral("csv")}) {
        const HttpResult r = m_client->get(QStringLiteral("/v1/audit/export?format=") + format, key);
        QCOMPARE(r.status, 200);
        const AuditVerifyOptions withKey{m_auditKey.publicKey(), {}, false};
        auto verified = verifyAuditExport(r.body, withKey);
        QVERIFY2(verified.ok(), verified.ok() ? "" : qPrintable(verified.error().toString()));
        QVERIFY2(verified->intact(), qPrintable(verified->summary()));
        QVERIFY(verified->entries >= 4);
        // It ends with the signed head: count and hash of the last entry.
        auto parsed = AuditChain::parseExportWithHead(r.body);
        QVERIFY(parsed->head.has_value());
        QCOMPARE(parsed->head->count, parsed->entries.size());
        QCOMPARE(parsed->head->keyId, AuditHead::keyIdOf(m_auditKey.publicKey()));
        // The export contains its own record.
        QCOMPARE(parsed->entries.last().action, QStringLiteral("audit.export"));
        // Without the public key it is only "chain only".
        QCOMPARE(verifyAuditExport(r.body)->trust, AuditTrust::ChainOnly);
        // An edited line is found and named.
        QByteArray edited = r.body;
        const qsizetype at = edited.indexOf("key.create");
        QVERIFY(at > 0);
        edited.replace(at, 10, "key.CREATE");
        auto broken = verifyAuditExport(edited, withKey);
        QVERIFY(broken.ok());
        QVERIFY(broken->broken());
        QVERIFY(broken->chainBreak->reason.contains(QStringLiteral("altered")));
        // A deleted line too; the first and the last entry cut off.
        const bool csv = format == QLatin1String("csv");
        QList<QByteArray> lines = r.body.split('\n');
        lines.removeAt(csv ? 2 : 1);
        auto gap = verifyAuditExport(lines.join('\n'), withKey);
        QVERIFY(gap.ok());
        QVERIFY(gap->broken());
        QCOMPARE(gap->chainBreak->seq, 3);
        lines = r.body.split('\n');
        lines.removeAt(csv ? 1 : 0);
        QVERIFY2(verifyAuditExport(lines.join('\n'), withKey)->chainBreak->reason.contains(QStringLiteral("entries 1..1 are missing")),
                 qPrintable(verifyAuditExport(lines.join('\n'), withKey)->summary()));
        lines = r.body.split('\n');
        lines.removeAt(lines.size() - 3); // the last entry: the head still follows
        QVERIFY(verifyAuditExport(lines.join('\n'), withKey)->chainBreak->reason.contains(QStringLiteral("removed from the end")));
    }
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit/export?format=xml"), key).status, 400);
    // The stored chain verifies too.
    auto stored = verifyAuditLog(*m_db, AuditVerifyOptions{m_auditKey.publicKey(), {}, false});
    QVERIFY(stored.ok());
    QVERIFY2(stored->intact(), qPrintable(stored->summary()));
}

void TestEdgeApiServer::changesFailWhenTheirAuditCannotBeWritten()
{
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), m_admin, kZones).status, 403); // admin cannot write zones: audited refusal
    const QString writer = createKey({QStringLiteral("write")});
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), writer, kZones).status, 200);
    const QString version = currentVersion();
    const QString victim = createKey({QStringLiteral("read")});
    const QString victimId = ApiKeyFormat::parse(victim)->keyId;
    const QString exporter = createKey({QStringLiteral("admin"), QStringLiteral("export")});
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit?limit=1"), exporter).status, 200); // its last_used_at is set now, not below
    const QByteArray keysBefore = m_client->get(QStringLiteral("/v1/keys"), m_admin).body;
    const qsizetype entriesBefore = auditEntries().size();
    // From now on no audit entry can be written (the disk of the audit, as it were, is full).
    QSqlQuery q(m_db->database());
    QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END")));

    HttpResult r = m_client->post(QStringLiteral("/v1/keys"), m_admin, json({{QStringLiteral("scopes"), QJsonArray{QStringLiteral("read")}}}));
    QCOMPARE(r.status, 500);
    QVERIFY(!r.body.contains("sq_live_")); // no secret handed out for a key that does not exist
    QCOMPARE(m_client->post(QStringLiteral("/v1/keys/%1/rotate").arg(victimId), m_admin, QByteArray()).status, 500);
    QCOMPARE(m_client->del(QStringLiteral("/v1/keys/%1").arg(victimId), m_admin).status, 500);
    QByteArray changed = kZones;
    changed.replace("[0.5,0],[0.5,1]", "[0.6,0],[0.6,1]");
    QCOMPARE(m_client->put(QStringLiteral("/v1/zones"), writer, changed).status, 500);
    QCOMPARE(m_client->put(QStringLiteral("/v1/calibration"), writer, kCalibration).status, 500);
    QCOMPARE(m_client->get(QStringLiteral("/v1/audit/export"), exporter).status, 500); // an export is never handed out unaudited

    // Nothing changed: the same keys (the victim not rotated and not revoked), the same zones.
    QCOMPARE(m_client->get(QStringLiteral("/v1/keys"), m_admin).body, keysBefore);
    QCOMPARE(m_client->get(QStringLiteral("/v1/windows"), victim).status, 403); // still authenticates (read has no windows scope)
    QCOMPARE(currentVersion(), version);
    QCOMPARE(auditEntries().size(), entriesBefore);
    QCOMPARE(m_configChanges, 1);
    QVERIFY(q.exec(QStringLiteral("DROP TRIGGER audit_fails")));
    QVERIFY(verifyAuditLog(*m_db, AuditVerifyOptions{m_auditKey.publicKey(), {}, false})->intact());
    QCOMPARE(m_client->del(QStringLiteral("/v1/keys/%1").arg(victimId), m_admin).status, 200);
}

void TestEdgeApiServer::auditExportNeedsProTier()
{
    const QString freeKey = createKey({QStringLiteral("admin"), QStringLiteral("export")}, Tier::Free);
    const HttpResult r = m_client->get(QStringLiteral("/v1/audit/export"), freeKey);
    QCOMPARE(r.status, 403);
    QCOMPARE(auditEntries().last().action, QStringLiteral("auth.denied"));
}

void TestEdgeApiServer::overlayStreamIsLimitedAndAudited()
{
    const QString key = createKey({QStringLiteral("calibrate")});
    QSslSocket socket;
    socket.setSslConfiguration(m_pki.clientConfig());
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), m_server->tlsServer()->serverPort());
    QVERIFY(encrypted.wait(10000));
    QSignalSpy opened(m_server.get(), &EdgeApiServer::overlaySessionOpened);
    socket.write("GET /v1/overlay HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.toLatin1() + "\r\n\r\n");
    QVERIFY(opened.wait(10000));
    QCOMPARE(m_feed->starts, 1);
    QCOMPARE(auditEntries().last().action, QStringLiteral("overlay.open"));

    // The feed produces 20 frames/s for ~1.2 s; the client gets at most 5 per second.
    QTimer producer;
    qint64 ts = 0;
    connect(&producer, &QTimer::timeout, m_feed.get(), [&] { m_feed->emitFrame(ts += 50); });
    producer.start(50);
    QByteArray stream;
    QElapsedTimer elapsed;
    elapsed.start();
    while (elapsed.elapsed() < 1200) {
        QSignalSpy readable(&socket, &QIODevice::readyRead);
        readable.wait(100);
        stream += socket.readAll();
    }
    producer.stop();
    const qint64 seconds = elapsed.elapsed();
    QVERIFY(stream.startsWith("HTTP/1."));
    QVERIFY(stream.contains("multipart/x-mixed-replace; boundary=signiq-overlay-frame"));
    QVERIFY(stream.contains("RateLimit-Policy: "));
    const int frames = int(stream.count("--signiq-overlay-frame\r\nContent-Type: image/jpeg"));
    QVERIFY2(frames >= 2, qPrintable(QString::number(frames)));
    QVERIFY2(frames <= seconds * 5 / 1000 + 1, qPrintable(QStringLiteral("%1 frames in %2 ms").arg(frames).arg(seconds)));

    // A third session beyond the limit of 2 is refused; the client closing ends the session.
    QSignalSpy closed(m_server.get(), &EdgeApiServer::overlaySessionClosed);
    socket.disconnectFromHost();
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.first().at(1).toString(), QStringLiteral("client disconnected"));
    QCOMPARE(m_feed->stops, 1);
    QCOMPARE(m_server->openOverlaySessions(), 0);
    QCOMPARE(auditEntries().last().action, QStringLiteral("overlay.close"));
}

void TestEdgeApiServer::overlayEndsWhenItsKeyIsRevoked()
{
    const QString key = createKey({QStringLiteral("calibrate")});
    const auto parsed = ApiKeyFormat::parse(key);
    QVERIFY(parsed.ok());
    QSslSocket socket;
    socket.setSslConfiguration(m_pki.clientConfig());
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), m_server->tlsServer()->serverPort());
    QVERIFY(encrypted.wait(10000));
    QSignalSpy opened(m_server.get(), &EdgeApiServer::overlaySessionOpened);
    QSignalSpy closed(m_server.get(), &EdgeApiServer::overlaySessionClosed);
    socket.write("GET /v1/overlay HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.toLatin1() + "\r\n\r\n");
    QVERIFY(opened.wait(10000));
    QCOMPARE(m_server->openOverlaySessions(), 1);

    // Revoking the key ends its open stream at once (not at the session's time limit).
    QCOMPARE(m_client->del(QStringLiteral("/v1/keys/") + parsed->keyId, m_admin).status, 200);
    QVERIFY(closed.count() == 1 || closed.wait(10000));
    QCOMPARE(closed.first().at(0).toString(), parsed->keyId);
    QCOMPARE(closed.first().at(1).toString(), QStringLiteral("key revoked"));
    QCOMPARE(m_server->openOverlaySessions(), 0);
    QSignalSpy disconnected(&socket, &QSslSocket::disconnected);
    if (socket.state() != QAbstractSocket::UnconnectedState)
        QVERIFY(disconnected.wait(10000));
    QVERIFY(socket.readAll().endsWith("--signiq-overlay-frame--\r\n"));
    QCOMPARE(auditEntries().last().action, QStringLiteral("overlay.close"));
    QVERIFY(auditEntries().last().result.contains(QStringLiteral("key revoked")));
}

void TestEdgeApiServer::csvCellsCannotBeFormulas()
{
    core::AudienceWindow w;
    w.zone = QStringLiteral("=HYPERLINK(\"http://evil\",\"x\")");
    w.modelVersion = QStringLiteral("+cmd");
    w.calibrationVersion = QStringLiteral("@SUM(A1)");
    w.startMs = kT0;
    w.endMs = kT0 + 60'000;
    core::AudienceWindow minus = w;
    minus.zone = QStringLiteral("-2+3");
    const QString csv = QString::fromUtf8(WindowsEndpoint::windowsCsv({w, minus}));
    const QStringList rows = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 3);
    // Quoted (it has a comma) and prefixed with ' so that no spreadsheet evaluates it.
    QVERIFY2(rows[1].startsWith(QStringLiteral("\"'=HYPERLINK(")), qPrintable(rows[1]));
    QVERIFY(rows[1].contains(QStringLiteral(",'+cmd,'@SUM(A1)")));
    QVERIFY2(rows[2].startsWith(QStringLiteral("'-2+3,")), qPrintable(rows[2]));
    // An ordinary zone name is untouched.
    w.zone = QStringLiteral("walkway");
    QVERIFY(QString::fromUtf8(WindowsEndpoint::windowsCsv({w})).split(QLatin1Char('\n')).at(1).startsWith(QStringLiteral("walkway,")));
}

void TestEdgeApiServer::overlayClosesAfterTimeLimit()
{
    cleanup();
    m_options.overlayMaxSessionMs = 300; // stands in for 10 minutes
    m_options.overlayMaxSessions = 1;
    init();
    const QString key = createKey({QStringLiteral("calibrate")});
    QSslSocket socket;
    socket.setSslConfiguration(m_pki.clientConfig());
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), m_server->tlsServer()->serverPort());
    QVERIFY(encrypted.wait(10000));
    QSignalSpy opened(m_server.get(), &EdgeApiServer::overlaySessionOpened);
    QSignalSpy closed(m_server.get(), &EdgeApiServer::overlaySessionClosed);
    socket.write("GET /v1/overlay HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key.toLatin1() + "\r\n\r\n");
    QVERIFY(opened.wait(10000));
    // A second session is refused while the first is open (limit 1) and that is audited.
    const HttpResult second = m_client->get(QStringLiteral("/v1/overlay"), key);
    QCOMPARE(second.status, 409);
    QVERIFY(closed.wait(10000));
    QCOMPARE(closed.first().at(1).toString(), QStringLiteral("time limit"));
    QSignalSpy disconnected(&socket, &QSslSocket::disconnected);
    if (socket.state() != QAbstractSocket::UnconnectedState)
        QVERIFY(disconnected.wait(10000));
    QVERIFY(socket.readAll().endsWith("--signiq-overlay-frame--\r\n"));
    int opens = 0;
    for (const AuditEntry &e : auditEntries())
        opens += e.action == QLatin1String("overlay.open") ? 1 : 0;
    QCOMPARE(opens, 2); // the refused one is audited too
}

QTEST_GUILESS_MAIN(TestEdgeApiServer)
#include "TestEdgeApiServer.moc"
