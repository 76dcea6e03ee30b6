#pragma once

#include "core/AudienceWindow.h"
#include "core/Track.h"
#include "core/ZoneConfig.h"

#include <QList>

#include <array>
#include <functional>
#include <optional>
#include <unordered_set>
#include <vector>

namespace signiq::analytics {

// Age/gender as zone-level histograms only (docs/metrics.md): each DemographicSample goes
// straight into the histogram of every zone its track is inside, at most once per track per
// demographic window (>= 5 minutes, aligned to epoch; a run's first window starts with it).
// Closed windows come out k-suppressed: a cell under k is reported as suppressed with count 0,
// and the hidden value never leaves. Only the "sampled" flag is kept per track, never the
// estimate. Disabled (audience.demographics false): nothing is accumulated at all.
class DemographicHistograms {
public:
    // Fills `zones` with the indices of the zones a confirmed track of the current frame is
    // inside; false when the id is not such a track.
    using ZonesOfTrack = std::function<bool(core::TrackId, std::vector<size_t> &zones)>;

    DemographicHistograms(const core::ZoneConfig &config, QString modelVersion, QString calibrationVersion);

    bool enabled() const { return m_enabled; }
    void observe(qint64 tMs, const QList<core::DemographicSample> &samples, const ZonesOfTrack &zonesOf);
    // Whether a sample of this track would still count in the current window.
    bool wantsSample(core::TrackId id) const { return m_enabled && !m_sampled.contains(id); }
    // Closes the open window at endMs, clamped to [lastFrameMs + 1, its aligned end].
    void finish(qint64 endMs, qint64 lastFrameMs);
    void reset();

    QList<core::DemographicWindow> takeClosed() { return std::exchange(m_closed, {}); }
    bool hasClosed() const { return !m_closed.isEmpty(); }

private:
    using Histogram = std::array<std::array<int, core::GenderCount>, core::AgeBandCount>;
    struct Slot {
        qint64 startMs = 0;
        qint64 endMs = 0;
        std::vector<Histogram> zones;
    };

    void close();

    QStringList m_zoneNames;
    bool m_enabled = false;
    int m_k = 0;
    qint64 m_windowMs = 300000;
    QString m_modelVersion;
    QString m_calibrationVersion;
    std::optional<Slot> m_slot;
    bool m_started = false;
    std::unordered_set<core::TrackId> m_sampled; // tracks counted in the current window
    QList<core::DemographicWindow> m_closed;
    std::vector<size_t> m_scratch;
};

} // namespace signiq::analytics
