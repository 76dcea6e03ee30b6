// Schema, roles and catalogue invariants of the hub database, migrations, partitions and
// retention, against the real PostgreSQL server of the CTest fixture (database signiq_test_schema).
#include "HubTestSupport.h"

#include "core/Clock.h"
#include "hub/DeviceRepository.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/WindowRepository.h"

#include <QSqlRecord>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;
using test::utcMs;

namespace {

const QString kDb = QStringLiteral("signiq_test_schema");

// Every problem with the tenant tables, read from pg_catalog: a table with an org_id column
// without ENABLE or FORCE row-level security, without the tenant_isolation policy (USING and
// WITH CHECK on the per-transaction setting), whose primary key or any index does not start
// with org_id; any table in schema signiq that is neither a tenant table nor a known global
// one; and any view in schema signiq that is not security_invoker.
core::Result<QStringList> catalogueProblems(Transaction &tx)
{
    QStringList problems;
    auto tables = tx.exec(QStringLiteral(R"sql(
SELECT c.oid::regclass::text, c.relrowsecurity, c.relforcerowsecurity,
       (SELECT a.attnum FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped),
       EXISTS (SELECT 1 FROM pg_policy AS p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation' AND p.polcmd = '*'
                  AND p.polpermissive
                  AND pg_get_expr(p.polqual, p.polrelid) LIKE '%current_setting(''signiq.org_id''::text, true)%'
                  AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%current_setting(''signiq.org_id''::text, true)%'),
       n.nspname
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
 ORDER BY 1)sql"));
    if (!tables)
        return tables.error();
    int tenantTables = 0;
    while (tables->next()) {
        const QString table = tables->value(0).toString();
        if (tables->value(3).isNull()) {
            static const QStringList globals{QStringLiteral("signiq.tiers"), QStringLiteral("signiq.schema_migrations")};
            if (tables->value(5).toString() == QLatin1String("signiq") && !globals.contains(table))
                problems << table + QStringLiteral(": in schema signiq without org_id and not a known global table");
            continue;
        }
        ++tenantTables;
        if (!tables->value(1).toBool())
            problems << table + QStringLiteral(": row level security not enabled");
        if (!tables->value(2).toBool())
            problems << table + QStringLiteral(": row level security not forced");
        if (!tables->value(4).toBool())
            problems << table + QStringLiteral(": no tenant_isolation policy with USING and WITH CHECK on signiq.org_id");
    }
    if (tenantTables == 0)
        problems << QStringLiteral("no tenant tables found at all");

    auto indexes = tx.exec(QStringLiteral(R"sql(
SELECT c.oid::regclass::text, i.indexrelid::regclass::text, i.indisprimary,
       (SELECT a.attname FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[0])
  FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indrelid JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
   AND EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
 ORDER BY 1, 2)sql"));
    if (!indexes)
        return indexes.error();
    while (indexes->next()) {
        if (indexes->value(3).toString() != QLatin1String("org_id"))
            problems << QStringLiteral("%1: %2 %3 starts with %4, not org_id")
                            .arg(indexes->value(0).toString(),
                                 indexes->value(2).toBool() ? QStringLiteral("primary key") : QStringLiteral("index"),
                                 indexes->value(1).toString(), indexes->value(3).toString());
    }
    auto withoutPk = tx.exec(QStringLiteral(R"sql(
SELECT c.oid::regclass::text FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped)
   AND NOT EXISTS (SELECT 1 FROM pg_index AS i WHERE i.indrelid = c.oid AND i.indisprimary))sql"));
    if (!withoutPk)
        return withoutPk.error();
    while (withoutPk->next())
        problems << withoutPk->value(0).toString() + QStringLiteral(": no primary key");
    // A view runs with its owner's rights (and so around RLS) unless it is security_invoker.
    auto views = tx.exec(QStringLiteral(R"sql(
SELECT c.oid::regclass::text FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm') AND n.nspname = 'signiq'
   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions) OR 'security_invoker=on' = ANY (c.reloptions), false))sql"));
    if (!views)
        return views.error();
    while (views->next())
        problems << views->value(0).toString() + QStringLiteral(": a view without security_invoker");
    return problems;
}

core::Result<qint64> scalar(Transaction &tx, const QString &sql, const QVariantList &params = {})
{
    auto q = tx.exec(sql, params);
    if (!q)
        return q.error();
    if (!q->next())
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("no row from ") + sql);
    return q->value(0).toLongLong();
}

} // namespace

class TestHubSchema : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void migrationsAreVersionedAndIdempotent();
    void editedMigrationIsRefused();
    void newerDatabaseIsRefused();
    void applicationRoleCannotMigrate();
    void applicationRoleIsUnprivileged();
    void catalogueEveryTenantTableIsIsolated();
    void catalogueCheckCatchesAnUnprotectedTable();
    void partitionsAreCreatedOnce();
    void windowWithoutPartitionIsRefused();
    void retentionDropsAndDeletesByTier();

private:
    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    QList<int> m_firstRun;
    core::ManualClock m_clock{utcMs(2027, 6, 15)};
};

