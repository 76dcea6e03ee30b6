#pragma once

#include "vision/capture/FramePool.h"

#include <QtGlobal>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace signiq::vision {

enum class OverflowPolicy {
    DropOldest, // live sources: a full queue releases (scrubs) its oldest frame and counts a drop
    Block,      // files processed faster than real time: push() waits for room, nothing is dropped
};

// Bounded, thread-safe hand-over of pooled frames between a producer and a consumer.
// close() ends the stream: pushes are refused, a blocked push() returns, pop() drains what is
// left and then returns nothing.
class FrameQueue {
public:
    FrameQueue(int capacity, OverflowPolicy policy);
    ~FrameQueue();

    FrameQueue(const FrameQueue &) = delete;
    FrameQueue &operator=(const FrameQueue &) = delete;

    // False (and the frame is released) when the queue is closed.
    bool push(PooledFrame frame);

    // Blocks until a frame is available; nothing once the queue is closed and empty.
    std::optional<PooledFrame> pop();
    // As pop(), but gives up after `timeout`.
    std::optional<PooledFrame> pop(std::chrono::milliseconds timeout);
    std::optional<PooledFrame> tryPop();

    void close();
    // Releases (scrubs) every queued frame, e.g. when stopping without draining.
    void clear();

    bool isClosed() const;
    int size() const;
    int capacity() const { return m_capacity; }
    OverflowPolicy policy() const { return m_policy; }
    qint64 droppedCount() const;

private:
    std::optional<PooledFrame> takeLocked(std::unique_lock<std::mutex> &lock);

    const int m_capacity;
    const OverflowPolicy m_policy;
    mutable std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<PooledFrame> m_frames;
    bool m_closed = false;
    qint64 m_dropped = 0;
};

} // namespace signiq::vision
