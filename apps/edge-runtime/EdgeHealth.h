#pragma once

#include "api/EdgeApiServer.h"

#include <mutex>

namespace signiq::edge {

// The pipeline's live figures, written by the pipeline thread and read by the API thread.
class EdgeHealth {
public:
    void update(const std::function<void(api::HealthSnapshot &)> &change)
    {
        std::lock_guard lock(m_mutex);
        change(m_snapshot);
    }
    api::HealthSnapshot snapshot() const
    {
        std::lock_guard lock(m_mutex);
        return m_snapshot;
    }

private:
    mutable std::mutex m_mutex;
    api::HealthSnapshot m_snapshot;
};

} // namespace signiq::edge
