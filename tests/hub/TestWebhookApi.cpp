// The /v1/webhooks API of the hub (issue 15) against the real PostgreSQL server of the CTest
// fixture (database signiq_test_webhooks_api), through HubApiServer::handle (the same pipeline
// the TLS front calls: key, rate limit, route, scope, handler). Two organisations: A (pro) and
// B (free). Endpoints and their secrets (shown once), paging, every bad input, the tier's
// endpoint limit, rotation with an overlap (both secrets sign, then only the new), test events,
// the delivery log and replay, site filters, per-organisation allowed ranges, and that neither
// organisation can see or change the other's endpoints or deliveries. Every change is audited.
// Time comes from a ManualClock; nothing sleeps.

#include "HubTestSupport.h"

#include "hub/ApiKeyRepository.h"
#include "hub/AuditRepository.h"
#include "hub/DeviceRepository.h"
#include "hub/HubApiServer.h"
#include "hub/Retention.h"
#include "hub/SyncIngest.h"
#include "hub/OrganisationRepository.h"
#include "hub/SiteRepository.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookRepository.h"
#include "hub/WebhookSigning.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace signiq;
using namespace signiq::hub;

namespace {

const QString kDb = QStringLiteral("signiq_test_webhooks_api");
const qint64 kNow = test::utcMs(2026, 12, 7, 12);
const QByteArray kSecretsKey(32, 'w');
const QString kPublicUrl = QStringLiteral("https://93.184.216.34/hooks/signiq"); // an IP literal: no DNS needed

QString id(const QUuid &u)
{
    return u.toString(QUuid::WithoutBraces);
}

struct Answer {
    int status = 0;
    QJsonObject body;
    QString code() const { return body.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(); }
    QString message() const { return body.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString(); }
};

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestWebhookApi : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void createShowsTheSecretOnceAndListsArePaged();
    void updateAndDeleteAreAudited();
    void badInputIsRefusedClearly_data();
    void badInputIsRefusedClearly();
    void bodiesMustBeJson();
    void theTierLimitsTheEndpoints();
    void organisationsNeverSeeEachOthersEndpoints();
    void theWebhooksScopeIsRequired();
    void rotationSignsWithBothSecretsDuringTheOverlap();
    void rotationOverlapIsRangeChecked_data();
    void rotationOverlapIsRangeChecked();
    void testEventsTheLogAndReplay();
    void disabledEndpointsTakeNoTestUntilEnabled();
    void siteFiltersAndSiteRestrictedKeys();
    void allowedRangesArePerOrganisation();
    void unconfiguredHubAnswers503();
    void syncIngestQueuesAudienceWindowAndDeviceOnline();

private:
    Answer call(const QByteArray &method, const QString &target, const QString &key, const QByteArray &body = {},
                const QByteArray &contentType = QByteArrayLiteral("application/json"));
    Answer create(const QString &key, const QJsonObject &body) { return call("POST", QStringLiteral("/v1/webhooks"), key, compact(body)); }
    QList<protocol::AuditEntry> audit(const QUuid &org);
    bool audited(const QUuid &org, const QString &action, const QString &target, const QString &resultPart = {});
    void deleteAllEndpoints(const QUuid &org);

    core::ManualClock m_clock{kNow};
    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    std::unique_ptr<HubApiServer> m_server;
    struct Tenant {
        QUuid org;
        QList<Site> sites;
        QString hooks;     // webhooks
        QString hooksAdmin; // webhooks, admin
        QString siteHooks; // webhooks, sites[0] only
        QString readOnly;  // read
    } m_a, m_b;
};

void TestWebhookApi::initTestCase()
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
    ApiKeyRepository keys(*m_app, m_clock);
    const auto makeKey = [&](const QUuid &org, protocol::Scopes scopes, std::optional<QUuid> site) {
        auto issued = keys.create(org, NewKey{QStringLiteral("test"), scopes, site, protocol::KeyEnvironment::Test, {}}, QStringLiteral("test"));
        if (!issued)
            qFatal("key: %s", qPrintable(issued.error().toString()));
        return issued->token;
    };
    auto a = orgs.create(QStringLiteral("Alpha hooks"), protocol::Tier::Pro, QStringLiteral("test"));
    auto b = orgs.create(QStringLiteral("Beta hooks"), protocol::Tier::Free, QStringLiteral("test"));
    QVERIFY(a && b);
    m_a.org = a->id;
    m_b.org = b->id;
    for (Tenant *t : {&m_a, &m_b}) {
        for (const QString &name : {QStringLiteral("Berlin"), QStringLiteral("Paris")}) {
            auto site = sites.create(t->org, name, QStringLiteral("Europe/Berlin"));
            QVERIFY(site);
            t->sites << *site;
        }
        t->hooks = makeKey(t->org, protocol::Scope::Webhooks, std::nullopt);
        t->hooksAdmin = makeKey(t->org, protocol::Scope::Webhooks | protocol::Scope::Admin, std::nullopt);
        t->siteHooks = makeKey(t->org, protocol::Scope::Webhooks, t->sites[0].id);
        t->readOnly = makeKey(t->org, protocol::Scope::Read, std::nullopt);
    }
    HubApiOptions options;
    options.authCacheMs = 0;
    options.webhooks.secretsKey = kSecretsKey;
    options.webhooks.mode = WebhookAddressPolicy::Mode::Production;
    m_server = std::make_unique<HubApiServer>(*m_app, m_clock, options);
}

