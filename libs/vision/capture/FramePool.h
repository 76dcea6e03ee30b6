#pragma once

#include "vision/capture/Frame.h"
#include "vision/capture/LatencyRecorder.h"

#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace signiq::vision {

namespace detail {
struct FramePoolState;
}

// One buffer of a FramePool, held by exactly one owner (move-only). Releasing it (release() or
// the destructor) zeroes the whole buffer, records capture -> release latency (from
// info().capturedAt, if it was set) and returns the buffer to the pool.
//
// Write pixels straight into image() (e.g. cv::VideoCapture::read(frame.image())); as long as the
// size and type stay the same OpenCV reuses the buffer. Do not keep copies of the cv::Mat header
// past release(): the buffer is scrubbed and reused.
class PooledFrame {
public:
    PooledFrame() = default;
    ~PooledFrame();
    PooledFrame(PooledFrame &&other) noexcept;
    PooledFrame &operator=(PooledFrame &&other) noexcept;
    PooledFrame(const PooledFrame &) = delete;
    PooledFrame &operator=(const PooledFrame &) = delete;

    bool isNull() const { return !m_state; }
    explicit operator bool() const { return !isNull(); }

    // Only valid while !isNull().
    cv::Mat &image();
    const cv::Mat &image() const;
    FrameInfo &info();
    const FrameInfo &info() const;

    void release();

private:
    friend class FramePool;
    PooledFrame(std::shared_ptr<detail::FramePoolState> state, int slot);

    std::shared_ptr<detail::FramePoolState> m_state;
    int m_slot = -1;
};

struct FramePoolConfig {
    int capacity = 8;        // number of buffers; fixed for the pool's life
    int latencySamples = 4096;
    // steady_clock::now() unless set (tests inject a fake time for latency).
    std::function<std::chrono::steady_clock::time_point()> steadyNow;
};

// A fixed set of frame buffers, allocated on first use for a size (or by preallocate()) and then
// reused: after warm-up no buffer is allocated unless the frame size or type changes
// (allocationCount() shows it). Thread-safe; frames may be released on any thread, and may
// outlive the pool object (the shared state lives until the last frame is released).
class FramePool {
public:
    explicit FramePool(const FramePoolConfig &config = {});
    explicit FramePool(int capacity);
    ~FramePool();

    FramePool(const FramePool &) = delete;
    FramePool &operator=(const FramePool &) = delete;

    // A free buffer, or nothing when every buffer is in use.
    std::optional<PooledFrame> acquire();
    // Waits up to `timeout` for a buffer to be released.
    std::optional<PooledFrame> acquire(std::chrono::milliseconds timeout);

    // Allocates every free buffer for size/type now, so the first frames allocate nothing.
    void preallocate(cv::Size size, int type = CV_8UC3);

    int capacity() const;
    int available() const;
    qint64 allocationCount() const; // buffers allocated (or reallocated on a size change) so far

    LatencyRecorder &latency();             // capture -> release, ms
    const LatencyRecorder &latency() const;

private:
    std::shared_ptr<detail::FramePoolState> m_state;
};

} // namespace signiq::vision
