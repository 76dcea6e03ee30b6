#include "storage/SyncOutbox.h"

#include "storage/EncryptedDatabase.h"
#include "storage/StorageLog.h"
#include "storage/Transaction.h"
#include "storage/WindowRepository.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <algorithm>
#include <tuple>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

const QString kAudience = QStringLiteral("audience");
const QString kDemographic = QStringLiteral("demographic");

std::optional<qint64> optionalInt(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

// Runs a prepared query; on failure an Internal error naming `what`.
core::Status run(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        return makeError(ErrorCode::Internal, QStringLiteral("sync outbox: cannot %1: %2").arg(what, query.lastError().text()));
    return {};
}

core::Status prepareAndRun(QSqlQuery &query, const QString &sql, const QVariantList &values, const QString &what)
{
    if (!query.prepare(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("sync outbox: cannot prepare to %1: %2").arg(what, query.lastError().text()));
    for (const QVariant &value : values)
        query.addBindValue(value);
    return run(query, what);
}

} // namespace

SyncOutbox::SyncOutbox(const EncryptedDatabase &database, const core::Clock &clock, qint64 capacity)
    : m_database(database)
    , m_clock(clock)
    , m_capacity(std::max<qint64>(1, capacity))
{
}

core::Status SyncOutbox::storeWindows(const QList<core::AudienceWindow> &windows)
{
    return storeQueued(kAudience, windows, [](WindowRepository &repo, const QList<core::AudienceWindow> &w) { return repo.insert(w); });
}

core::Status SyncOutbox::storeDemographics(const QList<core::DemographicWindow> &windows)
{
    return storeQueued(kDemographic, windows,
                       [](WindowRepository &repo, const QList<core::DemographicWindow> &w) { return repo.insertDemographics(w); });
}

template <typename Window, typename Insert>
core::Status SyncOutbox::storeQueued(const QString &kind, const QList<Window> &windows, Insert insert)
{
    if (windows.isEmpty())
        return {};
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    WindowRepository repo(m_database);
    if (auto stored = insert(repo, windows); !stored)
        return stored.error(); // rolled back by the Transaction's destructor
    QList<std::pair<QString, qint64>> keys;
    keys.reserve(windows.size());
    for (const Window &w : windows)
        keys.append({w.zone, w.startMs});
    if (auto queued = enqueue(kind, keys); !queued)
        return queued.error();
    if (auto bounded = enforceCapacity(); !bounded)
        return bounded.error();
    return transaction->commit();
}

core::Status SyncOutbox::enqueue(const QString &kind, const QList<std::pair<QString, qint64>> &keys)
{
    QSqlQuery query(QSqlDatabase::database(m_database.connectionName(), false));
    if (!query.prepare(QStringLiteral("INSERT INTO sync_outbox (kind, zone, start_ms, enqueued_at_ms) VALUES (?, ?, ?, ?)")))
        return makeError(ErrorCode::Internal, QStringLiteral("sync outbox: cannot prepare the insert: %1").arg(query.lastError().text()));
    const qint64 now = m_clock.nowMs();
    for (const auto &[zone, startMs] : keys) {
        query.addBindValue(kind);
        query.addBindValue(zone);
        query.addBindValue(startMs);
        query.addBindValue(now);
        if (auto status = run(query, QStringLiteral("queue the %1 window (zone '%2', start_ms %3)").arg(kind, zone).arg(startMs)); !status)
            return status;
    }
    return {};
}

core::Status SyncOutbox::enforceCapacity()
{
    QSqlDatabase db = QSqlDatabase::database(m_database.connectionName(), false);
    QSqlQuery query(db);
    if (auto status = prepareAndRun(query, QStringLiteral("SELECT count(*) FROM sync_outbox"), {}, QStringLiteral("count the outbox")); !status)
        return status;
    const qint64 rows = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    const qint64 excess = rows - m_capacity;
    if (excess <= 0)
        return {};

    // The oldest rows that are not in the batch in flight (queued, or in a batch set aside).
    struct Dropped {
        qint64 seq;
        QString kind;
        QString zone;
        qint64 startMs;
    };
    QList<Dropped> dropped;
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT seq, kind, zone, start_ms FROM sync_outbox WHERE batch_id IS NULL OR batch_id IN "
                                                   "(SELECT batch_id FROM sync_batches WHERE poisoned_at_ms IS NOT NULL) "
                                                   "ORDER BY seq LIMIT ?"),
                                    {excess}, QStringLiteral("choose the windows to drop"));
        !status)
        return status;
    while (query.next())
        dropped.append({query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString(), query.value(3).toLongLong()});
    query.finish();
    if (dropped.isEmpty())
        return {};

    qint64 oldest = dropped.first().startMs;
    qint64 newest = dropped.first().startMs;
    for (const Dropped &d : dropped) {
        oldest = std::min(oldest, d.startMs);
        newest = std::max(newest, d.startMs);
        if (auto status = prepareAndRun(query, QStringLiteral("DELETE FROM sync_outbox WHERE seq = ?"), {d.seq},
                                        QStringLiteral("drop an outbox row"));
            !status)
            return status;
        if (d.kind == kAudience) {
            if (auto status = prepareAndRun(query,
                                            QStringLiteral("UPDATE audience_windows SET quality_flags = quality_flags | ? "
                                                           "WHERE zone = ? AND start_ms = ?"),
                                            {qint64(core::QualitySyncDropped), d.zone, d.startMs},
                                            QStringLiteral("flag a dropped window"));
                !status)
                return status;
        }
    }
    // A batch set aside whose rows were all dropped is forgotten too.
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("DELETE FROM sync_batches WHERE poisoned_at_ms IS NOT NULL AND batch_id NOT IN "
                                                   "(SELECT batch_id FROM sync_outbox WHERE batch_id IS NOT NULL)"),
                                    {}, QStringLiteral("forget emptied batches"));
        !status)
        return status;
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("UPDATE sync_state SET dropped_windows = dropped_windows + ?, "
                                                   "dropped_oldest_start_ms = min(coalesce(dropped_oldest_start_ms, ?), ?), "
                                                   "dropped_newest_start_ms = max(coalesce(dropped_newest_start_ms, ?), ?) WHERE id = 1"),
                                    {qint64(dropped.size()), oldest, oldest, newest, newest},
                                    QStringLiteral("count the dropped windows"));
        !status)
        return status;
    qCWarning(lcStorage) << "sync outbox full (capacity" << m_capacity << "): dropped" << dropped.size()
                         << "oldest unsent windows, start_ms" << oldest << "to" << newest
                         << "; they stay in the local store, flagged sync_dropped, and are not sent to the hub";
    return {};
}

