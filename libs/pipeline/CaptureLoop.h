#pragma once

#include "core/Result.h"
#include "pipeline/PipelineReport.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace signiq::vision {
class FramePool;
class FrameQueue;
class FrameSource;
} // namespace signiq::vision

namespace signiq::pipeline {

// The capture thread: source -> frame pool -> bounded queue, until the source ends, fails, the
// queue is closed or a stop is requested. The queue is closed when the thread ends, so the
// consumer's pop() returns empty. stop() also interrupts a source blocked on the network.
class CaptureLoop {
public:
    CaptureLoop(vision::FrameSource &source, vision::FramePool &pool, vision::FrameQueue &queue);
    ~CaptureLoop();

    CaptureLoop(const CaptureLoop &) = delete;
    CaptureLoop &operator=(const CaptureLoop &) = delete;

    void start(const std::atomic<bool> &stopRequested);
    // Closes the queue, interrupts the source and joins the thread. Idempotent.
    void stop();

    // Valid after the thread ended (stop() returned).
    bool failed() const { return m_failed.load(); }
    const core::Error &error() const { return m_error; }
    qint64 framesRead() const { return m_framesRead.load(); }
    StageTiming decodeTiming() const;

private:
    void loop(const std::atomic<bool> &stopRequested);

    vision::FrameSource &m_source;
    vision::FramePool &m_pool;
    vision::FrameQueue &m_queue;
    std::thread m_thread;
    std::atomic<bool> m_failed{false};
    core::Error m_error;
    std::atomic<qint64> m_framesRead{0};
    mutable std::mutex m_timingMutex;
    StageTiming m_decode;
};

} // namespace signiq::pipeline
