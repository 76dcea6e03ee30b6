#include "SignalStop.h"

#include <csignal>
#include <unistd.h>

namespace signiq::edge {

namespace {
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag must be safe to set from a signal handler");

extern "C" void onStopSignal(int signal)
{
    if (g_stop.exchange(true))
        ::_exit(128 + signal);
}
} // namespace

const std::atomic<bool> &installStopSignalHandlers()
{
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return g_stop;
}

bool stopSignalReceived()
{
    return g_stop.load();
}

} // namespace signiq::edge
