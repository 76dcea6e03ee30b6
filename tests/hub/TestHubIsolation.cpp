// Tenant isolation, proven against the real PostgreSQL server of the CTest fixture (database
// signiq_test_isolation): two organisations with data in every tenant table; every repository
// function called as A sees nothing of B; an unfiltered SELECT * through the application role
// returns only A's rows under A's context and nothing without a context; writing a row for
// another organisation is refused by the database.
#include "HubTestSupport.h"

#include "core/Clock.h"
#include "crypto/Envelope.h"
#include "hub/ApiKeyRepository.h"
#include "hub/AuditRepository.h"
#include "hub/DeviceRepository.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SiteRepository.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookRepository.h"
#include "hub/WindowRepository.h"
#include "hub/SyncIngest.h"
#include "crypto/CertificateAuthority.h"
#include "hub/ZoneRepository.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;
using test::utcMs;

namespace {

const QString kDb = QStringLiteral("signiq_test_isolation");

QByteArray secretsKey(char seed)
{
    return QByteArray(32, seed);
}

// Every tenant table and partition, from pg_catalog (so a new table is covered automatically).
QStringList tenantTables(Database &db)
{
    auto tables = db.maintenance([](Transaction &tx) -> core::Result<QStringList> {
        auto q = tx.exec(QStringLiteral("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' "
                                        "WHERE c.relkind IN ('r','p') AND n.nspname = 'signiq' ORDER BY 1"));
        if (!q)
            return q.error();
        QStringList names;
        while (q->next())
            names << q->value(0).toString();
        return names;
    });
    return tables ? *tables : QStringList();
}

struct Tenant {
    Organisation org;
    Site site;
    Device device;
    IssuedHubKey key;
    WebhookEndpoint webhook;
};

} // namespace

class TestHubIsolation : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void repositoriesSeeOnlyTheirOrganisation();
    void crossOrganisationIdsAreUnknown();
    void unfilteredSelectSeesOnlyTheContextsRows();
    void contextEndsWithTheTransaction();
    void writingForAnotherOrganisationIsRefused();
    void badTimeZonesAreRefused();
    void unknownOrganisationIsNotFound();
    void keysAuthenticateAndRevoke();
    void webhookSecretIsOnlyStoredSealed();
    void windowsPageAndFilterInSql();
    void deviceLimitFollowsTheTier();
    void tierChangeIsAudited();
    void windowTextRoundTripsExactly();

private:
    core::Result<Tenant> makeTenant(const QString &name, protocol::Tier tier, const QString &serial, qint64 windowStart);

    core::ManualClock m_clock{utcMs(2026, 12, 7)};
    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    Tenant m_a;
    Tenant m_b;
};

