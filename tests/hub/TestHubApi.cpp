// The hub's HTTP API (HubApiServer over libs/http) against the real PostgreSQL server of the
// CTest fixture (database signiq_test_api) and over real TLS 1.3 on loopback: two organisations;
// every endpoint as A returns nothing of B; B's ids are unknown (404); keys, scopes, site
// restriction, bad input, the front's limits, rate limits by tier, and trends in local time.
// Time comes from a ManualClock: nothing sleeps.

#include "../api/ApiTestSupport.h"
#include "../api/OpenApiReader.h"
#include "HubTestSupport.h"

#include "http/HttpServer.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "hub/ApiKeyRepository.h"
#include "hub/AuditRepository.h"
#include "hub/DeviceRepository.h"
#include "hub/HubApiServer.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SiteRepository.h"
#include "hub/WindowRepository.h"
#include "protocol/AuditChain.h"
#include "protocol/AuditVerification.h"

#include <QJsonArray>
#include <QSslSocket>

using namespace signiq;
using namespace signiq::hub;
using api::test::HttpsClient;
using api::test::HttpResult;
using api::test::TestPki;
using test::utcMs;

namespace {

const QString kDb = QStringLiteral("signiq_test_api");
const qint64 kNow = utcMs(2026, 12, 7, 12);

QString id(const QUuid &u)
{
    return u.toString(QUuid::WithoutBraces);
}

QSet<QString> values(const QJsonArray &items, const QString &field)
{
    QSet<QString> out;
    for (const QJsonValue &v : items)
        out.insert(v.toObject().value(field).toString());
    return out;
}

} // namespace

class TestHubApi : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void healthIsOpenOverTls13();
    void openApiFileMatchesTheRoutes();
    void sitesAndDevicesAreTheOrganisations();
    void windowsSeeOnlyTheOrganisation();
    void crossOrganisationIdsAreNotFound();
    void keysAndScopes();
    void authenticationsAreCachedForAFewSeconds();
    void siteRestrictedKeySeesItsSite();
    void badInputIs4xx_data();
    void badInputIs4xx();
    void routing();
    void frontRefusesOversizedRequests();
    void trendsBucketInTheSitesLocalTime();
    void demographicsAreTheStoredHistograms();
    void rateLimitedByTier();
    void flowSumsTheZoneToZoneMoves();
    void auditIsTheOrganisationsChain();
    void auditExportVerifiesWithTheEdgesVerifier_data();
    void auditExportVerifiesWithTheEdgesVerifier();
    void exportStreamsTheOrganisationsWindows(); // last: adds a window to A
    void cleanupTestCase();

private:
    HttpResult get(const QString &path, const QString &key) { return m_client->get(path, key); }

    core::ManualClock m_clock{kNow};
    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    std::unique_ptr<HubApiServer> m_server;
    std::unique_ptr<HttpsClient> m_client;
    std::optional<TestPki> m_pki;
    std::optional<crypto::Ed25519SigningKey> m_auditKey;
    struct Tenant {
        QUuid org;
        QList<Site> sites;
        QList<Device> devices;
        QString key;         // read, analytics
        QString readOnly;    // read
        QString siteKey;     // read, analytics; sites[0] only
        QString exportKey;   // read, export
        QString adminKey;    // admin, export
    } m_a, m_b;
};