void TestWebhookApi::init()
{
    m_clock.advanceMs(61'000); // a fresh rate-limit window
    deleteAllEndpoints(m_a.org);
    deleteAllEndpoints(m_b.org);
    for (const QUuid &org : {m_a.org, m_b.org})
        QVERIFY(m_app->inOrg(org, [](Transaction &tx) { return WebhookRepository::setAllowedRangesIn(tx, {}); }));
}

Answer TestWebhookApi::call(const QByteArray &method, const QString &target, const QString &key, const QByteArray &body,
                            const QByteArray &contentType)
{
    http::Request r;
    r.method = method;
    r.target = target.toUtf8();
    const QUrl url(QStringLiteral("https://hub") + target);
    r.path = url.path();
    r.query = QUrlQuery(url.query());
    r.remoteAddress = QHostAddress(QStringLiteral("192.0.2.10"));
    if (!key.isEmpty())
        r.headers.append({QByteArrayLiteral("authorization"), "Bearer " + key.toLatin1()});
    if (!body.isEmpty() && !contentType.isEmpty())
        r.headers.append({QByteArrayLiteral("content-type"), contentType});
    r.body = body;
    const std::optional<http::Response> response = m_server->handle(r);
    Answer a;
    if (!response)
        return a;
    a.status = response->status;
    a.body = QJsonDocument::fromJson(response->body).object();
    return a;
}

QList<protocol::AuditEntry> TestWebhookApi::audit(const QUuid &org)
{
    auto entries = AuditRepository(*m_app, m_clock).list(org, 0, 10000);
    return entries ? *entries : QList<protocol::AuditEntry>();
}

bool TestWebhookApi::audited(const QUuid &org, const QString &action, const QString &target, const QString &resultPart)
{
    const QList<protocol::AuditEntry> entries = audit(org);
    return std::any_of(entries.begin(), entries.end(), [&](const protocol::AuditEntry &e) {
        return e.action == action && (target.isEmpty() || e.target == target) && e.result.contains(resultPart)
            && e.sourceIp == QLatin1String("192.0.2.10");
    });
}

void TestWebhookApi::deleteAllEndpoints(const QUuid &org)
{
    QVERIFY(m_app->inOrg(org, [](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("DELETE FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org()"));
        if (!q)
            return q.error();
        return {};
    }));
}

void TestWebhookApi::createShowsTheSecretOnceAndListsArePaged()
{
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl},
                                           {QStringLiteral("events"), QJsonArray{QStringLiteral("key.created"), QStringLiteral("sync.gap")}}});
    QCOMPARE(made.status, 201);
    const QString secret = made.body.value(QStringLiteral("secret")).toString();
    QVERIFY2(secret.startsWith(QLatin1String("whsec_")), qPrintable(secret));
    QVERIFY(WebhookSecret::parse(secret.toLatin1()));
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    QCOMPARE(made.body.value(QStringLiteral("url")).toString(), kPublicUrl);
    QCOMPARE(made.body.value(QStringLiteral("events")).toArray(), (QJsonArray{QStringLiteral("key.created"), QStringLiteral("sync.gap")}));
    QCOMPARE(made.body.value(QStringLiteral("status")).toString(), QStringLiteral("enabled"));
    QVERIFY(made.body.value(QStringLiteral("site_id")).isNull());
    // The stored secret is the one shown (the dispatcher signs with it) ...
    auto stored = WebhookRepository(*m_app, kSecretsKey).secret(m_a.org, QUuid::fromString(endpoint));
    QVERIFY(stored);
    QCOMPARE(WebhookSecret::fromKey(*stored)->toText(), secret.toLatin1());
    // ... and never shown again.
    const Answer shown = call("GET", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks);
    QCOMPARE(shown.status, 200);
    QVERIFY(!shown.body.contains(QStringLiteral("secret")));
    QCOMPARE(shown.body.value(QStringLiteral("id")).toString(), endpoint);
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.create"), endpoint, QStringLiteral("ok")));

    for (int i = 0; i < 2; ++i)
        QCOMPARE(create(m_a.hooks, {{QStringLiteral("url"), QString(kPublicUrl + QString::number(i))}}).status, 201);
    Answer page = call("GET", QStringLiteral("/v1/webhooks?limit=2"), m_a.hooks);
    QCOMPARE(page.status, 200);
    QCOMPARE(page.body.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(page.body.value(QStringLiteral("webhooks")).toArray().size(), 2);
    QCOMPARE(page.body.value(QStringLiteral("next_offset")).toInt(), 2);
    QCOMPARE(page.body.value(QStringLiteral("max_webhooks")).toInt(), 20); // pro
    for (const QJsonValue &v : page.body.value(QStringLiteral("webhooks")).toArray())
        QVERIFY(!v.toObject().contains(QStringLiteral("secret")));
    page = call("GET", QStringLiteral("/v1/webhooks?limit=2&offset=2"), m_a.hooks);
    QCOMPARE(page.body.value(QStringLiteral("webhooks")).toArray().size(), 1);
    QVERIFY(page.body.value(QStringLiteral("next_offset")).isNull());
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks?limit=0"), m_a.hooks).status, 400);
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks?site=x"), m_a.hooks).code(), QStringLiteral("unknown_field"));
}

