// The aggregator's front: construction, the per-frame step, finish/reset and the outputs.
// Its parts: AggregatorWindows.cpp (window schedule), AggregatorVisits.cpp (visit counting),
// AggregatorAttention.cpp, AggregatorFloor.cpp (floor motion), DemographicHistograms.
#include "analytics/AudienceAggregator.h"

#include "AggregatorSupport.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

using namespace detail;


AudienceAggregator::AudienceAggregator(const core::ZoneConfig &config, AggregatorOptions options)
    : m_config(config)
    , m_options(std::move(options))
    , m_hysteresis(Hysteresis::fromSeconds(config.enterAfterS, config.exitAfterS, m_options.coastMs))
    , m_demographics(config, m_options.demographicModelVersion,
                     m_options.calibrationVersion.isEmpty() ? config.version() : m_options.calibrationVersion)
{
    if (m_options.calibrationVersion.isEmpty())
        m_options.calibrationVersion = m_config.version();
    if (!m_options.uncalibrated)
        m_calibration = m_config.calibration;
    m_geometry = AttentionGeometry(m_calibration);
    m_attentionRules = AttentionRules::fromSettings(m_config.audience);
    m_windowMs = std::max<qint64>(1000, std::llround(m_config.windowS * 1000.0));
    m_settleMs = std::max<qint64>(0, std::max(m_hysteresis.enterAfterMs, m_hysteresis.exitAfterMs));
    m_baseSettleMs = m_settleMs;
    m_predictionSettleMs = m_settleMs + m_hysteresis.coastMs;
    m_transitionGapMs = std::llround(m_config.transitionMaxGapS * 1000.0);

    const qsizetype zoneCount = m_config.zones.size();
    m_zoneBounds.reserve(size_t(zoneCount));
    for (const core::Zone &zone : std::as_const(m_config.zones))
        m_zoneBounds.push_back(boundsOf(zone.polygon));
    for (const core::CountingLine &line : std::as_const(m_config.lines)) {
        const qsizetype zone = m_config.zoneIndex(line.zone);
        if (zone < 0)
            qCWarning(lcAnalytics) << "counting line" << line.name << "names unknown zone" << line.zone << "- ignored";
        m_lineZone.push_back(zone);
    }
    m_occupancy.assign(size_t(zoneCount), 0);
    m_transitions.resize(size_t(zoneCount));
    m_tracks.reserve(64);
}

AudienceAggregator::TrackState AudienceAggregator::newTrackState(core::TrackId id) const
{
    TrackState track;
    track.zones.resize(m_zoneBounds.size(), ZoneTrack{ZoneMembership(m_hysteresis), id});
    track.lines.resize(m_lineZone.size());
    track.glance = GlanceTracker(m_attentionRules);
    return track;
}

