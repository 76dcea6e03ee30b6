// Exactly once through every fault (issue 14, docs/sync.md "Fault matrix"): real processes only —
// `signiq-hub serve --sync-port` on the fixture's PostgreSQL, `signiq-edge run --once` on
// vtest.avi and `signiq-edge sync --once` on a SQLCipher file — with a seeded fault-injecting TCP
// proxy (FaultProxy) between them that drops, stalls, resets and truncates connections; the hub
// is killed with SIGKILL while it holds part of a batch, the edge while the hub has committed
// its batch and the answer is on its way. At the end the hub holds exactly the edge's windows:
// the same number, the same content hashes, no duplicates. No sleeps: every wait is on a process
// (its output, its exit), a proxy signal, or the hub's database state.
#include "FaultProxy.h"
#include "HubTestSupport.h"

#include "../api/ApiTestSupport.h"
#include "../storage/StorageTestSupport.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/SecureFile.h"
#include "hub/DeviceRepository.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SyncIngest.h"
#include "hub/WindowRepository.h"
#include "protocol/Time.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SyncOutbox.h"
#include "storage/WindowRepository.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace signiq;
using signiq::test::FaultProxy;

namespace {

const QString kDb = QStringLiteral("signiq_test_sync_faults");
constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr quint32 kSeed = 20261207;

struct Run {
    int exitCode = -1; // -1: crashed, killed or timed out
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

// A window's content hash: SHA-256 of its canonical JSON (the wire form).
QString contentHash(const core::AudienceWindow &w)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(w.toJson()).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256).toHex());
}

QStringList sortedHashes(const QList<core::AudienceWindow> &windows)
{
    QStringList hashes;
    for (const core::AudienceWindow &w : windows)
        hashes << contentHash(w);
    hashes.sort();
    return hashes;
}

} // namespace

class TestHubSyncFaults : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void thePipelineSyncsThroughAFaultyNetwork();
    void theHubKilledMidBatchStoresNothingOfIt();
    void theEdgeKilledAfterTheCommitResendsTheSameBatch();
    void aLostAnswerIsResentAndAcknowledgedAsADuplicate();
    void theOutboxDrainsThroughRandomFaults();
    void theHubHoldsExactlyTheEdgesWindows();
    void cleanupTestCase();

private:
    void startHub();
    QProcess *startEdge(const QStringList &args);
    Run finish(QProcess &process, int timeoutMs);
    Run edge(const QStringList &args, int timeoutMs = 60'000);
    QStringList syncArgs(int batchSize) const;
    QList<core::AudienceWindow> hubWindows();
    QList<core::AudienceWindow> edgeWindows();
    storage::OutboxStatus edgeStatus();

    core::SystemClock m_clock;
    std::optional<hub::Database> m_owner;
    std::optional<hub::Database> m_app;
    QUuid m_org;
    QUuid m_device;
    QTemporaryDir m_dir;
    QString m_dbPath, m_keyPath, m_identityDir, m_hubCaPath, m_hubPemPath;
    std::unique_ptr<QProcess> m_hub;
    FaultProxy m_proxy{kSeed};
    quint16 m_proxyPort = 0;
    qint64 m_start = 0;
    int m_seeded = 0;
};

