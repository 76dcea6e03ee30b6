// signiq-bench-sync [--windows N] [--devices N] [--batch N] [--pg-dir DIR] [--port N] [--pg-script FILE]
//                   [--keep-running]
//
// Sync edge -> hub on loopback (docs/sync.md "Benchmarks"), against `signiq-hub serve --sync-port`
// as its own process on a private PostgreSQL 15 cluster (scripts/pg-cluster.sh):
//  1. catch-up: one device's week offline (--windows, default 30,240 = 3 zones x 7 days of
//     1-minute windows) in a SQLCipher outbox, drained by SyncWorker over mutual TLS 1.3 in
//     batches of --batch: the time, windows/s through the whole path (edge outbox -> TLS -> hub ->
//     PostgreSQL), and the CPU the hub process and PostgreSQL spent;
//  2. the hub's direct ingest of the same windows (SyncIngest::ingest in this process, same batch
//     size, another device): windows/s without the edge, TLS and HTTP;
//  3. fleet: --devices (default 1000) simulated devices, each with its own certificate, each
//     sending one minute's batch (3 windows) on a new connection: the hub's CPU per round, i.e.
//     per minute when they sync each minute.
// Prints figures; never fails on a time. Progress goes to stderr.
#include "core/AudienceWindow.h"
#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/SecureFile.h"
#include "hub/ConnectionOptions.h"
#include "hub/Database.h"
#include "hub/DeviceRepository.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SyncIngest.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SyncOutbox.h"
#include "sync/HubClient.h"
#include "sync/SyncWorker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QUuid>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

using namespace signiq;

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;
const QString kDatabase = QStringLiteral("signiq_bench_sync");
const QStringList kZones{QStringLiteral("entrance"), QStringLiteral("queue"), QStringLiteral("display")};

void progress(const QString &text)
{
    std::fprintf(stderr, "[bench-sync] %s\n", qPrintable(text));
}

[[noreturn]] void fail(const QString &text)
{
    std::fprintf(stderr, "signiq-bench-sync: error: %s\n", qPrintable(text));
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

struct Settings {
    QString pgDir = QStringLiteral(SIGNIQ_BENCH_PG_DIR);
    QString script = QStringLiteral(SIGNIQ_PG_CLUSTER_SCRIPT);
    int port = 55434;
    int windows = 3 * 7 * 24 * 60; // one week of three zones
    int devices = 1000;
    int batch = storage::SyncOutbox::DefaultBatchSize;
    bool keepRunning = false;
};

void runClusterScript(const Settings &s, const QStringList &args)
{
    if (!QFileInfo(s.script).isExecutable())
        fail(QStringLiteral("%1 is not an executable scripts/pg-cluster.sh (pass --pg-script FILE)").arg(s.script));
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(s.script, args);
    if (!p.waitForStarted())
        fail(QStringLiteral("cannot run %1: %2").arg(s.script, p.errorString()));
    p.waitForFinished(-1);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        fail(QStringLiteral("`%1 %2` failed (exit %3); its message is above (PostgreSQL 15: Debian package postgresql-15)")
                 .arg(s.script, args.join(QLatin1Char(' ')))
                 .arg(p.exitCode()));
}

hub::ConnectionOptions connectionFor(const Settings &s, const QString &user)
{
    hub::ConnectionOptions o;
    o.host = s.pgDir;
    o.port = s.port;
    o.dbname = kDatabase;
    o.user = user;
    o.passwordFile = QDir(s.pgDir).filePath(QStringLiteral("credentials/%1.password").arg(user));
    return o;
}

// CPU seconds (user + system) a process has used, from /proc/PID/stat.
double processCpuS(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) / double(sysconf(_SC_CLK_TCK)); // utime, stime
}

// The PostgreSQL cluster's CPU: the postmaster and its children (the hub's connections are
// long-lived backends, so their time is still counted).
double clusterCpuS(const Settings &s)
{
    QFile pidFile(QDir(s.pgDir).filePath(QStringLiteral("data/postmaster.pid")));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    const qint64 postmaster = pidFile.readLine().trimmed().toLongLong();
    double total = processCpuS(postmaster);
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid == postmaster)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == postmaster)
            total += processCpuS(pid);
    }
    return total;
}