void TestWebhookApi::updateAndDeleteAreAudited()
{
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(made.status, 201);
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    Answer changed = call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks,
                          compact({{QStringLiteral("events"), QJsonArray{QStringLiteral("device.offline")}},
                                   {QStringLiteral("site_id"), id(m_a.sites[1].id)},
                                   {QStringLiteral("url"), QStringLiteral("https://93.184.216.35/other")}}));
    QCOMPARE(changed.status, 200);
    QCOMPARE(changed.body.value(QStringLiteral("events")).toArray(), QJsonArray{QStringLiteral("device.offline")});
    QCOMPARE(changed.body.value(QStringLiteral("site_id")).toString(), id(m_a.sites[1].id));
    QCOMPARE(changed.body.value(QStringLiteral("url")).toString(), QStringLiteral("https://93.184.216.35/other"));
    QVERIFY(!changed.body.contains(QStringLiteral("secret")));
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.update"), endpoint, QStringLiteral("url,events,site_id")));
    // Remove the filter again; nothing to change is an error.
    changed = call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, compact({{QStringLiteral("site_id"), QJsonValue::Null}}));
    QCOMPARE(changed.status, 200);
    QVERIFY(changed.body.value(QStringLiteral("site_id")).isNull());
    QCOMPARE(call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, "{}").status, 400);

    QCOMPARE(call("DELETE", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks).status, 204);
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.delete"), endpoint, QStringLiteral("ok")));
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks).status, 404);
    QCOMPARE(call("DELETE", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks).status, 404);
    auto chain = AuditRepository(*m_app, m_clock).verify(m_a.org);
    QVERIFY(chain && !chain->has_value());
}

void TestWebhookApi::badInputIsRefusedClearly_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    QTest::addColumn<bool>("deniedInAudit");
    const auto with = [](const QString &url) { return compact({{QStringLiteral("url"), url}}); };
    QTest::newRow("no url") << QByteArray("{}") << "bad_url" << "'url'" << false;
    QTest::newRow("url not a string") << QByteArray(R"({"url": 5})") << "bad_url" << "'url'" << false;
    QTest::newRow("not a url") << with(QStringLiteral("not a url")) << "bad_url" << "not a URL" << false;
    QTest::newRow("ftp") << with(QStringLiteral("ftp://93.184.216.34/x")) << "bad_url" << "https" << false;
    QTest::newRow("http in production") << with(QStringLiteral("http://93.184.216.34/x")) << "insecure_url" << "production" << false;
    QTest::newRow("user info") << with(QStringLiteral("https://me:pw@93.184.216.34/x")) << "bad_url" << "password" << false;
    QTest::newRow("loopback") << with(QStringLiteral("https://127.0.0.1/x")) << "non_public_target" << "loopback" << true;
    QTest::newRow("localhost") << with(QStringLiteral("https://localhost/x")) << "non_public_target" << "not a public address" << true;
    QTest::newRow("private") << with(QStringLiteral("https://10.1.2.3/x")) << "non_public_target" << "10.0.0.0/8" << true;
    QTest::newRow("metadata") << with(QStringLiteral("https://169.254.169.254/latest")) << "non_public_target" << "link-local" << true;
    QTest::newRow("mapped") << with(QStringLiteral("https://[::ffff:10.0.0.1]/x")) << "non_public_target" << "not a public address" << true;
    QTest::newRow("unknown event") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("events"), QJsonArray{QStringLiteral("key.exploded")}}})
                                   << "unknown_event_type" << "key.exploded" << false;
    QTest::newRow("event twice") << compact({{QStringLiteral("url"), kPublicUrl},
                                             {QStringLiteral("events"), QJsonArray{QStringLiteral("key.created"), QStringLiteral("key.created")}}})
                                 << "unknown_event_type" << "twice" << false;
    QTest::newRow("events not an array") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("events"), QStringLiteral("key.created")}})
                                         << "unknown_event_type" << "array" << false;
    QTest::newRow("webhook.test is not subscribable") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("events"), QJsonArray{QStringLiteral("webhook.test")}}})
                                                      << "unknown_event_type" << "webhook.test" << false;
    QTest::newRow("unknown site") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("site_id"), id(QUuid::createUuid())}})
                                  << "unknown_site" << "unknown site" << false;
    QTest::newRow("site not an id") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("site_id"), QStringLiteral("Berlin")}})
                                    << "unknown_site" << "site_id" << false;
    QTest::newRow("unknown field") << compact({{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("secret"), QStringLiteral("whsec_mine")}})
                                   << "unknown_field" << "secret" << false;
    QTest::newRow("malformed") << QByteArray("{\"url\":") << "bad_body" << "JSON" << false;
    QTest::newRow("repeated key") << QByteArray(R"({"url":"https://93.184.216.34/a","url":"https://127.0.0.1/"})") << "bad_body" << "url" << false;
    QTest::newRow("not an object") << QByteArray("[1]") << "bad_body" << "JSON" << false;
}

void TestWebhookApi::badInputIsRefusedClearly()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, says);
    QFETCH(bool, deniedInAudit);
    const qsizetype before = audit(m_a.org).size();
    const Answer a = call("POST", QStringLiteral("/v1/webhooks"), m_a.hooks, body);
    QCOMPARE(a.status, 400);
    QCOMPARE(a.code(), code);
    QVERIFY2(a.message().contains(says), qPrintable(a.message()));
    auto listed = WebhookRepository(*m_app, kSecretsKey).list(m_a.org);
    QVERIFY(listed && listed->isEmpty());
    const QList<protocol::AuditEntry> after = audit(m_a.org);
    QCOMPARE(after.size(), before + (deniedInAudit ? 1 : 0));
    if (deniedInAudit) {
        QCOMPARE(after.last().action, QStringLiteral("auth.denied"));
        QCOMPARE(after.last().target, QStringLiteral("POST /v1/webhooks"));
    }
    // The same checks on PATCH: the endpoint is unchanged.
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(made.status, 201);
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    const Answer patched = call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, body);
    QVERIFY2(patched.status == 400, qPrintable(QString::number(patched.status)));
    const Answer shown = call("GET", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks);
    QCOMPARE(shown.body.value(QStringLiteral("url")).toString(), kPublicUrl);
}

