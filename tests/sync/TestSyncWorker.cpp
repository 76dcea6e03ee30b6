// SyncWorker: oldest first, marked sent only after the acknowledgement, backoff on the injected
// clock, the same batch id after a restart, poison set aside. A real SQLCipher outbox; the hub
// is scripted (ScriptedHub) so every answer can be chosen.
#include "storage/EncryptedDatabase.h"
#include "storage/SyncOutbox.h"
#include "sync/RetryPolicy.h"
#include "sync/SyncLoop.h"
#include "sync/SyncWorker.h"

#include "../storage/StorageTestSupport.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <deque>

using namespace signiq;
using namespace signiq::sync;

namespace {

QList<core::AudienceWindow> minutes(int from, int count)
{
    QList<core::AudienceWindow> windows;
    for (int i = from; i < from + count; ++i)
        windows << storage::test::sampleWindow(QStringLiteral("entrance"), 60'000LL * i, i);
    return windows;
}

// A hub that remembers the batch ids it stored (like the ledger) and answers from a script:
// "ok" (store and ack), "lost" (store, but the answer is lost), "fail", "poison".
class ScriptedHub final : public HubClient {
public:
    std::deque<QString> script; // empty: "ok"
    QList<protocol::SyncBatch> received;
    QSet<QString> stored;
    QList<core::AudienceWindow> storedWindows;

    SendOutcome send(const protocol::SyncBatch &batch) override
    {
        received.append(batch);
        const QString step = script.empty() ? QStringLiteral("ok") : script.front();
        if (!script.empty())
            script.pop_front();
        if (step == QLatin1String("fail"))
            return SendFailed{QStringLiteral("connection reset by peer")};
        if (step == QLatin1String("poison"))
            return SendRefused{422, QStringLiteral("422 batch_in_future: ...")};
        const bool duplicate = stored.contains(batch.batchId);
        if (!duplicate) {
            stored.insert(batch.batchId);
            storedWindows += batch.audience;
        }
        if (step == QLatin1String("lost"))
            return SendFailed{QStringLiteral("the hub did not answer in time")};
        return SendAcked{protocol::SyncAck{batch.batchId, duplicate, int(batch.audience.size()), 0, 0, 0, false}};
    }
};

// 0.5 every time: delays are exactly 3/4 of the doubled base.
RetryPolicy fixedPolicy()
{
    return RetryPolicy(1000, 8000, [] { return 0.5; });
}

} // namespace

class TestSyncWorker : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void retryDelaysDoubleAreCappedAndJittered();
    void sendsOldestFirstAndMarksSentOnlyAfterTheAck();
    void aFailedSendWaitsForItsBackoffThenSendsTheSameBatch();
    void aLostAckIsResentWithTheSameIdAfterARestart();
    void aPoisonBatchIsSetAsideAndTheRestIsSent();
    void theLoopWaitsForTheBackoffOrTheInterval();

private:
    void reopen();
    storage::SyncOutbox &outbox() { return *m_outbox; }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<storage::EncryptedDatabase> m_db;
    std::optional<storage::SyncOutbox> m_outbox;
    core::ManualClock m_clock{1'800'000'000'000};
};

void TestSyncWorker::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    reopen();
}

void TestSyncWorker::cleanup()
{
    m_outbox.reset();
    m_db.reset();
}

void TestSyncWorker::reopen()
{
    m_outbox.reset();
    m_db.reset();
    auto opened = storage::EncryptedDatabase::open(m_dir->filePath(QStringLiteral("edge.db")), storage::test::testKey(),
                                                   QStringLiteral("sync-worker"));
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
    m_db.emplace(std::move(opened).value());
    m_outbox.emplace(*m_db, m_clock);
}