void TestHubSchema::initTestCase()
{
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto applied = Migrations::apply(*m_owner);
    QVERIFY2(applied, qPrintable(applied.ok() ? QString() : applied.error().toString()));
    m_firstRun = *applied;
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
}

void TestHubSchema::migrationsAreVersionedAndIdempotent()
{
    auto available = Migrations::available();
    QVERIFY(available);
    QVERIFY(available->size() >= 2);
    QList<int> versions;
    for (const Migration &m : *available)
        versions << m.version;
    QCOMPARE(m_firstRun, versions); // a fresh database: every migration, in order

    auto recorded = Migrations::applied(*m_owner);
    QVERIFY(recorded);
    QCOMPARE(recorded->size(), available->size());
    for (qsizetype i = 0; i < recorded->size(); ++i) {
        QCOMPARE(recorded->at(i).version, available->at(i).version);
        QCOMPARE(recorded->at(i).name, available->at(i).name);
        QCOMPARE(recorded->at(i).sha256, available->at(i).sha256);
    }

    auto again = Migrations::apply(*m_owner);
    QVERIFY2(again, qPrintable(again.ok() ? QString() : again.error().toString()));
    QVERIFY(again->isEmpty()); // a no-op
    auto after = Migrations::applied(*m_owner);
    QVERIFY(after);
    QCOMPARE(after->size(), recorded->size());
}

