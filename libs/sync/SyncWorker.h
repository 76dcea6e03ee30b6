#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "storage/SyncOutbox.h"
#include "sync/HubClient.h"
#include "sync/RetryPolicy.h"

#include <QString>

#include <limits>
#include <optional>

namespace signiq::sync {

struct SyncRunSummary {
    int batchesAcknowledged = 0; // stored by the hub now or before (duplicate)
    int duplicates = 0;          // of those, the hub already had
    int windowsAcknowledged = 0;
    int batchesSetAside = 0;     // refused by the hub as poison
    int failures = 0;            // sends that will be retried
    QString lastError;
    std::optional<qint64> nextAttemptMs; // a batch waits for its backoff until then
    bool outboxEmpty = false;
};

// The edge's sender (docs/sync.md): batches from the outbox, oldest first, to the hub; a batch is
// marked sent (its outbox rows deleted) only after the hub's acknowledgement; a failed send
// waits RetryPolicy::delayMs(attempts) on the injected clock before the same batch (same id) is
// sent again, also after a restart; a batch the hub refuses as poison is set aside.
class SyncWorker {
public:
    SyncWorker(storage::SyncOutbox &outbox, HubClient &client, const core::Clock &clock, RetryPolicy policy = RetryPolicy(),
               int batchSize = storage::SyncOutbox::DefaultBatchSize);

    enum class Due { AfterBackoff, Now };
    // Sends due batches until the outbox is empty, a send fails, the batch in flight is not
    // due yet, or maxBatches were acknowledged or set aside. Errors are the outbox's (storage).
    // Due::Now sends the batch in flight even before its backoff has passed (the operator's
    // `sync --once --now`, e.g. after fixing the network); a failure still schedules a backoff.
    [[nodiscard]] core::Result<SyncRunSummary> runOnce(int maxBatches = std::numeric_limits<int>::max(), Due due = Due::AfterBackoff);

private:
    storage::SyncOutbox &m_outbox;
    HubClient &m_client;
    const core::Clock &m_clock;
    RetryPolicy m_policy;
    int m_batchSize;
};

} // namespace signiq::sync