void AudienceAggregator::observe(const core::FrameObservations &frame)
{
    const qint64 t = frame.timestampMs;
    if (m_started && t < m_lastFrameMs) {
        ++m_droppedFrames;
        if (!m_warnedOutOfOrder) {
            m_warnedOutOfOrder = true;
            qCWarning(lcAnalytics) << "frame at" << t << "is older than the previous frame at" << m_lastFrameMs
                                   << "- dropped (further drops are only counted)";
        }
        return;
    }
    openWindowFor(t);
    m_started = true;
    m_lastFrameMs = t;
    ++m_frameSerial;

    WindowSlot &current = m_windows.back();
    current.frames.add(frame, m_options.quality);
    if (frame.facesRan)
        m_settleMs = std::max(m_settleMs, m_attentionRules.settleMs());
    // Predictions delay exits by up to coastMs (ZoneMembership): windows wait for them.
    if (std::any_of(frame.tracks.begin(), frame.tracks.end(),
                    [](const core::TrackObservation &o) { return o.confirmed && o.predicted; }))
        m_settleMs = std::max(m_settleMs, m_predictionSettleMs);

    for (const core::TrackObservation &observation : frame.tracks) {
        if (!observation.confirmed)
            continue; // unconfirmed: as if not seen
        auto it = m_tracks.find(observation.id);
        if (it == m_tracks.end())
            it = m_tracks.emplace(observation.id, newTrackState(observation.id)).first;
        if (it->second.lastFrame == m_frameSerial)
            continue; // the same id twice in one frame: the first one counts
        it->second.lastFrame = m_frameSerial;
        updateTrack(it->second, t, &observation);
        updateFloor(observation.id, it->second, t, observation);
        updateAttention(observation.id, it->second, t, judge(frame, it->second, &observation));
    }

    // Tracks without a confirmed observation in this frame are outside from now on.
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        TrackState &track = it->second;
        if (track.lastFrame == m_frameSerial) {
            ++it;
            continue;
        }
        updateTrack(track, t, nullptr);
        // Not seen while faces were analysed: not looking.
        updateAttention(it->first, track, t, frame.facesRan ? Judgement::Away : Judgement::Unknown);
        // Keep the state while a visit or a glance is open or a departure may still become a
        // transition.
        const bool needed = track.glance.open()
            || std::any_of(track.zones.begin(), track.zones.end(), [&](const ZoneTrack &z) {
                   return z.membership.state() != ZoneMembership::State::Outside
                       || (z.departurePending && t - z.departureEndMs <= m_transitionGapMs);
               });
        if (needed)
            ++it;
        else
            it = m_tracks.erase(it); // gone and nothing left to count: forget it
    }

    m_demographics.observe(t, frame.demographics, [this](core::TrackId id, std::vector<size_t> &zones) {
        const auto track = m_tracks.find(id);
        if (track == m_tracks.end() || track->second.lastFrame != m_frameSerial)
            return false;
        for (size_t z = 0; z < track->second.zones.size(); ++z) {
            if (track->second.zones[z].inside)
                zones.push_back(z);
        }
        return true;
    });

    while (m_windows.size() > 1 && m_windows.front().endMs + m_settleMs <= t)
        closeOldestWindow();
}

void AudienceAggregator::finish(qint64 endMs)
{
    if (m_windows.empty()) {
        reset();
        return;
    }
    WindowSlot &last = m_windows.back();
    last.endMs = std::clamp(endMs, m_lastFrameMs + 1, last.endMs);
    const qint64 finalEndMs = last.endMs;

    m_finishing = true;
    for (auto &[id, track] : m_tracks) {
        const quint64 serial = track.glanceSerial;
        if (const auto glance = track.glance.end(); glance && track.glance.counts(*glance))
            addGlance(id, serial, *glance);
        for (size_t z = 0; z < track.zones.size(); ++z) {
            const ZoneMembership::Transition tr = track.zones[z].membership.end(finalEndMs);
            if (tr.exited)
                countVisitEnd(track.zones[z], qsizetype(z), tr.visit);
        }
    }
    m_tracks.clear();
    while (!m_windows.empty())
        closeOldestWindow();
    m_demographics.finish(endMs, m_lastFrameMs);
    reset();
}

void AudienceAggregator::reset()
{
    m_tracks.clear();
    m_windows.clear();
    std::fill(m_occupancy.begin(), m_occupancy.end(), 0);
    m_started = false;
    m_finishing = false;
    m_lastFrameMs = 0;
    m_settleMs = m_baseSettleMs;
    m_countedGlances.clear();
    m_demographics.reset();
}

QList<core::AudienceWindow> AudienceAggregator::takeClosedWindows()
{
    return std::exchange(m_closed, {});
}

int AudienceAggregator::occupancy(const QString &zone) const
{
    return occupancy(m_config.zoneIndex(zone));
}

int AudienceAggregator::occupancy(qsizetype zoneIndex) const
{
    if (zoneIndex < 0 || zoneIndex >= qsizetype(m_occupancy.size()))
        return 0;
    return m_occupancy[size_t(zoneIndex)];
}

QList<core::DemographicWindow> AudienceAggregator::takeClosedDemographicWindows()
{
    return m_demographics.takeClosed();
}

bool AudienceAggregator::wantsDemographicSample(core::TrackId id) const
{
    if (!m_demographics.wantsSample(id))
        return false;
    const auto it = m_tracks.find(id);
    if (it == m_tracks.end())
        return false;
    return std::any_of(it->second.zones.begin(), it->second.zones.end(), [](const ZoneTrack &z) { return z.inside; });
}

} // namespace signiq::analytics
