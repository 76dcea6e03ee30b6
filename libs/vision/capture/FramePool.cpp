#include "vision/capture/FramePool.h"

#include "vision/capture/PixelScrub.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

namespace signiq::vision {

namespace detail {

struct FrameSlot {
    cv::Mat image;   // what the holder reads and writes
    cv::Mat backing; // the pool's own reference to the buffer, so no pixels are freed unscrubbed
    FrameInfo info;
    bool inUse = false;
};

struct FramePoolState {
    explicit FramePoolState(const FramePoolConfig &config)
        : slots(static_cast<size_t>(std::max(1, config.capacity)))
        , latency(config.latencySamples)
        , steadyNow(config.steadyNow)
    {
        if (!steadyNow)
            steadyNow = [] { return std::chrono::steady_clock::now(); };
    }

    mutable std::mutex mutex;
    std::condition_variable released;
    std::vector<FrameSlot> slots; // never resized
    int available = 0;
    qint64 allocations = 0;
    LatencyRecorder latency;
    std::function<std::chrono::steady_clock::time_point()> steadyNow;
};

} // namespace detail

namespace {

void zeroBuffer(cv::Mat &m)
{
    scrubPixels(m);
}

// Makes the pool's own reference follow the buffer the holder's header points at, so that a
// buffer allocated (or swapped in) while the frame is held is still scrubbed on release. The
// buffer it replaces is scrubbed now. Called only by the slot's holder. Returns 1 if a buffer
// was adopted.
int adoptCurrentBuffer(detail::FrameSlot &slot)
{
    if (slot.image.empty() || !slot.image.u || slot.image.u == slot.backing.u)
        return 0;
    if (!slot.backing.empty())
        zeroBuffer(slot.backing);
    slot.backing = slot.image;
    return 1;
}

// Scrubs the slot's buffer and points the slot back at the buffer the pool keeps.
int scrubSlot(detail::FrameSlot &slot)
{
    const int adopted = adoptCurrentBuffer(slot);
    if (!slot.image.empty())
        zeroBuffer(slot.image);
    if (slot.image.u != slot.backing.u)
        slot.image = slot.backing; // the holder emptied the header or pointed it at foreign memory
    slot.info = FrameInfo{};
    return adopted;
}

} // namespace

PooledFrame::PooledFrame(std::shared_ptr<detail::FramePoolState> state, int slot)
    : m_state(std::move(state))
    , m_slot(slot)
{
}

PooledFrame::~PooledFrame()
{
    release();
}

PooledFrame::PooledFrame(PooledFrame &&other) noexcept
    : m_state(std::move(other.m_state))
    , m_slot(std::exchange(other.m_slot, -1))
{
}

PooledFrame &PooledFrame::operator=(PooledFrame &&other) noexcept
{
    if (this != &other) {
        release();
        m_state = std::move(other.m_state);
        m_slot = std::exchange(other.m_slot, -1);
    }
    return *this;
}

namespace {

cv::Mat &trackedImage(detail::FramePoolState &state, int slotIndex)
{
    detail::FrameSlot &slot = state.slots[static_cast<size_t>(slotIndex)];
    if (adoptCurrentBuffer(slot) > 0) {
        std::lock_guard lock(state.mutex);
        ++state.allocations;
    }
    return slot.image;
}

} // namespace

cv::Mat &PooledFrame::image()
{
    Q_ASSERT(m_state);
    return trackedImage(*m_state, m_slot);
}

const cv::Mat &PooledFrame::image() const
{
    Q_ASSERT(m_state);
    return trackedImage(*m_state, m_slot);
}

FrameInfo &PooledFrame::info()
{
    Q_ASSERT(m_state);
    return m_state->slots[static_cast<size_t>(m_slot)].info;
}

const FrameInfo &PooledFrame::info() const
{
    Q_ASSERT(m_state);
    return m_state->slots[static_cast<size_t>(m_slot)].info;
}

void PooledFrame::release()
{
    if (!m_state)
        return;
    auto state = std::move(m_state);
    const int slotIndex = std::exchange(m_slot, -1);
    detail::FrameSlot &slot = state->slots[static_cast<size_t>(slotIndex)];

    const auto capturedAt = slot.info.capturedAt;
    const int adopted = scrubSlot(slot);
    if (capturedAt != std::chrono::steady_clock::time_point{}) {
        const std::chrono::duration<double, std::milli> latency = state->steadyNow() - capturedAt;
        state->latency.record(latency.count());
    }
    {
        std::lock_guard lock(state->mutex);
        state->allocations += adopted;
        slot.inUse = false;
        ++state->available;
    }
    state->released.notify_one();
}

FramePool::FramePool(const FramePoolConfig &config)
    : m_state(std::make_shared<detail::FramePoolState>(config))
{
    m_state->available = static_cast<int>(m_state->slots.size());
}

FramePool::FramePool(int capacity)
    : FramePool(FramePoolConfig{capacity, 4096, {}})
{
}

FramePool::~FramePool() = default;

std::optional<PooledFrame> FramePool::acquire()
{
    return acquire(std::chrono::milliseconds(0));
}

std::optional<PooledFrame> FramePool::acquire(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_state->mutex);
    if (timeout.count() > 0)
        m_state->released.wait_for(lock, timeout, [this] { return m_state->available > 0; });
    for (size_t i = 0; i < m_state->slots.size(); ++i) {
        detail::FrameSlot &slot = m_state->slots[i];
        if (!slot.inUse) {
            slot.inUse = true;
            --m_state->available;
            return PooledFrame(m_state, static_cast<int>(i));
        }
    }
    return std::nullopt;
}

void FramePool::preallocate(cv::Size size, int type)
{
    std::lock_guard lock(m_state->mutex);
    for (detail::FrameSlot &slot : m_state->slots) {
        if (slot.inUse)
            continue;
        slot.image.create(size, type);
        m_state->allocations += adoptCurrentBuffer(slot);
    }
}

int FramePool::capacity() const
{
    return static_cast<int>(m_state->slots.size());
}

int FramePool::available() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->available;
}

qint64 FramePool::allocationCount() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->allocations;
}

LatencyRecorder &FramePool::latency()
{
    return m_state->latency;
}

const LatencyRecorder &FramePool::latency() const
{
    return m_state->latency;
}

} // namespace signiq::vision
