#pragma once

#include <atomic>

namespace signiq::edge {

// SIGINT/SIGTERM set a lock-free flag that the pipeline polls; the open windows are then
// closed and stored before the program exits. A second signal exits at once.
const std::atomic<bool> &installStopSignalHandlers();
bool stopSignalReceived();

} // namespace signiq::edge