core::Result<std::optional<OutboxBatch>> SyncOutbox::nextBatch(int maxWindows)
{
    QSqlDatabase db = QSqlDatabase::database(m_database.connectionName(), false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery query(db);
    OutboxBatch batch;
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT batch_id, created_at_ms, attempts, next_attempt_ms, last_error FROM sync_batches "
                                                   "WHERE poisoned_at_ms IS NULL ORDER BY created_at_ms, rowid LIMIT 1"),
                                    {}, QStringLiteral("read the batch in flight"));
        !status)
        return status.error();
    if (query.next()) {
        batch.batchId = query.value(0).toString();
        batch.createdAtMs = query.value(1).toLongLong();
        batch.attempts = query.value(2).toInt();
        batch.nextAttemptMs = query.value(3).toLongLong();
        batch.lastError = query.value(4).toString();
        query.finish();
    } else {
        query.finish();
        if (auto status = prepareAndRun(query, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE batch_id IS NULL"), {},
                                        QStringLiteral("count the queued windows"));
            !status)
            return status.error();
        const qint64 queued = query.next() ? query.value(0).toLongLong() : 0;
        query.finish();
        if (queued == 0)
            return std::optional<OutboxBatch>();

        auto transaction = Transaction::begin(m_database);
        if (!transaction)
            return transaction.error();
        batch.batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        batch.createdAtMs = m_clock.nowMs();
        if (auto status = prepareAndRun(query, QStringLiteral("INSERT INTO sync_batches (batch_id, created_at_ms) VALUES (?, ?)"),
                                        {batch.batchId, batch.createdAtMs}, QStringLiteral("create a batch"));
            !status)
            return status.error();
        if (auto status = prepareAndRun(query,
                                        QStringLiteral("UPDATE sync_outbox SET batch_id = ? WHERE seq IN "
                                                       "(SELECT seq FROM sync_outbox WHERE batch_id IS NULL ORDER BY seq LIMIT ?)"),
                                        {batch.batchId, std::max(1, maxWindows)}, QStringLiteral("fill a batch"));
            !status)
            return status.error();
        if (auto committed = transaction->commit(); !committed)
            return committed.error();
    }

    if (auto status = prepareAndRun(query, QStringLiteral("SELECT kind, zone, start_ms FROM sync_outbox WHERE batch_id = ? ORDER BY seq"),
                                    {batch.batchId}, QStringLiteral("read the batch's windows"));
        !status)
        return status.error();
    QList<std::tuple<QString, QString, qint64>> rows;
    while (query.next())
        rows.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toLongLong()});
    query.finish();

    WindowRepository repo(m_database);
    for (const auto &[kind, zone, startMs] : rows) {
        if (kind == kAudience) {
            auto found = repo.windows(startMs, startMs + 1, zone);
            if (!found)
                return found.error();
            if (found->isEmpty())
                return makeError(ErrorCode::Corrupt, QStringLiteral("sync outbox: batch %1 names the audience window (zone '%2', start_ms %3), "
                                                                    "which is not stored")
                                                         .arg(batch.batchId, zone).arg(startMs));
            batch.audience.append(found->first());
        } else {
            auto found = repo.demographicWindows(startMs, startMs + 1, zone);
            if (!found)
                return found.error();
            if (found->isEmpty())
                return makeError(ErrorCode::Corrupt, QStringLiteral("sync outbox: batch %1 names the demographic window (zone '%2', start_ms %3), "
                                                                    "which is not stored")
                                                         .arg(batch.batchId, zone).arg(startMs));
            batch.demographics.append(found->first());
        }
    }
    return std::optional<OutboxBatch>(std::move(batch));
}