void TestHubSchema::editedMigrationIsRefused()
{
    auto changed = m_owner->maintenance([](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.schema_migrations SET sha256 = repeat('0', 64) WHERE version = 1"));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(changed);
    auto refused = Migrations::apply(*m_owner);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::Corrupt);
    QVERIFY2(refused.error().message.contains(QLatin1String("append-only")), qPrintable(refused.error().message));

    auto available = Migrations::available();
    QVERIFY(available);
    auto restored = m_owner->maintenance([&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.schema_migrations SET sha256 = ? WHERE version = 1"), {available->first().sha256});
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(restored);
    QVERIFY(Migrations::apply(*m_owner));
}

void TestHubSchema::newerDatabaseIsRefused()
{
    auto added = m_owner->maintenance([](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.schema_migrations (version, name, sha256) VALUES (999, 'future', repeat('a', 64))"));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(added);
    auto refused = Migrations::apply(*m_owner);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::Unsupported);
    QVERIFY2(refused.error().message.contains(QLatin1String("999")), qPrintable(refused.error().message));
    auto removed = m_owner->maintenance([](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("DELETE FROM signiq.schema_migrations WHERE version = 999"));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(removed);
}

void TestHubSchema::applicationRoleCannotMigrate()
{
    auto refused = Migrations::apply(*m_app);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
    // And it really cannot create anything in the schema.
    auto created = m_app->maintenance([](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("CREATE TABLE signiq.sneaky (org_id uuid PRIMARY KEY)"));
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(!created);
    QCOMPARE(created.error().code, core::ErrorCode::PermissionDenied);
}

void TestHubSchema::applicationRoleIsUnprivileged()
{
    auto checked = m_owner->maintenance([](Transaction &tx) -> core::Status {
        auto role = tx.exec(QStringLiteral("SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, rolcanlogin "
                                           "FROM pg_roles WHERE rolname = 'signiq_app'"));
        if (!role)
            return role.error();
        if (!role->next())
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("no role signiq_app"));
        for (int i = 0; i < 5; ++i) {
            if (role->value(i).toBool())
                return core::makeError(core::ErrorCode::Internal, QStringLiteral("signiq_app has privilege column %1 set").arg(i));
        }
        if (!role->value(5).toBool())
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("signiq_app cannot log in"));
        // Owns nothing: no relation, schema, function, type or database.
        auto owned = scalar(tx, QStringLiteral(R"sql(
SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
     + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
     + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)
  FROM pg_roles AS r WHERE r.rolname = 'signiq_app')sql"));
        if (!owned)
            return owned.error();
        if (*owned != 0)
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("signiq_app owns %1 objects").arg(*owned));
        // Cannot create in any schema; the audit log is append-only for it.
        auto rights = tx.exec(QStringLiteral(
            "SELECT has_schema_privilege('signiq_app', 'signiq', 'CREATE'), has_schema_privilege('signiq_app', 'public', 'CREATE'), "
            "has_table_privilege('signiq_app', 'signiq.audit_entries', 'UPDATE'), has_table_privilege('signiq_app', 'signiq.audit_entries', 'DELETE'), "
            "has_table_privilege('signiq_app', 'signiq.schema_migrations', 'SELECT'), has_table_privilege('signiq_app', 'signiq.tiers', 'UPDATE'), "
            "has_table_privilege('signiq_app', 'signiq.audit_entries', 'INSERT')"));
        if (!rights)
            return rights.error();
        rights->next();
        for (int i = 0; i < 6; ++i) {
            if (rights->value(i).toBool())
                return core::makeError(core::ErrorCode::Internal, QStringLiteral("signiq_app has unexpected right #%1").arg(i));
        }
        if (!rights->value(6).toBool())
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("signiq_app cannot append audit entries"));
        return {};
    });
    QVERIFY2(checked, qPrintable(checked.ok() ? QString() : checked.error().toString()));
    auto user = m_app->currentUser();
    QVERIFY(user);
    QCOMPARE(*user, QStringLiteral("signiq_app"));
}

void TestHubSchema::catalogueEveryTenantTableIsIsolated()
{
    // Partitions too: create some first, so that the check covers what partition creation makes.
    QVERIFY(Retention::createPartitions(*m_owner, QDate(2026, 12, 1), QDate(2027, 2, 1)));
    auto problems = m_app->maintenance([](Transaction &tx) { return catalogueProblems(tx); });
    QVERIFY2(problems, qPrintable(problems.ok() ? QString() : problems.error().toString()));
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(QLatin1Char('\n'))));

    // The check saw every tenant table the schema is meant to have, partitions included.
    auto listed = m_owner->maintenance([](Transaction &tx) -> core::Result<QStringList> {
        auto q = tx.exec(QStringLiteral("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                                        "WHERE a.attname = 'org_id' AND c.relkind IN ('r','p') AND c.relrowsecurity AND c.relforcerowsecurity"));
        if (!q)
            return q.error();
        QStringList names;
        while (q->next())
            names << q->value(0).toString();
        return names;
    });
    QVERIFY(listed);
    for (const char *table : {"signiq.organisations", "signiq.sites", "signiq.devices", "signiq.zones", "signiq.api_keys",
                              "signiq.audit_entries", "signiq.webhook_endpoints", "signiq.audience_windows",
                              "signiq.demographic_windows", "signiq.audience_windows_p2027_01", "signiq.demographic_windows_p2026_12"})
        QVERIFY2(listed->contains(QLatin1String(table)), table);
}

void TestHubSchema::catalogueCheckCatchesAnUnprotectedTable()
{
    // A table added without RLS and with an index not led by org_id must be reported. Created
    // and checked in one transaction that is then rolled back.
    QStringList seen;
    auto result = m_owner->maintenance([&](Transaction &tx) -> core::Status {
        auto created = tx.exec(QStringLiteral("CREATE TABLE signiq.careless (id integer, org_id uuid, PRIMARY KEY (id, org_id)); "
                                              "CREATE INDEX careless_x ON signiq.careless (id); "
                                              "CREATE VIEW signiq.careless_view AS SELECT * FROM signiq.sites; "
                                              "CREATE VIEW signiq.careful_view WITH (security_invoker = true) AS SELECT * FROM signiq.sites"));
        if (!created)
            return created.error();
        auto problems = catalogueProblems(tx);
        if (!problems)
            return problems.error();
        seen = *problems;
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("roll back"));
    });
    QVERIFY(!result);
    QCOMPARE(result.error().message, QStringLiteral("roll back"));
    const QString all = seen.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("signiq.careless: row level security not enabled")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("signiq.careless: row level security not forced")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("signiq.careless: no tenant_isolation policy")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("primary key signiq.careless_pkey starts with id")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("index signiq.careless_x starts with id")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("signiq.careless_view: a view without security_invoker")), qPrintable(all));
    QVERIFY2(!all.contains(QLatin1String("careful_view")), qPrintable(all));
}