void TestHubApi::initTestCase()
{
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto migrated = Migrations::apply(*m_owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : migrated.error().toString()));
    QVERIFY(Retention::createPartitions(*m_owner, QDate(2026, 11, 1), QDate(2027, 1, 1)));
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));

    OrganisationRepository orgs(*m_app, m_clock);
    SiteRepository sites(*m_app);
    DeviceRepository devices(*m_app);
    WindowRepository windows(*m_app);
    ApiKeyRepository keys(*m_app, m_clock);
    const auto makeKey = [&](const QUuid &org, protocol::Scopes scopes, std::optional<QUuid> site) {
        auto issued = keys.create(org, NewKey{QStringLiteral("test"), scopes, site, protocol::KeyEnvironment::Test, {}}, QStringLiteral("test"));
        if (!issued)
            qFatal("key: %s", qPrintable(issued.error().toString()));
        return issued->token;
    };
    const protocol::Scopes readAnalytics = protocol::Scope::Read | protocol::Scope::Analytics;

    // A (pro): Berlin and New York, one device each; B (free): one site, one device.
    auto a = orgs.create(QStringLiteral("Alpha"), protocol::Tier::Pro, QStringLiteral("test"));
    auto b = orgs.create(QStringLiteral("Beta"), protocol::Tier::Free, QStringLiteral("test"));
    QVERIFY(a && b);
    m_a.org = a->id;
    m_b.org = b->id;
    for (auto [tenant, zone] : {std::pair{&m_a, QStringLiteral("Europe/Berlin")}, std::pair{&m_a, QStringLiteral("America/New_York")},
                                std::pair{&m_b, QStringLiteral("Europe/Berlin")}}) {
        auto site = sites.create(tenant->org, zone.section(QLatin1Char('/'), 1), zone);
        QVERIFY2(site, qPrintable(site.ok() ? QString() : site.error().toString()));
        tenant->sites << *site;
        auto device = devices.create(tenant->org, NewDevice{site->id, QStringLiteral("screen %1").arg(tenant->devices.size()),
                                                            QStringLiteral("%1%2").arg(tenant == &m_a ? QStringLiteral("aa") : QStringLiteral("bb")).arg(tenant->devices.size())});
        QVERIFY2(device, qPrintable(device.ok() ? QString() : device.error().toString()));
        tenant->devices << *device;
    }
    // Berlin screen seen a minute ago (online), New York an hour ago (offline).
    QVERIFY(devices.recordSeen(m_a.org, m_a.devices[0].id, kNow - 60'000, QStringLiteral("m1"), QStringLiteral("c1")));
    QVERIFY(devices.recordSeen(m_a.org, m_a.devices[1].id, kNow - 3600'000, QStringLiteral("m2"), QStringLiteral("c2")));
    // 23:30 UTC on Sunday 6 December is 00:30 on Monday 7 December in Berlin; 03:00 UTC on the
    // 6th is 22:00 on Saturday the 5th in New York.
    QVERIFY(windows.insertAudience(m_a.org, m_a.devices[0].id, {test::window(QStringLiteral("door"), utcMs(2026, 12, 6, 23) + 30 * 60'000, 1)}));
    QVERIFY(windows.insertAudience(m_a.org, m_a.devices[1].id, {test::window(QStringLiteral("door"), utcMs(2026, 12, 6, 3), 2)}));
    QVERIFY(windows.insertAudience(m_b.org, m_b.devices[0].id,
                                   {test::window(QStringLiteral("door"), utcMs(2026, 12, 6, 10), 3),
                                    test::window(QStringLiteral("door"), utcMs(2026, 12, 6, 11), 4)}));
    QVERIFY(windows.insertDemographic(m_a.org, m_a.devices[0].id, {test::demographic(QStringLiteral("door"), utcMs(2026, 12, 6, 9))}));
    QVERIFY(windows.insertDemographic(m_b.org, m_b.devices[0].id, {test::demographic(QStringLiteral("door"), utcMs(2026, 12, 6, 9))}));
    for (Tenant *t : {&m_a, &m_b}) {
        t->key = makeKey(t->org, readAnalytics, std::nullopt);
        t->readOnly = makeKey(t->org, protocol::Scope::Read, std::nullopt);
        t->siteKey = makeKey(t->org, readAnalytics, t->sites[0].id);
        t->exportKey = makeKey(t->org, protocol::Scope::Read | protocol::Scope::Export, std::nullopt);
        t->adminKey = makeKey(t->org, protocol::Scope::Admin | protocol::Scope::Export, std::nullopt);
    }

    m_pki = TestPki::create();
    HubApiOptions options;
    options.http.maxBodyBytes = 1024;
    options.http.maxHeaderBytes = 4096;
    options.exportPageRows = 2;
    m_auditKey.emplace(*crypto::Ed25519SigningKey::fromSeed(*crypto::randomBytes(32)));
    options.auditKey = &*m_auditKey;
    m_server = std::make_unique<HubApiServer>(*m_app, m_clock, options);
    auto port = m_server->listen(m_pki->server, QHostAddress::LocalHost, 0);
    QVERIFY2(port, qPrintable(port.ok() ? QString() : port.error().toString()));
    m_client = std::make_unique<HttpsClient>(m_pki->clientConfig(), *port);
}

void TestHubApi::init()
{
    // Each test starts with a fresh rate-limit window.
    m_clock.advanceMs(61'000);
}

void TestHubApi::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void TestHubApi::healthIsOpenOverTls13()
{
    const HttpResult r = get(QStringLiteral("/v1/health"), {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.protocol, QSsl::TlsV1_3);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(!r.header("ratelimit-policy").isEmpty());
    QVERIFY(r.header("ratelimit").startsWith("limit="));
}

void TestHubApi::openApiFileMatchesTheRoutes()
{
    // docs/openapi-hub.yaml against the served routes: every route documented and every
    // documented operation served, each listing what the pipeline and the front can send.
    QString prefix;
    // Path parameters are named in the file ({id}) and "{}" in the route table.
    QMap<QString, openapitest::Operation> documented;
    const QMap<QString, openapitest::Operation> named =
        openapitest::readOperations(QStringLiteral(SIGNIQ_SOURCE_DIR "/docs/openapi-hub.yaml"), prefix);
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]+\\}"));
    for (auto it = named.begin(); it != named.end(); ++it)
        documented.insert(QString(it.key()).replace(parameter, QStringLiteral("{}")), it.value());
    QCOMPARE(prefix, QStringLiteral("/v1"));
    QSet<QString> served;
    for (const HubApiServer::RouteInfo &route : m_server->routes()) {
        const QString op = openapitest::normalised(QString::fromLatin1(route.method), route.path, prefix);
        served.insert(op);
        QVERIFY2(documented.contains(op), qPrintable(op + QStringLiteral(" is served but not in docs/openapi-hub.yaml")));
        const openapitest::Operation &o = documented[op];
        QStringList required{QStringLiteral("400"), QStringLiteral("405"), QStringLiteral("408"), QStringLiteral("413"),
                             QStringLiteral("415"), QStringLiteral("429"), QStringLiteral("431"), QStringLiteral("500"),
                             QStringLiteral("505")};
        if (!route.open)
            required << QStringLiteral("401") << QStringLiteral("403");
        const QStringList problems = openapitest::problemsOf(op, o, required);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
    }
    for (auto it = documented.begin(); it != documented.end(); ++it)
        QVERIFY2(served.contains(it.key()), qPrintable(it.key() + QStringLiteral(" is documented but not served")));
}

void TestHubApi::sitesAndDevicesAreTheOrganisations()
{
    HttpResult r = get(QStringLiteral("/v1/sites"), m_a.key);
    QCOMPARE(r.status, 200);
    const QJsonArray sites = r.json().value(QStringLiteral("sites")).toArray();
    QCOMPARE(values(sites, QStringLiteral("id")), (QSet<QString>{id(m_a.sites[0].id), id(m_a.sites[1].id)}));
    QCOMPARE(r.header("ratelimit-policy"), QByteArray("600;w=60;burst=120"));

    r = get(QStringLiteral("/v1/devices"), m_a.key);
    QCOMPARE(r.status, 200);
    const QJsonArray devices = r.json().value(QStringLiteral("devices")).toArray();
    QCOMPARE(devices.size(), 2);
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        QVERIFY(d.value(QStringLiteral("id")).toString() != id(m_b.devices[0].id));
        const bool berlin = d.value(QStringLiteral("id")).toString() == id(m_a.devices[0].id);
        QCOMPARE(d.value(QStringLiteral("status")).toString(), berlin ? QStringLiteral("online") : QStringLiteral("offline"));
        QCOMPARE(d.value(QStringLiteral("model_version")).toString(), berlin ? QStringLiteral("m1") : QStringLiteral("m2"));
        QVERIFY(d.value(QStringLiteral("last_seen_at")).isString());
        QVERIFY(d.contains(QStringLiteral("clock_skew_ms")));
        QVERIFY(d.value(QStringLiteral("clock_skew_ms")).isNull()); // never synced
    }
    r = get(QStringLiteral("/v1/sites"), m_b.key);
    QCOMPARE(values(r.json().value(QStringLiteral("sites")).toArray(), QStringLiteral("id")), QSet<QString>{id(m_b.sites[0].id)});
}

void TestHubApi::windowsSeeOnlyTheOrganisation()
{
    HttpResult r = get(QStringLiteral("/v1/windows"), m_a.key);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 2);
    const QSet<QString> devices = values(r.json().value(QStringLiteral("windows")).toArray(), QStringLiteral("device_id"));
    QCOMPARE(devices, (QSet<QString>{id(m_a.devices[0].id), id(m_a.devices[1].id)}));

    // Filters and paging in SQL.
    r = get(QStringLiteral("/v1/windows?limit=1"), m_a.key);
    QCOMPARE(r.json().value(QStringLiteral("windows")).toArray().size(), 1);
    QCOMPARE(r.json().value(QStringLiteral("next_offset")).toInt(), 1);
    r = get(QStringLiteral("/v1/windows?limit=1&offset=1"), m_a.key);
    QVERIFY(r.json().value(QStringLiteral("next_offset")).isNull());
    r = get(QStringLiteral("/v1/windows?device=%1").arg(id(m_a.devices[1].id)), m_a.key);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
    r = get(QStringLiteral("/v1/windows?site=%1&zone=door").arg(id(m_a.sites[0].id)), m_a.key);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
    r = get(QStringLiteral("/v1/windows?from=2026-12-06T12:00:00Z&to=2026-12-07T00:00:00Z"), m_a.key);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);

    r = get(QStringLiteral("/v1/windows"), m_b.key);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 2);
    QCOMPARE(values(r.json().value(QStringLiteral("windows")).toArray(), QStringLiteral("device_id")), QSet<QString>{id(m_b.devices[0].id)});
}

void TestHubApi::crossOrganisationIdsAreNotFound()
{
    for (const QString &path : {QStringLiteral("/v1/windows?site=%1").arg(id(m_b.sites[0].id)),
                                QStringLiteral("/v1/windows?device=%1").arg(id(m_b.devices[0].id)),
                                QStringLiteral("/v1/devices?site=%1").arg(id(m_b.sites[0].id)),
                                QStringLiteral("/v1/trends?site=%1").arg(id(m_b.sites[0].id))}) {
        const HttpResult r = get(path, m_a.key);
        QVERIFY2(r.status == 404, qPrintable(path + QStringLiteral(": ") + QString::number(r.status)));
        QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    }
}

void TestHubApi::keysAndScopes()
{
    HttpResult r = get(QStringLiteral("/v1/sites"), {});
    QCOMPARE(r.status, 401);
    QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
    QVERIFY(r.header("www-authenticate").startsWith("Bearer"));
    r = get(QStringLiteral("/v1/sites"), QStringLiteral("sq_test_notakey"));
    QCOMPARE(r.status, 401);
    // A well-formed key of the right shape but a wrong secret.
    QString forged = m_a.key;
    forged[20] = forged[20] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    r = get(QStringLiteral("/v1/sites"), forged);
    QCOMPARE(r.status, 401);

    r = get(QStringLiteral("/v1/trends"), m_a.readOnly);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
    QCOMPARE(get(QStringLiteral("/v1/windows"), m_a.readOnly).status, 200);
}

void TestHubApi::authenticationsAreCachedForAFewSeconds()
{
    // A revoked key keeps working for at most authCacheMs (5 s): the cache saves three database
    // transactions per request and bounds how stale a key can be.
    auto issued = ApiKeyRepository(*m_app, m_clock)
                      .create(m_a.org, NewKey{QStringLiteral("cached"), protocol::Scope::Read, std::nullopt, protocol::KeyEnvironment::Test, {}},
                              QStringLiteral("test"));
    QVERIFY(issued);
    QCOMPARE(get(QStringLiteral("/v1/sites"), issued->token).status, 200);
    QVERIFY(ApiKeyRepository(*m_app, m_clock).revoke(m_a.org, issued->key.keyId, QStringLiteral("test")));
    m_clock.advanceMs(4'999);
    QCOMPARE(get(QStringLiteral("/v1/sites"), issued->token).status, 200); // from the cache
    m_clock.advanceMs(2);
    HttpResult r = get(QStringLiteral("/v1/sites"), issued->token);
    QCOMPARE(r.status, 401); // looked up again: revoked
    // A failed authentication is never cached: the wrong secret of a cached key is still 401.
    QString forged = m_a.key;
    QCOMPARE(get(QStringLiteral("/v1/sites"), m_a.key).status, 200);
    forged[20] = forged[20] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    QCOMPARE(get(QStringLiteral("/v1/sites"), forged).status, 401);
}

void TestHubApi::siteRestrictedKeySeesItsSite()
{
    HttpResult r = get(QStringLiteral("/v1/sites"), m_a.siteKey);
    QCOMPARE(values(r.json().value(QStringLiteral("sites")).toArray(), QStringLiteral("id")), QSet<QString>{id(m_a.sites[0].id)});
    r = get(QStringLiteral("/v1/devices"), m_a.siteKey);
    QCOMPARE(values(r.json().value(QStringLiteral("devices")).toArray(), QStringLiteral("id")), QSet<QString>{id(m_a.devices[0].id)});
    r = get(QStringLiteral("/v1/windows"), m_a.siteKey);
    QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
    QCOMPARE(get(QStringLiteral("/v1/windows?site=%1").arg(id(m_a.sites[1].id)), m_a.siteKey).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/windows?device=%1").arg(id(m_a.devices[1].id)), m_a.siteKey).status, 404);
    r = get(QStringLiteral("/v1/trends"), m_a.siteKey);
    QCOMPARE(values(r.json().value(QStringLiteral("daily")).toArray(), QStringLiteral("site_id")), QSet<QString>{id(m_a.sites[0].id)});
}

void TestHubApi::badInputIs4xx_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("code");
    QTest::newRow("bad time zone") << "/v1/trends?time_zone=Mars/Olympus" << "bad_time_zone";
    QTest::newRow("reversed range") << "/v1/trends?from=2026-12-06T00:00:00Z&to=2026-12-05T00:00:00Z" << "bad_range";
    QTest::newRow("windows reversed") << "/v1/windows?from=2026-12-06T00:00:00Z&to=2026-12-05T00:00:00Z" << "bad_range";
    QTest::newRow("over history") << "/v1/trends?from=2026-01-01T00:00:00Z" << "out_of_history";
    QTest::newRow("windows over history") << "/v1/windows?from=2026-06-01T00:00:00Z" << "out_of_history";
    QTest::newRow("bad time") << "/v1/windows?from=yesterday" << "bad_request";
    QTest::newRow("bad id") << "/v1/windows?site=42" << "bad_request";
    QTest::newRow("bad limit") << "/v1/windows?limit=0" << "bad_request";
    QTest::newRow("huge limit") << "/v1/windows?limit=100000" << "bad_request";
    QTest::newRow("unknown parameter") << "/v1/windows?sit=x" << "unknown_field";
}

void TestHubApi::badInputIs4xx()
{
    QFETCH(QString, path);
    QFETCH(QString, code);
    const HttpResult r = get(path, m_a.key);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), code);
    // Nothing changed, and the hub is still up.
    QCOMPARE(get(QStringLiteral("/v1/windows"), m_a.key).json().value(QStringLiteral("total")).toInt(), 2);
}

void TestHubApi::routing()
{
    HttpResult r = get(QStringLiteral("/v1/nothing"), m_a.key);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
    r = m_client->post(QStringLiteral("/v1/sites"), m_a.key, QByteArrayLiteral("{\"name\":"));
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("allow"), QByteArray("GET"));
    // A body where none is taken (malformed JSON or not): 415, nothing read into a query.
    r = m_client->request("GET", QStringLiteral("/v1/sites"), m_a.key, QByteArrayLiteral("{\"name\":"));
    QCOMPARE(r.status, 415);
}

void TestHubApi::frontRefusesOversizedRequests()
{
    // Header over maxHeaderBytes (4 KiB here): 431 from the front, before the hub sees it.
    const HttpResult big = m_client->request("GET", QStringLiteral("/v1/sites?pad=") + QString(6000, QLatin1Char('x')), m_a.key);
    QCOMPARE(big.status, 431);
    // Body over maxBodyBytes (1 KiB): 413 before the body is read.
    const HttpResult body = m_client->request("GET", QStringLiteral("/v1/sites"), m_a.key, QByteArray(4096, '{'));
    QCOMPARE(body.status, 413);
    QCOMPARE(get(QStringLiteral("/v1/health"), {}).status, 200);
}

void TestHubApi::trendsBucketInTheSitesLocalTime()
{
    const HttpResult r = get(QStringLiteral("/v1/trends?from=2026-12-01T00:00:00Z&to=2026-12-07T12:00:00Z"), m_a.key);
    QCOMPARE(r.status, 200);
    QJsonArray daily = r.json().value(QStringLiteral("daily")).toArray();
    QCOMPARE(daily.size(), 2);
    QSet<QString> days;
    for (const QJsonValue &v : daily)
        days.insert(v.toObject().value(QStringLiteral("site_id")).toString() + QLatin1Char(' ') + v.toObject().value(QStringLiteral("day")).toString());
    // Berlin: 23:30 UTC on the 6th is the 7th locally; New York: 03:00 UTC on the 6th is the 5th.
    QCOMPARE(days, (QSet<QString>{id(m_a.sites[0].id) + QStringLiteral(" 2026-12-07"), id(m_a.sites[1].id) + QStringLiteral(" 2026-12-05")}));
    QSet<QString> cells;
    for (const QJsonValue &v : r.json().value(QStringLiteral("hour_of_week")).toArray())
        cells.insert(QStringLiteral("%1/%2").arg(v.toObject().value(QStringLiteral("weekday")).toInt()).arg(v.toObject().value(QStringLiteral("hour")).toInt()));
    QCOMPARE(cells, (QSet<QString>{QStringLiteral("1/0"), QStringLiteral("6/22")})); // Monday 00h, Saturday 22h (ISO weekdays)

    // One clock for every site: in UTC both windows are on the 6th (Sunday).
    const HttpResult utc = get(QStringLiteral("/v1/trends?from=2026-12-01T00:00:00Z&to=2026-12-07T12:00:00Z&time_zone=UTC"), m_a.key);
    QCOMPARE(utc.status, 200);
    for (const QJsonValue &v : utc.json().value(QStringLiteral("daily")).toArray())
        QCOMPARE(v.toObject().value(QStringLiteral("day")).toString(), QStringLiteral("2026-12-06"));
    // B's trends hold only B's windows.
    const HttpResult b = get(QStringLiteral("/v1/trends?from=2026-12-01T00:00:00Z"), m_b.key);
    daily = b.json().value(QStringLiteral("daily")).toArray();
    QCOMPARE(values(daily, QStringLiteral("site_id")), QSet<QString>{id(m_b.sites[0].id)});
    QCOMPARE(daily.first().toObject().value(QStringLiteral("windows")).toInt(), 2);
}

void TestHubApi::demographicsAreTheStoredHistograms()
{
    HttpResult r = get(QStringLiteral("/v1/demographics"), m_a.key);
    QCOMPARE(r.status, 200);
    const QJsonArray items = r.json().value(QStringLiteral("demographics")).toArray();
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first().toObject().value(QStringLiteral("device_id")).toString(), id(m_a.devices[0].id));
    // Exactly what the device sent (its JSON), nothing finer.
    QJsonObject sent = test::demographic(QStringLiteral("door"), utcMs(2026, 12, 6, 9)).toJson();
    sent.insert(QStringLiteral("device_id"), id(m_a.devices[0].id));
    QCOMPARE(items.first().toObject(), sent);
    QCOMPARE(get(QStringLiteral("/v1/demographics"), m_a.readOnly).status, 403);
    QCOMPARE(get(QStringLiteral("/v1/demographics?device=%1").arg(id(m_b.devices[0].id)), m_a.key).status, 404);
}