core::Result<Tenant> TestHubIsolation::makeTenant(const QString &name, protocol::Tier tier, const QString &serial, qint64 windowStart)
{
    Tenant t;
    OrganisationRepository orgs(*m_app, m_clock);
    auto org = orgs.create(name, tier, QStringLiteral("test"));
    if (!org)
        return org.error();
    t.org = *org;
    auto site = SiteRepository(*m_app).create(t.org.id, name + QStringLiteral(" venue"), QStringLiteral("Europe/Paris"));
    if (!site)
        return site.error();
    t.site = *site;
    auto device = DeviceRepository(*m_app).create(t.org.id, {t.site.id, name + QStringLiteral(" screen"), serial});
    if (!device)
        return device.error();
    t.device = *device;
    if (core::Status seen = DeviceRepository(*m_app).recordSeen(t.org.id, t.device.id, m_clock.nowMs(), QStringLiteral("m1"), QStringLiteral("c1"));
        !seen)
        return seen.error();
    if (core::Status zones = ZoneRepository(*m_app).replace(t.org.id, t.device.id,
                                                             {{QStringLiteral("entrance"), QStringLiteral("zone"), {}, m_clock.nowMs()},
                                                              {QStringLiteral("queue"), QStringLiteral("zone"), {}, m_clock.nowMs()}});
        !zones)
        return zones.error();
    WindowRepository windows(*m_app);
    auto inserted = windows.insertAudience(t.org.id, t.device.id,
                                           {test::window(QStringLiteral("entrance"), windowStart, 1),
                                            test::window(QStringLiteral("queue"), windowStart, 2),
                                            test::window(QStringLiteral("entrance"), windowStart + 60'000, 3)});
    if (!inserted)
        return inserted.error();
    auto demo = windows.insertDemographic(t.org.id, t.device.id, {test::demographic(QStringLiteral("entrance"), windowStart)});
    if (!demo)
        return demo.error();
    NewKey request;
    request.name = QStringLiteral("integrator");
    request.scopes = protocol::Scope::Read | protocol::Scope::Export;
    auto key = ApiKeyRepository(*m_app, m_clock).create(t.org.id, request, QStringLiteral("test"));
    if (!key)
        return key.error();
    t.key = *key;
    auto hook = WebhookRepository(*m_app, secretsKey('k'))
                    .create(t.org.id, QStringLiteral("https://example.com/hook"), {QStringLiteral("window.created")},
                            "whsec-" + name.toUtf8());
    if (!hook)
        return hook.error();
    t.webhook = *hook;
    // Sync (0003): a deployment CA, a revoked certificate of it, and a batch in the ledger
    // (without windows, so the window counts above stay as they are).
    const core::SystemClock systemClock;
    auto ca = crypto::CertificateAuthority::create(name + QStringLiteral(" deployment CA"), 24LL * 3600 * 1000, systemClock);
    if (!ca)
        return ca.error();
    SyncIngest ingest(*m_app, m_clock);
    if (core::Status registered = ingest.registerDeploymentCa(t.org.id, ca->certificate()); !registered)
        return registered.error();
    if (core::Status revoked = ingest.revokeCertificate(t.org.id, ca->certificate(), QStringLiteral("0a")); !revoked)
        return revoked.error();
    protocol::SyncBatch batch;
    batch.batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    batch.sentAtMs = m_clock.nowMs();
    if (auto ack = ingest.ingest(SyncDevice{t.org.id, t.device.id}, batch); !ack)
        return ack.error();
    // A queued delivery with one failed attempt (webhook_deliveries, webhook_attempts).
    WebhookDeliveryQueue queue(*m_app);
    auto queued = m_app->inOrg(t.org.id, [&](Transaction &tx) {
        return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("window.created"), "{}", windowStart);
    });
    if (!queued)
        return queued.error();
    auto claims = queue.claim(t.org.id, windowStart, 60'000, 10);
    if (!claims)
        return claims.error();
    for (const WebhookClaim &c : *claims) {
        WebhookAttemptOutcome failed;
        failed.startedAtMs = windowStart;
        failed.httpStatus = 500;
        auto recorded = queue.record(c, failed, windowStart, 0.5);
        if (!recorded)
            return recorded.error();
    }
    return t;
}

void TestHubIsolation::initTestCase()
{
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto migrated = Migrations::apply(*m_owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : migrated.error().toString()));
    QVERIFY(Retention::createPartitions(*m_owner, QDate(2026, 11, 1), QDate(2027, 1, 1)));
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
    auto a = makeTenant(QStringLiteral("Alpha"), protocol::Tier::Pro, QStringLiteral("A1"), utcMs(2026, 12, 1));
    QVERIFY2(a, qPrintable(a.ok() ? QString() : a.error().toString()));
    m_a = *a;
    auto b = makeTenant(QStringLiteral("Beta"), protocol::Tier::Free, QStringLiteral("B1"), utcMs(2026, 12, 1));
    QVERIFY2(b, qPrintable(b.ok() ? QString() : b.error().toString()));
    m_b = *b;
}

void TestHubIsolation::repositoriesSeeOnlyTheirOrganisation()
{
    const QUuid a = m_a.org.id;
    auto org = OrganisationRepository(*m_app, m_clock).find(a);
    QVERIFY(org);
    QCOMPARE(org->name, QStringLiteral("Alpha"));

    auto sites = SiteRepository(*m_app).list(a);
    QVERIFY(sites);
    QCOMPARE(sites->size(), 1);
    QCOMPARE(sites->first().id, m_a.site.id);

    auto devices = DeviceRepository(*m_app).list(a);
    QVERIFY(devices);
    QCOMPARE(devices->size(), 1);
    QCOMPARE(devices->first().id, m_a.device.id);
    QCOMPARE(devices->first().lastSeenAtMs, std::optional<qint64>(m_clock.nowMs()));
    auto bySite = DeviceRepository(*m_app).list(a, m_b.site.id);
    QVERIFY(bySite);
    QVERIFY(bySite->isEmpty());

    auto zones = ZoneRepository(*m_app).list(a, m_a.device.id);
    QVERIFY(zones);
    QCOMPARE(zones->size(), 2);
    auto zonesOfB = ZoneRepository(*m_app).list(a, m_b.device.id);
    QVERIFY(zonesOfB);
    QVERIFY(zonesOfB->isEmpty());

    WindowRepository windows(*m_app);
    auto all = windows.queryAudience(a, {});
    QVERIFY(all);
    QCOMPARE(all->total, qint64(3));
    for (const auto &w : all->items)
        QCOMPARE(w.deviceId, m_a.device.id);
    WindowQuery ofB;
    ofB.deviceId = m_b.device.id;
    auto none = windows.queryAudience(a, ofB);
    QVERIFY(none);
    QCOMPARE(none->total, qint64(0));
    QVERIFY(none->items.isEmpty());
    WindowQuery siteB;
    siteB.siteId = m_b.site.id;
    auto noneBySite = windows.queryAudience(a, siteB);
    QVERIFY(noneBySite);
    QCOMPARE(noneBySite->total, qint64(0));
    auto demo = windows.queryDemographic(a, {});
    QVERIFY(demo);
    QCOMPARE(demo->total, qint64(1));
    QCOMPARE(demo->items.first().deviceId, m_a.device.id);
    auto demoB = windows.queryDemographic(a, ofB);
    QVERIFY(demoB);
    QCOMPARE(demoB->total, qint64(0));

    auto keys = ApiKeyRepository(*m_app, m_clock).list(a);
    QVERIFY(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().keyId, m_a.key.key.keyId);

    AuditRepository audit(*m_app, m_clock);
    auto entries = audit.list(a);
    QVERIFY(entries);
    QCOMPARE(entries->size(), 2); // org.create, key.create
    QCOMPARE(entries->at(0).action, QStringLiteral("org.create"));
    QCOMPARE(entries->at(1).target, m_a.key.key.keyId);
    auto entriesB = audit.list(m_b.org.id);
    QVERIFY(entriesB);
    for (const auto &e : *entries) {
        for (const auto &f : *entriesB)
            QVERIFY(e.hash != f.hash);
    }
    auto intact = audit.verify(a);
    QVERIFY(intact);
    QVERIFY(!intact->has_value());

    auto hooks = WebhookRepository(*m_app, secretsKey('k')).list(a);
    QVERIFY(hooks);
    QCOMPARE(hooks->size(), 1);
    QCOMPARE(hooks->first().id, m_a.webhook.id);
}

void TestHubIsolation::crossOrganisationIdsAreUnknown()
{
    const QUuid a = m_a.org.id;
    auto site = SiteRepository(*m_app).find(a, m_b.site.id);
    QVERIFY(!site);
    QCOMPARE(site.error().code, core::ErrorCode::NotFound);
    auto device = DeviceRepository(*m_app).find(a, m_b.device.id);
    QVERIFY(!device);
    QCOMPARE(device.error().code, core::ErrorCode::NotFound);
    auto seen = DeviceRepository(*m_app).recordSeen(a, m_b.device.id, 1, QString(), QString());
    QVERIFY(!seen);
    QCOMPARE(seen.error().code, core::ErrorCode::NotFound);
    auto onSiteB = DeviceRepository(*m_app).create(a, {m_b.site.id, QStringLiteral("x"), QStringLiteral("AB")});
    QVERIFY(!onSiteB);
    QCOMPARE(onSiteB.error().code, core::ErrorCode::NotFound);
    auto zones = ZoneRepository(*m_app).replace(a, m_b.device.id, {});
    QVERIFY(!zones);
    QCOMPARE(zones.error().code, core::ErrorCode::NotFound);
    auto windows = WindowRepository(*m_app).insertAudience(a, m_b.device.id, {test::window(QStringLiteral("q"), utcMs(2026, 12, 2), 1)});
    QVERIFY(!windows);
    QCOMPARE(windows.error().code, core::ErrorCode::NotFound);
    ApiKeyRepository keys(*m_app, m_clock);
    auto keyB = keys.find(a, m_b.key.key.keyId);
    QVERIFY(!keyB);
    QCOMPARE(keyB.error().code, core::ErrorCode::NotFound);
    auto revokeB = keys.revoke(a, m_b.key.key.keyId, QStringLiteral("attacker"));
    QVERIFY(!revokeB);
    QCOMPARE(revokeB.error().code, core::ErrorCode::NotFound);
    QVERIFY(keys.authenticate(m_b.key.token)); // B's key still works
    NewKey onB;
    onB.scopes = protocol::Scope::Read;
    onB.siteId = m_b.site.id;
    auto keyOnSiteB = keys.create(a, onB, QStringLiteral("test"));
    QVERIFY(!keyOnSiteB);
    QCOMPARE(keyOnSiteB.error().code, core::ErrorCode::NotFound);
    auto secretB = WebhookRepository(*m_app, secretsKey('k')).secret(a, m_b.webhook.id);
    QVERIFY(!secretB);
    QCOMPARE(secretB.error().code, core::ErrorCode::NotFound);
}

void TestHubIsolation::unfilteredSelectSeesOnlyTheContextsRows()
{
    const QStringList tables = tenantTables(*m_owner);
    QVERIFY2(tables.size() >= 9, qPrintable(tables.join(QLatin1Char(' '))));
    const QString aText = m_a.org.id.toString(QUuid::WithoutBraces);
    int checkedWithRows = 0;
    for (const QString &table : tables) {
        // Partitions are not granted to the application at all (it goes through the parent).
        auto granted = m_app->maintenance([&](Transaction &tx) -> core::Result<bool> {
            auto q = tx.exec(QStringLiteral("SELECT has_table_privilege(current_user, CAST(? AS regclass), 'SELECT')"), {table});
            if (!q)
                return q.error();
            q->next();
            return q->value(0).toBool();
        });
        QVERIFY(granted);
        if (!*granted) {
            auto denied = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Status {
                auto q = tx.exec(QStringLiteral("SELECT * FROM ") + table);
                if (!q)
                    return q.error();
                return {};
            });
            QVERIFY2(!denied && denied.error().code == core::ErrorCode::PermissionDenied, qPrintable(table));
            QVERIFY2(table.contains(QLatin1String("_p")), qPrintable(table + QStringLiteral(" is a tenant table the application cannot read")));
            continue;
        }
        // Deliberately unfiltered: only RLS decides.
        auto asA = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<QStringList> {
            auto q = tx.exec(QStringLiteral("SELECT * FROM ") + table);
            if (!q)
                return q.error();
            QStringList orgs;
            const int column = q->record().indexOf(QStringLiteral("org_id"));
            while (q->next())
                orgs << uuidValue(q->value(column)).toString(QUuid::WithoutBraces);
            return orgs;
        });
        QVERIFY2(asA, qPrintable(table + QStringLiteral(": ") + (asA.ok() ? QString() : asA.error().toString())));
        QVERIFY2(!asA->isEmpty(), qPrintable(table + QStringLiteral(": A has rows here, but none came back")));
        for (const QString &org : *asA)
            QVERIFY2(org == aText, qPrintable(table + QStringLiteral(": a row of organisation ") + org + QStringLiteral(" under A's context")));
        ++checkedWithRows;

        auto noContext = m_app->maintenance([&](Transaction &tx) -> core::Result<int> {
            auto q = tx.exec(QStringLiteral("SELECT * FROM ") + table);
            if (!q)
                return q.error();
            int rows = 0;
            while (q->next())
                ++rows;
            return rows;
        });
        QVERIFY(noContext);
        QVERIFY2(*noContext == 0, qPrintable(table + QStringLiteral(": rows without a context")));

        // And on a bare session where signiq.org_id was never set in any transaction.
        QSqlQuery bare(QSqlDatabase::database(m_app->connectionName(), false));
        QVERIFY(bare.exec(QStringLiteral("SELECT count(*) FROM ") + table));
        QVERIFY(bare.next());
        QVERIFY2(bare.value(0).toLongLong() == 0, qPrintable(table));
    }
    QVERIFY(checkedWithRows >= 9);

    // The owner is subject to the policies too (FORCE): no context, no tenant rows, apart from
    // its two documented maintenance policies (organisations, api_keys).
    auto ownerSees = m_owner->maintenance([](Transaction &tx) -> core::Result<qint64> {
        auto q = tx.exec(QStringLiteral("SELECT (SELECT count(*) FROM signiq.sites) + (SELECT count(*) FROM signiq.audience_windows) "
                                        "+ (SELECT count(*) FROM signiq.audit_entries) + (SELECT count(*) FROM signiq.webhook_endpoints)"));
        if (!q)
            return q.error();
        q->next();
        return q->value(0).toLongLong();
    });
    QVERIFY(ownerSees);
    QCOMPARE(*ownerSees, qint64(0));
}