void TestWebhookApi::bodiesMustBeJson()
{
    const QByteArray body = compact({{QStringLiteral("url"), kPublicUrl}});
    Answer a = call("POST", QStringLiteral("/v1/webhooks"), m_a.hooks, body, QByteArrayLiteral("text/plain"));
    QCOMPARE(a.status, 415);
    QVERIFY2(a.message().contains(QLatin1String("application/json")), qPrintable(a.message()));
    a = call("POST", QStringLiteral("/v1/webhooks"), m_a.hooks, body, QByteArray());
    QCOMPARE(a.status, 415);
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks"), m_a.hooks, body, QByteArrayLiteral("application/json; charset=utf-8")).status, 201);
    // A body where none is taken is still refused.
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks"), m_a.hooks, body).status, 415);
}

void TestWebhookApi::theTierLimitsTheEndpoints()
{
    // B is on free: two endpoints.
    QCOMPARE(create(m_b.hooks, {{QStringLiteral("url"), kPublicUrl}}).status, 201);
    QCOMPARE(create(m_b.hooks, {{QStringLiteral("url"), kPublicUrl}}).status, 201);
    const Answer third = create(m_b.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(third.status, 403);
    QCOMPARE(third.code(), QStringLiteral("webhook_limit"));
    QVERIFY2(third.message().contains(QLatin1String("free")) && third.message().contains(QLatin1String("at most 2")), qPrintable(third.message()));
    QVERIFY(audited(m_b.org, QStringLiteral("auth.denied"), QStringLiteral("POST /v1/webhooks"), QStringLiteral("at most 2")));
    auto listed = WebhookRepository(*m_app, kSecretsKey).list(m_b.org);
    QVERIFY(listed && listed->size() == 2);
    // Deleting one makes room again.
    QCOMPARE(call("DELETE", QStringLiteral("/v1/webhooks/") + id(listed->first().id), m_b.hooks).status, 204);
    QCOMPARE(create(m_b.hooks, {{QStringLiteral("url"), kPublicUrl}}).status, 201);
}

void TestWebhookApi::organisationsNeverSeeEachOthersEndpoints()
{
    const Answer mine = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(mine.status, 201);
    const QString endpoint = mine.body.value(QStringLiteral("id")).toString();
    const Answer queued = call("POST", QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), m_a.hooks);
    QCOMPARE(queued.status, 202);
    const QString delivery = queued.body.value(QStringLiteral("delivery_id")).toString();
    const Answer theirs = create(m_b.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(theirs.status, 201);
    const QString theirEndpoint = theirs.body.value(QStringLiteral("id")).toString();

    // B lists only its own; every route with A's ids is 404 for B, and changes nothing.
    const Answer list = call("GET", QStringLiteral("/v1/webhooks"), m_b.hooks);
    QCOMPARE(list.body.value(QStringLiteral("total")).toInt(), 1);
    QCOMPARE(list.body.value(QStringLiteral("webhooks")).toArray().first().toObject().value(QStringLiteral("id")).toString(), theirEndpoint);
    const QString base = QStringLiteral("/v1/webhooks/") + endpoint;
    const QList<std::tuple<QByteArray, QString, QByteArray>> calls{
        {"GET", base, {}},
        {"PATCH", base, compact({{QStringLiteral("url"), QStringLiteral("https://93.184.216.36/stolen")}})},
        {"DELETE", base, {}},
        {"POST", base + QStringLiteral("/rotate"), {}},
        {"POST", base + QStringLiteral("/test"), {}},
        {"GET", base + QStringLiteral("/deliveries"), {}},
        {"POST", base + QStringLiteral("/deliveries/") + delivery + QStringLiteral("/replay"), {}},
        // A's delivery under B's own endpoint is unknown too.
        {"POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(theirEndpoint, delivery), {}},
    };
    for (const auto &[method, path, body] : calls) {
        const Answer a = call(method, path, m_b.hooks, body);
        QVERIFY2(a.status == 404, qPrintable(QStringLiteral("%1 %2: %3").arg(QString::fromLatin1(method), path).arg(a.status)));
    }
    // B's site cannot be A's filter.
    const Answer foreignSite = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("site_id"), id(m_b.sites[0].id)}});
    QCOMPARE(foreignSite.status, 400);
    QCOMPARE(foreignSite.code(), QStringLiteral("unknown_site"));
    // A's endpoint is as it was, with its one delivery.
    const Answer shown = call("GET", base, m_a.hooks);
    QCOMPARE(shown.status, 200);
    QCOMPARE(shown.body.value(QStringLiteral("url")).toString(), kPublicUrl);
    QVERIFY(shown.body.value(QStringLiteral("previous_secret_until")).isNull());
    const Answer log = call("GET", base + QStringLiteral("/deliveries"), m_a.hooks);
    QCOMPARE(log.body.value(QStringLiteral("total")).toInt(), 1);
    // And at the database: RLS hides A's rows from B's context.
    auto count = m_app->inOrg(m_b.org, [&](Transaction &tx) -> core::Result<qint64> {
        auto q = tx.exec(QStringLiteral("SELECT count(*) FROM signiq.webhook_deliveries WHERE endpoint_id = ?"), {endpoint});
        if (!q)
            return q.error();
        q->next();
        return q->value(0).toLongLong();
    });
    QVERIFY(count);
    QCOMPARE(*count, 0);
}