double selfCpuS()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

core::AudienceWindow window(const QString &zone, qint64 startMs, int seed)
{
    core::AudienceWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + kMinuteMs;
    w.ots = 3 + seed % 20;
    w.entries = 2 + seed % 15;
    w.exits = 2 + seed % 14;
    w.meanOccupancy = 0.5 + double(seed % 8) / 4;
    w.peakOccupancy = 1 + seed % 6;
    w.dwellBands = {seed % 5, seed % 4, seed % 3, seed % 2, 0};
    w.meanDwellS = 8.5 + seed % 30;
    w.lineIn = seed % 7;
    w.lineOut = seed % 6;
    w.viewers = seed % 4;
    w.attentionEvents = seed % 5;
    w.attentionTimeS = 1.5 * (seed % 9);
    w.confidence = 0.9;
    w.modelVersion = QStringLiteral("yolo-fastest-1.1-body@5bbb6d878f6e");
    w.calibrationVersion = QStringLiteral("cal-bench");
    return w;
}

struct DeviceIdentity {
    crypto::TlsIdentity tls;
    hub::SyncDevice device;
};

DeviceIdentity enrollDevice(const crypto::CertificateAuthority &ca, hub::Database &app, const QUuid &org, const QString &name,
                            const core::Clock &clock)
{
    auto key = need(crypto::PrivateKey::generateEcP256(), QStringLiteral("device key"));
    auto csr = need(crypto::CertificateRequest::create(key, name), QStringLiteral("device CSR"));
    crypto::IssueOptions options;
    options.commonName = name;
    options.lifetimeMs = 7 * kDayMs;
    options.serverAuth = false;
    auto cert = need(ca.issue(csr, options, clock), QStringLiteral("device certificate"));
    auto device = need(hub::DeviceRepository(app).create(org, hub::NewDevice{std::nullopt, name, cert.serialHex()}),
                       QStringLiteral("registering device %1").arg(name));
    return {crypto::TlsIdentity{cert.toQSslCertificate(), {}, key.toQSslKey()}, hub::SyncDevice{org, device.id}};
}

