#pragma once

#include "core/Clock.h"
#include "sync/SyncWorker.h"

#include <atomic>
#include <functional>

namespace signiq::sync {

// The worker of `signiq-edge run --sync-hub`: SyncWorker::runOnce() again and again until `stop`.
// After each run it waits until the batch in flight is due (backoff) or `intervalMs` has passed,
// whichever is first, through `wait(ms)` (which returns early when `stop` is set); the runtime
// passes a real sleep, tests one that moves an injected clock. A storage error ends nothing: it is
// reported through `onRun` and retried after the interval.
class SyncLoop {
public:
    using Wait = std::function<void(qint64 ms)>;
    using Report = std::function<void(const core::Result<SyncRunSummary> &)>;

    static void run(SyncWorker &worker, const core::Clock &clock, const std::atomic<bool> &stop, qint64 intervalMs, const Wait &wait,
                    const Report &onRun = {});
    // How long to wait after a run that returned `summary` at `nowMs`.
    static qint64 waitAfter(const core::Result<SyncRunSummary> &summary, qint64 nowMs, qint64 intervalMs);
};

} // namespace signiq::sync