void TestHubApi::rateLimitedByTier()
{
    // B is on free: 60 per minute, no burst.
    HttpResult r;
    int ok = 0;
    for (int i = 0; i < 61; ++i) {
        r = get(QStringLiteral("/v1/sites"), m_b.key);
        if (r.status != 200)
            break;
        ++ok;
    }
    QCOMPARE(ok, 60);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.errorCode(), QStringLiteral("rate_limited"));
    QCOMPARE(r.header("ratelimit-policy"), QByteArray("60;w=60;burst=0"));
    QVERIFY(r.header("ratelimit").startsWith("limit=60, remaining=0"));
    QVERIFY(r.header("retry-after").toInt() >= 1);
    // Other keys are not affected, and the window slides with the clock.
    QCOMPARE(get(QStringLiteral("/v1/sites"), m_a.key).status, 200);
    m_clock.advanceMs(61'000);
    QCOMPARE(get(QStringLiteral("/v1/sites"), m_b.key).status, 200);
}

void TestHubApi::flowSumsTheZoneToZoneMoves()
{
    // Each window carries transitions_to {"queue": seed}: A's Berlin window seed 1, New York 2.
    HttpResult r = get(QStringLiteral("/v1/flow"), m_a.key);
    QCOMPARE(r.status, 200);
    QJsonArray flows = r.json().value(QStringLiteral("flows")).toArray();
    QCOMPARE(flows.size(), 2);
    QHash<QString, qint64> moves;
    for (const QJsonValue &v : flows) {
        const QJsonObject f = v.toObject();
        QCOMPARE(f.value(QStringLiteral("from_zone")).toString(), QStringLiteral("door"));
        QCOMPARE(f.value(QStringLiteral("to_zone")).toString(), QStringLiteral("queue"));
        moves.insert(f.value(QStringLiteral("device_id")).toString(), f.value(QStringLiteral("moves")).toInteger());
    }
    QCOMPARE(moves, (QHash<QString, qint64>{{id(m_a.devices[0].id), 1}, {id(m_a.devices[1].id), 2}}));
    QCOMPARE(r.json().value(QStringLiteral("truncated")).toBool(true), false);

    r = get(QStringLiteral("/v1/flow?site=%1").arg(id(m_a.sites[1].id)), m_a.key);
    flows = r.json().value(QStringLiteral("flows")).toArray();
    QCOMPARE(flows.size(), 1);
    QCOMPARE(flows[0].toObject().value(QStringLiteral("moves")).toInteger(), 2);
    r = get(QStringLiteral("/v1/flow?from=2026-12-06T12:00:00Z"), m_a.key);
    QCOMPARE(r.json().value(QStringLiteral("flows")).toArray().size(), 1);
    // B's two windows (seeds 3 and 4) are summed in SQL; A's never appear.
    r = get(QStringLiteral("/v1/flow"), m_b.key);
    flows = r.json().value(QStringLiteral("flows")).toArray();
    QCOMPARE(flows.size(), 1);
    QCOMPARE(flows[0].toObject().value(QStringLiteral("device_id")).toString(), id(m_b.devices[0].id));
    QCOMPARE(flows[0].toObject().value(QStringLiteral("moves")).toInteger(), 7);
    // The site key sees its site only.
    r = get(QStringLiteral("/v1/flow"), m_a.siteKey);
    QCOMPARE(values(r.json().value(QStringLiteral("flows")).toArray(), QStringLiteral("device_id")), QSet<QString>{id(m_a.devices[0].id)});

    QCOMPARE(get(QStringLiteral("/v1/flow?device=%1").arg(id(m_b.devices[0].id)), m_a.key).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/flow?limit=5"), m_a.key).errorCode(), QStringLiteral("unknown_field"));
    QCOMPARE(get(QStringLiteral("/v1/flow?from=2026-01-01T00:00:00Z"), m_a.key).errorCode(), QStringLiteral("out_of_history"));
    QCOMPARE(get(QStringLiteral("/v1/flow"), m_a.readOnly).status, 403);
}

void TestHubApi::auditIsTheOrganisationsChain()
{
    // Refusals of keys the hub knows are audited in their organisation (keysAndScopes and the
    // flow test were refused a scope above).
    QCOMPARE(get(QStringLiteral("/v1/audit"), m_a.key).status, 403);
    HttpResult r = get(QStringLiteral("/v1/audit?limit=1000"), m_a.adminKey);
    QCOMPARE(r.status, 200);
    const QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
    QVERIFY(entries.size() >= 6); // org.create, key.create ×5, auth.denied ...
    QVERIFY(r.json().value(QStringLiteral("next_after")).isNull());
    qint64 expected = 1;
    bool sawDenied = false;
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        QCOMPARE(e.value(QStringLiteral("seq")).toInteger(), expected++);
        QVERIFY(!e.value(QStringLiteral("target")).toString().contains(id(m_b.org)));
        if (e.value(QStringLiteral("action")).toString() == QLatin1String("auth.denied")
            && e.value(QStringLiteral("target")).toString() == QLatin1String("GET /v1/audit")) {
            sawDenied = true;
            QVERIFY(e.value(QStringLiteral("result")).toString().contains(QStringLiteral("admin")));
            QCOMPARE(e.value(QStringLiteral("source_ip")).toString(), QStringLiteral("127.0.0.1"));
        }
    }
    QVERIFY(sawDenied);
    // Paging by sequence number.
    r = get(QStringLiteral("/v1/audit?limit=2"), m_a.adminKey);
    QCOMPARE(r.json().value(QStringLiteral("entries")).toArray().size(), 2);
    QCOMPARE(r.json().value(QStringLiteral("next_after")).toInteger(), 2);
    r = get(QStringLiteral("/v1/audit?limit=2&after=2"), m_a.adminKey);
    QCOMPARE(r.json().value(QStringLiteral("entries")).toArray().first().toObject().value(QStringLiteral("seq")).toInteger(), 3);
    // A time range that holds nothing, and bad input.
    r = get(QStringLiteral("/v1/audit?to=2020-01-01T00:00:00Z"), m_a.adminKey);
    QCOMPARE(r.json().value(QStringLiteral("entries")).toArray().size(), 0);
    QCOMPARE(get(QStringLiteral("/v1/audit?limit=5000"), m_a.adminKey).status, 400);
    QCOMPARE(get(QStringLiteral("/v1/audit?after=-1"), m_a.adminKey).status, 400);
    QCOMPARE(get(QStringLiteral("/v1/audit?seq=1"), m_a.adminKey).errorCode(), QStringLiteral("unknown_field"));
    // B's chain is B's: it starts at 1 too and holds none of A's keys.
    r = get(QStringLiteral("/v1/audit?limit=1000"), m_b.adminKey);
    QCOMPARE(r.status, 200);
    const QJsonArray bEntries = r.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(bEntries.first().toObject().value(QStringLiteral("seq")).toInteger(), 1);
    for (const QJsonValue &v : bEntries)
        QVERIFY(!v.toObject().value(QStringLiteral("target")).toString().contains(id(m_a.org)));
}

