#include "vision/capture/LatencyRecorder.h"

#include <algorithm>
#include <cmath>

namespace signiq::vision {

LatencyRecorder::LatencyRecorder(int capacity)
{
    m_samples.reserve(static_cast<size_t>(std::max(1, capacity)));
}

void LatencyRecorder::record(double ms)
{
    if (!std::isfinite(ms))
        return;
    std::lock_guard lock(m_mutex);
    if (m_samples.size() < m_samples.capacity()) {
        m_samples.push_back(ms);
    } else {
        m_samples[m_next] = ms;
        m_next = (m_next + 1) % m_samples.size();
    }
    ++m_count;
    m_max = (m_count == 1) ? ms : std::max(m_max, ms);
}

double LatencyRecorder::percentile(double p) const
{
    std::vector<double> copy;
    {
        std::lock_guard lock(m_mutex);
        copy = m_samples;
    }
    if (copy.empty())
        return 0.0;
    p = std::clamp(p, 0.0, 100.0);
    // Nearest rank: the smallest sample such that at least p% of samples are <= it.
    auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(copy.size())));
    rank = std::clamp<size_t>(rank, 1, copy.size());
    auto nth = copy.begin() + static_cast<std::ptrdiff_t>(rank - 1);
    std::nth_element(copy.begin(), nth, copy.end());
    return *nth;
}

qint64 LatencyRecorder::count() const
{
    std::lock_guard lock(m_mutex);
    return m_count;
}

double LatencyRecorder::max() const
{
    std::lock_guard lock(m_mutex);
    return m_max;
}

int LatencyRecorder::retainedCount() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_samples.size());
}

void LatencyRecorder::reset()
{
    std::lock_guard lock(m_mutex);
    m_samples.clear();
    m_next = 0;
    m_count = 0;
    m_max = 0.0;
}

} // namespace signiq::vision