void TestHubIsolation::contextEndsWithTheTransaction()
{
    auto inside = m_app->inOrg(m_a.org.id, [](Transaction &tx) -> core::Result<QString> {
        auto q = tx.exec(QStringLiteral("SELECT current_setting('signiq.org_id', true)"));
        if (!q)
            return q.error();
        q->next();
        return q->value(0).toString();
    });
    QVERIFY(inside);
    QCOMPARE(*inside, m_a.org.id.toString(QUuid::WithoutBraces));
    QSqlQuery after(QSqlDatabase::database(m_app->connectionName(), false));
    QVERIFY(after.exec(QStringLiteral("SELECT coalesce(current_setting('signiq.org_id', true), ''), (SELECT count(*) FROM signiq.sites)")));
    QVERIFY(after.next());
    QCOMPARE(after.value(0).toString(), QString());
    QCOMPARE(after.value(1).toLongLong(), qint64(0));
    // A failed transaction leaves no context either.
    auto failed = m_app->inOrg(m_a.org.id, [](Transaction &) -> core::Status {
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("boom"));
    });
    QVERIFY(!failed);
    QVERIFY(after.exec(QStringLiteral("SELECT count(*) FROM signiq.devices")));
    QVERIFY(after.next());
    QCOMPARE(after.value(0).toLongLong(), qint64(0));
}