// `signiq-hub serve` with its sync listener; returns the sync port.
quint16 startHub(QProcess &hubProcess, const Settings &s, const QString &tlsPem)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), QDir(s.pgDir).filePath(QStringLiteral("credentials")));
    hubProcess.setProcessEnvironment(env);
    hubProcess.start(QStringLiteral(SIGNIQ_HUB_BINARY),
                     {QStringLiteral("--db"), QStringLiteral("host=%1 port=%2 dbname=%3").arg(s.pgDir).arg(s.port).arg(kDatabase),
                      QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QStringLiteral("0"), QStringLiteral("--tls-cert"), tlsPem, QStringLiteral("--sync-port"), QStringLiteral("0")});
    if (!hubProcess.waitForStarted(30'000))
        fail(QStringLiteral("cannot start %1: %2").arg(QStringLiteral(SIGNIQ_HUB_BINARY), hubProcess.errorString()));
    static const QRegularExpression listening(QStringLiteral("sync on https://127\\.0\\.0\\.1:(\\d+)/"));
    QByteArray err;
    const QDeadlineTimer deadline(60'000);
    while (!deadline.hasExpired() && hubProcess.state() == QProcess::Running) {
        hubProcess.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        err += hubProcess.readAllStandardError();
        if (const auto match = listening.match(QString::fromUtf8(err)); match.hasMatch())
            return quint16(match.captured(1).toUInt());
    }
    fail(QStringLiteral("signiq-hub serve did not start its sync listener: %1").arg(QString::fromUtf8(err)));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sync edge -> hub on loopback: catch-up of a week offline, whole path vs direct "
                                                    "ingest, hub CPU for a fleet syncing each minute (docs/sync.md)."));
    parser.addHelpOption();
    Settings s;
    const QCommandLineOption windowsOpt(QStringLiteral("windows"), QStringLiteral("Windows of the catch-up (default 30240)."),
                                        QStringLiteral("N"));
    const QCommandLineOption devicesOpt(QStringLiteral("devices"), QStringLiteral("Simulated devices of the fleet round (default 1000)."),
                                        QStringLiteral("N"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), QStringLiteral("Windows per batch (default 500)."), QStringLiteral("N"));
    const QCommandLineOption dirOpt(QStringLiteral("pg-dir"), QStringLiteral("The private cluster's directory (default %1).").arg(s.pgDir),
                                    QStringLiteral("DIR"));
    const QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("The cluster's socket port (default 55434)."),
                                     QStringLiteral("N"));
    const QCommandLineOption scriptOpt(QStringLiteral("pg-script"), QStringLiteral("scripts/pg-cluster.sh (default %1).").arg(s.script),
                                       QStringLiteral("FILE"));
    const QCommandLineOption keepOpt(QStringLiteral("keep-running"), QStringLiteral("Leave the cluster running at the end."));
    parser.addOptions({windowsOpt, devicesOpt, batchOpt, dirOpt, portOpt, scriptOpt, keepOpt});
    parser.process(app);
    const auto number = [&](const QCommandLineOption &o, qint64 min, qint64 max, qint64 fallback) -> qint64 {
        if (!parser.isSet(o))
            return fallback;
        bool ok = false;
        const qint64 v = parser.value(o).toLongLong(&ok);
        if (!ok || v < min || v > max)
            fail(QStringLiteral("--%1 must be a whole number in %2..%3 (got '%4')").arg(o.names().constFirst()).arg(min).arg(max).arg(parser.value(o)));
        return v;
    };
    s.windows = int(number(windowsOpt, 1, 1'000'000, s.windows));
    s.devices = int(number(devicesOpt, 1, 100'000, s.devices));
    s.batch = int(number(batchOpt, 1, protocol::SyncBatch::MaxWindows, s.batch));
    s.port = int(number(portOpt, 1, 65535, s.port));
    s.keepRunning = parser.isSet(keepOpt);
    if (parser.isSet(dirOpt))
        s.pgDir = parser.value(dirOpt);
    if (parser.isSet(scriptOpt))
        s.script = parser.value(scriptOpt);
    s.pgDir = QDir(s.pgDir).absolutePath();

    const core::SystemClock clock;
    const qint64 nowMs = clock.nowMs();
    const qint64 minutes = (s.windows + kZones.size() - 1) / kZones.size();
    const qint64 endMs = nowMs / kMinuteMs * kMinuteMs - kMinuteMs;
    const qint64 startMs = endMs - minutes * kMinuteMs; // the week offline, up to a minute ago

    runClusterScript(s, {QStringLiteral("start"), s.pgDir, QString::number(s.port)});
    runClusterScript(s, {QStringLiteral("fresh-db"), s.pgDir, kDatabase});
    hub::Database owner = need(hub::Database::open(connectionFor(s, QStringLiteral("signiq_owner"))), QStringLiteral("connecting as signiq_owner"));
    hub::Database application = need(hub::Database::open(connectionFor(s, QStringLiteral("signiq_app"))), QStringLiteral("connecting as signiq_app"));
    (void)need(hub::Migrations::apply(owner), QStringLiteral("migrating"));
    const auto utcDate = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).date(); };
    (void)need(hub::Retention::createPartitions(owner, utcDate(startMs - 2 * kDayMs), utcDate(nowMs + 2 * kDayMs)), QStringLiteral("partitions"));
    const QUuid org = need(hub::OrganisationRepository(application, clock).create(QStringLiteral("Bench"), protocol::Tier::Enterprise,
                                                                                   QStringLiteral("bench")),
                           QStringLiteral("organisation"))
                          .id;
    auto ca = need(crypto::CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), 30 * kDayMs, clock), QStringLiteral("deployment CA"));
    hub::SyncIngest ingest(application, clock);
    need(ingest.registerDeploymentCa(org, ca.certificate()), QStringLiteral("registering the deployment CA"));

    // The hub's server certificate (its own CA) and the hub process.
    QTemporaryDir dir;
    if (!dir.isValid())
        fail(QStringLiteral("no temporary directory"));
    auto hubCa = need(crypto::CertificateAuthority::create(QStringLiteral("Signiq hub CA"), kDayMs, clock), QStringLiteral("hub CA"));
    auto hubKey = need(crypto::PrivateKey::generateEcP256(), QStringLiteral("hub key"));
    crypto::IssueOptions hubOptions;
    hubOptions.commonName = QStringLiteral("localhost");
    hubOptions.dnsNames = {QStringLiteral("localhost")};
    hubOptions.ipAddresses = {QStringLiteral("127.0.0.1")};
    hubOptions.lifetimeMs = kDayMs;
    auto hubCert = need(hubCa.issue(need(crypto::CertificateRequest::create(hubKey, QStringLiteral("localhost")), QStringLiteral("hub CSR")),
                                    hubOptions, clock),
                        QStringLiteral("hub certificate"));
    const QString hubPem = dir.filePath(QStringLiteral("hub.pem"));
    need(crypto::securefile::writeFile(hubPem, hubCert.toQSslCertificate().toPem() + hubKey.toQSslKey().toPem(), 0600,
                                       crypto::securefile::Replace::Never),
         QStringLiteral("writing the hub's certificate"));
    QProcess hubProcess;
    const quint16 syncPort = startHub(hubProcess, s, hubPem);
    const qint64 hubPid = hubProcess.processId();
    const QUrl hubUrl(QStringLiteral("https://127.0.0.1:%1").arg(syncPort));
    const QList<QSslCertificate> hubAnchors{hubCa.certificate().toQSslCertificate()};
    progress(QStringLiteral("hub pid %1, sync on port %2").arg(hubPid).arg(syncPort));

    // 1. Catch-up: a week in the edge's outbox, drained over mutual TLS.
    const DeviceIdentity edgeDevice = enrollDevice(ca, application, org, QStringLiteral("catch-up"), clock);
    QByteArray edgeKey(32, '\0');
    for (int i = 0; i < edgeKey.size(); ++i)
        edgeKey[i] = char(i * 7 + 3);
    storage::EncryptedDatabase edgeDb =
        need(storage::EncryptedDatabase::open(dir.filePath(QStringLiteral("edge.db")), edgeKey, QStringLiteral("bench-edge")), QStringLiteral("edge database"));
    storage::SyncOutbox outbox(edgeDb, clock, s.windows + kZones.size());
    QList<QList<core::AudienceWindow>> closes; // per minute, as the pipeline closes them
    int total = 0;
    for (qint64 m = 0; m < minutes && total < s.windows; ++m) {
        QList<core::AudienceWindow> close;
        for (int z = 0; z < kZones.size() && total < s.windows; ++z, ++total)
            close << window(kZones.at(z), startMs + m * kMinuteMs, int(m * 3 + z));
        closes << close;
    }
    QElapsedTimer timer;
    timer.start();
    for (const auto &close : closes)
        need(outbox.storeWindows(close), QStringLiteral("storing a window close"));
    const double storeS = double(timer.nsecsElapsed()) / 1e9;
    progress(QStringLiteral("edge outbox: %1 windows stored in %2 s").arg(total).arg(storeS, 0, 'f', 2));

    sync::HttpsHubClient client(sync::HubEndpoint{hubUrl, hubAnchors, edgeDevice.tls, 120'000});
    sync::SyncWorker worker(outbox, client, clock, sync::RetryPolicy(), s.batch);
    const double hubCpu0 = processCpuS(hubPid), pgCpu0 = clusterCpuS(s), selfCpu0 = selfCpuS();
    timer.restart();
    const sync::SyncRunSummary summary = need(worker.runOnce(), QStringLiteral("catch-up"));
    const double catchUpS = double(timer.nsecsElapsed()) / 1e9;
    const double hubCpuCatchUp = processCpuS(hubPid) - hubCpu0, pgCpuCatchUp = clusterCpuS(s) - pgCpu0, edgeCpuCatchUp = selfCpuS() - selfCpu0;
    if (summary.failures > 0 || !summary.outboxEmpty || summary.windowsAcknowledged != total)
        fail(QStringLiteral("catch-up did not complete: %1 of %2 windows, last error: %3").arg(summary.windowsAcknowledged).arg(total).arg(summary.lastError));

    // 2. The hub's direct ingest of the same windows, same batches, in this process.
    const DeviceIdentity direct = enrollDevice(ca, application, org, QStringLiteral("direct"), clock);
    QList<core::AudienceWindow> all;
    for (const auto &close : closes)
        all << close;
    const double pgCpu1 = clusterCpuS(s);
    timer.restart();
    for (qsizetype from = 0; from < all.size(); from += s.batch) {
        protocol::SyncBatch batch;
        batch.batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        batch.sentAtMs = clock.nowMs();
        batch.audience = all.mid(from, s.batch);
        (void)need(ingest.ingest(direct.device, batch), QStringLiteral("direct ingest"));
    }
    const double directS = double(timer.nsecsElapsed()) / 1e9;
    const double pgCpuDirect = clusterCpuS(s) - pgCpu1;

    // 3. The fleet: every device sends one minute (3 windows) on its own new connection.
    progress(QStringLiteral("enrolling %1 simulated devices").arg(s.devices));
    QList<DeviceIdentity> fleet;
    fleet.reserve(s.devices);
    for (int d = 0; d < s.devices; ++d)
        fleet << enrollDevice(ca, application, org, QStringLiteral("fleet-%1").arg(d), clock);
    const qint64 minuteMs = endMs;
    const double hubCpu2 = processCpuS(hubPid), pgCpu2 = clusterCpuS(s);
    timer.restart();
    int fleetFailures = 0;
    for (int d = 0; d < s.devices; ++d) {
        protocol::SyncBatch batch;
        batch.batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        batch.sentAtMs = clock.nowMs();
        for (int z = 0; z < kZones.size(); ++z)
            batch.audience << window(kZones.at(z), minuteMs, d + z);
        sync::HttpsHubClient deviceClient(sync::HubEndpoint{hubUrl, hubAnchors, fleet.at(d).tls, 60'000});
        if (!std::holds_alternative<sync::SendAcked>(deviceClient.send(batch)))
            ++fleetFailures;
    }
    const double fleetS = double(timer.nsecsElapsed()) / 1e9;
    const double hubCpuFleet = processCpuS(hubPid) - hubCpu2, pgCpuFleet = clusterCpuS(s) - pgCpu2;

    hubProcess.terminate();
    hubProcess.waitForFinished(30'000);
    if (!s.keepRunning)
        runClusterScript(s, {QStringLiteral("stop"), s.pgDir});

    std::printf("signiq-bench-sync: loopback, hub = signiq-hub serve (own process), PostgreSQL 15 private cluster, %ld cores online\n",
                sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("\n1. catch-up of one device offline: %d windows (%lld minutes x %lld zones), batches of %d\n", total,
                static_cast<long long>(minutes), static_cast<long long>(kZones.size()), s.batch);
    std::printf("   edge: store into the SQLCipher outbox   %8.2f s  (%.0f windows/s, window + outbox row per close)\n", storeS,
                total / storeS);
    std::printf("   whole path (outbox -> TLS 1.3 -> hub -> PostgreSQL)  %8.2f s  = %.0f windows/s, %d batches\n", catchUpS,
                total / catchUpS, summary.batchesAcknowledged);
    std::printf("   CPU during catch-up: hub %.2f s, PostgreSQL %.2f s, edge (this process) %.2f s\n", hubCpuCatchUp, pgCpuCatchUp,
                edgeCpuCatchUp);
    std::printf("2. hub direct ingest (SyncIngest::ingest, same batches, no TLS/HTTP/edge)  %8.2f s  = %.0f windows/s (PostgreSQL CPU %.2f s)\n",
                directS, total / directS, pgCpuDirect);
    std::printf("   whole path / direct: %.2f\n", (total / catchUpS) / (total / directS));
    std::printf("3. fleet: %d devices, one batch of %lld windows each on a new mutual-TLS connection (%d failed)\n", s.devices,
                static_cast<long long>(kZones.size()), fleetFailures);
    std::printf("   round took %.2f s wall; hub CPU %.2f s (%.2f ms per device sync), PostgreSQL CPU %.2f s\n", fleetS, hubCpuFleet,
                1000.0 * hubCpuFleet / s.devices, pgCpuFleet);
    std::printf("   per 1,000 devices syncing each minute: hub %.1f %% of one core, PostgreSQL %.1f %% of one core\n",
                100.0 * hubCpuFleet * (1000.0 / s.devices) / 60.0, 100.0 * pgCpuFleet * (1000.0 / s.devices) / 60.0);
    return 0;
}
