#pragma once

#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include <chrono>

namespace signiq::vision {

// A frame in flight. The pixels live in a buffer owned by a FramePool; see PooledFrame.
struct FrameInfo {
    qint64 index = 0;        // 0-based frame number from the source
    qint64 timestampMs = 0;  // capture time (live) or start time + position (files), ms since epoch
    std::chrono::steady_clock::time_point capturedAt; // for capture->release latency
};

} // namespace signiq::vision
