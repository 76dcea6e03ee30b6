// signiq-bench-hub [--windows N] [--devices N] [--full] [--reuse] [--ingest N] [--batch N] [--queries N]
//                  [--pg-dir DIR] [--port N] [--pg-script FILE] [--keep-running]
//
// The hub's database on a private PostgreSQL 15 cluster (scripts/pg-cluster.sh, its own
// directory in the build tree, unix socket only), migrated by hub::Migrations:
//  1. ingest: windows/s through hub::WindowRepository::insertAudience (as signiq_app, under the
//     organisation context, one device's batch per transaction) vs COPY of the same rows;
//  2. query: p50/p99 of the SQL behind /v1/trends and /v1/windows (WindowRepository::trends and
//     ::queryAudience, as HubApiServer calls them) as signiq_app under RLS vs as signiq_backup
//     (BYPASSRLS: the same SQL with its explicit org_id predicate, no policy), on a data set
//     generated server-side (INSERT ... SELECT generate_series, as the owner, per organisation);
//  3. storage: pg_total_relation_size of the window partitions per million windows.
// Prints figures; never fails on a time. Progress goes to stderr. See docs/hub.md "Benchmarks".
#include "core/AudienceWindow.h"
#include "core/Clock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <libpq-fe.h>
#include <memory>
#include <vector>

#include "hub/ConnectionOptions.h"
#include "hub/Database.h"
#include "hub/DeviceRepository.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SiteRepository.h"
#include "hub/WindowRepository.h"
#include "protocol/ApiKey.h"

using namespace signiq;
using namespace signiq::hub;

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;
const QString kDatabase = QStringLiteral("signiq_bench");
const QStringList kZones { QStringLiteral("entrance"), QStringLiteral("queue"), QStringLiteral("display") };
const QStringList kTimeZones { QStringLiteral("Europe/Paris"),     QStringLiteral("Europe/London"),
                               QStringLiteral("America/New_York"), QStringLiteral("America/Los_Angeles"),
                               QStringLiteral("Asia/Tokyo"),       QStringLiteral("Australia/Sydney"),
                               QStringLiteral("Asia/Kolkata"),     QStringLiteral("America/Sao_Paulo") };

void progress(const QString &text)
{
    std::fprintf(stderr, "[bench-hub] %s\n", qPrintable(text));
}

[[noreturn]] void fail(const QString &text)
{
    std::fprintf(stderr, "signiq-bench-hub: error: %s\n", qPrintable(text));
    std::exit(1);
}

template <typename T> T need(core::Result<T> result, const QString &what)
{
    if (!result)
        fail(what + QStringLiteral(": ") + result.error().toString());
    return std::move(result).value();
}

void need(const core::Status &status, const QString &what)
{
    if (!status)
        fail(what + QStringLiteral(": ") + status.error().toString());
}

qint64 utcMs(int y, int m, int d)
{
    return QDateTime(QDate(y, m, d), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

QDate utcDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).date();
}

struct Settings {
    QString pgDir;
    QString script;
    int port = 55433;
    qint64 windows = 100'000; // generated for the query figures
    int devices = 100;
    int orgs = 20;
    int sites = 60;
    int ingest = 20'000; // windows inserted by each ingest path
    int batch = 500; // windows per transaction (one device's sync batch)
    int queries = 50; // timed runs per query shape and role
    bool reuse = false;
    bool keepRunning = false;
};

// ---- the cluster -------------------------------------------------------------------------

void runClusterScript(const Settings &s, const QStringList &args)
{
    if (!QFileInfo(s.script).isFile())
        fail(QStringLiteral("scripts/pg-cluster.sh not found at %1 (pass --pg-script FILE)").arg(s.script));
    if (!QFileInfo(s.script).isExecutable())
        fail(QStringLiteral("%1 is not executable (chmod +x it)").arg(s.script));
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(s.script, args);
    if (!p.waitForStarted())
        fail(QStringLiteral("cannot run %1: %2").arg(s.script, p.errorString()));
    p.waitForFinished(-1);
    const QByteArray out = p.readAllStandardOutput();
    if (!out.isEmpty())
        std::fprintf(stderr, "%s", out.constData());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        fail(QStringLiteral("`%1 %2` failed (exit %3); its message is above (PostgreSQL 15 needs the Debian package "
                            "postgresql-15)")
                 .arg(s.script, args.join(QLatin1Char(' ')))
                 .arg(p.exitCode()));
}

ConnectionOptions connectionFor(const Settings &s, const QString &user)
{
    ConnectionOptions o;
    o.host = s.pgDir;
    o.port = s.port;
    o.dbname = kDatabase;
    o.user = user;
    o.passwordFile = QDir(s.pgDir).filePath(QStringLiteral("credentials/%1.password").arg(user));
    return o;
}