void TestHubSchema::partitionsAreCreatedOnce()
{
    auto created = Retention::createPartitions(*m_owner, QDate(2026, 3, 10), QDate(2027, 6, 1));
    QVERIFY2(created, qPrintable(created.ok() ? QString() : created.error().toString()));
    QVERIFY(created->contains(QStringLiteral("audience_windows_p2026_03")));
    QVERIFY(created->contains(QStringLiteral("demographic_windows_p2027_06")));
    QVERIFY(!created->contains(QStringLiteral("audience_windows_p2027_01"))); // made by the catalogue test
    auto again = Retention::createPartitions(*m_owner, QDate(2026, 3, 10), QDate(2027, 6, 1));
    QVERIFY(again);
    QVERIFY2(again->isEmpty(), qPrintable(again->join(QLatin1Char(' '))));
    // Only the owner creates partitions.
    auto refused = Retention::createPartitions(*m_app, QDate(2030, 1, 1), QDate(2030, 1, 1));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
    QVERIFY(!Retention::createPartitions(*m_owner, QDate(2027, 2, 1), QDate(2027, 1, 1)));
}

void TestHubSchema::windowWithoutPartitionIsRefused()
{
    OrganisationRepository orgs(*m_app, m_clock);
    auto org = orgs.create(QStringLiteral("No partition"), protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(org);
    DeviceRepository devices(*m_app);
    auto device = devices.create(org->id, {std::nullopt, QStringLiteral("screen"), QStringLiteral("0A")});
    QVERIFY(device);
    WindowRepository windows(*m_app);
    auto refused = windows.insertAudience(org->id, device->id, {test::window(QStringLiteral("door"), utcMs(2031, 1, 5), 1)});
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(refused.error().message.contains(QLatin1String("partition")), qPrintable(refused.error().message));
}

void TestHubSchema::retentionDropsAndDeletesByTier()
{
    OrganisationRepository orgs(*m_app, m_clock);
    DeviceRepository devices(*m_app);
    WindowRepository windows(*m_app);
    auto freeOrg = orgs.create(QStringLiteral("Free"), protocol::Tier::Free, QStringLiteral("test"));
    auto bigOrg = orgs.create(QStringLiteral("Enterprise"), protocol::Tier::Enterprise, QStringLiteral("test"));
    QVERIFY(freeOrg && bigOrg);
    auto freeDevice = devices.create(freeOrg->id, {std::nullopt, QStringLiteral("f"), QStringLiteral("F1")});
    auto bigDevice = devices.create(bigOrg->id, {std::nullopt, QStringLiteral("e"), QStringLiteral("E1")});
    QVERIFY(freeDevice && bigDevice);
    const QString zone = QStringLiteral("door");
    // Today is 2027-06-15. Free keeps 30 days (from 2027-05-16), enterprise 400 (from 2026-05-11).
    QVERIFY(windows.insertAudience(freeOrg->id, freeDevice->id,
                                   {test::window(zone, utcMs(2027, 6, 1), 1), test::window(zone, utcMs(2027, 5, 1), 2)}));
    QVERIFY(windows.insertDemographic(freeOrg->id, freeDevice->id, {test::demographic(zone, utcMs(2027, 5, 2))}));
    QVERIFY(windows.insertAudience(bigOrg->id, bigDevice->id,
                                   {test::window(zone, utcMs(2027, 5, 1), 3), test::window(zone, utcMs(2026, 6, 1), 4),
                                    test::window(zone, utcMs(2026, 4, 10), 5)}));

    auto report = Retention::run(*m_owner, m_clock);
    QVERIFY2(report, qPrintable(report.ok() ? QString() : report.error().toString()));
    // Whole partitions ending on or before 2026-05-11 are gone, for every organisation.
    QVERIFY(report->droppedPartitions.contains(QStringLiteral("audience_windows_p2026_03")));
    QVERIFY(report->droppedPartitions.contains(QStringLiteral("audience_windows_p2026_04")));
    QVERIFY(report->droppedPartitions.contains(QStringLiteral("demographic_windows_p2026_04")));
    QVERIFY(!report->droppedPartitions.contains(QStringLiteral("audience_windows_p2026_05")));
    // The upcoming months exist.
    QVERIFY(report->createdPartitions.contains(QStringLiteral("audience_windows_p2027_09")));
    // Free rows beyond 30 days are deleted, in both window tables.
    const QString freeId = freeOrg->id.toString(QUuid::WithoutBraces);
    QCOMPARE(report->deletedRows.size(), 2);
    QVERIFY(report->deletedRows.contains({QStringLiteral("audience_windows ") + freeId, 1}));
    QVERIFY(report->deletedRows.contains({QStringLiteral("demographic_windows ") + freeId, 1}));

    auto freeLeft = windows.queryAudience(freeOrg->id, {});
    QVERIFY(freeLeft);
    QCOMPARE(freeLeft->total, qint64(1));
    QCOMPARE(freeLeft->items.first().window.startMs, utcMs(2027, 6, 1));
    auto freeDemo = windows.queryDemographic(freeOrg->id, {});
    QVERIFY(freeDemo);
    QCOMPARE(freeDemo->total, qint64(0));
    auto bigLeft = windows.queryAudience(bigOrg->id, {});
    QVERIFY(bigLeft);
    QCOMPARE(bigLeft->total, qint64(2)); // 2026-06-01 and 2027-05-01; 2026-04-10 went with its partition
    QCOMPARE(bigLeft->items.at(0).window.startMs, utcMs(2026, 6, 1));
    QCOMPARE(bigLeft->items.at(1).window.startMs, utcMs(2027, 5, 1));

    // Idempotent: nothing more to do on the same day.
    auto again = Retention::run(*m_owner, m_clock);
    QVERIFY(again);
    QVERIFY(again->droppedPartitions.isEmpty());
    QVERIFY(again->deletedRows.isEmpty());
    QVERIFY(again->createdPartitions.isEmpty());

    // A month later (injected clock, no waiting) the 2026-05 partitions go as well.
    m_clock.setMs(utcMs(2027, 7, 20));
    auto later = Retention::run(*m_owner, m_clock);
    QVERIFY(later);
    QVERIFY(later->droppedPartitions.contains(QStringLiteral("audience_windows_p2026_05")));
    QVERIFY(later->createdPartitions.contains(QStringLiteral("audience_windows_p2027_10")));

    // Retention needs the owner: the application role cannot run it.
    auto refused = Retention::run(*m_app, m_clock);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
}

QTEST_GUILESS_MAIN(TestHubSchema)
#include "TestHubSchema.moc"