void TestSyncWorker::retryDelaysDoubleAreCappedAndJittered()
{
    const RetryPolicy half = fixedPolicy();
    QCOMPARE(half.delayMs(1), 750);  // d = 1000: 500 + 500 * 0.5
    QCOMPARE(half.delayMs(2), 1500); // d = 2000
    QCOMPARE(half.delayMs(3), 3000);
    QCOMPARE(half.delayMs(4), 6000);
    QCOMPARE(half.delayMs(5), 6000); // capped at d = 8000
    QCOMPARE(half.delayMs(1000), 6000);
    const RetryPolicy low(1000, 8000, [] { return 0.0; });
    const RetryPolicy high(1000, 8000, [] { return 0.999999; });
    QCOMPARE(low.delayMs(4), 4000);   // d/2
    QVERIFY(high.delayMs(4) <= 8000); // < d
    QVERIFY(high.delayMs(4) >= 7999);
    const RetryPolicy random(1000, 8000);
    for (int i = 0; i < 100; ++i) {
        const qint64 d = random.delayMs(3);
        QVERIFY(d >= 2000 && d <= 4000);
    }
}

void TestSyncWorker::sendsOldestFirstAndMarksSentOnlyAfterTheAck()
{
    QVERIFY(outbox().storeWindows(minutes(0, 3)).ok());
    QVERIFY(outbox().storeWindows(minutes(3, 4)).ok());
    ScriptedHub hub;
    SyncWorker worker(outbox(), hub, m_clock, fixedPolicy(), 3);
    const auto summary = worker.runOnce();
    QVERIFY2(summary.ok(), summary.ok() ? "" : qPrintable(summary.error().toString()));
    QCOMPARE(summary->batchesAcknowledged, 3); // 3 + 3 + 1
    QCOMPARE(summary->windowsAcknowledged, 7);
    QVERIFY(summary->outboxEmpty);
    QCOMPARE(hub.received.size(), 3);
    QCOMPARE(hub.storedWindows, minutes(0, 7)); // oldest first, nothing twice
    QCOMPARE(hub.received.first().sentAtMs, m_clock.nowMs());
    const auto status = outbox().status();
    QCOMPARE(status->depth, 0);
    QCOMPARE(status->lastSuccessMs, std::optional<qint64>(m_clock.nowMs()));

    // maxBatches bounds one run.
    QVERIFY(outbox().storeWindows(minutes(10, 6)).ok());
    const auto bounded = worker.runOnce(1);
    QCOMPARE(bounded->batchesAcknowledged, 1);
    QVERIFY(!bounded->outboxEmpty);
    QCOMPARE(outbox().status()->depth, 3);
}

void TestSyncWorker::aFailedSendWaitsForItsBackoffThenSendsTheSameBatch()
{
    QVERIFY(outbox().storeWindows(minutes(0, 2)).ok());
    ScriptedHub hub;
    hub.script = {QStringLiteral("fail"), QStringLiteral("fail")};
    SyncWorker worker(outbox(), hub, m_clock, fixedPolicy());
    auto summary = worker.runOnce();
    QCOMPARE(summary->failures, 1);
    QCOMPARE(summary->batchesAcknowledged, 0);
    QCOMPARE(summary->nextAttemptMs, std::optional<qint64>(m_clock.nowMs() + 750));
    QCOMPARE(summary->lastError, QStringLiteral("connection reset by peer"));
    QCOMPARE(outbox().status()->depth, 2); // not sent
    QCOMPARE(outbox().status()->lastError, QStringLiteral("connection reset by peer"));

    // Not due yet: nothing is sent.
    m_clock.advanceMs(749);
    summary = worker.runOnce();
    QCOMPARE(hub.received.size(), 1);
    QCOMPARE(summary->nextAttemptMs, std::optional<qint64>(m_clock.nowMs() + 1));
    // Due: the same batch again, which fails again and now waits twice as long.
    m_clock.advanceMs(1);
    summary = worker.runOnce();
    QCOMPARE(hub.received.size(), 2);
    QCOMPARE(hub.received.at(1).batchId, hub.received.at(0).batchId);
    QCOMPARE(summary->nextAttemptMs, std::optional<qint64>(m_clock.nowMs() + 1500));
    m_clock.advanceMs(1500);
    summary = worker.runOnce();
    QCOMPARE(summary->batchesAcknowledged, 1);
    QCOMPARE(hub.received.at(2).batchId, hub.received.at(0).batchId);
    QCOMPARE(hub.storedWindows, minutes(0, 2));
    QVERIFY(summary->outboxEmpty);
}