void TestHubIsolation::writingForAnotherOrganisationIsRefused()
{
    const QString b = m_b.org.id.toString(QUuid::WithoutBraces);
    const QString deviceB = m_b.device.id.toString(QUuid::WithoutBraces);
    const QStringList inserts{
        QStringLiteral("INSERT INTO signiq.organisations (org_id, name, tier) VALUES (gen_random_uuid(), 'x', 'free')"),
        QStringLiteral("INSERT INTO signiq.sites (org_id, name, time_zone) VALUES ('%1', 'x', 'UTC')").arg(b),
        QStringLiteral("INSERT INTO signiq.devices (org_id, name, certificate_serial) VALUES ('%1', 'x', 'FF')").arg(b),
        QStringLiteral("INSERT INTO signiq.zones (org_id, device_id, zone, kind, reported_at) VALUES ('%1', '%2', 'z', 'zone', now())").arg(b, deviceB),
        QStringLiteral("INSERT INTO signiq.api_keys (org_id, key_id, environment, secret_hash, scopes) "
                       "VALUES ('%1', 'aaaaaaaaaaaa', 'live', sha256('x'), '{read}')").arg(b),
        QStringLiteral("INSERT INTO signiq.audit_entries (org_id, seq, timestamp_ms, actor, source_ip, action, target, result, prev_hash, hash) "
                       "VALUES ('%1', 99, 0, 'x', '', 'x', '', 'ok', repeat('0', 64), repeat('1', 64))").arg(b),
        QStringLiteral("INSERT INTO signiq.webhook_endpoints (org_id, url, secret_envelope) VALUES ('%1', 'https://x', '\\x5351455600'::bytea)").arg(b),
        QStringLiteral("INSERT INTO signiq.audience_windows (org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy, "
                       "peak_occupancy, viewers, attention_time_s, confidence, quality_flags, model_version, calibration_version, window_json) "
                       "VALUES ('%1', '%2', 'z', '2026-12-03', '2026-12-03 00:01', 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', '{}')").arg(b, deviceB),
        QStringLiteral("INSERT INTO signiq.demographic_windows (org_id, device_id, zone, start_at, end_at, k, model_version, calibration_version, "
                       "window_json) VALUES ('%1', '%2', 'z', '2026-12-03', '2026-12-03 00:05', 10, '', '', '{}')").arg(b, deviceB),
        // Moving A's own row to B is refused as well (WITH CHECK on UPDATE).
        QStringLiteral("UPDATE signiq.sites SET org_id = '%1'").arg(b),
    };
    for (const QString &sql : inserts) {
        auto refused = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Status {
            auto q = tx.exec(sql);
            if (!q)
                return q.error();
            return {};
        });
        QVERIFY2(!refused, qPrintable(sql));
        QVERIFY2(refused.error().code == core::ErrorCode::PermissionDenied, qPrintable(refused.error().toString()));
        QVERIFY2(refused.error().message.contains(QLatin1String("row-level security")), qPrintable(refused.error().message));
    }
    // Updating or deleting B's rows under A's context touches nothing.
    auto touched = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<int> {
        auto u = tx.exec(QStringLiteral("UPDATE signiq.sites SET name = 'hijacked' WHERE org_id = CAST(? AS uuid)"), {b});
        if (!u)
            return u.error();
        auto d = tx.exec(QStringLiteral("DELETE FROM signiq.devices WHERE org_id = CAST(? AS uuid)"), {b});
        if (!d)
            return d.error();
        return u->numRowsAffected() + d->numRowsAffected();
    });
    QVERIFY(touched);
    QCOMPARE(*touched, 0);
    auto siteB = SiteRepository(*m_app).find(m_b.org.id, m_b.site.id);
    QVERIFY(siteB);
    QCOMPARE(siteB->name, QStringLiteral("Beta venue"));
    // Without any context nothing can be written at all.
    auto noContext = m_app->maintenance([&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.sites (org_id, name, time_zone) VALUES ('%1', 'x', 'UTC')").arg(b));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(!noContext);
    QCOMPARE(noContext.error().code, core::ErrorCode::PermissionDenied);
}

void TestHubIsolation::badTimeZonesAreRefused()
{
    SiteRepository sites(*m_app);
    for (const QString &zone : {QStringLiteral("Mars/Olympus"), QStringLiteral("Europe/Pariss"), QString(), QStringLiteral("../etc/passwd"),
                                QStringLiteral("Europe/Paris; DROP TABLE x")}) {
        auto refused = sites.create(m_a.org.id, QStringLiteral("bad"), zone);
        QVERIFY2(!refused, qPrintable(zone));
        QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(refused.error().message.contains(QLatin1String("time zone")), qPrintable(refused.error().message));
    }
    // The database refuses them too, whoever writes.
    auto raw = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.sites (org_id, name, time_zone) VALUES (CAST(? AS uuid), 'raw', 'Mars/Olympus')"),
                         {m_a.org.id.toString(QUuid::WithoutBraces)});
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(!raw);
    QCOMPARE(raw.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(raw.error().message.contains(QLatin1String("23514")), qPrintable(raw.error().message));
    for (const QString &zone : {QStringLiteral("America/Argentina/Buenos_Aires"), QStringLiteral("UTC"), QStringLiteral("Asia/Kolkata")}) {
        auto ok = sites.create(m_a.org.id, QStringLiteral("good"), zone);
        QVERIFY2(ok, qPrintable(ok.ok() ? QString() : ok.error().toString()));
        QCOMPARE(ok->timeZone, zone);
    }
}

void TestHubIsolation::unknownOrganisationIsNotFound()
{
    const QUuid nobody = QUuid::createUuid();
    auto org = OrganisationRepository(*m_app, m_clock).find(nobody);
    QVERIFY(!org);
    QCOMPARE(org.error().code, core::ErrorCode::NotFound);
    QVERIFY(org.error().message.contains(nobody.toString(QUuid::WithoutBraces)));
    auto site = SiteRepository(*m_app).create(nobody, QStringLiteral("x"), QStringLiteral("UTC"));
    QVERIFY(!site);
    QCOMPARE(site.error().code, core::ErrorCode::NotFound);
    NewKey request;
    request.scopes = protocol::Scope::Read;
    auto key = ApiKeyRepository(*m_app, m_clock).create(nobody, request, QStringLiteral("test"));
    QVERIFY(!key);
    QCOMPARE(key.error().code, core::ErrorCode::NotFound);
    auto tier = OrganisationRepository(*m_app, m_clock).setTier(nobody, protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(!tier);
    QCOMPARE(tier.error().code, core::ErrorCode::NotFound);
    auto audit = AuditRepository(*m_app, m_clock).append(nobody, {QStringLiteral("x"), QString(), QStringLiteral("x"), QString(), QStringLiteral("ok")});
    QVERIFY(!audit);
    QCOMPARE(audit.error().code, core::ErrorCode::NotFound);
    QVERIFY(!parseId(QStringLiteral("not-a-uuid"), QStringLiteral("--org")));
}

void TestHubIsolation::keysAuthenticateAndRevoke()
{
    ApiKeyRepository keys(*m_app, m_clock);
    auto a = keys.authenticate(m_a.key.token);
    QVERIFY2(a, qPrintable(a.ok() ? QString() : a.error().toString()));
    QCOMPARE(a->orgId, m_a.org.id);
    QCOMPARE(a->key.keyId, m_a.key.key.keyId);
    QCOMPARE(a->key.scopes, protocol::Scopes(protocol::Scope::Read | protocol::Scope::Export));
    auto b = keys.authenticate(m_b.key.token);
    QVERIFY(b);
    QCOMPARE(b->orgId, m_b.org.id);
    // Stored as SHA-256 of the token, the edge's hashing.
    auto stored = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<QByteArray> {
        auto q = tx.exec(QStringLiteral("SELECT secret_hash FROM signiq.api_keys WHERE key_id = ?"), {m_a.key.key.keyId});
        if (!q)
            return q.error();
        q->next();
        return q->value(0).toByteArray();
    });
    QVERIFY(stored);
    QCOMPARE(*stored, protocol::ApiKeyFormat::hashToken(m_a.key.token));

    QString mistyped = m_a.key.token;
    mistyped[20] = mistyped[20] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    auto bad = keys.authenticate(mistyped);
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, core::ErrorCode::InvalidArgument);
    auto other = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live, m_a.key.key.keyId); // right id, wrong secret
    QVERIFY(other);
    auto wrong = keys.authenticate(other->token);
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, core::ErrorCode::PermissionDenied);

    NewKey request;
    request.scopes = protocol::Scope::Read;
    request.siteId = m_a.site.id;
    auto siteKey = keys.create(m_a.org.id, request, QStringLiteral("test"));
    QVERIFY(siteKey);
    QCOMPARE(siteKey->key.siteId, std::optional<QUuid>(m_a.site.id));
    auto revoked = keys.revoke(m_a.org.id, siteKey->key.keyId, QStringLiteral("test"));
    QVERIFY(revoked);
    QCOMPARE(revoked->revokedAtMs, std::optional<qint64>(m_clock.nowMs()));
    auto refused = keys.authenticate(siteKey->token);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
    auto entries = AuditRepository(*m_app, m_clock).list(m_a.org.id);
    QVERIFY(entries);
    QCOMPARE(entries->last().action, QStringLiteral("key.revoke"));
    QCOMPARE(entries->last().target, siteKey->key.keyId);
}

