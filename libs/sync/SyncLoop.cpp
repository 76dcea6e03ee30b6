#include "sync/SyncLoop.h"

#include <algorithm>

namespace signiq::sync {

qint64 SyncLoop::waitAfter(const core::Result<SyncRunSummary> &summary, qint64 nowMs, qint64 intervalMs)
{
    if (!summary)
        return intervalMs;
    if (summary->nextAttemptMs)
        return std::clamp<qint64>(*summary->nextAttemptMs - nowMs, 0, intervalMs);
    // Not empty and nothing waiting: a bounded run stopped early; go on at once.
    return summary->outboxEmpty ? intervalMs : 0;
}

void SyncLoop::run(SyncWorker &worker, const core::Clock &clock, const std::atomic<bool> &stop, qint64 intervalMs, const Wait &wait,
                   const Report &onRun)
{
    while (!stop.load()) {
        const core::Result<SyncRunSummary> summary = worker.runOnce();
        if (onRun)
            onRun(summary);
        if (stop.load())
            break;
        wait(waitAfter(summary, clock.nowMs(), intervalMs));
    }
}

} // namespace signiq::sync
