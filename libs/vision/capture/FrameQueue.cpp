#include "vision/capture/FrameQueue.h"

#include <algorithm>

namespace signiq::vision {

FrameQueue::FrameQueue(int capacity, OverflowPolicy policy)
    : m_capacity(std::max(1, capacity))
    , m_policy(policy)
{
}

FrameQueue::~FrameQueue()
{
    close();
    clear();
}

bool FrameQueue::push(PooledFrame frame)
{
    PooledFrame dropped; // released (scrubbed) outside the lock
    {
        std::unique_lock lock(m_mutex);
        if (m_policy == OverflowPolicy::Block) {
            m_notFull.wait(lock, [this] { return m_closed || static_cast<int>(m_frames.size()) < m_capacity; });
        }
        if (m_closed)
            return false; // `frame` is released on return
        if (static_cast<int>(m_frames.size()) >= m_capacity) {
            dropped = std::move(m_frames.front());
            m_frames.pop_front();
            ++m_dropped;
        }
        m_frames.push_back(std::move(frame));
    }
    m_notEmpty.notify_one();
    return true;
}

std::optional<PooledFrame> FrameQueue::takeLocked(std::unique_lock<std::mutex> &lock)
{
    if (m_frames.empty())
        return std::nullopt;
    PooledFrame frame = std::move(m_frames.front());
    m_frames.pop_front();
    lock.unlock();
    m_notFull.notify_one();
    return frame;
}

std::optional<PooledFrame> FrameQueue::pop()
{
    std::unique_lock lock(m_mutex);
    m_notEmpty.wait(lock, [this] { return m_closed || !m_frames.empty(); });
    return takeLocked(lock);
}

std::optional<PooledFrame> FrameQueue::pop(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_notEmpty.wait_for(lock, timeout, [this] { return m_closed || !m_frames.empty(); });
    return takeLocked(lock);
}

std::optional<PooledFrame> FrameQueue::tryPop()
{
    std::unique_lock lock(m_mutex);
    return takeLocked(lock);
}

void FrameQueue::close()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_notEmpty.notify_all();
    m_notFull.notify_all();
}

void FrameQueue::clear()
{
    std::deque<PooledFrame> frames;
    {
        std::lock_guard lock(m_mutex);
        frames.swap(m_frames);
    }
    m_notFull.notify_all();
    frames.clear();
}

bool FrameQueue::isClosed() const
{
    std::lock_guard lock(m_mutex);
    return m_closed;
}

int FrameQueue::size() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_frames.size());
}

qint64 FrameQueue::droppedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

} // namespace signiq::vision
