// Edge outbox -> SyncWorker -> HttpsHubClient -> mutual TLS 1.3 -> SyncServer -> PostgreSQL, all
// real (docs/sync.md): the hub ends up with exactly the edge's windows, a resent batch adds
// nothing, a refused certificate stores nothing, a poison batch is set aside on the edge.
#include "HubTestSupport.h"

#include "../api/ApiTestSupport.h"
#include "../storage/StorageTestSupport.h"
#include "crypto/CertificateAuthority.h"
#include "hub/DeviceRepository.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SyncServer.h"
#include "hub/WindowRepository.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SyncOutbox.h"
#include "storage/WindowRepository.h"
#include "sync/HubClient.h"
#include "sync/SyncWorker.h"
#include "protocol/Time.h"

#include "crypto/SecureFile.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;

namespace {

const QString kDb = QStringLiteral("signiq_test_sync_e2e");
constexpr qint64 kDay = 24LL * 3600 * 1000;

crypto::TlsIdentity issueDevice(const crypto::CertificateAuthority &ca, const QString &name, const core::Clock &clock,
                                QString *serial = nullptr)
{
    auto key = crypto::PrivateKey::generateEcP256();
    auto csr = crypto::CertificateRequest::create(*key, name);
    crypto::IssueOptions options;
    options.commonName = name;
    options.lifetimeMs = kDay;
    options.serverAuth = false;
    auto cert = ca.issue(*csr, options, clock);
    if (!cert)
        qFatal("issue: %s", qPrintable(cert.error().toString()));
    if (serial)
        *serial = cert->serialHex();
    return crypto::TlsIdentity{cert->toQSslCertificate(), {}, key->toQSslKey()};
}

} // namespace

class TestHubSyncEndToEnd : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void theHubHoldsExactlyTheEdgesWindows();
    void aResentBatchAddsNothing();
    void aRefusedCertificateStoresNothingAndIsRetried();
    void aPoisonBatchIsSetAsideOnTheEdge();
    void theEdgeProgramSyncsOnce();
    void anOperatorRequeuesABatchTheHubRefused();
    void aPipelineRunOnTheSampleVideoSyncsItsWindows();
    void cleanupTestCase();

private:
    sync::HttpsHubClient client(const crypto::TlsIdentity &identity)
    {
        return sync::HttpsHubClient(sync::HubEndpoint{QUrl(QStringLiteral("https://localhost:%1").arg(m_port)),
                                                      {m_hubPki->ca.certificate().toQSslCertificate()}, identity, 20'000});
    }
    QList<core::AudienceWindow> hubWindows();
    QList<core::AudienceWindow> edgeWindows();

    core::ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    const core::SystemClock m_systemClock;
    std::optional<hub::Database> m_owner;
    std::optional<hub::Database> m_app;
    std::optional<api::test::TestPki> m_hubPki;
    std::optional<crypto::CertificateAuthority> m_ca;
    QUuid m_org;
    QUuid m_device;
    crypto::TlsIdentity m_identity;
    std::unique_ptr<hub::SyncServer> m_server;
    quint16 m_port = 0;
    QTemporaryDir m_dir;
    std::optional<storage::EncryptedDatabase> m_edge;
    std::optional<storage::SyncOutbox> m_outbox;
    qint64 m_start = 0;
};

void TestHubSyncEndToEnd::initTestCase()
{
    QString why;
    m_owner = hub::test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    QVERIFY(hub::Migrations::apply(*m_owner));
    const QDate today = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), QTimeZone::utc()).date();
    QVERIFY(hub::Retention::createPartitions(*m_owner, today.addMonths(-1), today.addMonths(1)));
    m_app = hub::test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
    auto org = hub::OrganisationRepository(*m_app, m_clock).create(QStringLiteral("Alpha"), protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(org);
    m_org = org->id;
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), 30 * kDay, m_systemClock);
    QVERIFY(ca);
    m_ca.emplace(std::move(ca).value());
    QVERIFY(hub::SyncIngest(*m_app, m_clock).registerDeploymentCa(m_org, m_ca->certificate()));
    QString serial;
    m_identity = issueDevice(*m_ca, QStringLiteral("screen-1"), m_systemClock, &serial);
    auto device = hub::DeviceRepository(*m_app).create(m_org, hub::NewDevice{std::nullopt, QStringLiteral("screen-1"), serial});
    QVERIFY(device);
    m_device = device->id;

    m_hubPki.emplace(api::test::TestPki::create());
    m_server = std::make_unique<hub::SyncServer>(*m_app, m_clock);
    auto port = m_server->listen(m_hubPki->server, QHostAddress::LocalHost, 0);
    QVERIFY2(port, qPrintable(port.ok() ? QString() : port.error().toString()));
    m_port = *port;

    QVERIFY(m_dir.isValid());
    auto edge = storage::EncryptedDatabase::open(m_dir.filePath(QStringLiteral("edge.db")), storage::test::testKey(), QStringLiteral("edge"));
    QVERIFY2(edge, qPrintable(edge.ok() ? QString() : edge.error().toString()));
    m_edge.emplace(std::move(edge).value());
    m_outbox.emplace(*m_edge, m_clock);
    m_start = (m_clock.nowMs() / 60'000 - 24 * 60) * 60'000; // a day ago, on a minute
}