void TestHubSyncFaults::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)), "fixture missing: " SIGNIQ_SAMPLE_VIDEO);
    QString why;
    m_owner = hub::test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    QVERIFY(hub::Migrations::apply(*m_owner));
    const QDate today = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), QTimeZone::utc()).date();
    QVERIFY(hub::Retention::createPartitions(*m_owner, today.addMonths(-1), today.addMonths(1)));
    m_app = hub::test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
    auto org = hub::OrganisationRepository(*m_app, m_clock).create(QStringLiteral("Faults"), protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(org);
    m_org = org->id;

    // The organisation's deployment CA and the device certificate it issued (as enrollment would).
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), 30 * kDay, m_clock);
    QVERIFY(ca);
    QVERIFY(hub::SyncIngest(*m_app, m_clock).registerDeploymentCa(m_org, ca->certificate()));
    auto deviceKey = crypto::PrivateKey::generateEcP256();
    auto csr = crypto::CertificateRequest::create(*deviceKey, QStringLiteral("screen-faults"));
    crypto::IssueOptions issue;
    issue.commonName = QStringLiteral("screen-faults");
    issue.lifetimeMs = kDay;
    issue.serverAuth = false;
    auto cert = ca->issue(*csr, issue, m_clock);
    QVERIFY(cert);
    auto device = hub::DeviceRepository(*m_app).create(m_org, hub::NewDevice{std::nullopt, QStringLiteral("screen-faults"), cert->serialHex()});
    QVERIFY(device);
    m_device = device->id;

    QVERIFY(m_dir.isValid());
    m_dbPath = m_dir.filePath(QStringLiteral("edge.db"));
    m_keyPath = m_dir.filePath(QStringLiteral("edge.key"));
    m_identityDir = m_dir.filePath(QStringLiteral("identity"));
    m_hubCaPath = m_dir.filePath(QStringLiteral("hub-ca.pem"));
    m_hubPemPath = m_dir.filePath(QStringLiteral("hub.pem"));
    QVERIFY(QDir().mkpath(m_identityDir));
    QVERIFY(crypto::securefile::writeFile(m_identityDir + QStringLiteral("/device.pem"),
                                          cert->toQSslCertificate().toPem() + deviceKey->toQSslKey().toPem(), 0600,
                                          crypto::securefile::Replace::Never));
    QVERIFY(ca->certificate().save(m_identityDir + QStringLiteral("/ca.crt")));
    const api::test::TestPki hubPki = api::test::TestPki::create();
    QVERIFY(crypto::securefile::writeFile(m_hubCaPath, hubPki.ca.certificate().toPem(), 0644, crypto::securefile::Replace::Never));
    QVERIFY(crypto::securefile::writeFile(m_hubPemPath, hubPki.server.certificate.toPem() + hubPki.server.privateKey.toPem(), 0600,
                                          crypto::securefile::Replace::Never));
    QVERIFY(crypto::securefile::writeFile(m_keyPath, storage::test::testKey(5), 0600, crypto::securefile::Replace::Never));

    // A week-old backlog the device could not send, in the outbox before the pipeline runs.
    m_start = (m_clock.nowMs() / 60'000 - 24 * 60) * 60'000; // a day ago, on a minute
    {
        auto db = storage::EncryptedDatabase::open(m_dbPath, storage::test::testKey(5), QStringLiteral("seed"));
        QVERIFY2(db, qPrintable(db.ok() ? QString() : db.error().toString()));
        storage::SyncOutbox outbox(*db, m_clock);
        for (int minute = 0; minute < 60; ++minute) {
            QList<core::AudienceWindow> close;
            for (const QString &zone : {QStringLiteral("lobby"), QStringLiteral("till")})
                close << storage::test::sampleWindow(zone, m_start + 60'000LL * minute, minute);
            QVERIFY(outbox.storeWindows(close).ok());
            m_seeded += int(close.size());
        }
    }

    m_proxyPort = m_proxy.listen();
    QVERIFY(m_proxyPort != 0);
    startHub();
}

void TestHubSyncFaults::cleanupTestCase()
{
    if (m_hub && m_hub->state() != QProcess::NotRunning) {
        m_hub->terminate();
        m_hub->waitForFinished(30'000);
    }
}

// `signiq-hub serve` with its sync listener on a free port (read from its output); the proxy
// forwards to it.
void TestHubSyncFaults::startHub()
{
    m_hub = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), QDir(hub::test::clusterDir()).filePath(QStringLiteral("credentials")));
    m_hub->setProcessEnvironment(env);
    const QString db = QStringLiteral("host=%1 port=%2 dbname=%3")
                           .arg(hub::test::clusterDir())
                           .arg(qEnvironmentVariableIntValue("SIGNIQ_TEST_PG_PORT"))
                           .arg(kDb);
    m_hub->start(QStringLiteral(SIGNIQ_HUB_BINARY),
                 {QStringLiteral("--db"), db, QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1"),
                  QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-cert"), m_hubPemPath, QStringLiteral("--sync-port"),
                  QStringLiteral("0")});
    QVERIFY2(m_hub->waitForStarted(30'000), qPrintable(m_hub->errorString()));
    static const QRegularExpression listening(QStringLiteral("sync on https://127\\.0\\.0\\.1:(\\d+)/"));
    QByteArray err;
    QSignalSpy output(m_hub.get(), &QProcess::readyReadStandardError);
    const QDeadlineTimer deadline(60'000);
    for (;;) {
        err += m_hub->readAllStandardError();
        if (const auto match = listening.match(QString::fromUtf8(err)); match.hasMatch()) {
            m_proxy.setUpstreamPort(quint16(match.captured(1).toUInt()));
            return;
        }
        QVERIFY2(m_hub->state() == QProcess::Running && !deadline.hasExpired(), err.constData());
        output.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    }
}

QProcess *TestHubSyncFaults::startEdge(const QStringList &args)
{
    auto *process = new QProcess(this);
    // Every command but `models` works on the edge's database.
    const bool onDatabase = args.value(0) != QStringLiteral("models");
    process->start(QStringLiteral(SIGNIQ_EDGE_BINARY),
                   onDatabase ? args + QStringList{QStringLiteral("--db"), m_dbPath, QStringLiteral("--key-file"), m_keyPath} : args);
    return process;
}

// Waits for the process (the proxy runs on this thread's event loop meanwhile).
Run TestHubSyncFaults::finish(QProcess &process, int timeoutMs)
{
    QSignalSpy finished(&process, &QProcess::finished);
    if (process.state() != QProcess::NotRunning && !finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished(10'000);
        return Run{-1, QString::fromUtf8(process.readAllStandardOutput()), QStringLiteral("timed out; ") + QString::fromUtf8(process.readAllStandardError())};
    }
    return Run{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, QString::fromUtf8(process.readAllStandardOutput()),
               QString::fromUtf8(process.readAllStandardError())};
}

Run TestHubSyncFaults::edge(const QStringList &args, int timeoutMs)
{
    std::unique_ptr<QProcess> process(startEdge(args));
    return finish(*process, timeoutMs);
}

QStringList TestHubSyncFaults::syncArgs(int batchSize) const
{
    return {QStringLiteral("sync"),          QStringLiteral("--once"),  QStringLiteral("--now"),
            QStringLiteral("--json"),        QStringLiteral("--hub"),   QStringLiteral("https://127.0.0.1:%1").arg(m_proxyPort),
            QStringLiteral("--identity-dir"), m_identityDir,            QStringLiteral("--hub-ca"),
            m_hubCaPath,                     QStringLiteral("--batch-size"), QString::number(batchSize)};
}

QList<core::AudienceWindow> TestHubSyncFaults::hubWindows()
{
    QList<core::AudienceWindow> out;
    hub::WindowQuery query;
    query.deviceId = m_device;
    query.limit = 1000;
    for (;;) {
        auto page = hub::WindowRepository(*m_app).queryAudience(m_org, query);
        if (!page)
            qFatal("hub windows: %s", qPrintable(page.error().toString()));
        for (const auto &stored : page->items)
            out.append(stored.window);
        if (page->items.size() < query.limit)
            return out;
        query.offset += query.limit;
    }
}

QList<core::AudienceWindow> TestHubSyncFaults::edgeWindows()
{
    auto db = storage::EncryptedDatabase::open(m_dbPath, storage::test::testKey(5), QStringLiteral("check"));
    if (!db)
        qFatal("edge database: %s", qPrintable(db.error().toString()));
    auto windows = storage::WindowRepository(*db).windows(0, std::numeric_limits<qint64>::max());
    if (!windows)
        qFatal("edge windows: %s", qPrintable(windows.error().toString()));
    return *windows;
}

storage::OutboxStatus TestHubSyncFaults::edgeStatus()
{
    auto db = storage::EncryptedDatabase::open(m_dbPath, storage::test::testKey(5), QStringLiteral("check"));
    if (!db)
        qFatal("edge database: %s", qPrintable(db.error().toString()));
    auto status = storage::SyncOutbox(*db, m_clock).status();
    if (!status)
        qFatal("edge outbox: %s", qPrintable(status.error().toString()));
    return *status;
}

// `signiq-edge run --once` on vtest.avi with the sync worker on, every other connection faulted.
void TestHubSyncFaults::thePipelineSyncsThroughAFaultyNetwork()
{
    const QString models = m_dir.filePath(QStringLiteral("models"));
    const Run installed = edge({QStringLiteral("models"), QStringLiteral("install"), QStringLiteral("--from"),
                                QStringLiteral(SIGNIQ_TEST_MODELS_DIR), QStringLiteral("--dir"), models,
                                QStringLiteral("yolo-fastest-1.1-body")});
    QVERIFY2(installed.exitCode == 0, qPrintable(installed.out + installed.err));

    m_proxy.setFaultRate(0.5);
    const qint64 startMs = (m_clock.nowMs() / 3600'000 - 3) * 3600'000; // on an hour, 3 h ago
    const Run run = edge({QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
                          QStringLiteral("--config"), QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"),
                          QStringLiteral("--no-faces"), QStringLiteral("--start-time"), protocol::isoTime(startMs),
                          QStringLiteral("--models-dir"), models, QStringLiteral("--sync-hub"),
                          QStringLiteral("https://127.0.0.1:%1").arg(m_proxyPort), QStringLiteral("--identity-dir"), m_identityDir,
                          QStringLiteral("--sync-hub-ca"), m_hubCaPath, QStringLiteral("--sync-interval-s"), QStringLiteral("1"),
                          QStringLiteral("--sync-batch-size"), QStringLiteral("8")},
                         240'000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    qInfo().noquote() << "pipeline run:" << m_proxy.summary();
    QVERIFY2(m_proxy.connections() > 0, "the sync worker never connected");
    const QList<core::AudienceWindow> windows = edgeWindows();
    QVERIFY2(windows.size() >= m_seeded + 2, "vtest.avi closes windows in both zones");
    QVERIFY(hubWindows().size() <= windows.size());
}

// SIGKILL of the hub while it holds the first part of a batch: nothing of it is stored, the edge
// keeps the batch (same id) for its next run against the restarted hub.
void TestHubSyncFaults::theHubKilledMidBatchStoresNothingOfIt()
{
    // More backlog (two days ago), so that the steps below have batches to send however far the
    // pipeline run got with its own.
    {
        auto db = storage::EncryptedDatabase::open(m_dbPath, storage::test::testKey(5), QStringLiteral("backlog"));
        QVERIFY2(db, qPrintable(db.ok() ? QString() : db.error().toString()));
        storage::SyncOutbox outbox(*db, m_clock);
        for (int minute = 0; minute < 100; ++minute)
            QVERIFY(outbox.storeWindows({storage::test::sampleWindow(QStringLiteral("door"), m_start - kDay + 60'000LL * minute, minute)}).ok());
    }
    m_proxy.setFaultRate(0);
    m_proxy.setHold(FaultProxy::Hold::Request, FaultProxy::RequestFaultBytes + 500); // past the handshake, inside the body
    const qsizetype before = hubWindows().size();
    const qint64 depthBefore = edgeStatus().depth;
    QVERIFY(depthBefore > 0);
    QSignalSpy held(&m_proxy, &FaultProxy::held);
    std::unique_ptr<QProcess> sender(startEdge(syncArgs(20)));
    QVERIFY2(held.wait(60'000), "the request never reached the hold point");
    m_hub->kill(); // SIGKILL
    QVERIFY(m_hub->waitForFinished(30'000));
    QCOMPARE(m_hub->exitStatus(), QProcess::CrashExit);
    const Run sent = finish(*sender, 60'000);
    m_proxy.setHold(FaultProxy::Hold::Off, 0);
    QVERIFY2(sent.exitCode == 1, qPrintable(sent.out + sent.err)); // a failed send, to be retried
    QCOMPARE(sent.json().value(QStringLiteral("failures")).toInt(), 1);
    QCOMPARE(hubWindows().size(), before);
    const storage::OutboxStatus status = edgeStatus();
    QCOMPARE(status.depth, depthBefore);
    QVERIFY(!status.lastError.isEmpty());
    startHub();
}

// SIGKILL of the edge after the hub committed its batch and before the answer reached it: the
// restarted edge sends the same batch again and the hub answers "duplicate", storing nothing.
void TestHubSyncFaults::theEdgeKilledAfterTheCommitResendsTheSameBatch()
{
    m_proxy.setHold(FaultProxy::Hold::Response, FaultProxy::RequestFaultBytes + 500);
    const qsizetype before = hubWindows().size();
    const qint64 depthBefore = edgeStatus().depth;
    QSignalSpy held(&m_proxy, &FaultProxy::held);
    std::unique_ptr<QProcess> sender(startEdge(syncArgs(20)));
    QVERIFY2(held.wait(60'000), "the answer never reached the hold point");
    QTRY_VERIFY_WITH_TIMEOUT(hubWindows().size() > before, 30'000); // committed at the hub
    const qsizetype committed = hubWindows().size() - before;
    sender->kill(); // SIGKILL, the answer still held by the proxy
    QVERIFY(sender->waitForFinished(30'000));
    QCOMPARE(sender->exitStatus(), QProcess::CrashExit);
    m_proxy.setHold(FaultProxy::Hold::Off, 0);
    m_proxy.releaseHeld(FaultProxy::Release::Reset);
    QCOMPARE(edgeStatus().depth, depthBefore); // not acknowledged on the edge

    const Run resent = edge(syncArgs(20) + QStringList{QStringLiteral("--batches"), QStringLiteral("1")});
    QVERIFY2(resent.exitCode == 0, qPrintable(resent.out + resent.err));
    const QJsonObject json = resent.json();
    QCOMPARE(json.value(QStringLiteral("acknowledged_batches")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("duplicates")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("acknowledged_windows")).toInt(), int(committed));
    QCOMPARE(hubWindows().size(), before + committed);
    QCOMPARE(edgeStatus().depth, depthBefore - committed);
}

// The hub commits, the connection is reset before its answer: the edge retries the same batch
// (within the same run when Qt resends the request, or in the next run) and it is a duplicate.
void TestHubSyncFaults::aLostAnswerIsResentAndAcknowledgedAsADuplicate()
{
    m_proxy.setHold(FaultProxy::Hold::Response, FaultProxy::RequestFaultBytes + 500);
    const qsizetype before = hubWindows().size();
    QSignalSpy held(&m_proxy, &FaultProxy::held);
    std::unique_ptr<QProcess> sender(startEdge(syncArgs(20) + QStringList{QStringLiteral("--batches"), QStringLiteral("1")}));
    QVERIFY2(held.wait(60'000), "the answer never reached the hold point");
    QTRY_VERIFY_WITH_TIMEOUT(hubWindows().size() > before, 30'000);
    const qsizetype committed = hubWindows().size() - before;
    m_proxy.setHold(FaultProxy::Hold::Off, 0);
    m_proxy.releaseHeld(FaultProxy::Release::Reset);
    const Run first = finish(*sender, 60'000);
    int duplicates = first.json().value(QStringLiteral("duplicates")).toInt();
    if (first.exitCode != 0) { // the reset failed the send: the next run resends it
        QVERIFY2(first.exitCode == 1, qPrintable(first.out + first.err));
        QCOMPARE(duplicates, 0);
        const Run again = edge(syncArgs(20) + QStringList{QStringLiteral("--batches"), QStringLiteral("1")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
        duplicates = again.json().value(QStringLiteral("duplicates")).toInt();
    }
    QCOMPARE(duplicates, 1);
    QCOMPARE(hubWindows().size(), before + committed);
}

// Repeated `sync --once` runs through the proxy with 40 % of the connections faulted until the
// outbox is empty (each run stops at its first failed send; --now skips the backoff).
void TestHubSyncFaults::theOutboxDrainsThroughRandomFaults()
{
    m_proxy.setFaultRate(0.4);
    int runs = 0;
    int failedRuns = 0;
    for (; runs < 200; ++runs) {
        const Run run = edge(syncArgs(7));
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.out + run.err));
        const QJsonObject json = run.json();
        QVERIFY2(json.value(QStringLiteral("set_aside_batches")).toInt() == 0, qPrintable(run.out));
        failedRuns += run.exitCode == 1 ? 1 : 0;
        if (run.exitCode == 0 && json.value(QStringLiteral("outbox_depth")).toInteger() == 0)
            break;
    }
    m_proxy.setFaultRate(0);
    qInfo().noquote() << runs + 1 << "sync runs," << failedRuns << "failed;" << m_proxy.summary();
    QCOMPARE(edgeStatus().depth, 0);
    QVERIFY(failedRuns > 0);
    for (const FaultProxy::Fault fault : {FaultProxy::Fault::Drop, FaultProxy::Fault::Stall, FaultProxy::Fault::Reset,
                                          FaultProxy::Fault::TruncateRequest})
        QVERIFY2(m_proxy.faultCount(fault) > 0, qPrintable(m_proxy.summary()));
}

void TestHubSyncFaults::theHubHoldsExactlyTheEdgesWindows()
{
    const QList<core::AudienceWindow> onEdge = edgeWindows();
    const QList<core::AudienceWindow> atHub = hubWindows();
    QCOMPARE(atHub.size(), onEdge.size());
    const QStringList edgeHashes = sortedHashes(onEdge);
    const QStringList hubHashes = sortedHashes(atHub);
    QCOMPARE(hubHashes, edgeHashes);
    QCOMPARE(QSet<QString>(hubHashes.cbegin(), hubHashes.cend()).size(), hubHashes.size()); // no duplicates
    QSet<QPair<QString, qint64>> keys;
    for (const core::AudienceWindow &w : atHub)
        keys.insert({w.zone, w.startMs});
    QCOMPARE(keys.size(), atHub.size());
    const storage::OutboxStatus status = edgeStatus();
    QCOMPARE(status.depth, 0);
    QCOMPARE(status.poisonedWindows, 0);
    QCOMPARE(status.droppedWindows, 0);
}

QTEST_GUILESS_MAIN(TestHubSyncFaults)
#include "TestHubSyncFaults.moc"