void TestHubApi::auditExportVerifiesWithTheEdgesVerifier_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("jsonl") << QStringLiteral("jsonl");
    QTest::newRow("csv") << QStringLiteral("csv");
}

void TestHubApi::auditExportVerifiesWithTheEdgesVerifier()
{
    QFETCH(QString, format);
    // Small pages, so the export crosses page boundaries.
    const HttpResult r = get(QStringLiteral("/v1/audit/export?format=%1").arg(format), m_a.adminKey);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type").startsWith("text/csv"), format == QLatin1String("csv"));
    protocol::AuditVerifyOptions options;
    options.publicKey = m_auditKey->publicKey();
    auto verified = protocol::verifyAuditExport(r.body, options);
    QVERIFY2(verified, qPrintable(verified.ok() ? QString() : verified.error().toString()));
    QVERIFY2(verified->intact(), qPrintable(verified->summary()));
    QVERIFY(verified->head && verified->head->isSigned());
    // The export records itself: its last entry is this export.
    auto parsed = protocol::AuditChain::parseExportWithHead(r.body);
    QVERIFY(parsed);
    QCOMPARE(parsed->entries.last().action, QStringLiteral("audit.export"));
    QCOMPARE(parsed->entries.last().target, format);
    QCOMPARE(qint64(parsed->entries.size()), verified->head->count);
    // A cut at the end, or an edit, is detected offline.
    QList<protocol::AuditEntry> cut = parsed->entries.mid(0, parsed->entries.size() - 1);
    QVERIFY(protocol::verifyAuditEntries(cut, parsed->head, options, true).broken());
    QByteArray edited = r.body;
    edited.replace("auth.denied", "auth.allowd");
    auto editedResult = protocol::verifyAuditExport(edited, options);
    QVERIFY(editedResult && editedResult->broken());

    // Refused: without the export scope (audited), on the free tier (audited), a bad format.
    QCOMPARE(get(QStringLiteral("/v1/audit/export"), m_a.exportKey).status, 403);
    QCOMPARE(get(QStringLiteral("/v1/audit/export"), m_b.adminKey).status, 403);
    QCOMPARE(get(QStringLiteral("/v1/audit/export?format=xml"), m_a.adminKey).status, 400);
    auto bLast = AuditRepository(*m_app, m_clock).last(m_b.org);
    QVERIFY(bLast && *bLast);
    QCOMPARE((*bLast)->action, QStringLiteral("auth.denied"));
    QVERIFY((*bLast)->result.contains(QStringLiteral("tier free")));
}

