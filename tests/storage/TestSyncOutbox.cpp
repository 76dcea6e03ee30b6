// SyncOutbox against a real SQLCipher file: window + outbox row in one transaction, batches
// that keep their id across restarts, acknowledgement, retry bookkeeping, poison, full policy.
#include "storage/EncryptedDatabase.h"
#include "storage/SyncOutbox.h"
#include "storage/WindowRepository.h"

#include "StorageTestSupport.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <limits>
#include <optional>

using namespace signiq;
using namespace signiq::storage;

class TestSyncOutbox : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aWindowCloseIsQueuedInItsTransaction();
    void aRefusedCloseQueuesNothing();
    void batchesAreOldestFirstAndKeepTheirIdAfterRestart();
    void acknowledgeDeletesOnlyThatBatch();
    void failuresAreRecordedAndRetriedWithTheSameBatch();
    void aPoisonBatchIsSetAsideAndVisible();
    void aBatchSetAsideIsRequeuedWithItsIdAndWindows();
    void requeueAllRequeuesEveryBatchSetAside();
    void demographicWindowsAreQueuedToo();
    void fullOutboxDropsOldestUnsentAndSaysSo();
    void fullOutboxNeverDropsTheBatchInFlight();
    void unknownBatchIdsAreNotFound();

private:
    EncryptedDatabase &db() { return *m_db; }
    void reopen();
    qint64 outboxRows();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<EncryptedDatabase> m_db;
    core::ManualClock m_clock{1'800'000'000'000};
};

// A Result that must be ok; its error message is the failure text.
#define QVERIFY_OK(expr)                                                                                   \
    do {                                                                                                   \
        const auto result_ = (expr);                                                                       \
        QVERIFY2(result_.ok(), result_.ok() ? "" : qPrintable(result_.error().toString()));               \
    } while (false)

namespace {

QList<core::AudienceWindow> minutes(int from, int count, const QString &zone = QStringLiteral("entrance"))
{
    QList<core::AudienceWindow> windows;
    for (int i = from; i < from + count; ++i)
        windows << test::sampleWindow(zone, 60'000LL * i, i);
    return windows;
}

} // namespace

void TestSyncOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    reopen();
}

void TestSyncOutbox::cleanup()
{
    m_db.reset();
}

void TestSyncOutbox::reopen()
{
    m_db.reset();
    auto opened = EncryptedDatabase::open(m_dir->filePath(QStringLiteral("edge.db")), test::testKey(), QStringLiteral("outbox"));
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
    m_db.emplace(std::move(opened).value());
}

qint64 TestSyncOutbox::outboxRows()
{
    QSqlQuery query(QSqlDatabase::database(db().connectionName(), false));
    if (!query.exec(QStringLiteral("SELECT count(*) FROM sync_outbox")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestSyncOutbox::aWindowCloseIsQueuedInItsTransaction()
{
    SyncOutbox outbox(db(), m_clock);
    const auto windows = minutes(0, 3) + minutes(0, 3, QStringLiteral("shelf"));
    QVERIFY(outbox.storeWindows(windows).ok());
    QCOMPARE(*WindowRepository(db()).count(), 6);
    QCOMPARE(outboxRows(), 6);
    const auto status = outbox.status();
    QVERIFY(status.ok());
    QCOMPARE(status->depth, 6);
    QCOMPARE(status->oldestUnsentStartMs, std::optional<qint64>(0));
    QCOMPARE(status->droppedWindows, 0);
    QVERIFY(!status->lastSuccessMs);
    QVERIFY(status->lastError.isEmpty());
}

void TestSyncOutbox::aRefusedCloseQueuesNothing()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 2)).ok());
    // The second close repeats minute 1: the window insert fails, so neither its new window
    // (minute 2) nor any outbox row of it may remain.
    const core::Status refused = outbox.storeWindows(minutes(1, 2));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(*WindowRepository(db()).count(), 2);
    QCOMPARE(outboxRows(), 2);
    // And the connection is usable afterwards: no transaction left open.
    QVERIFY(outbox.storeWindows(minutes(5, 1)).ok());
    reopen();
    QCOMPARE(*WindowRepository(db()).count(), 3);
    QCOMPARE(outboxRows(), 3);
}

