#include "pipeline/CaptureLoop.h"

#include "vision/capture/FramePool.h"
#include "vision/capture/FrameQueue.h"
#include "vision/capture/FrameSource.h"

#include <chrono>

namespace signiq::pipeline {

CaptureLoop::CaptureLoop(vision::FrameSource &source, vision::FramePool &pool, vision::FrameQueue &queue)
    : m_source(source)
    , m_pool(pool)
    , m_queue(queue)
{
}

CaptureLoop::~CaptureLoop()
{
    stop();
}

void CaptureLoop::start(const std::atomic<bool> &stopRequested)
{
    m_thread = std::thread([this, &stopRequested] { loop(stopRequested); });
}

void CaptureLoop::stop()
{
    m_queue.close();
    m_source.interrupt();
    if (m_thread.joinable())
        m_thread.join();
}

StageTiming CaptureLoop::decodeTiming() const
{
    std::lock_guard lock(m_timingMutex);
    return m_decode;
}

void CaptureLoop::loop(const std::atomic<bool> &stopRequested)
{
    while (!stopRequested.load()) {
        auto frame = m_pool.acquire(std::chrono::milliseconds(200));
        if (!frame)
            continue; // every buffer in use: the consumer is behind; try again
        const auto start = std::chrono::steady_clock::now();
        auto got = m_source.read(*frame);
        if (!got) {
            m_error = got.error();
            m_failed.store(true);
            break;
        }
        if (!*got)
            break; // end of stream
        {
            std::lock_guard lock(m_timingMutex);
            m_decode.add(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        m_framesRead.fetch_add(1);
        if (!m_queue.push(std::move(*frame)))
            break; // queue closed
    }
    m_queue.close();
}

} // namespace signiq::pipeline