void TestWebhookApi::theWebhooksScopeIsRequired()
{
    const Answer a = create(m_a.readOnly, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(a.status, 403);
    QVERIFY2(a.message().contains(QLatin1String("webhooks")), qPrintable(a.message()));
    QVERIFY(audited(m_a.org, QStringLiteral("auth.denied"), QStringLiteral("POST /v1/webhooks"), QStringLiteral("webhooks")));
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks"), m_a.readOnly).status, 403);
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks"), QString()).status, 401);
}

void TestWebhookApi::rotationSignsWithBothSecretsDuringTheOverlap()
{
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(made.status, 201);
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    const QUuid endpointId = QUuid::fromString(endpoint);
    auto oldSecret = WebhookSecret::parse(made.body.value(QStringLiteral("secret")).toString().toLatin1());
    QVERIFY(oldSecret);

    const qint64 rotatedAt = m_clock.nowMs();
    const Answer rotated = call("POST", QStringLiteral("/v1/webhooks/%1/rotate").arg(endpoint), m_a.hooks, R"({"overlap_s": 3600})");
    QCOMPARE(rotated.status, 200);
    auto newSecret = WebhookSecret::parse(rotated.body.value(QStringLiteral("secret")).toString().toLatin1());
    QVERIFY(newSecret);
    QVERIFY(!(*newSecret == *oldSecret));
    QCOMPARE(rotated.body.value(QStringLiteral("previous_secret_until")).toString(), protocol::isoTime(rotatedAt + 3'600'000));
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.rotate"), endpoint, QStringLiteral("overlap 3600 s")));
    QVERIFY(!call("GET", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks).body.contains(QStringLiteral("secret")));

    // During the overlap the dispatcher signs with the new and the old secret: a receiver that
    // still has the old one verifies, as does one with the new.
    WebhookRepository endpoints(*m_app, kSecretsKey);
    auto keys = endpoints.signingSecrets(m_a.org, endpointId, rotatedAt + 3'599'000);
    QVERIFY(keys);
    QCOMPARE(keys->size(), 2);
    QCOMPARE(keys->at(0), newSecret->key());
    QCOMPARE(keys->at(1), oldSecret->key());
    QList<WebhookSecret> signers;
    for (const QByteArray &k : *keys)
        signers << *WebhookSecret::fromKey(k);
    const QByteArray body = R"({"type":"webhook.test"})";
    auto headers = webhook_signing::sign(signers, "msg_rotation", m_clock.nowMs() / 1000, body);
    QVERIFY(headers);
    QCOMPARE(headers->signature.count(' '), 1);
    QVERIFY(webhook_signing::verify(*oldSecret, *headers, body, m_clock));
    QVERIFY(webhook_signing::verify(*newSecret, *headers, body, m_clock));

    // After it the old secret is dropped for good.
    keys = endpoints.signingSecrets(m_a.org, endpointId, rotatedAt + 3'600'000);
    QVERIFY(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first(), newSecret->key());
    m_clock.advanceMs(3'600'000);
    QVERIFY(call("GET", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks).body.value(QStringLiteral("previous_secret_until")).isNull());

    // overlap 0: the old secret stops at once; no body: the default overlap (24 h).
    Answer again = call("POST", QStringLiteral("/v1/webhooks/%1/rotate").arg(endpoint), m_a.hooks, R"({"overlap_s": 0})");
    QCOMPARE(again.status, 200);
    QVERIFY(again.body.value(QStringLiteral("previous_secret_until")).isNull());
    keys = endpoints.signingSecrets(m_a.org, endpointId, m_clock.nowMs());
    QVERIFY(keys && keys->size() == 1);
    again = call("POST", QStringLiteral("/v1/webhooks/%1/rotate").arg(endpoint), m_a.hooks);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body.value(QStringLiteral("previous_secret_until")).toString(), protocol::isoTime(m_clock.nowMs() + 24 * 3'600'000LL));
}

void TestWebhookApi::rotationOverlapIsRangeChecked_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("negative") << QByteArray(R"({"overlap_s": -1})") << 400 << "bad_overlap";
    QTest::newRow("over 7 days") << QByteArray(R"({"overlap_s": 604801})") << 400 << "bad_overlap";
    QTest::newRow("fraction") << QByteArray(R"({"overlap_s": 1.5})") << 400 << "bad_overlap";
    QTest::newRow("text") << QByteArray(R"({"overlap_s": "1h"})") << 400 << "bad_overlap";
    QTest::newRow("huge") << QByteArray(R"({"overlap_s": 1e300})") << 400 << "bad_overlap";
    QTest::newRow("unknown field") << QByteArray(R"({"overlap": 60})") << 400 << "unknown_field";
    QTest::newRow("7 days") << QByteArray(R"({"overlap_s": 604800})") << 200 << "";
}

void TestWebhookApi::rotationOverlapIsRangeChecked()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    const Answer a = call("POST", QStringLiteral("/v1/webhooks/%1/rotate").arg(endpoint), m_a.hooks, body);
    QCOMPARE(a.status, status);
    QCOMPARE(a.code(), code);
    if (status != 200) {
        // Nothing rotated: the secret shown at creation is still the only one.
        auto keys = WebhookRepository(*m_app, kSecretsKey).signingSecrets(m_a.org, QUuid::fromString(endpoint), m_clock.nowMs());
        QVERIFY(keys && keys->size() == 1);
        QCOMPARE(WebhookSecret::fromKey(keys->first())->toText(), made.body.value(QStringLiteral("secret")).toString().toLatin1());
    }
}

