#pragma once

#include <QtGlobal>

#include <mutex>
#include <vector>

namespace signiq::vision {

// Thread-safe record of latencies in milliseconds with bounded memory: the most recent
// `capacity` samples are kept in a ring buffer (percentiles describe recent behaviour, which is
// what /v1/health reports); count() and max() cover every sample ever recorded.
class LatencyRecorder {
public:
    explicit LatencyRecorder(int capacity = 4096);

    void record(double ms);
    // Nearest-rank percentile (0..100) over the retained samples; 0 when empty.
    double percentile(double p) const;
    qint64 count() const;
    double max() const;
    int retainedCount() const;
    void reset();

private:
    mutable std::mutex m_mutex;
    std::vector<double> m_samples; // ring buffer, fixed capacity
    size_t m_next = 0;
    qint64 m_count = 0;
    double m_max = 0.0;
};

} // namespace signiq::vision
