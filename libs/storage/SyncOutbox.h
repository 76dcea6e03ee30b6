#pragma once

#include "core/AudienceWindow.h"
#include "core/Clock.h"
#include "core/Result.h"

#include <QList>
#include <QString>

#include <optional>

namespace signiq::storage {

class EncryptedDatabase;

// One batch of outbox windows for the hub, oldest first. Its id and its windows stay the same
// until the hub acknowledges it or it is set aside, across restarts (so that a resend after a
// lost acknowledgement is recognised by the hub as the same batch).
struct OutboxBatch {
    QString batchId; // a UUID, created with the batch
    qint64 createdAtMs = 0;
    int attempts = 0;          // failed sends so far
    qint64 nextAttemptMs = 0;  // not before (retry backoff)
    QString lastError;
    QList<core::AudienceWindow> audience;         // by outbox order
    QList<core::DemographicWindow> demographics;  // by outbox order
    qsizetype size() const { return audience.size() + demographics.size(); }
};

// A batch the hub refused, kept on the edge (SyncOutbox::setAsideBatches()).
struct SetAsideBatch {
    QString batchId;
    qint64 windows = 0;
    qint64 setAsideAtMs = 0;
    QString reason; // the hub's refusal, e.g. "422 batch_refused: ..."
};

struct OutboxStatus {
    qint64 capacity = 0;
    qint64 depth = 0;             // windows waiting to be sent (not set aside)
    qint64 poisonedWindows = 0;   // windows in batches set aside
    qint64 poisonedBatches = 0;
    std::optional<qint64> oldestUnsentStartMs; // start of the oldest window still waiting
    qint64 droppedWindows = 0;                 // dropped because the outbox was full, ever
    std::optional<qint64> droppedOldestStartMs;
    std::optional<qint64> droppedNewestStartMs;
    std::optional<qint64> lastSuccessMs; // the hub's last acknowledgement
    QString lastError;
    std::optional<qint64> lastErrorMs;
};

// The edge's sync outbox (schema version 8, docs/sync.md) on one connection of an
// EncryptedDatabase; used on that connection's thread only.
//
// - storeWindows()/storeDemographics() store a window close and its outbox rows in ONE
//   transaction: no window is stored without being queued for the hub.
// - The outbox holds at most `capacity` windows. When a close would exceed it, the oldest
//   windows that are not in the batch being sent are dropped from the outbox (the windows
//   themselves stay in the local store): each dropped audience window gets the quality flag
//   `sync_dropped`, and sync_state counts them with the start times of the oldest and newest
//   dropped (status(), /v1/health). Never a silent loss. Rows of the batch in flight are never
//   dropped (its id must keep naming the same windows), so while one is in flight the outbox
//   can exceed its capacity by at most that batch. A capacity below 1 is taken as 1.
// - nextBatch() returns the batch in flight, or forms the next one from the oldest rows.
//   acknowledge() deletes its rows after the hub committed it; recordFailure() schedules a
//   retry; setAside() parks a poison batch (kept, visible, never retried).
class SyncOutbox {
public:
    static constexpr qint64 DefaultCapacity = 50'000; // > 4 weeks of 1-minute windows of one zone
    static constexpr int DefaultBatchSize = 500;

    SyncOutbox(const EncryptedDatabase &database, const core::Clock &clock, qint64 capacity = DefaultCapacity);

    [[nodiscard]] core::Status storeWindows(const QList<core::AudienceWindow> &windows);
    [[nodiscard]] core::Status storeDemographics(const QList<core::DemographicWindow> &windows);

    // The unacknowledged batch that is not set aside, if any (whatever its nextAttemptMs);
    // otherwise a new batch of up to maxWindows oldest queued windows; empty when nothing waits.
    [[nodiscard]] core::Result<std::optional<OutboxBatch>> nextBatch(int maxWindows = DefaultBatchSize);

    // The hub committed the batch: its outbox rows are deleted, the last success recorded.
    // An unknown batch id is NotFound.
    [[nodiscard]] core::Status acknowledge(const QString &batchId);
    // A send failed in a way worth retrying: attempts + 1, the error, and the next attempt time.
    [[nodiscard]] core::Status recordFailure(const QString &batchId, const QString &error, qint64 nextAttemptMs);
    // The hub refused the batch as malformed/too large/...: it is kept, never sent again, and
    // the next batch is formed from the rows after it.
    [[nodiscard]] core::Status setAside(const QString &batchId, const QString &reason);

    // The batches set aside, oldest first.
    [[nodiscard]] core::Result<QList<SetAsideBatch>> setAsideBatches() const;
    // The operator's requeue (`signiq-edge sync --requeue`): a batch set aside goes back in
    // flight with the same id and the same windows (the hub never stored it), no attempts and
    // no backoff; it is sent before newer batches (oldest first). Returns its window count. An
    // unknown id, or a batch that is not set aside, is NotFound. While requeued batches wait,
    // more than one batch can be in flight, and the outbox can exceed its capacity by them.
    [[nodiscard]] core::Result<qint64> requeue(const QString &batchId);
    // Every batch set aside, as requeue(); returns them (with their window counts).
    [[nodiscard]] core::Result<QList<SetAsideBatch>> requeueAll();

    [[nodiscard]] core::Result<OutboxStatus> status() const;

private:
    // The window rows (through `insert`), their outbox rows and the capacity rule, in one transaction.
    template <typename Window, typename Insert>
    core::Status storeQueued(const QString &kind, const QList<Window> &windows, Insert insert);
    core::Status enqueue(const QString &kind, const QList<std::pair<QString, qint64>> &keys);
    core::Status enforceCapacity();

    const EncryptedDatabase &m_database;
    const core::Clock &m_clock;
    qint64 m_capacity;
};

} // namespace signiq::storage