void TestWebhookApi::testEventsTheLogAndReplay()
{
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    const Answer queued = call("POST", QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), m_a.hooks);
    QCOMPARE(queued.status, 202);
    const QString delivery = queued.body.value(QStringLiteral("delivery_id")).toString();
    const QString messageId = queued.body.value(QStringLiteral("message_id")).toString();
    QVERIFY2(messageId.startsWith(QLatin1String("msg_")), qPrintable(messageId));
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.test"), endpoint, delivery));

    Answer log = call("GET", QStringLiteral("/v1/webhooks/%1/deliveries").arg(endpoint), m_a.hooks);
    QCOMPARE(log.status, 200);
    QCOMPARE(log.body.value(QStringLiteral("total")).toInt(), 1);
    QJsonObject d = log.body.value(QStringLiteral("deliveries")).toArray().first().toObject();
    QCOMPARE(d.value(QStringLiteral("id")).toString(), delivery);
    QCOMPARE(d.value(QStringLiteral("event_type")).toString(), QStringLiteral("webhook.test"));
    QCOMPARE(d.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    QCOMPARE(d.value(QStringLiteral("attempts")).toInt(), 0);
    // Still queued: nothing to replay.
    Answer replay = call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(endpoint, delivery), m_a.hooks);
    QCOMPARE(replay.status, 409);
    QVERIFY2(replay.message().contains(QLatin1String("still queued")), qPrintable(replay.message()));

    // One attempt, as a dispatcher records it: delivered, with status, latency and excerpt.
    WebhookDeliveryQueue queue(*m_app);
    auto claims = queue.claim(m_a.org, m_clock.nowMs(), 60'000, 10);
    QVERIFY(claims && claims->size() == 1);
    QCOMPARE(claims->first().messageId, messageId);
    QCOMPARE(claims->first().eventType, QStringLiteral("webhook.test"));
    QVERIFY(claims->first().payload.contains(endpoint.toLatin1()));
    WebhookAttemptOutcome outcome;
    outcome.startedAtMs = m_clock.nowMs();
    outcome.latencyMs = 42;
    outcome.httpStatus = 204;
    outcome.responseExcerpt = "ok";
    QVERIFY(queue.record(claims->first(), outcome, m_clock.nowMs(), 0.5));
    log = call("GET", QStringLiteral("/v1/webhooks/%1/deliveries").arg(endpoint), m_a.hooks);
    d = log.body.value(QStringLiteral("deliveries")).toArray().first().toObject();
    QCOMPARE(d.value(QStringLiteral("state")).toString(), QStringLiteral("delivered"));
    const QJsonObject attempt = d.value(QStringLiteral("log")).toArray().first().toObject();
    QCOMPARE(attempt.value(QStringLiteral("attempt")).toInt(), 1);
    QCOMPARE(attempt.value(QStringLiteral("status")).toInt(), 204);
    QCOMPARE(attempt.value(QStringLiteral("latency_ms")).toInt(), 42);
    QCOMPARE(attempt.value(QStringLiteral("response_excerpt")).toString(), QStringLiteral("ok"));
    QVERIFY(attempt.value(QStringLiteral("error")).isNull());

    // Replay: the same delivery (same webhook-id) queued again, with the whole schedule.
    m_clock.advanceMs(1000);
    replay = call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(endpoint, delivery), m_a.hooks);
    QCOMPARE(replay.status, 202);
    QCOMPARE(replay.body.value(QStringLiteral("message_id")).toString(), messageId);
    QCOMPARE(replay.body.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.replay"), endpoint, delivery));
    claims = queue.claim(m_a.org, m_clock.nowMs(), 60'000, 10);
    QVERIFY(claims && claims->size() == 1);
    QCOMPARE(claims->first().messageId, messageId);
    QCOMPARE(claims->first().attempt, 2);
    QCOMPARE(claims->first().scheduleAttempt, 1);
    WebhookAttemptOutcome failed;
    failed.startedAtMs = m_clock.nowMs();
    failed.httpStatus = 500;
    auto recorded = queue.record(claims->first(), failed, m_clock.nowMs(), 0.5);
    QVERIFY(recorded);
    QCOMPARE(recorded->state, QStringLiteral("pending"));
    QCOMPARE(*recorded->nextAttemptMs, m_clock.nowMs() + WebhookRetrySchedule::BaseDelayMs); // the first step again

    // Paging of the log; unknown delivery ids are 404.
    for (int i = 0; i < 2; ++i)
        QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), m_a.hooks).status, 202);
    log = call("GET", QStringLiteral("/v1/webhooks/%1/deliveries?limit=2").arg(endpoint), m_a.hooks);
    QCOMPARE(log.body.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(log.body.value(QStringLiteral("deliveries")).toArray().size(), 2);
    QCOMPARE(log.body.value(QStringLiteral("next_offset")).toInt(), 2);
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(endpoint, id(QUuid::createUuid())), m_a.hooks).status, 404);
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/nope/replay").arg(endpoint), m_a.hooks).status, 404);
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks/not-an-id"), m_a.hooks).status, 404);
}

void TestWebhookApi::disabledEndpointsTakeNoTestUntilEnabled()
{
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), m_a.hooks).status, 202);
    Answer off = call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, R"({"enabled": false})");
    QCOMPARE(off.status, 200);
    QCOMPARE(off.body.value(QStringLiteral("status")).toString(), QStringLiteral("disabled"));
    QVERIFY(off.body.value(QStringLiteral("disabled_reason")).toString().contains(QLatin1String("disabled by key")));
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.update"), endpoint, QStringLiteral("disabled")));
    // The queued test failed with it; a new one is refused.
    const Answer log = call("GET", QStringLiteral("/v1/webhooks/%1/deliveries").arg(endpoint), m_a.hooks);
    QCOMPARE(log.body.value(QStringLiteral("deliveries")).toArray().first().toObject().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    const Answer refused = call("POST", QStringLiteral("/v1/webhooks/%1/test").arg(endpoint), m_a.hooks);
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.code(), QStringLiteral("endpoint_disabled"));
    const QString delivery = log.body.value(QStringLiteral("deliveries")).toArray().first().toObject().value(QStringLiteral("id")).toString();
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(endpoint, delivery), m_a.hooks).status, 409);
    QCOMPARE(call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, R"({"enabled": "yes"})").status, 400);
    const Answer on = call("PATCH", QStringLiteral("/v1/webhooks/") + endpoint, m_a.hooks, R"({"enabled": true})");
    QCOMPARE(on.status, 200);
    QCOMPARE(on.body.value(QStringLiteral("status")).toString(), QStringLiteral("enabled"));
    QVERIFY(on.body.value(QStringLiteral("disabled_reason")).isNull());
    QCOMPARE(call("POST", QStringLiteral("/v1/webhooks/%1/deliveries/%2/replay").arg(endpoint, delivery), m_a.hooks).status, 202);
}

