// Visit counting: zone membership with hysteresis per track, entries/exits, dwell, OTS, line
// crossings, transitions between zones.
#include "AggregatorSupport.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

using namespace detail;

void AudienceAggregator::updateTrack(TrackState &track, qint64 tMs, const core::TrackObservation *observation)
{
    const qsizetype zoneCount = qsizetype(track.zones.size());
    const QPointF foot = observation ? observation->footPoint() : QPointF();
    WindowSlot &current = m_windows.back();

    // 1. Membership of every zone, so that transitions see this frame's state of all zones.
    // A predicted foot point is presence where predicted (ZoneMembership limits it).
    using Sighting = ZoneMembership::Sighting;
    for (qsizetype z = 0; z < zoneCount; ++z) {
        bool inside = false;
        if (observation && m_zoneBounds[size_t(z)].contains(foot)
            && m_config.zones[z].contains(foot)) {
            inside = true;
            current.zones[size_t(z)].observations.add(*observation);
        }
        track.zones[size_t(z)].inside = inside;
        const Sighting sighting = !inside ? Sighting::Outside
            : observation->predicted  ? Sighting::PredictedInside
                                      : Sighting::Inside;
        m_transitions[size_t(z)] = track.zones[size_t(z)].membership.observe(tMs, sighting);
    }

    // 2. Entries and exits, at the times they happened.
    for (qsizetype z = 0; z < zoneCount; ++z) {
        const ZoneMembership::Transition &tr = m_transitions[size_t(z)];
        if (tr.entered) {
            ++m_occupancy[size_t(z)];
            ++windowAt(tr.visit.startMs).zones[size_t(z)].entries;
        }
        if (tr.exited)
            countVisitEnd(track.zones[size_t(z)], z, tr.visit);
    }

    // 3. Zone-to-zone transitions: departures first (they may match a zone entered in this
    // very frame), then arrivals (matching departures recorded earlier).
    for (qsizetype z = 0; z < zoneCount; ++z) {
        if (m_transitions[size_t(z)].exited)
            depart(track, z, m_transitions[size_t(z)].visit);
    }
    for (qsizetype z = 0; z < zoneCount; ++z) {
        if (m_transitions[size_t(z)].entered)
            arrive(track, z, m_transitions[size_t(z)].visit);
    }

    // 4. Counting lines, on the foot point trajectory of confirmed detected observations:
    // predicted positions neither count a crossing nor move the anchor.
    if (!observation || observation->predicted)
        return;
    for (size_t l = 0; l < track.lines.size(); ++l) {
        const qsizetype zone = m_lineZone[l];
        if (zone < 0)
            continue;
        const Crossing crossing = track.lines[l].move(m_config.lines[qsizetype(l)], foot);
        if (crossing == Crossing::In)
            ++current.zones[size_t(zone)].lineIn;
        else if (crossing == Crossing::Out)
            ++current.zones[size_t(zone)].lineOut;
    }
}

void AudienceAggregator::countVisitEnd(ZoneTrack &zoneTrack, qsizetype zone, const Visit &visit)
{
    --m_occupancy[size_t(zone)];
    ZoneTally &tally = windowAt(visit.endMs).zones[size_t(zone)];
    ++tally.exits;
    const double dwellS = visit.dwellS();
    ++tally.dwellBands[size_t(core::dwellBandFor(dwellS))];
    tally.dwellSumMs += visit.endMs - visit.startMs;
    for (WindowSlot &window : m_windows) {
        if (visit.startMs < window.endMs && visit.endMs >= window.startMs)
            addSpan(window, zone, zoneTrack, visit.startMs, visit.endMs);
    }
}

void AudienceAggregator::addSpan(WindowSlot &window, qsizetype zone, ZoneTrack &zoneTrack, qint64 startMs, qint64 endMs)
{
    ZoneTally &tally = window.zones[size_t(zone)];
    tally.spans.push_back({std::max(startMs, window.startMs), std::min(endMs, window.endMs), zoneTrack.trackId});
    if (zoneTrack.otsWindow != window.serial) {
        zoneTrack.otsWindow = window.serial;
        ++tally.ots;
    }
}

void AudienceAggregator::depart(TrackState &track, qsizetype zone, const Visit &visit)
{
    if (m_finishing)
        return;
    ZoneTrack &from = track.zones[size_t(zone)];
    // Already visiting a zone entered after this visit began (overlapping zones): that is
    // where the track went. The earliest such zone wins.
    qsizetype target = -1;
    qint64 targetStartMs = 0;
    for (qsizetype z = 0; z < qsizetype(track.zones.size()); ++z) {
        const ZoneMembership &m = track.zones[size_t(z)].membership;
        if (z == zone || !m.visiting() || m.visitStartMs() <= visit.startMs)
            continue;
        if (m.visitStartMs() - visit.endMs > m_transitionGapMs)
            continue;
        if (target < 0 || m.visitStartMs() < targetStartMs) {
            target = z;
            targetStartMs = m.visitStartMs();
        }
    }
    if (target >= 0) {
        ++windowAt(std::max(visit.endMs, targetStartMs)).zones[size_t(zone)].transitionsTo[size_t(target)];
        from.departurePending = false;
        return;
    }
    from.departurePending = true;
    from.departureStartMs = visit.startMs;
    from.departureEndMs = visit.endMs;
}

void AudienceAggregator::arrive(TrackState &track, qsizetype zone, const Visit &visit)
{
    if (m_finishing)
        return;
    for (qsizetype z = 0; z < qsizetype(track.zones.size()); ++z) {
        ZoneTrack &from = track.zones[size_t(z)];
        if (z == zone || !from.departurePending)
            continue;
        if (visit.startMs - from.departureEndMs > m_transitionGapMs) {
            from.departurePending = false; // expired
            continue;
        }
        if (from.departureStartMs >= visit.startMs)
            continue;
        ++windowAt(std::max(from.departureEndMs, visit.startMs)).zones[size_t(z)].transitionsTo[size_t(zone)];
        from.departurePending = false;
    }
}

} // namespace signiq::analytics