void TestHubSyncEndToEnd::cleanupTestCase()
{
    m_server.reset();
    m_outbox.reset();
    m_edge.reset();
}

QList<core::AudienceWindow> TestHubSyncEndToEnd::hubWindows()
{
    hub::WindowQuery query;
    query.deviceId = m_device;
    query.limit = 1000;
    auto page = hub::WindowRepository(*m_app).queryAudience(m_org, query);
    if (!page)
        qFatal("hub windows: %s", qPrintable(page.error().toString()));
    QList<core::AudienceWindow> out;
    for (const auto &stored : page->items)
        out.append(stored.window);
    return out;
}

QList<core::AudienceWindow> TestHubSyncEndToEnd::edgeWindows()
{
    auto windows = storage::WindowRepository(*m_edge).windows(0, std::numeric_limits<qint64>::max());
    if (!windows)
        qFatal("edge windows: %s", qPrintable(windows.error().toString()));
    return *windows;
}

void TestHubSyncEndToEnd::theHubHoldsExactlyTheEdgesWindows()
{
    for (int close = 0; close < 5; ++close) {
        QList<core::AudienceWindow> windows;
        for (const QString &zone : {QStringLiteral("entrance"), QStringLiteral("shelf")})
            windows << storage::test::sampleWindow(zone, m_start + 60'000LL * close, close);
        QVERIFY(m_outbox->storeWindows(windows).ok());
    }
    auto hubClient = client(m_identity);
    sync::SyncWorker worker(*m_outbox, hubClient, m_clock, sync::RetryPolicy(), 4);
    const auto summary = worker.runOnce();
    QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().toString()));
    QCOMPARE(summary->failures, 0);
    QCOMPARE(summary->batchesAcknowledged, 3); // 4 + 4 + 2
    QCOMPARE(summary->windowsAcknowledged, 10);
    QVERIFY(summary->outboxEmpty);
    QCOMPARE(hubWindows(), edgeWindows()); // same windows, same content, same order
    QCOMPARE(m_outbox->status()->depth, 0);
}