void TestWebhookApi::siteFiltersAndSiteRestrictedKeys()
{
    const Answer berlin = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("site_id"), id(m_a.sites[0].id)}});
    QCOMPARE(berlin.status, 201);
    const Answer everything = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(everything.status, 201);
    const QUuid berlinId = QUuid::fromString(berlin.body.value(QStringLiteral("id")).toString());
    const QUuid allId = QUuid::fromString(everything.body.value(QStringLiteral("id")).toString());
    // Events about Paris skip the Berlin endpoint; events about no site too.
    const auto deliveredTo = [&](const std::optional<QUuid> &site) {
        auto ids = m_app->inOrg(m_a.org, [&](Transaction &tx) -> core::Result<QSet<QUuid>> {
            auto queued = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("sync.gap"), "{}", m_clock.nowMs(), site);
            if (!queued)
                return queued.error();
            QSet<QUuid> endpoints;
            for (const QUuid &d : *queued) {
                auto q = tx.exec(QStringLiteral("SELECT endpoint_id FROM signiq.webhook_deliveries WHERE org_id = signiq.current_org() AND delivery_id = ?"),
                                 {id(d)});
                if (!q || !q->next())
                    return core::makeError(core::ErrorCode::Internal, QStringLiteral("no delivery"));
                endpoints.insert(QUuid::fromString(q->value(0).toString()));
            }
            return endpoints;
        });
        return ids ? *ids : QSet<QUuid>{QUuid()};
    };
    QCOMPARE(deliveredTo(m_a.sites[0].id), (QSet<QUuid>{berlinId, allId}));
    QCOMPARE(deliveredTo(m_a.sites[1].id), (QSet<QUuid>{allId}));
    QCOMPARE(deliveredTo(std::nullopt), (QSet<QUuid>{allId}));

    // A key restricted to Berlin sees and makes only Berlin's endpoints.
    const Answer list = call("GET", QStringLiteral("/v1/webhooks"), m_a.siteHooks);
    QCOMPARE(list.body.value(QStringLiteral("total")).toInt(), 1);
    QCOMPARE(list.body.value(QStringLiteral("webhooks")).toArray().first().toObject().value(QStringLiteral("id")).toString(), id(berlinId));
    QCOMPARE(call("GET", QStringLiteral("/v1/webhooks/") + id(allId), m_a.siteHooks).status, 404);
    QCOMPARE(call("DELETE", QStringLiteral("/v1/webhooks/") + id(allId), m_a.siteHooks).status, 404);
    const Answer made = create(m_a.siteHooks, {{QStringLiteral("url"), kPublicUrl}});
    QCOMPARE(made.status, 201);
    QCOMPARE(made.body.value(QStringLiteral("site_id")).toString(), id(m_a.sites[0].id));
    QCOMPARE(create(m_a.siteHooks, {{QStringLiteral("url"), kPublicUrl}, {QStringLiteral("site_id"), id(m_a.sites[1].id)}}).status, 400);
    QCOMPARE(call("PATCH", QStringLiteral("/v1/webhooks/") + id(berlinId), m_a.siteHooks, R"({"site_id": null})").status, 400);
}

void TestWebhookApi::allowedRangesArePerOrganisation()
{
    const QByteArray onPrem = R"({"ranges": ["10.20.0.0/16"]})";
    // Allowing private targets needs the admin scope too (audited when refused).
    Answer a = call("PUT", QStringLiteral("/v1/webhook-ranges"), m_a.hooks, onPrem);
    QCOMPARE(a.status, 403);
    QVERIFY(audited(m_a.org, QStringLiteral("auth.denied"), QStringLiteral("PUT /v1/webhook-ranges"), QStringLiteral("admin")));
    a = call("PUT", QStringLiteral("/v1/webhook-ranges"), m_a.hooksAdmin, onPrem);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.body.value(QStringLiteral("ranges")).toArray(), QJsonArray{QStringLiteral("10.20.0.0/16")});
    QVERIFY(audited(m_a.org, QStringLiteral("webhook.allowed_ranges"), QStringLiteral("10.20.0.0/16")));
    QCOMPARE(call("GET", QStringLiteral("/v1/webhook-ranges"), m_a.hooks).body.value(QStringLiteral("ranges")).toArray(),
             QJsonArray{QStringLiteral("10.20.0.0/16")});
    // A's on-premises receiver is accepted; other private addresses still are not; B is unchanged.
    QCOMPARE(create(m_a.hooks, {{QStringLiteral("url"), QStringLiteral("https://10.20.1.2:8443/hook")}}).status, 201);
    QCOMPARE(create(m_a.hooks, {{QStringLiteral("url"), QStringLiteral("https://10.21.0.1/hook")}}).code(), QStringLiteral("non_public_target"));
    QCOMPARE(create(m_b.hooks, {{QStringLiteral("url"), QStringLiteral("https://10.20.1.2:8443/hook")}}).code(), QStringLiteral("non_public_target"));
    QVERIFY(call("GET", QStringLiteral("/v1/webhook-ranges"), m_b.hooks).body.value(QStringLiteral("ranges")).toArray().isEmpty());
    // Bad ranges name themselves.
    for (const QByteArray &bad : {QByteArray(R"({"ranges": ["nonsense"]})"), QByteArray(R"({"ranges": ["0.0.0.0/0"]})"),
                                  QByteArray(R"({"ranges": ["10.0.0.0/4"]})"), QByteArray(R"({"ranges": "10.0.0.0/8"})"),
                                  QByteArray(R"({"ranges": [7]})")}) {
        a = call("PUT", QStringLiteral("/v1/webhook-ranges"), m_a.hooksAdmin, bad);
        QVERIFY2(a.status == 400 && a.code() == QLatin1String("bad_range"), bad.constData());
    }
    QCOMPARE(call("GET", QStringLiteral("/v1/webhook-ranges"), m_a.hooks).body.value(QStringLiteral("ranges")).toArray(),
             QJsonArray{QStringLiteral("10.20.0.0/16")});
}