core::Status SyncOutbox::acknowledge(const QString &batchId)
{
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    QSqlQuery query(QSqlDatabase::database(m_database.connectionName(), false));
    // Rows first: they reference the batch (foreign keys are on).
    if (auto status = prepareAndRun(query, QStringLiteral("DELETE FROM sync_outbox WHERE batch_id = ?"), {batchId},
                                    QStringLiteral("delete the rows of an acknowledged batch"));
        !status)
        return status;
    if (auto status = prepareAndRun(query, QStringLiteral("DELETE FROM sync_batches WHERE batch_id = ? AND poisoned_at_ms IS NULL"),
                                    {batchId}, QStringLiteral("delete an acknowledged batch"));
        !status)
        return status;
    if (query.numRowsAffected() != 1)
        return makeError(ErrorCode::NotFound, QStringLiteral("sync outbox: no batch %1 in flight to acknowledge").arg(batchId));
    if (auto status = prepareAndRun(query, QStringLiteral("UPDATE sync_state SET last_success_ms = ? WHERE id = 1"), {m_clock.nowMs()},
                                    QStringLiteral("record the last success"));
        !status)
        return status;
    return transaction->commit();
}

core::Status SyncOutbox::recordFailure(const QString &batchId, const QString &error, qint64 nextAttemptMs)
{
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    QSqlQuery query(QSqlDatabase::database(m_database.connectionName(), false));
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("UPDATE sync_batches SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ? "
                                                   "WHERE batch_id = ? AND poisoned_at_ms IS NULL"),
                                    {error, nextAttemptMs, batchId}, QStringLiteral("record a failed send"));
        !status)
        return status;
    if (query.numRowsAffected() != 1)
        return makeError(ErrorCode::NotFound, QStringLiteral("sync outbox: no batch %1 in flight").arg(batchId));
    if (auto status = prepareAndRun(query, QStringLiteral("UPDATE sync_state SET last_error = ?, last_error_ms = ? WHERE id = 1"),
                                    {error, m_clock.nowMs()}, QStringLiteral("record the last error"));
        !status)
        return status;
    return transaction->commit();
}

core::Status SyncOutbox::setAside(const QString &batchId, const QString &reason)
{
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    const qint64 now = m_clock.nowMs();
    QSqlQuery query(QSqlDatabase::database(m_database.connectionName(), false));
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("UPDATE sync_batches SET attempts = attempts + 1, last_error = ?, poisoned_at_ms = ? "
                                                   "WHERE batch_id = ? AND poisoned_at_ms IS NULL"),
                                    {reason, now, batchId}, QStringLiteral("set a batch aside"));
        !status)
        return status;
    if (query.numRowsAffected() != 1)
        return makeError(ErrorCode::NotFound, QStringLiteral("sync outbox: no batch %1 in flight").arg(batchId));
    const QString error = QStringLiteral("batch %1 set aside: %2").arg(batchId, reason);
    if (auto status = prepareAndRun(query, QStringLiteral("UPDATE sync_state SET last_error = ?, last_error_ms = ? WHERE id = 1"),
                                    {error, now}, QStringLiteral("record the last error"));
        !status)
        return status;
    if (auto committed = transaction->commit(); !committed)
        return committed;
    qCWarning(lcStorage) << "sync outbox:" << error;
    return {};
}