void TestHubIsolation::webhookSecretIsOnlyStoredSealed()
{
    auto sealed = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<QByteArray> {
        auto q = tx.exec(QStringLiteral("SELECT secret_envelope FROM signiq.webhook_endpoints WHERE endpoint_id = CAST(? AS uuid)"),
                         {m_a.webhook.id.toString(QUuid::WithoutBraces)});
        if (!q)
            return q.error();
        q->next();
        return q->value(0).toByteArray();
    });
    QVERIFY(sealed);
    QVERIFY(sealed->startsWith("SQEV"));
    QVERIFY(!sealed->contains("whsec-Alpha"));
    WebhookRepository hooks(*m_app, secretsKey('k'));
    auto secret = hooks.secret(m_a.org.id, m_a.webhook.id);
    QVERIFY(secret);
    QCOMPARE(*secret, QByteArray("whsec-Alpha"));
    auto wrongKey = WebhookRepository(*m_app, secretsKey('x')).secret(m_a.org.id, m_a.webhook.id);
    QVERIFY(!wrongKey);
    QCOMPARE(wrongKey.error().code, core::ErrorCode::WrongKey);
    QVERIFY(!hooks.create(m_a.org.id, QStringLiteral("ftp://plain.example.com") /* http is refused by the API in production mode (test_hub_webhook_api) */, {}, "s"));
}

