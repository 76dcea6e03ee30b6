// The window schedule: windows aligned to window_s, opened on demand, closed once settled, and
// turned into core::AudienceWindow (counts, dwell, occupancy, quality).
#include "AggregatorSupport.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

using namespace detail;

void AudienceAggregator::openWindowFor(qint64 tMs)
{
    if (!m_windows.empty() && tMs < m_windows.back().endMs)
        return;
    const qint64 aligned = floorDiv(tMs, m_windowMs) * m_windowMs;
    WindowSlot window;
    window.serial = ++m_windowSerial;
    window.startMs = m_started ? aligned : tMs; // the first window of a run starts with it
    window.endMs = aligned + m_windowMs;
    window.zones.resize(m_zoneBounds.size());
    for (ZoneTally &tally : window.zones)
        tally.transitionsTo.assign(m_zoneBounds.size(), 0);
    // Distance bands carry over: each known band holds from the window's start.
    for (const auto &[id, track] : m_tracks) {
        if (track.distanceBand >= 0)
            window.tracks[id].bands.push_back({window.startMs, track.distanceBand});
    }
    m_windows.push_back(std::move(window));
}

AudienceAggregator::WindowSlot &AudienceAggregator::windowAt(qint64 tMs)
{
    // Event times are frame times of still-open windows; anything earlier goes to the oldest.
    for (auto it = m_windows.rbegin(); it != m_windows.rend(); ++it) {
        if (it->startMs <= tMs)
            return *it;
    }
    return m_windows.front();
}

void AudienceAggregator::closeOldestWindow()
{
    WindowSlot &window = m_windows.front();
    for (auto &[id, track] : m_tracks) {
        // Visits still open were inside until at least the window's end.
        for (size_t z = 0; z < track.zones.size(); ++z) {
            ZoneTrack &zoneTrack = track.zones[z];
            if (zoneTrack.membership.visiting() && zoneTrack.membership.visitStartMs() < window.endMs)
                addSpan(window, qsizetype(z), zoneTrack, zoneTrack.membership.visitStartMs(), window.endMs);
        }
        // A glance still open here already lasts long enough to count (settleMs() grows with
        // face analysis so that this holds): its part in this window is certain.
        if (track.glance.openAndCertain() && track.glance.startMs() < window.endMs) {
            const qint64 from = std::max(track.glance.startMs(), window.startMs);
            if (from < window.endMs)
                window.tracks[id].glances.push_back({from, window.endMs, track.glanceSerial, false});
        }
    }
    for (qsizetype z = 0; z < qsizetype(window.zones.size()); ++z)
        m_closed.append(windowFor(window, z));
    // Glances that ended in this window cannot appear in a later one.
    for (const auto &[id, record] : window.tracks) {
        Q_UNUSED(id);
        for (const GlancePiece &piece : record.glances) {
            if (piece.last)
                m_countedGlances.erase(piece.serial);
        }
    }
    m_windows.pop_front();
}

core::AudienceWindow AudienceAggregator::windowFor(const WindowSlot &window, qsizetype zone)
{
    const ZoneTally &tally = window.zones[size_t(zone)];
    core::AudienceWindow w;
    w.zone = m_config.zones[zone].name;
    w.startMs = window.startMs;
    w.endMs = window.endMs;
    w.ots = tally.ots;
    w.entries = tally.entries;
    w.exits = tally.exits;
    w.dwellBands = tally.dwellBands;
    w.meanDwellS = tally.exits > 0 ? double(tally.dwellSumMs) / 1000.0 / tally.exits : 0.0;
    w.lineIn = tally.lineIn;
    w.lineOut = tally.lineOut;
    for (size_t to = 0; to < tally.transitionsTo.size(); ++to) {
        if (tally.transitionsTo[to] > 0)
            w.transitionsTo.insert(m_config.zones[qsizetype(to)].name, tally.transitionsTo[to]);
    }

    // Occupancy from the visit spans: mean = person-time / window time; peak = the largest
    // number of spans covering one instant (spans are closed intervals).
    const qint64 durationMs = window.endMs - window.startMs;
    qint64 personMs = 0;
    m_sweep.clear();
    for (const Span &span : tally.spans) {
        personMs += span.endMs - span.startMs;
        m_sweep.emplace_back(span.startMs, +1);
        m_sweep.emplace_back(span.endMs, -1);
    }
    std::sort(m_sweep.begin(), m_sweep.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    int current = 0;
    for (const auto &[time, delta] : m_sweep) {
        Q_UNUSED(time);
        current += delta;
        w.peakOccupancy = std::max(w.peakOccupancy, current);
    }
    w.meanOccupancy = durationMs > 0 ? double(personMs) / double(durationMs) : 0.0;

    addAttention(window, zone, w);
    w.attentionRate = personMs > 0 ? std::min(1.0, w.attentionTimeS * 1000.0 / double(personMs)) : 0.0;
    if (m_calibration && tally.walkTimeMs > 0)
        w.meanSpeedMps = tally.walkDistanceM / (double(tally.walkTimeMs) / 1000.0);
    if (m_calibration) {
        const auto seconds = [&](int sector) { return double(tally.walkDirectionMs[size_t(sector)]) / 1000.0; };
        w.walkingDirections = core::WalkingDirections{seconds(WalkToward), seconds(WalkAway), seconds(WalkLeft),
                                                      seconds(WalkRight)};
    }

    const double windowS = double(durationMs) / 1000.0;
    w.qualityFlags = qualityFlags(window.frames, windowS, m_options.quality);
    if (!m_calibration)
        w.qualityFlags |= core::QualityUncalibrated;
    if (tally.poseJudgements > 0 && 2 * tally.lowConfidencePoses >= tally.poseJudgements)
        w.qualityFlags |= core::QualityLowConfidencePose;
    w.confidence = confidence(window.frames, tally.observations, m_options.targetFps);
    w.modelVersion = m_options.modelVersion;
    w.calibrationVersion = m_options.calibrationVersion;
    return w;
}

} // namespace signiq::analytics