core::Result<QList<SetAsideBatch>> SyncOutbox::setAsideBatches() const
{
    QSqlDatabase db = QSqlDatabase::database(m_database.connectionName(), false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery query(db);
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT b.batch_id, (SELECT count(*) FROM sync_outbox o WHERE o.batch_id = b.batch_id), "
                                                   "b.poisoned_at_ms, b.last_error FROM sync_batches b WHERE b.poisoned_at_ms IS NOT NULL "
                                                   "ORDER BY b.poisoned_at_ms, b.rowid"),
                                    {}, QStringLiteral("list the batches set aside"));
        !status)
        return status.error();
    QList<SetAsideBatch> batches;
    while (query.next())
        batches.append({query.value(0).toString(), query.value(1).toLongLong(), query.value(2).toLongLong(), query.value(3).toString()});
    return batches;
}

core::Result<qint64> SyncOutbox::requeue(const QString &batchId)
{
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    QSqlQuery query(QSqlDatabase::database(m_database.connectionName(), false));
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("UPDATE sync_batches SET poisoned_at_ms = NULL, attempts = 0, next_attempt_ms = 0 "
                                                   "WHERE batch_id = ? AND poisoned_at_ms IS NOT NULL"),
                                    {batchId}, QStringLiteral("requeue a batch"));
        !status)
        return status.error();
    if (query.numRowsAffected() != 1)
        return makeError(ErrorCode::NotFound, QStringLiteral("sync outbox: no batch %1 is set aside (see `signiq-edge sync --set-aside`)")
                                                  .arg(batchId));
    if (auto status = prepareAndRun(query, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE batch_id = ?"), {batchId},
                                    QStringLiteral("count the requeued windows"));
        !status)
        return status.error();
    const qint64 windows = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    qCInfo(lcStorage) << "sync outbox: batch" << batchId << "requeued (" << windows << "windows)";
    return windows;
}

core::Result<QList<SetAsideBatch>> SyncOutbox::requeueAll()
{
    auto transaction = Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    auto batches = setAsideBatches();
    if (!batches)
        return batches.error();
    for (const SetAsideBatch &batch : *batches) {
        if (auto done = requeue(batch.batchId); !done) // a SAVEPOINT inside this transaction
            return done.error();
    }
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return batches;
}

core::Result<OutboxStatus> SyncOutbox::status() const
{
    QSqlDatabase db = QSqlDatabase::database(m_database.connectionName(), false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    OutboxStatus result;
    result.capacity = m_capacity;
    QSqlQuery query(db);
    const QString poisoned = QStringLiteral("(SELECT batch_id FROM sync_batches WHERE poisoned_at_ms IS NOT NULL)");
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT count(*), min(start_ms) FROM sync_outbox WHERE batch_id IS NULL OR batch_id NOT IN ")
                                        + poisoned,
                                    {}, QStringLiteral("read the outbox depth"));
        !status)
        return status.error();
    if (query.next()) {
        result.depth = query.value(0).toLongLong();
        result.oldestUnsentStartMs = optionalInt(query.value(1));
    }
    query.finish();
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT count(*), count(DISTINCT batch_id) FROM sync_outbox WHERE batch_id IN ") + poisoned,
                                    {}, QStringLiteral("count the windows set aside"));
        !status)
        return status.error();
    if (query.next()) {
        result.poisonedWindows = query.value(0).toLongLong();
        result.poisonedBatches = query.value(1).toLongLong();
    }
    query.finish();
    if (auto status = prepareAndRun(query,
                                    QStringLiteral("SELECT dropped_windows, dropped_oldest_start_ms, dropped_newest_start_ms, last_success_ms, "
                                                   "last_error, last_error_ms FROM sync_state WHERE id = 1"),
                                    {}, QStringLiteral("read the sync state"));
        !status)
        return status.error();
    if (!query.next())
        return makeError(ErrorCode::Corrupt, QStringLiteral("sync outbox: the sync_state row is missing"));
    result.droppedWindows = query.value(0).toLongLong();
    result.droppedOldestStartMs = optionalInt(query.value(1));
    result.droppedNewestStartMs = optionalInt(query.value(2));
    result.lastSuccessMs = optionalInt(query.value(3));
    result.lastError = query.value(4).toString();
    result.lastErrorMs = optionalInt(query.value(5));
    return result;
}

} // namespace signiq::storage