void TestWebhookApi::unconfiguredHubAnswers503()
{
    HubApiOptions options;
    options.authCacheMs = 0;
    HubApiServer unconfigured(*m_app, m_clock, options);
    http::Request r;
    r.method = "GET";
    r.path = QStringLiteral("/v1/webhooks");
    r.target = "/v1/webhooks";
    r.headers.append({QByteArrayLiteral("authorization"), "Bearer " + m_a.hooks.toLatin1()});
    const auto response = unconfigured.handle(r);
    QVERIFY(response);
    QCOMPARE(response->status, 503);
    QVERIFY(response->body.contains("--webhook-key-file"));
}

void TestWebhookApi::syncIngestQueuesAudienceWindowAndDeviceOnline()
{
    // An endpoint for Berlin's audience windows and device.online; a device in Berlin syncs.
    const Answer made = create(m_a.hooks, {{QStringLiteral("url"), kPublicUrl},
                                           {QStringLiteral("events"), QJsonArray{QStringLiteral("audience.window"), QStringLiteral("device.online")}},
                                           {QStringLiteral("site_id"), id(m_a.sites[0].id)}});
    QCOMPARE(made.status, 201);
    const QString endpoint = made.body.value(QStringLiteral("id")).toString();
    auto device = DeviceRepository(*m_app).create(m_a.org, NewDevice{m_a.sites[0].id, QStringLiteral("door screen"),
                                                                     QStringLiteral("ab%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(12))});
    QVERIFY2(device, qPrintable(device.ok() ? QString() : device.error().toString()));
    SyncIngest ingest(*m_app, m_clock);
    const auto batchOf = [&](int seed) {
        protocol::SyncBatch b;
        b.batchId = id(QUuid::createUuid());
        b.sentAtMs = m_clock.nowMs();
        b.audience = {test::window(QStringLiteral("door"), m_clock.nowMs() - 120'000 - seed * 60'000, seed)};
        return b;
    };
    const auto events = [&]() {
        QStringList types;
        const Answer log = call("GET", QStringLiteral("/v1/webhooks/%1/deliveries?limit=100").arg(endpoint), m_a.hooks);
        for (const QJsonValue &v : log.body.value(QStringLiteral("deliveries")).toArray())
            types.prepend(v.toObject().value(QStringLiteral("event_type")).toString());
        return types;
    };
    // First batch: the device comes online, and its windows arrive.
    const protocol::SyncBatch first = batchOf(1);
    QVERIFY(ingest.ingest(SyncDevice{m_a.org, device->id}, first));
    QCOMPARE(events().size(), 2);
    QVERIFY(events().contains(QStringLiteral("device.online")) && events().contains(QStringLiteral("audience.window")));
    auto claims = WebhookDeliveryQueue(*m_app).claim(m_a.org, m_clock.nowMs(), 60'000, 10);
    QVERIFY(claims && claims->size() == 2);
    for (const WebhookClaim &c : *claims) {
        const QJsonObject body = QJsonDocument::fromJson(c.payload).object();
        const QJsonObject data = body.value(QStringLiteral("data")).toObject();
        QCOMPARE(body.value(QStringLiteral("type")).toString(), c.eventType);
        QCOMPARE(data.value(QStringLiteral("device_id")).toString(), id(device->id));
        QCOMPARE(data.value(QStringLiteral("site_id")).toString(), id(m_a.sites[0].id));
        if (c.eventType == QLatin1String("audience.window")) {
            QCOMPARE(data.value(QStringLiteral("batch_id")).toString(), first.batchId);
            const QJsonObject w = data.value(QStringLiteral("windows")).toArray().first().toObject();
            QCOMPARE(w.value(QStringLiteral("zone")).toString(), QStringLiteral("door"));
            QCOMPARE(w.value(QStringLiteral("ots")).toInt(), first.audience.first().ots);
        } else {
            QVERIFY(data.value(QStringLiteral("last_seen_at")).isNull());
        }
    }
    // The same batch again stores and queues nothing; a minute later only windows arrive.
    QVERIFY(ingest.ingest(SyncDevice{m_a.org, device->id}, first));
    QCOMPARE(events().size(), 2);
    m_clock.advanceMs(60'000);
    QVERIFY(ingest.ingest(SyncDevice{m_a.org, device->id}, batchOf(2)));
    QCOMPARE(events(), (QStringList{events().at(0), events().at(1), QStringLiteral("audience.window")}));
    // Ten minutes of silence: online again.
    m_clock.advanceMs(10 * 60'000);
    QVERIFY(ingest.ingest(SyncDevice{m_a.org, device->id}, batchOf(3)));
    QCOMPARE(events().size(), 5);
    QVERIFY(events().mid(3).contains(QStringLiteral("device.online")));
}

QTEST_GUILESS_MAIN(TestWebhookApi)
#include "TestWebhookApi.moc"