void TestSyncOutbox::batchesAreOldestFirstAndKeepTheirIdAfterRestart()
{
    QString firstId;
    {
        SyncOutbox outbox(db(), m_clock);
        // Stored out of order across closes: the outbox order is the close order.
        QVERIFY(outbox.storeWindows(minutes(0, 4)).ok());
        QVERIFY(outbox.storeWindows(minutes(4, 4)).ok());
        const auto batch = outbox.nextBatch(3);
        QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error().toString()));
        QVERIFY(batch->has_value());
        QCOMPARE((*batch)->audience.size(), 3);
        QCOMPARE((*batch)->audience, minutes(0, 3));
        QCOMPARE((*batch)->createdAtMs, m_clock.nowMs());
        firstId = (*batch)->batchId;
        QVERIFY(!QUuid::fromString(firstId).isNull());
    }
    reopen(); // the edge restarts before the hub answered
    SyncOutbox outbox(db(), m_clock);
    const auto again = outbox.nextBatch(100); // a bigger size does not change a formed batch
    QVERIFY(again.ok() && again->has_value());
    QCOMPARE((*again)->batchId, firstId);
    QCOMPARE((*again)->audience, minutes(0, 3));
    QCOMPARE(outbox.status()->depth, 8); // nothing is sent until acknowledged
}

void TestSyncOutbox::acknowledgeDeletesOnlyThatBatch()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 5)).ok());
    const auto first = outbox.nextBatch(2);
    QVERIFY(first.ok() && first->has_value());
    m_clock.advanceMs(1234);
    QVERIFY_OK(outbox.acknowledge((*first)->batchId));
    QCOMPARE(outboxRows(), 3);
    QCOMPARE(*WindowRepository(db()).count(), 5); // the windows themselves stay on the edge
    auto status = outbox.status();
    QCOMPARE(status->depth, 3);
    QCOMPARE(status->oldestUnsentStartMs, std::optional<qint64>(2 * 60'000));
    QCOMPARE(status->lastSuccessMs, std::optional<qint64>(m_clock.nowMs()));

    const auto second = outbox.nextBatch(2);
    QVERIFY(second.ok() && second->has_value());
    QVERIFY((*second)->batchId != (*first)->batchId);
    QCOMPARE((*second)->audience, minutes(2, 2));
    QVERIFY_OK(outbox.acknowledge((*second)->batchId));
    const auto third = outbox.nextBatch(2);
    QCOMPARE((*third)->audience, minutes(4, 1));
    QVERIFY_OK(outbox.acknowledge((*third)->batchId));
    const auto none = outbox.nextBatch(2);
    QVERIFY(none.ok());
    QVERIFY(!none->has_value());
    status = outbox.status();
    QCOMPARE(status->depth, 0);
    QVERIFY(!status->oldestUnsentStartMs);
}

void TestSyncOutbox::failuresAreRecordedAndRetriedWithTheSameBatch()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 2)).ok());
    const auto batch = outbox.nextBatch();
    QVERIFY(batch.ok() && batch->has_value());
    const QString id = (*batch)->batchId;
    QVERIFY(outbox.recordFailure(id, QStringLiteral("connection reset"), m_clock.nowMs() + 2000).ok());
    QVERIFY(outbox.recordFailure(id, QStringLiteral("TLS handshake timed out"), m_clock.nowMs() + 4000).ok());
    reopen();
    SyncOutbox reopened(db(), m_clock);
    const auto retry = reopened.nextBatch();
    QVERIFY(retry.ok() && retry->has_value());
    QCOMPARE((*retry)->batchId, id);
    QCOMPARE((*retry)->attempts, 2);
    QCOMPARE((*retry)->nextAttemptMs, m_clock.nowMs() + 4000);
    QCOMPARE((*retry)->lastError, QStringLiteral("TLS handshake timed out"));
    const auto status = reopened.status();
    QCOMPARE(status->lastError, QStringLiteral("TLS handshake timed out"));
    QCOMPARE(status->lastErrorMs, std::optional<qint64>(m_clock.nowMs()));
    QCOMPARE(status->depth, 2);
}

void TestSyncOutbox::aPoisonBatchIsSetAsideAndVisible()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 4)).ok());
    const auto poison = outbox.nextBatch(3);
    QVERIFY(poison.ok() && poison->has_value());
    QVERIFY(outbox.setAside((*poison)->batchId, QStringLiteral("422 batch_in_future")).ok());
    auto status = outbox.status();
    QCOMPARE(status->depth, 1);
    QCOMPARE(status->poisonedWindows, 3);
    QCOMPARE(status->poisonedBatches, 1);
    QVERIFY(status->lastError.contains(QStringLiteral("422 batch_in_future")));
    QVERIFY(status->lastError.contains((*poison)->batchId));

    // The next batch is formed from the rows after it; the poison batch is never offered again.
    const auto next = outbox.nextBatch(3);
    QVERIFY(next.ok() && next->has_value());
    QVERIFY((*next)->batchId != (*poison)->batchId);
    QCOMPARE((*next)->audience, minutes(3, 1));
    QVERIFY_OK(outbox.acknowledge((*next)->batchId));
    QVERIFY(!outbox.nextBatch(3)->has_value());
    // Set aside is final: no more failures or set-asides for it.
    QCOMPARE(outbox.recordFailure((*poison)->batchId, QStringLiteral("x"), 0).error().code, core::ErrorCode::NotFound);
    QCOMPARE(outbox.status()->poisonedWindows, 3);
}

