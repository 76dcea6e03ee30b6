// Floor motion (calibrated only): floor positions, distance bands, walking speed and direction.
#include "AggregatorSupport.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

using namespace detail;

void AudienceAggregator::updateFloor(core::TrackId id, TrackState &track, qint64 tMs, const core::TrackObservation &observation)
{
    if (!m_calibration || !observation.floorM)
        return;
    const QPointF p = *observation.floorM;
    track.floorM = p;
    const int band = m_calibration->distanceBandFor(m_calibration->distanceToScreenM(p));
    if (band != track.distanceBand) {
        track.distanceBand = band;
        m_windows.back().tracks[id].bands.push_back({tMs, band});
    }

    if (!track.hasSpeedAnchor || tMs - track.lastFloorMs > kSpeedMaxGapMs) {
        track.hasSpeedAnchor = true;
        track.speedAnchorMs = tMs;
        track.speedAnchorM = p;
        track.speedAnchorDetected = !observation.predicted;
    } else if (tMs - track.speedAnchorMs >= kSpeedSegmentMs) {
        const double dx = p.x() - track.speedAnchorM.x();
        const double dy = p.y() - track.speedAnchorM.y();
        const double distance = std::hypot(dx, dy);
        const qint64 durationMs = tMs - track.speedAnchorMs;
        // A predicted end extrapolates the tracker's motion model: speed only, no direction.
        const int sector = track.speedAnchorDetected && !observation.predicted ? walkingSector(dx, dy, durationMs) : -1;
        for (size_t z = 0; z < track.zones.size(); ++z) {
            if (!track.zones[z].inside)
                continue;
            ZoneTally &tally = m_windows.back().zones[z];
            tally.walkDistanceM += distance;
            tally.walkTimeMs += durationMs;
            if (sector >= 0)
                tally.walkDirectionMs[size_t(sector)] += durationMs;
        }
        track.speedAnchorMs = tMs;
        track.speedAnchorM = p;
        track.speedAnchorDetected = !observation.predicted;
    }
    track.lastFloorMs = tMs;
}

} // namespace signiq::analytics