void TestHubIsolation::windowsPageAndFilterInSql()
{
    WindowRepository windows(*m_app);
    WindowQuery page1;
    page1.limit = 2;
    auto first = windows.queryAudience(m_a.org.id, page1);
    QVERIFY(first);
    QCOMPARE(first->total, qint64(3));
    QCOMPARE(first->items.size(), 2);
    QCOMPARE(first->nextOffset, std::optional<qint64>(2));
    QCOMPARE(first->items.at(0).window, test::window(QStringLiteral("entrance"), utcMs(2026, 12, 1), 1)); // exact round trip
    WindowQuery page2 = page1;
    page2.offset = 2;
    auto second = windows.queryAudience(m_a.org.id, page2);
    QVERIFY(second);
    QCOMPARE(second->items.size(), 1);
    QVERIFY(!second->nextOffset);
    QCOMPARE(second->items.first().window.startMs, utcMs(2026, 12, 1) + 60'000);

    WindowQuery byZone;
    byZone.zone = QStringLiteral("queue");
    byZone.siteId = m_a.site.id;
    auto queue = windows.queryAudience(m_a.org.id, byZone);
    QVERIFY(queue);
    QCOMPARE(queue->total, qint64(1));
    WindowQuery byTime;
    byTime.fromMs = utcMs(2026, 12, 1) + 1;
    byTime.toMs = utcMs(2026, 12, 2);
    auto later = windows.queryAudience(m_a.org.id, byTime);
    QVERIFY(later);
    QCOMPARE(later->total, qint64(1));

    // A re-sync of the same windows is idempotent.
    auto again = windows.insertAudience(m_a.org.id, m_a.device.id, {test::window(QStringLiteral("queue"), utcMs(2026, 12, 1), 2)});
    QVERIFY(again);
    auto after = windows.queryAudience(m_a.org.id, {});
    QVERIFY(after);
    QCOMPARE(after->total, qint64(3));

    WindowQuery bad;
    bad.limit = 0;
    QVERIFY(!windows.queryAudience(m_a.org.id, bad));
    bad.limit = 10;
    bad.offset = -1;
    QVERIFY(!windows.queryAudience(m_a.org.id, bad));
}

void TestHubIsolation::deviceLimitFollowsTheTier()
{
    OrganisationRepository orgs(*m_app, m_clock);
    auto limits = orgs.limits(m_b.org.id);
    QVERIFY(limits);
    QCOMPARE(limits->tier, protocol::Tier::Free);
    QCOMPARE(limits->historyDays, 30);
    DeviceRepository devices(*m_app);
    for (int i = 1; i < limits->maxDevices; ++i)
        QVERIFY(devices.create(m_b.org.id, {std::nullopt, QStringLiteral("extra"), QStringLiteral("B%1").arg(i + 1)}));
    auto refused = devices.create(m_b.org.id, {std::nullopt, QStringLiteral("one too many"), QStringLiteral("BFF")});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(refused.error().message.contains(QLatin1String("device limit")), qPrintable(refused.error().message));
    auto duplicate = devices.create(m_a.org.id, {std::nullopt, QStringLiteral("dup"), QStringLiteral("A1")});
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, core::ErrorCode::InvalidArgument);

    auto tiers = orgs.tiers();
    QVERIFY(tiers);
    QCOMPARE(tiers->size(), 3);
    QCOMPARE(tiers->at(0).historyDays, 30);
    QCOMPARE(tiers->at(1).historyDays, 90);
    QCOMPARE(tiers->at(2).historyDays, 400);
    QCOMPARE(tiers->at(0).burst, 0);
    QVERIFY(tiers->at(1).burst > 0 && tiers->at(2).burst > 0);
    QVERIFY(!tiers->at(0).exportsAllowed && tiers->at(1).exportsAllowed);
}