// The operator's requeue (`signiq-edge sync --requeue`): the same id and windows go back in
// flight, ahead of newer batches, with no attempts and no backoff; survives a reopen.
void TestSyncOutbox::aBatchSetAsideIsRequeuedWithItsIdAndWindows()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 5)).ok());
    const auto poison = outbox.nextBatch(3);
    QVERIFY(poison.ok() && poison->has_value());
    QVERIFY_OK(outbox.recordFailure((*poison)->batchId, QStringLiteral("no answer"), m_clock.nowMs() + 60'000));
    m_clock.advanceMs(1000);
    QVERIFY_OK(outbox.setAside((*poison)->batchId, QStringLiteral("422 batch_refused: no partition")));
    const auto listed = outbox.setAsideBatches();
    QVERIFY_OK(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().batchId, (*poison)->batchId);
    QCOMPARE(listed->first().windows, 3);
    QCOMPARE(listed->first().setAsideAtMs, m_clock.nowMs());
    QCOMPARE(listed->first().reason, QStringLiteral("422 batch_refused: no partition"));
    // A newer batch in flight meanwhile.
    const auto newer = outbox.nextBatch(3);
    QVERIFY(newer.ok() && newer->has_value());
    QCOMPARE((*newer)->audience, minutes(3, 2));

    QCOMPARE(outbox.requeue(QStringLiteral("no-such-batch")).error().code, core::ErrorCode::NotFound);
    QCOMPARE(outbox.requeue((*newer)->batchId).error().code, core::ErrorCode::NotFound); // not set aside
    QCOMPARE(outbox.status()->poisonedWindows, 3);
    const auto requeued = outbox.requeue((*poison)->batchId);
    QVERIFY_OK(requeued);
    QCOMPARE(*requeued, 3);
    QCOMPARE(outbox.requeue((*poison)->batchId).error().code, core::ErrorCode::NotFound); // once
    auto status = outbox.status();
    QCOMPARE(status->poisonedWindows, 0);
    QCOMPARE(status->poisonedBatches, 0);
    QCOMPARE(status->depth, 5);
    QVERIFY(outbox.setAsideBatches()->isEmpty());

    reopen();
    SyncOutbox again(db(), m_clock);
    const auto first = again.nextBatch(3);
    QVERIFY(first.ok() && first->has_value());
    QCOMPARE((*first)->batchId, (*poison)->batchId); // oldest first: before the newer batch
    QCOMPARE((*first)->audience, minutes(0, 3));
    QCOMPARE((*first)->attempts, 0);
    QCOMPARE((*first)->nextAttemptMs, 0);
    QVERIFY_OK(again.acknowledge((*first)->batchId));
    const auto second = again.nextBatch(3);
    QVERIFY(second.ok() && second->has_value());
    QCOMPARE((*second)->batchId, (*newer)->batchId);
    QVERIFY_OK(again.acknowledge((*second)->batchId));
    QCOMPARE(again.status()->depth, 0);
}

void TestSyncOutbox::requeueAllRequeuesEveryBatchSetAside()
{
    SyncOutbox outbox(db(), m_clock);
    QVERIFY(outbox.storeWindows(minutes(0, 4)).ok());
    QStringList ids;
    for (int i = 0; i < 2; ++i) {
        const auto batch = outbox.nextBatch(2);
        QVERIFY(batch.ok() && batch->has_value());
        QVERIFY_OK(outbox.setAside((*batch)->batchId, QStringLiteral("400 malformed_batch")));
        ids << (*batch)->batchId;
    }
    QCOMPARE(outbox.status()->poisonedBatches, 2);
    const auto all = outbox.requeueAll();
    QVERIFY_OK(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).batchId, ids.at(0));
    QCOMPARE(all->at(1).batchId, ids.at(1));
    QCOMPARE(outbox.status()->poisonedBatches, 0);
    QCOMPARE(outbox.status()->depth, 4);
    QVERIFY(outbox.requeueAll()->isEmpty()); // nothing left set aside
}

