#pragma once

#include "protocol/Health.h"

#include <functional>

#include <mutex>

namespace signiq::edge {

// The runtime's part of /v1/health, written by the pipeline thread and read by the API thread.
class EdgeHealth {
public:
    void update(const std::function<void(protocol::HealthRecord &)> &change)
    {
        std::lock_guard lock(m_mutex);
        change(m_snapshot);
    }
    protocol::HealthRecord snapshot() const
    {
        std::lock_guard lock(m_mutex);
        return m_snapshot;
    }

private:
    mutable std::mutex m_mutex;
    protocol::HealthRecord m_snapshot;
};

} // namespace signiq::edge