void TestHubIsolation::tierChangeIsAudited()
{
    OrganisationRepository orgs(*m_app, m_clock);
    m_clock.advanceMs(1000);
    auto changed = orgs.setTier(m_b.org.id, protocol::Tier::Pro, QStringLiteral("cli"));
    QVERIFY(changed);
    QCOMPARE(changed->tier, protocol::Tier::Pro);
    auto limits = orgs.limits(m_b.org.id);
    QVERIFY(limits);
    QCOMPARE(limits->historyDays, 90);
    AuditRepository audit(*m_app, m_clock);
    auto entries = audit.list(m_b.org.id);
    QVERIFY(entries);
    QCOMPARE(entries->last().action, QStringLiteral("org.tier"));
    QCOMPARE(entries->last().target, QStringLiteral("free -> pro"));
    QCOMPARE(entries->last().actor, QStringLiteral("cli"));
    QCOMPARE(entries->last().timestampMs, m_clock.nowMs());
    auto intact = audit.verify(m_b.org.id);
    QVERIFY(intact);
    QVERIFY(!intact->has_value());
    // The exported chain verifies with the edge's verifier.
    auto parsed = protocol::AuditChain::parseExport(protocol::AuditChain::toJsonLines(*entries));
    QVERIFY(parsed);
    QVERIFY(!protocol::AuditChain::verify(*parsed));
    // The application cannot edit the chain.
    auto edit = m_app->inOrg(m_b.org.id, [](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.audit_entries SET result = 'forged'"));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(!edit);
    QCOMPARE(edit.error().code, core::ErrorCode::PermissionDenied);
}

void TestHubIsolation::windowTextRoundTripsExactly()
{
    // A batch is sent as one array literal per column (SqlSupport's textArrayParam): quotes,
    // backslashes, braces, commas, the word NULL, empty text, spaces and non-ASCII text must all
    // arrive exactly, in the columns and in the stored window.
    const QStringList zones{QStringLiteral("a \"b\" \\c {d}, e"), QStringLiteral("NULL"), QStringLiteral(" caf\u00e9 \u6771 "),
                            QStringLiteral("}{")};
    QList<core::AudienceWindow> batch;
    for (int i = 0; i < zones.size(); ++i) {
        core::AudienceWindow w = test::window(zones[i], utcMs(2026, 12, 3) + i * 60'000, i + 1);
        w.modelVersion = QStringLiteral("m\\\"odel,{x}");
        w.calibrationVersion = i == 0 ? QString() : QStringLiteral("NULL");
        w.meanOccupancy = 1.0 / 3.0;
        batch.append(w);
    }
    WindowRepository windows(*m_app);
    auto inserted = windows.insertAudience(m_a.org.id, m_a.device.id, batch);
    QVERIFY2(inserted, qPrintable(inserted.ok() ? QString() : inserted.error().toString()));
    QCOMPARE(*inserted, int(zones.size()));

    WindowQuery day;
    day.fromMs = utcMs(2026, 12, 3);
    day.toMs = utcMs(2026, 12, 4);
    auto stored = windows.queryAudience(m_a.org.id, day);
    QVERIFY(stored);
    QCOMPARE(stored->items.size(), zones.size());
    for (qsizetype i = 0; i < zones.size(); ++i)
        QCOMPARE(stored->items.at(i).window, batch.at(i));

    auto columns = m_app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<QList<QStringList>> {
        auto q = tx.exec(QStringLiteral("SELECT zone, model_version, calibration_version, mean_occupancy FROM signiq.audience_windows "
                                        "WHERE org_id = ? AND start_at >= %1 AND start_at < %1 ORDER BY start_at")
                             .arg(msToSql()),
                         {uuidParam(m_a.org.id), *day.fromMs, *day.toMs});
        if (!q)
            return q.error();
        QList<QStringList> rows;
        while (q->next())
            rows.append({q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
                         q->value(3).toDouble() == 1.0 / 3.0 ? QStringLiteral("exact") : q->value(3).toString()});
        return rows;
    });
    QVERIFY(columns);
    QCOMPARE(columns->size(), zones.size());
    for (qsizetype i = 0; i < zones.size(); ++i)
        QCOMPARE(columns->at(i), (QStringList{zones.at(i), batch.at(i).modelVersion, i == 0 ? QString() : QStringLiteral("NULL"),
                                              QStringLiteral("exact")}));
}

QTEST_GUILESS_MAIN(TestHubIsolation)
#include "TestHubIsolation.moc"