void TestSyncOutbox::demographicWindowsAreQueuedToo()
{
    SyncOutbox outbox(db(), m_clock);
    core::DemographicWindow d;
    d.zone = QStringLiteral("entrance");
    d.startMs = 0;
    d.endMs = 300'000;
    d.k = 10;
    d.counts[2][0] = 12;
    for (int a = 0; a < core::AgeBandCount; ++a)
        for (int g = 0; g < core::GenderCount; ++g)
            d.suppressed[size_t(a)][size_t(g)] = !(a == 2 && g == 0);
    QVERIFY(outbox.storeWindows(minutes(0, 1)).ok());
    QVERIFY(outbox.storeDemographics({d}).ok());
    const auto batch = outbox.nextBatch();
    QVERIFY(batch.ok() && batch->has_value());
    QCOMPARE((*batch)->audience, minutes(0, 1));
    QCOMPARE((*batch)->demographics.size(), 1);
    QCOMPARE((*batch)->demographics.first(), d);
    QCOMPARE((*batch)->size(), 2);
}

void TestSyncOutbox::fullOutboxDropsOldestUnsentAndSaysSo()
{
    SyncOutbox outbox(db(), m_clock, 5);
    QVERIFY(outbox.storeWindows(minutes(0, 4)).ok());
    QVERIFY(outbox.storeWindows(minutes(4, 3)).ok()); // 7 > 5: minutes 0 and 1 are dropped
    QCOMPARE(outboxRows(), 5);
    auto status = outbox.status();
    QCOMPARE(status->depth, 5);
    QCOMPARE(status->droppedWindows, 2);
    QCOMPARE(status->droppedOldestStartMs, std::optional<qint64>(0));
    QCOMPARE(status->droppedNewestStartMs, std::optional<qint64>(60'000));
    QCOMPARE(status->oldestUnsentStartMs, std::optional<qint64>(2 * 60'000));

    // The dropped windows stay in the local store, flagged; the others are untouched.
    const auto stored = WindowRepository(db()).windows(0, std::numeric_limits<qint64>::max());
    QVERIFY(stored.ok());
    QCOMPARE(stored->size(), 7);
    for (const core::AudienceWindow &w : *stored) {
        const bool dropped = w.startMs < 2 * 60'000;
        QCOMPARE(bool(w.qualityFlags & core::QualitySyncDropped), dropped);
    }
    QVERIFY(core::qualityFlagNames(core::QualitySyncDropped).contains(QStringLiteral("sync_dropped")));

    QVERIFY(outbox.storeWindows(minutes(10, 1)).ok());
    status = outbox.status();
    QCOMPARE(status->droppedWindows, 3);
    QCOMPARE(status->droppedOldestStartMs, std::optional<qint64>(0));
    QCOMPARE(status->droppedNewestStartMs, std::optional<qint64>(2 * 60'000));
    const auto batch = outbox.nextBatch(10);
    QCOMPARE((*batch)->audience, minutes(3, 4) + minutes(10, 1));
}

void TestSyncOutbox::fullOutboxNeverDropsTheBatchInFlight()
{
    SyncOutbox outbox(db(), m_clock, 3);
    QVERIFY(outbox.storeWindows(minutes(0, 3)).ok());
    const auto inFlight = outbox.nextBatch(2); // minutes 0, 1
    QVERIFY(inFlight.ok() && inFlight->has_value());
    QVERIFY(outbox.storeWindows(minutes(3, 2)).ok()); // 5 > 3: only minutes 2 and 3 may go
    const auto status = outbox.status();
    QCOMPARE(status->droppedWindows, 2);
    QCOMPARE(status->droppedOldestStartMs, std::optional<qint64>(2 * 60'000));
    QCOMPARE(status->droppedNewestStartMs, std::optional<qint64>(3 * 60'000));
    const auto same = outbox.nextBatch(2);
    QCOMPARE((*same)->batchId, (*inFlight)->batchId);
    QCOMPARE((*same)->audience, minutes(0, 2));
    QVERIFY_OK(outbox.acknowledge((*same)->batchId));
    QCOMPARE(outbox.nextBatch(2).value()->audience, minutes(4, 1));
}

void TestSyncOutbox::unknownBatchIdsAreNotFound()
{
    SyncOutbox outbox(db(), m_clock);
    const QString id = QStringLiteral("5f0e9a7e-0000-4000-8000-000000000000");
    QCOMPARE(outbox.acknowledge(id).error().code, core::ErrorCode::NotFound);
    QCOMPARE(outbox.recordFailure(id, QStringLiteral("x"), 0).error().code, core::ErrorCode::NotFound);
    QCOMPARE(outbox.setAside(id, QStringLiteral("x")).error().code, core::ErrorCode::NotFound);
    QVERIFY(outbox.status()->lastError.isEmpty()); // nothing was recorded for an unknown batch
}

QTEST_GUILESS_MAIN(TestSyncOutbox)
#include "TestSyncOutbox.moc"