void TestHubApi::exportStreamsTheOrganisationsWindows()
{
    // A zone that a spreadsheet would run as a formula.
    QVERIFY(WindowRepository(*m_app).insertAudience(m_a.org, m_a.devices[0].id,
                                                    {test::window(QStringLiteral("=HYPERLINK(\"x\",\"y\")"), utcMs(2026, 12, 5, 8), 5)}));
    HttpResult r = get(QStringLiteral("/v1/windows/export?format=csv"), m_a.exportKey);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type").startsWith("text/csv"));
    const QList<QByteArray> lines = r.body.trimmed().split('\n');
    QCOMPARE(lines.size(), 4); // header + A's three windows
    QVERIFY(lines[0].startsWith("device_id,zone,start"));
    for (const QByteArray &line : lines.mid(1))
        QVERIFY(!line.startsWith(id(m_b.devices[0].id).toLatin1()));
    QVERIFY(r.body.contains("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""));
    QVERIFY(!r.body.contains(",=HYPERLINK"));

    r = get(QStringLiteral("/v1/windows/export?format=jsonl&site=%1").arg(id(m_a.sites[0].id)), m_a.exportKey);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> rows = r.body.trimmed().split('\n');
    QCOMPARE(rows.size(), 2);
    for (const QByteArray &row : rows)
        QCOMPARE(QJsonDocument::fromJson(row).object().value(QStringLiteral("device_id")).toString(), id(m_a.devices[0].id));

    QCOMPARE(get(QStringLiteral("/v1/windows/export"), m_a.key).status, 403);               // no export scope
    QCOMPARE(get(QStringLiteral("/v1/windows/export"), m_b.exportKey).status, 403);         // free tier: no exports
    QCOMPARE(get(QStringLiteral("/v1/windows/export?format=xlsx"), m_a.exportKey).status, 400);
    QCOMPARE(get(QStringLiteral("/v1/windows/export?site=%1").arg(id(m_b.sites[0].id)), m_a.exportKey).status, 404);
    QCOMPARE(get(QStringLiteral("/v1/health"), {}).status, 200);
}

QTEST_GUILESS_MAIN(TestHubApi)
#include "TestHubApi.moc"