void TestHubSyncEndToEnd::aResentBatchAddsNothing()
{
    QVERIFY(m_outbox->storeWindows({storage::test::sampleWindow(QStringLiteral("entrance"), m_start + 3600'000, 9)}).ok());
    // The hub stores the batch but the edge never learns (the ack is lost): send it by hand.
    auto batch = m_outbox->nextBatch();
    QVERIFY(batch.ok() && batch->has_value());
    protocol::SyncBatch wire{(*batch)->batchId, m_clock.nowMs(), std::nullopt, (*batch)->audience, {}};
    auto hubClient = client(m_identity);
    QVERIFY(std::holds_alternative<sync::SendAcked>(hubClient.send(wire)));
    const qsizetype before = hubWindows().size();
    // The worker sends the same batch (same id) again: acknowledged as a duplicate.
    sync::SyncWorker worker(*m_outbox, hubClient, m_clock);
    const auto summary = worker.runOnce();
    QCOMPARE(summary->batchesAcknowledged, 1);
    QCOMPARE(summary->duplicates, 1);
    QCOMPARE(hubWindows().size(), before);
    QCOMPARE(hubWindows(), edgeWindows());
}

void TestHubSyncEndToEnd::aRefusedCertificateStoresNothingAndIsRetried()
{
    QVERIFY(m_outbox->storeWindows({storage::test::sampleWindow(QStringLiteral("entrance"), m_start + 7200'000, 3)}).ok());
    auto rogue = crypto::CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), kDay, m_systemClock);
    QVERIFY(rogue);
    auto rogueClient = client(issueDevice(*rogue, QStringLiteral("screen-1"), m_systemClock));
    sync::SyncWorker worker(*m_outbox, rogueClient, m_clock);
    const qsizetype before = hubWindows().size();
    const auto summary = worker.runOnce();
    QCOMPARE(summary->failures, 1); // retried later (a certificate problem is not the batch's fault)
    QCOMPARE(summary->batchesSetAside, 0);
    QVERIFY(!summary->lastError.isEmpty());
    QCOMPARE(hubWindows().size(), before);
    QCOMPARE(m_outbox->status()->depth, 1);
    // With the right certificate, after the backoff, it goes through.
    m_clock.advanceMs(sync::RetryPolicy::DefaultBaseMs);
    auto hubClient = client(m_identity);
    sync::SyncWorker good(*m_outbox, hubClient, m_clock);
    QCOMPARE(good.runOnce()->batchesAcknowledged, 1);
    QCOMPARE(hubWindows(), edgeWindows());
}

void TestHubSyncEndToEnd::aPoisonBatchIsSetAsideOnTheEdge()
{
    // A device clock two days ahead produced a window the hub refuses (batch_in_future).
    QVERIFY(m_outbox->storeWindows({storage::test::sampleWindow(QStringLiteral("entrance"), m_clock.nowMs() + 2 * kDay, 1)}).ok());
    auto hubClient = client(m_identity);
    sync::SyncWorker worker(*m_outbox, hubClient, m_clock);
    const qsizetype before = hubWindows().size();
    const auto summary = worker.runOnce();
    QCOMPARE(summary->batchesSetAside, 1);
    QVERIFY2(summary->lastError.contains(QStringLiteral("batch_in_future")), qPrintable(summary->lastError));
    QCOMPARE(hubWindows().size(), before);
    const auto status = m_outbox->status();
    QCOMPARE(status->poisonedWindows, 1);
    QCOMPARE(status->depth, 0);
    QVERIFY(worker.runOnce()->outboxEmpty); // not retried
}

// The real program: `signiq-edge sync --once` as a separate process against this listener.
void TestHubSyncEndToEnd::theEdgeProgramSyncsOnce()
{
    const QString dbPath = m_dir.filePath(QStringLiteral("process.db"));
    const QString keyPath = m_dir.filePath(QStringLiteral("process.key"));
    const QString identityDir = m_dir.filePath(QStringLiteral("identity"));
    const QString hubCaPath = m_dir.filePath(QStringLiteral("hub-ca.pem"));
    QVERIFY(QDir().mkpath(identityDir));
    QVERIFY(crypto::securefile::writeFile(keyPath, storage::test::testKey(7), 0600, crypto::securefile::Replace::Never));
    QVERIFY(crypto::securefile::writeFile(identityDir + QStringLiteral("/device.pem"),
                                          m_identity.certificate.toPem() + m_identity.privateKey.toPem(), 0600,
                                          crypto::securefile::Replace::Never));
    QVERIFY(m_ca->certificate().save(identityDir + QStringLiteral("/ca.crt")));
    QVERIFY(crypto::securefile::writeFile(hubCaPath, m_hubPki->ca.certificate().toPem(), 0644, crypto::securefile::Replace::Never));
    QList<core::AudienceWindow> windows;
    for (int i = 0; i < 3; ++i)
        windows << storage::test::sampleWindow(QStringLiteral("door"), m_start + 10 * 3600'000LL + 60'000LL * i, i);
    {
        auto db = storage::EncryptedDatabase::open(dbPath, storage::test::testKey(7), QStringLiteral("process"));
        QVERIFY2(db, qPrintable(db.ok() ? QString() : db.error().toString()));
        QVERIFY(storage::SyncOutbox(*db, m_clock).storeWindows(windows).ok());
    }
    const auto runEdge = [&](const QString &identity, const QString &database) {
        QProcess edge;
        edge.start(QStringLiteral(SIGNIQ_EDGE_BINARY),
                   {QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--db"), database, QStringLiteral("--key-file"), keyPath,
                    QStringLiteral("--hub"), QStringLiteral("https://localhost:%1").arg(m_port), QStringLiteral("--identity-dir"), identity,
                    QStringLiteral("--hub-ca"), hubCaPath});
        QSignalSpy finished(&edge, &QProcess::finished);
        finished.wait(60'000); // the listener runs on this thread's event loop meanwhile
        return std::tuple{edge.exitStatus() == QProcess::NormalExit ? edge.exitCode() : -1, QString::fromUtf8(edge.readAllStandardOutput()),
                          QString::fromUtf8(edge.readAllStandardError())};
    };
    const qsizetype before = hubWindows().size();

    // The hub's CA file is checked before anything is sent: unreadable (exit 1), or no PEM (exit 2).
    const QString notPem = m_dir.filePath(QStringLiteral("not-a-certificate.txt"));
    QVERIFY(crypto::securefile::writeFile(notPem, "hello", 0644, crypto::securefile::Replace::Never));
    for (const auto &[caFile, wantCode, wantMessage] :
         {std::tuple{m_dir.filePath(QStringLiteral("missing-ca.pem")), 1, QStringLiteral("cannot read --hub-ca")},
          std::tuple{notPem, 2, QStringLiteral("holds no PEM certificate")}}) {
        QProcess edge;
        edge.start(QStringLiteral(SIGNIQ_EDGE_BINARY),
                   {QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--db"), dbPath, QStringLiteral("--key-file"), keyPath,
                    QStringLiteral("--hub"), QStringLiteral("https://localhost:%1").arg(m_port), QStringLiteral("--identity-dir"),
                    identityDir, QStringLiteral("--hub-ca"), caFile});
        QVERIFY(edge.waitForFinished(60'000));
        const QString err = QString::fromUtf8(edge.readAllStandardError());
        QCOMPARE(edge.exitCode(), wantCode);
        QVERIFY2(err.contains(wantMessage) && err.contains(caFile), qPrintable(err));
    }
    QCOMPARE(hubWindows().size(), before);

    // A certificate of an unregistered CA (its own outbox): refused, exit 1, nothing stored,
    // the batch kept with its error for a later retry.
    const QString rogueDb = m_dir.filePath(QStringLiteral("rogue.db"));
    {
        auto db = storage::EncryptedDatabase::open(rogueDb, storage::test::testKey(7), QStringLiteral("rogue"));
        QVERIFY(db);
        QVERIFY(storage::SyncOutbox(*db, m_clock).storeWindows({storage::test::sampleWindow(QStringLiteral("door"), m_start, 1)}).ok());
    }
    const QString rogueDir = m_dir.filePath(QStringLiteral("rogue"));
    QVERIFY(QDir().mkpath(rogueDir));
    auto rogue = crypto::CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), kDay, m_systemClock);
    QVERIFY(rogue);
    const crypto::TlsIdentity rogueIdentity = issueDevice(*rogue, QStringLiteral("screen-1"), m_systemClock);
    QVERIFY(crypto::securefile::writeFile(rogueDir + QStringLiteral("/device.pem"),
                                          rogueIdentity.certificate.toPem() + rogueIdentity.privateKey.toPem(), 0600,
                                          crypto::securefile::Replace::Never));
    QVERIFY(rogue->certificate().save(rogueDir + QStringLiteral("/ca.crt")));
    const auto [refusedCode, refusedOut, refusedErr] = runEdge(rogueDir, rogueDb);
    QCOMPARE(refusedCode, 1);
    QVERIFY2(refusedOut.contains(QLatin1String("Last error")), qPrintable(refusedOut + refusedErr));
    QCOMPARE(hubWindows().size(), before);
    {
        auto db = storage::EncryptedDatabase::open(rogueDb, storage::test::testKey(7), QStringLiteral("rogue"));
        QVERIFY(db);
        const auto status = storage::SyncOutbox(*db, m_clock).status();
        QCOMPARE(status->depth, 1);
        QVERIFY(!status->lastError.isEmpty());
    }

    // The enrolled identity.
    const auto [code, out, err] = runEdge(identityDir, dbPath);
    QVERIFY2(code == 0, qPrintable(out + err));
    QVERIFY2(out.contains(QLatin1String("Sent        1 batches (3 windows")), qPrintable(out));
    const QList<core::AudienceWindow> atHub = hubWindows();
    QCOMPARE(atHub.size(), before + 3);
    for (const core::AudienceWindow &w : windows)
        QVERIFY(atHub.contains(w));
    // Again: nothing left to send, nothing added.
    const auto [againCode, againOut, againErr] = runEdge(identityDir, dbPath);
    QVERIFY2(againCode == 0, qPrintable(againOut + againErr));
    QVERIFY2(againOut.contains(QLatin1String("Sent        0 batches")), qPrintable(againOut));
    QCOMPARE(hubWindows().size(), before + 3);
}

// `signiq-edge sync --set-aside / --requeue` as processes: a batch the hub refused (no partition
// for its month: 422 batch_refused) is set aside and visible; once the hub has the partition the
// operator requeues it (audited in the edge's audit log) and the next sync stores it.
void TestHubSyncEndToEnd::anOperatorRequeuesABatchTheHubRefused()
{
    const QString dbPath = m_dir.filePath(QStringLiteral("requeue.db"));
    const QString keyPath = m_dir.filePath(QStringLiteral("requeue.key"));
    const QString identityDir = m_dir.filePath(QStringLiteral("identity")); // written by theEdgeProgramSyncsOnce
    const QString hubCaPath = m_dir.filePath(QStringLiteral("hub-ca.pem"));
    QVERIFY(QFile::exists(identityDir + QStringLiteral("/device.pem")));
    QVERIFY(crypto::securefile::writeFile(keyPath, storage::test::testKey(9), 0600, crypto::securefile::Replace::Never));
    // Three months ago: the hub has partitions from last month on only.
    const QDate today = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), QTimeZone::utc()).date();
    const QDate old = today.addMonths(-3);
    const qint64 oldMs = QDateTime(QDate(old.year(), old.month(), 1), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    const core::AudienceWindow window = storage::test::sampleWindow(QStringLiteral("door"), oldMs, 4);
    {
        auto db = storage::EncryptedDatabase::open(dbPath, storage::test::testKey(9), QStringLiteral("requeue"));
        QVERIFY2(db, qPrintable(db.ok() ? QString() : db.error().toString()));
        QVERIFY(storage::SyncOutbox(*db, m_clock).storeWindows({window}).ok());
    }
    const auto edge = [&](const QStringList &args) {
        QProcess process;
        process.start(QStringLiteral(SIGNIQ_EDGE_BINARY), args + QStringList{QStringLiteral("--db"), dbPath, QStringLiteral("--key-file"), keyPath});
        QSignalSpy finished(&process, &QProcess::finished);
        finished.wait(60'000); // the listener runs on this thread's event loop meanwhile
        return std::tuple{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                          QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
    };
    const QStringList syncOnce{QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--json"), QStringLiteral("--hub"),
                               QStringLiteral("https://localhost:%1").arg(m_port), QStringLiteral("--identity-dir"), identityDir,
                               QStringLiteral("--hub-ca"), hubCaPath};
    const auto json = [](const QString &out) { return QJsonDocument::fromJson(out.toUtf8()).object(); };

    const auto [refusedCode, refusedOut, refusedErr] = edge(syncOnce);
    QVERIFY2(refusedCode == 0, qPrintable(refusedOut + refusedErr)); // set aside, not a failure to retry
    QCOMPARE(json(refusedOut).value(QStringLiteral("set_aside_batches")).toInt(), 1);

    const auto [listCode, listOut, listErr] = edge({QStringLiteral("sync"), QStringLiteral("--set-aside"), QStringLiteral("--json")});
    QVERIFY2(listCode == 0, qPrintable(listOut + listErr));
    const QJsonObject listed = json(listOut);
    QCOMPARE(listed.value(QStringLiteral("outbox_poisoned_windows")).toInt(), 1); // what /v1/health shows as poisoned_windows
    QCOMPARE(listed.value(QStringLiteral("outbox_depth")).toInt(), 0);
    const QJsonArray aside = listed.value(QStringLiteral("set_aside")).toArray();
    QCOMPARE(aside.size(), 1);
    const QString batchId = aside.first()[QStringLiteral("batch_id")].toString();
    QVERIFY(!QUuid::fromString(batchId).isNull());
    QCOMPARE(aside.first()[QStringLiteral("windows")].toInt(), 1);
    QVERIFY2(aside.first()[QStringLiteral("reason")].toString().contains(QStringLiteral("batch_refused")), qPrintable(listOut));

    // An id that is not set aside: a clear error, nothing changed.
    const QString unknown = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto [unknownCode, unknownOut, unknownErr] = edge({QStringLiteral("sync"), QStringLiteral("--requeue"), unknown});
    QCOMPARE(unknownCode, 1);
    QVERIFY2(unknownErr.contains(QStringLiteral("no batch %1 is set aside").arg(unknown)), qPrintable(unknownErr));

    // The hub gets the partition; the operator requeues the batch.
    QVERIFY(hub::Retention::createPartitions(*m_owner, old, old));
    const auto [requeueCode, requeueOut, requeueErr] = edge({QStringLiteral("sync"), QStringLiteral("--requeue"), batchId});
    QVERIFY2(requeueCode == 0, qPrintable(requeueOut + requeueErr));
    QVERIFY2(requeueOut.contains(QStringLiteral("Requeued    %1 (1 windows)").arg(batchId)), qPrintable(requeueOut));
    QVERIFY2(requeueOut.contains(QStringLiteral("Outbox      1 waiting, 0 set aside in 0 batches")), qPrintable(requeueOut));
    const auto [afterCode, afterOut, afterErr] = edge({QStringLiteral("sync"), QStringLiteral("--set-aside"), QStringLiteral("--json")});
    QVERIFY2(afterCode == 0, qPrintable(afterOut + afterErr));
    QCOMPARE(json(afterOut).value(QStringLiteral("outbox_poisoned_windows")).toInt(), 0);
    QCOMPARE(json(afterOut).value(QStringLiteral("outbox_depth")).toInt(), 1);
    QVERIFY(json(afterOut).value(QStringLiteral("set_aside")).toArray().isEmpty());

    // Audited: one entry, actor cli, the batch id as its target.
    const auto [exportCode, exportOut, exportErr] = edge({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"),
                                                          QStringLiteral("jsonl")});
    QVERIFY2(exportCode == 0, qPrintable(exportOut + exportErr));
    QStringList requeues;
    for (const QString &line : exportOut.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QJsonObject entry = json(line);
        if (entry.value(QStringLiteral("action")).toString() == QLatin1String("sync.requeue")) {
            QCOMPARE(entry.value(QStringLiteral("actor")).toString(), QStringLiteral("cli"));
            requeues << entry.value(QStringLiteral("target")).toString();
        }
    }
    QCOMPARE(requeues, QStringList{batchId});

    // Sent again with the same id: stored this time.
    const auto [sentCode, sentOut, sentErr] = edge(syncOnce);
    QVERIFY2(sentCode == 0, qPrintable(sentOut + sentErr));
    QCOMPARE(json(sentOut).value(QStringLiteral("acknowledged_windows")).toInt(), 1);
    QCOMPARE(json(sentOut).value(QStringLiteral("duplicates")).toInt(), 0);
    hub::WindowQuery query;
    query.deviceId = m_device;
    query.fromMs = oldMs;
    query.toMs = oldMs + 60'000;
    auto page = hub::WindowRepository(*m_app).queryAudience(m_org, query);
    QVERIFY(page);
    QCOMPARE(page->items.size(), 1);
    QCOMPARE(page->items.first().window, window);
}

// The whole path with real processes: `signiq-edge run --once` on vtest.avi with the sync worker
// on; at the end the hub holds exactly the windows the edge stored (same count, same content).
void TestHubSyncEndToEnd::aPipelineRunOnTheSampleVideoSyncsItsWindows()
{
    QVERIFY2(QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)), "fixture missing: " SIGNIQ_SAMPLE_VIDEO);
    const QString models = m_dir.filePath(QStringLiteral("models"));
    const QString dbPath = m_dir.filePath(QStringLiteral("pipeline.db"));
    const QString keyPath = m_dir.filePath(QStringLiteral("pipeline.key"));
    const QString identityDir = m_dir.filePath(QStringLiteral("identity")); // written by theEdgeProgramSyncsOnce
    const QString hubCaPath = m_dir.filePath(QStringLiteral("hub-ca.pem"));
    QVERIFY(QFile::exists(identityDir + QStringLiteral("/device.pem")));
    QVERIFY(crypto::securefile::writeFile(keyPath, storage::test::testKey(8), 0600, crypto::securefile::Replace::Never));
    const auto runEdge = [&](const QStringList &args, int timeoutMs) {
        QProcess edge;
        edge.start(QStringLiteral(SIGNIQ_EDGE_BINARY), args);
        QSignalSpy finished(&edge, &QProcess::finished);
        finished.wait(timeoutMs); // the listener runs on this thread's event loop meanwhile
        return std::tuple{edge.exitStatus() == QProcess::NormalExit ? edge.exitCode() : -1, QString::fromUtf8(edge.readAllStandardOutput()),
                          QString::fromUtf8(edge.readAllStandardError())};
    };
    const auto [installed, installOut, installErr] =
        runEdge({QStringLiteral("models"), QStringLiteral("install"), QStringLiteral("--from"), QStringLiteral(SIGNIQ_TEST_MODELS_DIR),
                 QStringLiteral("--dir"), models, QStringLiteral("yolo-fastest-1.1-body")},
                60'000);
    QVERIFY2(installed == 0, qPrintable(installOut + installErr));

    const qint64 startMs = (m_clock.nowMs() / 3600'000 - 3) * 3600'000; // on an hour, 3 h ago
    const auto [code, out, err] = runEdge(
        {QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
         QStringLiteral("--config"), QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"), QStringLiteral("--no-faces"),
         QStringLiteral("--start-time"), protocol::isoTime(startMs), QStringLiteral("--db"), dbPath, QStringLiteral("--key-file"), keyPath,
         QStringLiteral("--models-dir"), models, QStringLiteral("--sync-hub"), QStringLiteral("https://localhost:%1").arg(m_port),
         QStringLiteral("--identity-dir"), identityDir, QStringLiteral("--sync-hub-ca"), hubCaPath, QStringLiteral("--sync-interval-s"),
         QStringLiteral("1")},
        540'000);
    QVERIFY2(code == 0, qPrintable(out + err));

    auto db = storage::EncryptedDatabase::open(dbPath, storage::test::testKey(8), QStringLiteral("pipeline"));
    QVERIFY2(db, qPrintable(db.ok() ? QString() : db.error().toString()));
    const auto edge = storage::WindowRepository(*db).windows(0, std::numeric_limits<qint64>::max());
    QVERIFY(edge.ok());
    QVERIFY2(edge->size() >= 2, "vtest.avi closes windows in both zones");
    const auto status = storage::SyncOutbox(*db, m_clock).status();
    QCOMPARE(status->depth, 0);
    QCOMPARE(status->poisonedWindows, 0);

    hub::WindowQuery query;
    query.deviceId = m_device;
    query.fromMs = startMs;
    query.toMs = startMs + 3600'000;
    query.limit = 1000;
    auto page = hub::WindowRepository(*m_app).queryAudience(m_org, query);
    QVERIFY(page);
    QList<core::AudienceWindow> atHub;
    for (const auto &stored : page->items)
        atHub.append(stored.window);
    QCOMPARE(atHub, *edge);
}

QTEST_GUILESS_MAIN(TestHubSyncEndToEnd)
#include "TestHubSyncEndToEnd.moc"
