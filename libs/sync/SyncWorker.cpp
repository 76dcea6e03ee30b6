#include "sync/SyncWorker.h"

#include "sync/SyncLog.h"

namespace signiq::sync {

SyncWorker::SyncWorker(storage::SyncOutbox &outbox, HubClient &client, const core::Clock &clock, RetryPolicy policy, int batchSize)
    : m_outbox(outbox), m_client(client), m_clock(clock), m_policy(std::move(policy)), m_batchSize(batchSize)
{
}

core::Result<SyncRunSummary> SyncWorker::runOnce(int maxBatches, Due due)
{
    SyncRunSummary summary;
    while (summary.batchesAcknowledged + summary.batchesSetAside < maxBatches) {
        auto next = m_outbox.nextBatch(m_batchSize);
        if (!next)
            return next.error();
        if (!next->has_value()) {
            summary.outboxEmpty = true;
            return summary;
        }
        const storage::OutboxBatch &batch = **next;
        const qint64 now = m_clock.nowMs();
        if (due == Due::AfterBackoff && batch.nextAttemptMs > now) {
            summary.nextAttemptMs = batch.nextAttemptMs;
            return summary;
        }
        protocol::SyncBatch wire;
        wire.batchId = batch.batchId;
        wire.sentAtMs = now;
        wire.audience = batch.audience;
        wire.demographics = batch.demographics;
        const SendOutcome outcome = m_client.send(wire);
        if (const auto *acked = std::get_if<SendAcked>(&outcome)) {
            if (auto done = m_outbox.acknowledge(batch.batchId); !done)
                return done.error();
            ++summary.batchesAcknowledged;
            summary.duplicates += acked->ack.duplicate ? 1 : 0;
            summary.windowsAcknowledged += int(batch.size());
            qCInfo(lcSync) << "batch" << batch.batchId << (acked->ack.duplicate ? "was already stored by the hub" : "stored by the hub")
                           << "(" << batch.size() << "windows, clock skew" << acked->ack.clockSkewMs << "ms)";
            if (acked->ack.clockSkewed)
                qCWarning(lcSync) << "the hub measured this device's clock" << acked->ack.clockSkewMs
                                  << "ms off; its windows were flagged clock_skew";
        } else if (const auto *refused = std::get_if<SendRefused>(&outcome)) {
            if (auto aside = m_outbox.setAside(batch.batchId, refused->message); !aside)
                return aside.error();
            ++summary.batchesSetAside;
            summary.lastError = refused->message;
            qCWarning(lcSync) << "batch" << batch.batchId << "refused by the hub, set aside (not retried):" << refused->message;
        } else {
            const auto &failed = std::get<SendFailed>(outcome);
            const qint64 retryAt = now + m_policy.delayMs(batch.attempts + 1);
            if (auto recorded = m_outbox.recordFailure(batch.batchId, failed.message, retryAt); !recorded)
                return recorded.error();
            ++summary.failures;
            summary.lastError = failed.message;
            summary.nextAttemptMs = retryAt;
            qCWarning(lcSync) << "batch" << batch.batchId << "not sent (attempt" << batch.attempts + 1 << "), retrying in"
                              << (retryAt - now) << "ms:" << failed.message;
            return summary;
        }
    }
    return summary;
}

} // namespace signiq::sync