void TestSyncWorker::aLostAckIsResentWithTheSameIdAfterARestart()
{
    QVERIFY(outbox().storeWindows(minutes(0, 3)).ok());
    ScriptedHub hub;
    hub.script = {QStringLiteral("lost")};
    {
        SyncWorker worker(outbox(), hub, m_clock, fixedPolicy());
        const auto summary = worker.runOnce();
        QCOMPARE(summary->failures, 1);
    }
    QCOMPARE(hub.stored.size(), 1); // the hub has it; the edge does not know
    reopen();                       // the edge restarts
    m_clock.advanceMs(10'000);
    SyncWorker worker(outbox(), hub, m_clock, fixedPolicy());
    const auto summary = worker.runOnce();
    QCOMPARE(summary->batchesAcknowledged, 1);
    QCOMPARE(summary->duplicates, 1);
    QCOMPARE(hub.received.size(), 2);
    QCOMPARE(hub.received.at(1).batchId, hub.received.at(0).batchId);
    QCOMPARE(hub.storedWindows, minutes(0, 3)); // once
    QCOMPARE(outbox().status()->depth, 0);
}

void TestSyncWorker::aPoisonBatchIsSetAsideAndTheRestIsSent()
{
    QVERIFY(outbox().storeWindows(minutes(0, 4)).ok());
    ScriptedHub hub;
    hub.script = {QStringLiteral("poison")};
    SyncWorker worker(outbox(), hub, m_clock, fixedPolicy(), 2);
    const auto summary = worker.runOnce();
    QCOMPARE(summary->batchesSetAside, 1);
    QCOMPARE(summary->batchesAcknowledged, 1);
    QVERIFY(summary->outboxEmpty);
    QCOMPARE(hub.storedWindows, minutes(2, 2));
    const auto status = outbox().status();
    QCOMPARE(status->poisonedBatches, 1);
    QCOMPARE(status->poisonedWindows, 2);
    QVERIFY(status->lastError.contains(QStringLiteral("batch_in_future")));
    // Never offered again.
    QVERIFY(worker.runOnce()->outboxEmpty);
    QCOMPARE(hub.received.size(), 2);
}

void TestSyncWorker::theLoopWaitsForTheBackoffOrTheInterval()
{
    QVERIFY(outbox().storeWindows(minutes(0, 2)).ok());
    ScriptedHub hub;
    hub.script = {QStringLiteral("fail")};
    SyncWorker worker(outbox(), hub, m_clock, fixedPolicy());
    std::atomic<bool> stop{false};
    QList<qint64> waits;
    int runs = 0;
    // The wait moves the injected clock; a window close arrives during the second wait.
    const auto wait = [&](qint64 ms) {
        waits << ms;
        m_clock.advanceMs(ms);
        if (waits.size() == 2)
            QVERIFY(outbox().storeWindows(minutes(5, 1)).ok());
        if (waits.size() == 3)
            stop = true;
    };
    SyncLoop::run(worker, m_clock, stop, 60'000, wait, [&](const core::Result<SyncRunSummary> &summary) {
        QVERIFY(summary.ok());
        ++runs;
    });
    // 1st run fails: wait for the backoff (750 ms), not the interval; 2nd sends, outbox empty:
    // wait the interval; 3rd sends the new window; then the interval again, and stop.
    QCOMPARE(waits, (QList<qint64>{750, 60'000, 60'000}));
    QCOMPARE(runs, 3);
    QCOMPARE(hub.storedWindows, minutes(0, 2) + minutes(5, 1));

    // waitAfter: a storage error waits the interval; a bounded run that stopped early goes on.
    QCOMPARE(SyncLoop::waitAfter(core::makeError(core::ErrorCode::Internal, QStringLiteral("x")), 0, 5000), 5000);
    SyncRunSummary partial;
    QCOMPARE(SyncLoop::waitAfter(partial, 0, 5000), 0);
    partial.nextAttemptMs = 10'000'000;
    QCOMPARE(SyncLoop::waitAfter(partial, 0, 5000), 5000); // capped by the interval
}

QTEST_GUILESS_MAIN(TestSyncWorker)
#include "TestSyncWorker.moc"