// A libpq connection of its own, for COPY FROM STDIN and VACUUM (which QPSQL cannot run).
class RawConnection {
public:
    explicit RawConnection(const ConnectionOptions &o)
    {
        const QString password = need(o.password(), QStringLiteral("reading %1's password").arg(o.user));
        const QByteArray host = o.host.toUtf8(), port = QByteArray::number(o.port), dbname = o.dbname.toUtf8(),
                         user = o.user.toUtf8(), pw = password.toUtf8();
        const char *keys[] = { "host", "port", "dbname", "user", "password", "application_name", nullptr };
        const char *values[]
            = { host.constData(),   port.constData(), dbname.constData(), user.constData(), pw.constData(),
                "signiq-bench-hub", nullptr };
        m_conn = PQconnectdbParams(keys, values, 0);
        if (PQstatus(m_conn) != CONNECTION_OK)
            fail(QStringLiteral("libpq: cannot connect (%1): %2")
                     .arg(o.describe(), QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
        exec(QByteArrayLiteral("SET client_min_messages = warning"));
    }
    ~RawConnection() { PQfinish(m_conn); }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    void exec(const QByteArray &sql)
    {
        PGresult *r = PQexec(m_conn, sql.constData());
        const ExecStatusType status = PQresultStatus(r);
        PQclear(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            fail(QStringLiteral("libpq: '%1' failed: %2")
                     .arg(QString::fromUtf8(sql.left(80)), QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
    }
    void copy(const QByteArray &copySql, const QByteArray &data)
    {
        PGresult *r = PQexec(m_conn, copySql.constData());
        const ExecStatusType status = PQresultStatus(r);
        PQclear(r);
        if (status != PGRES_COPY_IN)
            fail(QStringLiteral("libpq: '%1' failed: %2")
                     .arg(QString::fromUtf8(copySql.left(80)), QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
        if (PQputCopyData(m_conn, data.constData(), int(data.size())) != 1 || PQputCopyEnd(m_conn, nullptr) != 1)
            fail(QStringLiteral("libpq: sending COPY data failed: %1")
                     .arg(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
        bool ok = true;
        while (PGresult *done = PQgetResult(m_conn)) {
            ok = ok && PQresultStatus(done) == PGRES_COMMAND_OK;
            PQclear(done);
        }
        if (!ok)
            fail(QStringLiteral("libpq: COPY failed: %1").arg(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
    }

private:
    PGconn *m_conn = nullptr;
};

// ---- the fleet ---------------------------------------------------------------------------

struct FleetSite {
    QUuid org;
    QUuid site;
    QString timeZone;
};

struct FleetDevice {
    QUuid org;
    QUuid site;
    QUuid device;
};

struct Fleet {
    QList<QUuid> orgs;
    QList<FleetSite> sites;
    QList<FleetDevice> devices;
};

Fleet createFleet(Database &app, const Settings &s)
{
    core::SystemClock clock;
    Fleet fleet;
    OrganisationRepository orgs(app, clock);
    for (int i = 0; i < s.orgs; ++i)
        fleet.orgs.append(need(orgs.create(QStringLiteral("Bench org %1").arg(i + 1), protocol::Tier::Enterprise,
                                           QStringLiteral("signiq-bench-hub")),
                               QStringLiteral("creating an organisation"))
                              .id);
    SiteRepository sites(app);
    for (int j = 0; j < s.sites; ++j) {
        const QUuid org = fleet.orgs[j % fleet.orgs.size()];
        const QString zone = kTimeZones[j % kTimeZones.size()];
        fleet.sites.append({ org,
                             need(sites.create(org, QStringLiteral("Bench site %1").arg(j + 1), zone),
                                  QStringLiteral("creating a site"))
                                 .id,
                             zone });
    }
    DeviceRepository devices(app);
    for (int k = 0; k < s.devices; ++k) {
        const FleetSite &site = fleet.sites[k % fleet.sites.size()];
        NewDevice d { site.site, QStringLiteral("Bench screen %1").arg(k + 1), QString::number(k + 1, 16) };
        fleet.devices.append(
            { site.org, site.site, need(devices.create(site.org, d), QStringLiteral("creating a device")).id });
        if ((k + 1) % 250 == 0)
            progress(QStringLiteral("devices: %1 / %2").arg(k + 1).arg(s.devices));
    }
    return fleet;
}

// --reuse: the fleet stored by an earlier run (organisations are listed by the owner's
// owner_maintenance policy, the rest through the repositories as each organisation).
Fleet loadFleet(Database &owner, Database &app)
{
    Fleet fleet;
    fleet.orgs = need(owner.maintenance([&](Transaction &tx) -> core::Result<QList<QUuid>> {
        auto q = tx.exec(QStringLiteral("SELECT org_id FROM signiq.organisations ORDER BY name"));
        if (!q)
            return q.error();
        QList<QUuid> ids;
        while (q->next())
            ids.append(QUuid::fromString(q->value(0).toString()));
        return ids;
    }),
                      QStringLiteral("listing the organisations"));
    for (const QUuid &org : fleet.orgs) {
        for (const Site &site : need(SiteRepository(app).list(org), QStringLiteral("listing sites")))
            fleet.sites.append({ org, site.id, site.timeZone });
        for (const Device &device : need(DeviceRepository(app).list(org), QStringLiteral("listing devices")))
            fleet.devices.append({ org, device.siteId.value_or(QUuid()), device.id });
    }
    return fleet;
}

// A realistic window as a device sends it (every field set, like tests/hub/HubTestSupport.h).
core::AudienceWindow window(const QString &zone, qint64 startMs, int seed)
{
    core::AudienceWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + kMinuteMs;
    w.ots = 10 + seed % 20;
    w.entries = 7 + seed % 10;
    w.exits = 6 + seed % 10;
    w.meanOccupancy = 1.25 + (seed % 8) / 8.0;
    w.peakOccupancy = 4 + seed % 5;
    w.dwellBands = { seed % 7, 2 * (seed % 5), 3, 0, seed % 3 };
    w.meanDwellS = 12.5 + seed % 9;
    w.lineIn = seed % 6;
    w.lineOut = seed % 5;
    w.transitionsTo = { { QStringLiteral("queue"), seed % 4 } };
    w.viewers = seed % 9;
    w.attentionEvents = seed % 11;
    w.attentionTimeS = 3.5 * (seed % 7);
    w.confidence = 0.875;
    w.qualityFlags = core::QualityLowLight;
    w.modelVersion = QStringLiteral("person-detector@3f2a9c01");
    w.calibrationVersion = QStringLiteral("cal-1");
    return w;
}

// ---- 1. ingest ---------------------------------------------------------------------------

struct Batch {
    FleetDevice device;
    QList<core::AudienceWindow> windows;
};

// `total` windows in batches of `size`, one device per batch, all in January 2027 (a partition
// of their own, emptied before every run, away from the generated data).
QList<Batch> ingestBatches(const Fleet &fleet, int total, int size)
{
    const qint64 base = utcMs(2027, 1, 4);
    QList<Batch> batches;
    for (int b = 0; b * size < total; ++b) {
        Batch batch { fleet.devices[b % fleet.devices.size()], {} };
        const qint64 first = base + qint64(b / fleet.devices.size()) * size * kMinuteMs;
        for (int i = 0; i < size && b * size + i < total; ++i)
            batch.windows.append(
                window(kZones[i % kZones.size()], first + qint64(i / kZones.size()) * kMinuteMs, b + i));
        batches.append(std::move(batch));
    }
    return batches;
}

QByteArray copyText(const QString &text)
{
    QByteArray out = text.toUtf8();
    out.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r");
    return out;
}

QByteArray copyTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs).toLatin1();
}

// One COPY text-format row per window: the same columns and values as the repository writes.
QByteArray copyRows(const Batch &batch)
{
    QByteArray out;
    const QByteArray org = batch.device.org.toString(QUuid::WithoutBraces).toLatin1();
    const QByteArray device = batch.device.device.toString(QUuid::WithoutBraces).toLatin1();
    for (const core::AudienceWindow &w : batch.windows) {
        const QList<QByteArray> cells { org,
                                        device,
                                        copyText(w.zone),
                                        copyTime(w.startMs),
                                        copyTime(w.endMs),
                                        QByteArray::number(w.ots),
                                        QByteArray::number(w.entries),
                                        QByteArray::number(w.exits),
                                        QByteArray::number(w.meanOccupancy, 'g', 17),
                                        QByteArray::number(w.peakOccupancy),
                                        QByteArray::number(w.viewers),
                                        QByteArray::number(w.attentionTimeS, 'g', 17),
                                        QByteArray::number(w.confidence, 'g', 17),
                                        QByteArray::number(qint64(w.qualityFlags)),
                                        copyText(w.modelVersion),
                                        copyText(w.calibrationVersion),
                                        copyText(QString::fromUtf8(
                                            QJsonDocument(w.toJson()).toJson(QJsonDocument::Compact))) };
        out += cells.join('\t');
        out += '\n';
    }
    return out;
}

const QByteArray kCopyColumns
    = QByteArrayLiteral("(org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy, "
                        "peak_occupancy, viewers, attention_time_s, "
                        "confidence, quality_flags, model_version, calibration_version, window_json)");

// The COPY target: bench.audience_windows_copy, the same columns, CHECKs, defaults, primary key,
// index, foreign key to signiq.devices and monthly partitioning as signiq.audience_windows, but
// without row-level security: PostgreSQL refuses COPY FROM into a table with RLS for every role
// the policy applies to ("COPY FROM not supported with row-level security"), and FORCE makes
// that the owner too; only a superuser or BYPASSRLS role with INSERT could COPY into the real
// table, and the hub has neither.
void recreateCopyTarget(RawConnection &owner)
{
    owner.exec(QByteArrayLiteral("CREATE SCHEMA IF NOT EXISTS bench"));
    owner.exec(QByteArrayLiteral("DROP TABLE IF EXISTS bench.audience_windows_copy"));
    owner.exec(
        QByteArrayLiteral("CREATE TABLE bench.audience_windows_copy (LIKE signiq.audience_windows INCLUDING DEFAULTS "
                          "INCLUDING CONSTRAINTS INCLUDING INDEXES) PARTITION BY RANGE (start_at)"));
    owner.exec(QByteArrayLiteral("ALTER TABLE bench.audience_windows_copy ADD FOREIGN KEY (org_id, device_id) "
                                 "REFERENCES signiq.devices (org_id, device_id)"));
    owner.exec(
        QByteArrayLiteral("CREATE TABLE bench.audience_windows_copy_p2027_01 PARTITION OF bench.audience_windows_copy "
                          "FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00')"));
}

struct IngestFigures {
    double repository = 0; // windows/s
    double copyBatched = 0;
    double copyOneStream = 0;
};

double rate(qint64 rows, const QElapsedTimer &timer)
{
    return double(rows) / (double(timer.nsecsElapsed()) / 1e9);
}

IngestFigures benchIngest(Database &owner, Database &app, RawConnection &ownerRaw, const QList<Batch> &batches,
                          qint64 total)
{
    IngestFigures f;
    auto emptyTargets = [&] {
        need(owner.maintenance([](Transaction &tx) -> core::Status {
            auto q = tx.exec(QStringLiteral("TRUNCATE signiq.audience_windows_p2027_01"));
            return q ? core::Status() : core::Status(q.error());
        }),
             QStringLiteral("emptying the ingest partition"));
        recreateCopyTarget(ownerRaw);
    };

    emptyTargets();
    WindowRepository windows(app);
    QElapsedTimer timer;
    timer.start();
    for (const Batch &b : batches) {
        const int written = need(windows.insertAudience(b.device.org, b.device.device, b.windows),
                                 QStringLiteral("WindowRepository::insertAudience"));
        if (written != b.windows.size())
            fail(QStringLiteral("insertAudience wrote %1 of %2 windows").arg(written).arg(b.windows.size()));
    }
    f.repository = rate(total, timer);
    progress(QStringLiteral("ingest: repository %1 windows/s").arg(f.repository, 0, 'f', 0));

    // COPY, one device's batch per transaction under its organisation's context (as the sync).
    timer.start();
    for (const Batch &b : batches) {
        ownerRaw.exec(QByteArrayLiteral("BEGIN"));
        ownerRaw.exec("SELECT set_config('signiq.org_id', '" + b.device.org.toString(QUuid::WithoutBraces).toLatin1()
                      + "', true)");
        ownerRaw.copy("COPY bench.audience_windows_copy " + kCopyColumns + " FROM STDIN", copyRows(b));
        ownerRaw.exec(QByteArrayLiteral("COMMIT"));
    }
    f.copyBatched = rate(total, timer);
    progress(QStringLiteral("ingest: COPY per batch %1 windows/s").arg(f.copyBatched, 0, 'f', 0));

    // COPY, everything in one stream and one transaction (the best case for COPY).
    recreateCopyTarget(ownerRaw);
    timer.start();
    QByteArray all;
    for (const Batch &b : batches)
        all += copyRows(b);
    ownerRaw.copy("COPY bench.audience_windows_copy " + kCopyColumns + " FROM STDIN", all);
    f.copyOneStream = rate(total, timer);
    progress(QStringLiteral("ingest: COPY one stream %1 windows/s").arg(f.copyOneStream, 0, 'f', 0));
    return f;
}

// ---- 2. the data set ---------------------------------------------------------------------

// Every device's 3 zones × 1-minute windows in [fromMs, toMs), generated in the server as the
// owner under each organisation's context (the owner is subject to RLS too: FORCE).
void generate(Database &owner, const Fleet &fleet, qint64 fromMs, qint64 toMs)
{
    const QString templateJson
        = QString::fromUtf8(QJsonDocument(window(kZones[0], fromMs, 1).toJson()).toJson(QJsonDocument::Compact));
    const QString sql = QStringLiteral(R"sql(
INSERT INTO signiq.audience_windows (org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy,
        peak_occupancy, viewers, attention_time_s, confidence, quality_flags, model_version, calibration_version, window_json)
SELECT d.org_id, d.device_id, z.zone, to_timestamp(g.ms / 1000.0), to_timestamp((g.ms + 60000) / 1000.0),
       v.ots, v.ots / 2, v.ots / 2, v.ots / 4.0, v.ots / 2 + 1, v.ots / 3, v.ots * 1.5, 0.875, 1,
       'person-detector@3f2a9c01', 'cal-1',
       CAST(? AS jsonb) || jsonb_build_object('zone', z.zone, 'start_ms', g.ms, 'end_ms', g.ms + 60000, 'ots', v.ots,
                                              'entries', v.ots / 2, 'exits', v.ots / 2, 'mean_occupancy', v.ots / 4.0,
                                              'peak_occupancy', v.ots / 2 + 1, 'viewers', v.ots / 3, 'attention_time_s', v.ots * 1.5)
  FROM signiq.devices AS d
 CROSS JOIN unnest(ARRAY['entrance', 'queue', 'display']) AS z(zone)
 CROSS JOIN generate_series(CAST(? AS bigint), CAST(? AS bigint) - 60000, 60000) AS g(ms)
 CROSS JOIN LATERAL (SELECT CAST(10 + 8 * sin(g.ms / 13750987.08) + (g.ms / 60000) % 5 AS integer) AS ots) AS v
 WHERE d.org_id = CAST(? AS uuid))sql");
    const qint64 minutes = (toMs - fromMs) / kMinuteMs;
    qint64 done = 0;
    QElapsedTimer timer;
    timer.start();
    for (const QUuid &org : fleet.orgs) {
        const auto devices = std::count_if(fleet.devices.begin(), fleet.devices.end(),
                                           [&](const FleetDevice &d) { return d.org == org; });
        const qint64 rows = need(
            owner.inOrg(org,
                        [&](Transaction &tx) -> core::Result<qint64> {
                            auto q = tx.exec(sql, { templateJson, fromMs, toMs, org.toString(QUuid::WithoutBraces) });
                            if (!q)
                                return q.error();
                            return qint64(q->numRowsAffected());
                        }),
            QStringLiteral("generating windows"));
        if (rows != qint64(devices) * kZones.size() * minutes)
            fail(QStringLiteral("generated %1 windows for an organisation, expected %2")
                     .arg(rows)
                     .arg(qint64(devices) * kZones.size() * minutes));
        done += rows;
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        progress(QStringLiteral("generated %1 windows (%2 /s, %3 s)")
                     .arg(done)
                     .arg(double(done) / seconds, 0, 'f', 0)
                     .arg(seconds, 0, 'f', 0));
    }
}

qint64 countWindows(Database &backup, qint64 beforeMs)
{
    return need(backup.maintenance([&](Transaction &tx) -> core::Result<qint64> {
        auto q = tx.exec(QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE start_at < "
                                        "to_timestamp(CAST(? AS bigint) / 1000.0)"),
                         { beforeMs });
        if (!q)
            return q.error();
        return q->next() ? q->value(0).toLongLong() : 0;
    }),
                QStringLiteral("counting windows"));
}

struct Storage {
    qint64 total = 0; // bytes: heap + TOAST + indexes
    qint64 heap = 0; // heap + TOAST
    qint64 indexes = 0;
};

Storage storage(Database &owner)
{
    return need(owner.maintenance([](Transaction &tx) -> core::Result<Storage> {
        auto q = tx.exec(QStringLiteral(
            "SELECT COALESCE(sum(pg_total_relation_size(t.relid)), 0), COALESCE(sum(pg_table_size(t.relid)), 0), "
            "COALESCE(sum(pg_indexes_size(t.relid)), 0) FROM pg_partition_tree('signiq.audience_windows') AS t "
            "WHERE t.isleaf AND t.relid <> CAST('signiq.audience_windows_p2027_01' AS regclass)"));
        if (!q)
            return q.error();
        if (!q->next())
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("no size row"));
        return Storage { q->value(0).toLongLong(), q->value(1).toLongLong(), q->value(2).toLongLong() };
    }),
                QStringLiteral("measuring the window partitions"));
}

// ---- 3. queries --------------------------------------------------------------------------

struct Latency {
    std::vector<double> ms;
    double p50() const { return at(0.50); }
    double p99() const { return at(0.99); }
    double at(double q) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const auto index = size_t(std::ceil(q * double(sorted.size()))) - 1;
        return sorted[std::min(index, sorted.size() - 1)];
    }
};

template <typename Work> double timedMs(Work &&work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    return double(timer.nsecsElapsed()) / 1e6;
}

struct Shape {
    QString name;
    // Runs the query as `db` for sample `i`; returns a checksum of the answer (rows, totals).
    std::function<qint64(Database &db, int i)> run;
    Latency rls;
    Latency bypass;
    bool sameAnswers = true;
};

void benchQueries(QList<Shape> &shapes, Database &app, Database &backup, int queries)
{
    const int warmup = std::max(3, queries / 5);
    for (Shape &shape : shapes) {
        for (int i = 0; i < warmup; ++i) {
            (void)shape.run(app, i);
            (void)shape.run(backup, i);
        }
        for (int i = 0; i < queries; ++i) {
            // Alternate which role goes first, so that neither always finds the pages the other read.
            qint64 a = 0, b = 0;
            const double first = timedMs([&] { (i % 2 ? b : a) = shape.run(i % 2 ? backup : app, i); });
            const double second = timedMs([&] { (i % 2 ? a : b) = shape.run(i % 2 ? app : backup, i); });
            shape.rls.ms.push_back(i % 2 ? second : first);
            shape.bypass.ms.push_back(i % 2 ? first : second);
            shape.sameAnswers = shape.sameAnswers && a == b;
        }
        progress(QStringLiteral("query %1: p50 %2 ms under RLS, %3 ms bypassing it")
                     .arg(shape.name)
                     .arg(shape.rls.p50(), 0, 'f', 2)
                     .arg(shape.bypass.p50(), 0, 'f', 2));
    }
}

QString mib(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(double(bytes) / 1048576.0, 0, 'f', 1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The hub's database: ingest through WindowRepository vs COPY, and /v1/trends and "
                       "/v1/windows p50/p99 under RLS vs BYPASSRLS."));
    parser.addHelpOption();
    Settings s;
    s.pgDir = QStringLiteral(SIGNIQ_BENCH_PG_DIR);
    s.script = QStringLiteral(SIGNIQ_PG_CLUSTER_SCRIPT);
    const QCommandLineOption windowsOpt(QStringLiteral("windows"),
                                        QStringLiteral("Windows generated for the query figures (default 100000)."),
                                        QStringLiteral("N"));
    const QCommandLineOption devicesOpt(QStringLiteral("devices"),
                                        QStringLiteral("Devices (default 100; 3 zones each)."), QStringLiteral("N"));
    const QCommandLineOption fullOpt(QStringLiteral("full"),
                                     QStringLiteral("The 10-million run: --windows 10000000 --devices 1000."));
    const QCommandLineOption reuseOpt(QStringLiteral("reuse"),
                                      QStringLiteral("Reuse the database of an earlier run (skip generation)."));
    const QCommandLineOption ingestOpt(QStringLiteral("ingest"),
                                       QStringLiteral("Windows per ingest path (default 20000)."), QStringLiteral("N"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), QStringLiteral("Windows per transaction (default 500)."),
                                      QStringLiteral("N"));
    const QCommandLineOption queriesOpt(
        QStringLiteral("queries"), QStringLiteral("Timed runs per query and role (default 50)."), QStringLiteral("N"));
    const QCommandLineOption dirOpt(QStringLiteral("pg-dir"),
                                    QStringLiteral("The private cluster's directory (default %1).").arg(s.pgDir),
                                    QStringLiteral("DIR"));
    const QCommandLineOption portOpt(QStringLiteral("port"),
                                     QStringLiteral("The cluster's socket port (default 55433)."), QStringLiteral("N"));
    const QCommandLineOption scriptOpt(QStringLiteral("pg-script"),
                                       QStringLiteral("scripts/pg-cluster.sh (default %1).").arg(s.script),
                                       QStringLiteral("FILE"));
    const QCommandLineOption keepOpt(QStringLiteral("keep-running"),
                                     QStringLiteral("Leave the cluster running at the end."));
    parser.addOptions({ windowsOpt, devicesOpt, fullOpt, reuseOpt, ingestOpt, batchOpt, queriesOpt, dirOpt, portOpt,
                        scriptOpt, keepOpt });
    parser.process(app);

    auto number = [&](const QCommandLineOption &o, qint64 min, qint64 max, qint64 fallback) -> qint64 {
        if (!parser.isSet(o))
            return fallback;
        bool ok = false;
        const qint64 v = parser.value(o).toLongLong(&ok);
        if (!ok || v < min || v > max)
            fail(QStringLiteral("--%1 must be a whole number in %2..%3 (got '%4')")
                     .arg(o.names().constFirst())
                     .arg(min)
                     .arg(max)
                     .arg(parser.value(o)));
        return v;
    };
    const bool full = parser.isSet(fullOpt);
    s.windows = number(windowsOpt, 1000, 1'000'000'000, full ? 10'000'000 : s.windows);
    s.devices = int(number(devicesOpt, 1, 10'000, full ? 1000 : s.devices));
    s.ingest = int(number(ingestOpt, 1, 10'000'000, s.ingest));
    s.batch = int(number(batchOpt, 1, 10'000, s.batch));
    s.queries = int(number(queriesOpt, 1, 100'000, s.queries));
    s.port = int(number(portOpt, 1, 65535, s.port));
    s.reuse = parser.isSet(reuseOpt);
    s.keepRunning = parser.isSet(keepOpt);
    if (parser.isSet(dirOpt))
        s.pgDir = parser.value(dirOpt);
    if (parser.isSet(scriptOpt))
        s.script = parser.value(scriptOpt);
    s.pgDir = QDir(s.pgDir).absolutePath();
    s.orgs = std::min(s.orgs, s.devices);
    s.sites = std::min(s.sites, s.devices);

    // Contiguous 1-minute windows of every device and zone, ending 2026-12-02 00:00 UTC (so that
    // a large run spans the November and December partitions).
    const qint64 series = qint64(s.devices) * kZones.size();
    const qint64 minutes = std::max<qint64>(1, (s.windows + series - 1) / series); // at least --windows
    const qint64 dataEndMs = utcMs(2026, 12, 2);
    const qint64 dataStartMs = dataEndMs - minutes * kMinuteMs;

    runClusterScript(s, { QStringLiteral("start"), s.pgDir, QString::number(s.port) });
    if (!s.reuse)
        runClusterScript(s, { QStringLiteral("fresh-db"), s.pgDir, kDatabase });
    Database owner = need(Database::open(connectionFor(s, QStringLiteral("signiq_owner"))),
                          QStringLiteral("connecting as signiq_owner"));
    Database application = need(Database::open(connectionFor(s, QStringLiteral("signiq_app"))),
                                QStringLiteral("connecting as signiq_app"));
    Database backup = need(Database::open(connectionFor(s, QStringLiteral("signiq_backup"))),
                           QStringLiteral("connecting as signiq_backup"));
    RawConnection ownerRaw(connectionFor(s, QStringLiteral("signiq_owner")));
    const QList<int> migrated = need(Migrations::apply(owner), QStringLiteral("migrating"));
    progress(QStringLiteral("migrations applied: %1").arg(migrated.size()));
    (void)need(Retention::createPartitions(owner, utcDate(dataStartMs), utcDate(dataEndMs)),
               QStringLiteral("creating partitions"));
    (void)need(Retention::createPartitions(owner, QDate(2027, 1, 1), QDate(2027, 1, 31)),
               QStringLiteral("creating the ingest partition"));

    Fleet fleet;
    qint64 stored = 0;
    if (s.reuse) {
        fleet = loadFleet(owner, application);
        if (fleet.devices.isEmpty())
            fail(QStringLiteral("--reuse: the database %1 in %2 has no devices; run once without --reuse")
                     .arg(kDatabase, s.pgDir));
        stored = countWindows(backup, utcMs(2027, 1, 1));
        progress(QStringLiteral("reusing %1 organisations, %2 sites, %3 devices, %4 windows")
                     .arg(fleet.orgs.size())
                     .arg(fleet.sites.size())
                     .arg(fleet.devices.size())
                     .arg(stored));
    } else {
        progress(
            QStringLiteral("creating %1 organisations, %2 sites, %3 devices").arg(s.orgs).arg(s.sites).arg(s.devices));
        fleet = createFleet(application, s);
    }

    // 1. Ingest.
    const QList<Batch> batches = ingestBatches(fleet, s.ingest, s.batch);
    progress(QStringLiteral("ingest: %1 windows in %2 transactions of up to %3")
                 .arg(s.ingest)
                 .arg(batches.size())
                 .arg(s.batch));
    const IngestFigures ingest = benchIngest(owner, application, ownerRaw, batches, s.ingest);

    // 2. The data set.
    if (!s.reuse) {
        progress(QStringLiteral("generating %1 windows (%2 devices x 3 zones x %3 minutes)")
                     .arg(qint64(fleet.devices.size()) * 3 * minutes)
                     .arg(fleet.devices.size())
                     .arg(minutes));
        generate(owner, fleet, dataStartMs, dataEndMs);
        progress(QStringLiteral("VACUUM ANALYZE"));
        ownerRaw.exec(QByteArrayLiteral(
            "VACUUM (ANALYZE) signiq.audience_windows, signiq.devices, signiq.sites, signiq.organisations"));
        stored = countWindows(backup, utcMs(2027, 1, 1));
    }
    const Storage size = storage(owner);

    // 3. Queries: the repository functions HubApiServer calls, as signiq_app (RLS) and as
    // signiq_backup (BYPASSRLS), on the last 7 days (trends, the API's default) and last day
    // (windows) before the end of the data.
    auto siteOf = [&](int i) -> const FleetSite & { return fleet.sites[i % fleet.sites.size()]; };
    auto deviceOf = [&](int i) -> const FleetDevice & { return fleet.devices[(i * 7919) % fleet.devices.size()]; };
    QList<Shape> shapes;
    auto addShape = [&](const QString &name, std::function<qint64(Database &, int)> run) {
        Shape shape;
        shape.name = name;
        shape.run = std::move(run);
        shapes.append(std::move(shape));
    };
    addShape(QStringLiteral("/v1/trends?site (7 days)"), [&](Database &db, int i) -> qint64 {
        TrendQuery q;
        q.fromMs = dataEndMs - 7 * kDayMs;
        q.toMs = dataEndMs;
        q.siteId = siteOf(i).site;
        const Trends t
            = need(WindowRepository(db).trends(siteOf(i).org, q), QStringLiteral("WindowRepository::trends"));
        qint64 sum = 0;
        for (const DailyTrend &d : t.daily)
            sum += d.windows * 1000 + d.ots;
        return sum + t.hourOfWeek.size();
    });
    addShape(QStringLiteral("/v1/windows?site (1 day, limit 100)"), [&](Database &db, int i) -> qint64 {
        WindowQuery q;
        q.siteId = siteOf(i).site;
        q.fromMs = dataEndMs - kDayMs;
        q.toMs = dataEndMs;
        const auto page = need(WindowRepository(db).queryAudience(siteOf(i).org, q),
                               QStringLiteral("WindowRepository::queryAudience"));
        return page.total * 1000 + page.items.size();
    });
    addShape(QStringLiteral("/v1/windows?device (1 day, limit 100)"), [&](Database &db, int i) -> qint64 {
        WindowQuery q;
        q.deviceId = deviceOf(i).device;
        q.fromMs = dataEndMs - kDayMs;
        q.toMs = dataEndMs;
        const auto page = need(WindowRepository(db).queryAudience(deviceOf(i).org, q),
                               QStringLiteral("WindowRepository::queryAudience"));
        return page.total * 1000 + page.items.size();
    });
    benchQueries(shapes, application, backup, s.queries);

    // Figures.
    const double goalIngest = ingest.repository / ingest.copyBatched;
    std::printf("signiq-bench-hub: PostgreSQL 15, private cluster %s (fsync=off, synchronous_commit=off, "
                "shared_buffers=64MB)\n",
                qPrintable(s.pgDir));
    std::printf("fleet: %lld organisations, %lld sites in %lld time zones, %lld devices x 3 zones\n",
                qint64(fleet.orgs.size()), qint64(fleet.sites.size()),
                qint64(std::min<qsizetype>(kTimeZones.size(), fleet.sites.size())), qint64(fleet.devices.size()));
    std::printf("\n1. ingest: %d windows, %lld transactions of %d windows (one device each)\n", s.ingest,
                qint64(batches.size()), s.batch);
    std::printf("  WindowRepository::insertAudience as signiq_app (RLS, org context): %10.0f windows/s\n",
                ingest.repository);
    std::printf("  COPY as signiq_owner, same batches and transactions:                %10.0f windows/s\n",
                ingest.copyBatched);
    std::printf("  COPY as signiq_owner, one stream, one transaction:                  %10.0f windows/s\n",
                ingest.copyOneStream);
    std::printf("  ratio repository / COPY (same batches): %.2fx (goal >= 0.5x %s); vs one COPY stream: %.2fx\n",
                goalIngest, goalIngest >= 0.5 ? "met" : "NOT met", ingest.repository / ingest.copyOneStream);
    std::printf(
        "  COPY goes into bench.audience_windows_copy: the same columns, CHECKs, primary key, index, foreign key\n"
        "  and monthly partitions as signiq.audience_windows but no RLS, because PostgreSQL refuses COPY FROM\n"
        "  into a table with row-level security for any role the policy applies to (FORCE: the owner too).\n");
    std::printf("\n2. query: %lld windows (%lld minutes of 1-minute windows per device and zone), VACUUM ANALYZEd\n",
                stored, stored / std::max<qint64>(1, qint64(fleet.devices.size()) * kZones.size()));
    std::printf("  %-40s %12s %12s %12s %12s %8s %8s\n", "query", "RLS p50 ms", "RLS p99 ms", "bypass p50",
                "bypass p99", "p50 x", "p99 x");
    for (const Shape &shape : shapes)
        std::printf("  %-40s %12.2f %12.2f %12.2f %12.2f %7.2fx %7.2fx%s\n", qPrintable(shape.name), shape.rls.p50(),
                    shape.rls.p99(), shape.bypass.p50(), shape.bypass.p99(), shape.rls.p50() / shape.bypass.p50(),
                    shape.rls.p99() / shape.bypass.p99(), shape.sameAnswers ? "" : "  (ANSWERS DIFFER)");
    std::printf(
        "  %d runs per query and role after %d warm-up runs; RLS = signiq_app under the organisation context; bypass "
        "=\n"
        "  signiq_backup (BYPASSRLS), the same repository SQL with its explicit org_id predicate. Goal: RLS <= 1.2x.\n",
        s.queries, std::max(3, s.queries / 5));
    std::printf("\n3. storage of the generated windows (partitions, excluding the ingest month):\n");
    std::printf("  total %s (table + TOAST %s, indexes %s); per million windows %s\n", qPrintable(mib(size.total)),
                qPrintable(mib(size.heap)), qPrintable(mib(size.indexes)),
                stored > 0 ? qPrintable(mib(qint64(double(size.total) / double(stored) * 1e6))) : "-");
    std::fflush(stdout);

    if (!s.keepRunning)
        runClusterScript(s, { QStringLiteral("stop"), s.pgDir });
    return 0;
}
