#pragma once

#include "core/Result.h"
#include "vision/capture/FramePool.h"

#include <QSize>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace signiq::core {
class Clock;
}

namespace signiq::vision {

struct SourceOptions {
    // Files and image directories: pace reads at the nominal frame rate. Off: as fast as possible.
    bool realtime = false;
    // Files and image directories: timestamp of frame 0 in ms since the epoch (frame i is stamped
    // start + i * 1000 / fps). Unset: the wall clock when open() is called.
    std::optional<qint64> startTimeMs;
    double imageDirectoryFps = 10.0; // nominal rate of an image directory
    double fallbackFps = 25.0;       // used for file timestamps when the container has no rate

    // Live streams (rtsp://, http(s)://): reconnect with exponential backoff after a failure.
    std::chrono::milliseconds reconnectInitialDelay{500};
    std::chrono::milliseconds reconnectMaxDelay{30000};
    int maxReconnectAttempts = -1; // per outage; -1 = keep trying until interrupt()
    std::chrono::milliseconds streamTimeout{10000}; // FFmpeg open/read timeout for live streams

    // Cameras: requested format (empty/0 = the camera's default) and how long read() waits.
    QSize cameraResolution;
    double cameraFps = 0.0;
    std::chrono::milliseconds cameraFrameTimeout{5000};

    // Wall clock for live timestamps; nullptr = system clock. Must outlive the source.
    const core::Clock *clock = nullptr;
};

// Where frames come from. Pixels are written straight into pooled buffers and never leave
// libs/vision. One thread reads; interrupt() may be called from any thread.
class FrameSource {
public:
    virtual ~FrameSource() = default;

    virtual core::Status open() = 0;

    // Reads the next frame into `into` (a buffer from a FramePool): image() becomes BGR CV_8UC3,
    // info() gets index, timestampMs and capturedAt. False at the end of the stream or after
    // interrupt(); an error when the source fails (live sources reconnect first).
    virtual core::Result<bool> read(PooledFrame &into) = 0;

    virtual double nominalFps() const = 0;  // 0 when unknown
    virtual qint64 frameCount() const = 0;  // -1 when unknown or live
    virtual bool isLive() const = 0;
    virtual QString description() const = 0; // for logs: never contains credentials

    // Wakes a read() that waits (reconnect backoff, realtime pacing, camera frame) and makes it
    // return false. Thread-safe.
    virtual void interrupt() {}
};

// spec: a video file path, a directory of images, an rtsp:// / http(s):// URL, or
// "camera:<index or id>" ("camera:" alone = the default camera). Creates and opens the source.
// A missing or unreadable path is an error that names it.
core::Result<std::unique_ptr<FrameSource>> openFrameSource(const QString &spec,
                                                           const SourceOptions &options = {});

} // namespace signiq::vision
