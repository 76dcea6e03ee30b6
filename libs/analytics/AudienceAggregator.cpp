#include "analytics/AudienceAggregator.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

QRectF boundsOf(const QList<QPointF> &polygon)
{
    if (polygon.isEmpty())
        return {};
    double left = polygon[0].x(), right = left, top = polygon[0].y(), bottom = top;
    for (const QPointF &p : polygon) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    // Slightly grown so that points on an edge (inside by definition) pass the quick test.
    return QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-1e-9, -1e-9, 1e-9, 1e-9);
}

// Walking speed: displacement over segments of at least this long (damps position jitter) ...
constexpr qint64 kSpeedSegmentMs = 1000;
// ... between floor positions no further apart than this (longer: the track was lost).
constexpr qint64 kSpeedMaxGapMs = 2000;

// Index into ZoneTally::walkDirectionMs of a walking segment's floor displacement (dx, dy) over
// durationMs, or -1 when it is slower than WalkingMinSpeedMps (standing). Floor coordinates:
// +y away from the screen, +x to the screen's left (core/Calibration.h). Exactly 45° counts
// as toward/away.
enum WalkingSector { WalkToward = 0, WalkAway = 1, WalkLeft = 2, WalkRight = 3 };
int walkingSector(double dx, double dy, qint64 durationMs)
{
    if (durationMs <= 0 || std::hypot(dx, dy) * 1000.0 < WalkingMinSpeedMps * double(durationMs))
        return -1;
    if (std::abs(dx) <= std::abs(dy))
        return dy < 0.0 ? WalkToward : WalkAway;
    return dx > 0.0 ? WalkLeft : WalkRight;
}

// Calls fn(fromMs, toMs, band) for the parts of [fromMs, toMs] at each distance band, from the
// marks "from tMs on at band" (band -1 before the first mark: unknown).
template <typename Marks, typename Fn>
void forEachBand(const Marks &marks, qint64 fromMs, qint64 toMs, Fn &&fn)
{
    int band = -1;
    qint64 cursor = fromMs;
    for (const auto &mark : marks) {
        if (mark.tMs <= fromMs) {
            band = mark.band;
            continue;
        }
        if (mark.tMs >= toMs)
            break;
        fn(cursor, mark.tMs, band);
        cursor = mark.tMs;
        band = mark.band;
    }
    fn(cursor, toMs, band);
}

template <typename Marks>
int bandAt(const Marks &marks, qint64 tMs)
{
    int band = -1;
    for (const auto &mark : marks) {
        if (mark.tMs > tMs)
            break;
        band = mark.band;
    }
    return band;
}

} // namespace

AudienceAggregator::AudienceAggregator(const core::ZoneConfig &config, AggregatorOptions options)
    : m_config(config)
    , m_options(std::move(options))
    , m_hysteresis(Hysteresis::fromSeconds(config.enterAfterS, config.exitAfterS, m_options.coastMs))
{
    if (m_options.calibrationVersion.isEmpty())
        m_options.calibrationVersion = m_config.version();
    if (!m_options.uncalibrated)
        m_calibration = m_config.calibration;
    m_geometry = AttentionGeometry(m_calibration);
    m_attentionRules = AttentionRules::fromSettings(m_config.audience);
    m_demographicWindowMs = std::max<qint64>(1000, std::llround(m_config.audience.demographicWindowS * 1000.0));
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

    observeDemographics(frame);

    while (m_windows.size() > 1 && m_windows.front().endMs + m_settleMs <= t)
        closeOldestWindow();
}

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
    if (m_demographics) {
        m_demographics->endMs = std::clamp(endMs, m_lastFrameMs + 1, m_demographics->endMs);
        closeDemographicWindow();
    }
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
    m_sampled.clear();
    m_demographicsStarted = false;
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

Judgement AudienceAggregator::judge(const core::FrameObservations &frame, const TrackState &track,
                                    const core::TrackObservation *observation)
{
    if (!frame.facesRan)
        return Judgement::Unknown;
    if (!observation || !observation->face)
        return Judgement::Away; // faces were analysed and none belongs to this person
    const std::optional<core::HeadPose> &pose = observation->face->pose;
    if (!pose)
        return Judgement::Unknown;
    const std::optional<double> angle = m_geometry.angleToScreenDeg(*pose, track.floorM);
    if (!angle)
        return Judgement::Unknown; // calibrated, but the floor position is not known yet
    WindowSlot &current = m_windows.back();
    for (size_t z = 0; z < track.zones.size(); ++z) {
        if (!track.zones[z].inside)
            continue;
        ++current.zones[z].poseJudgements;
        if (pose->lowConfidence)
            ++current.zones[z].lowConfidencePoses;
    }
    return *angle <= m_attentionRules.coneDeg ? Judgement::Looking : Judgement::Away;
}

void AudienceAggregator::updateAttention(core::TrackId id, TrackState &track, qint64 tMs, Judgement judgement)
{
    const bool wasOpen = track.glance.open();
    const quint64 serial = track.glanceSerial;
    const std::optional<Glance> ended = track.glance.observe(tMs, judgement);
    if (track.glance.open() && (!wasOpen || ended))
        track.glanceSerial = ++m_glanceSerial;
    if (ended && track.glance.counts(*ended))
        addGlance(id, serial, *ended);
}

void AudienceAggregator::addGlance(core::TrackId id, quint64 serial, const Glance &glance)
{
    for (WindowSlot &window : m_windows) {
        const qint64 from = std::max(glance.startMs, window.startMs);
        const qint64 to = std::min(glance.endMs, window.endMs);
        if (to > from)
            window.tracks[id].glances.push_back({from, to, serial, glance.endMs <= window.endMs});
    }
}

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

void AudienceAggregator::addAttention(const WindowSlot &window, qsizetype zone, core::AudienceWindow &w)
{
    const ZoneTally &tally = window.zones[size_t(zone)];
    const bool calibrated = m_calibration.has_value();
    const size_t bandCount = calibrated ? size_t(m_calibration->distanceBandCount()) : 0;
    std::vector<qint64> presenceMs(bandCount, 0);
    std::vector<qint64> bandAttentionMs(bandCount, 0);
    std::vector<int> bandEvents(bandCount, 0);

    // Attention in Z = counted glances ∩ the track's visits to Z ∩ the window, per track.
    m_spanScratch.assign(tally.spans.begin(), tally.spans.end());
    std::sort(m_spanScratch.begin(), m_spanScratch.end(), [](const Span &a, const Span &b) {
        return a.track != b.track ? a.track < b.track : a.startMs < b.startMs;
    });
    qint64 attentionMs = 0;
    for (size_t i = 0; i < m_spanScratch.size();) {
        size_t j = i;
        while (j < m_spanScratch.size() && m_spanScratch[j].track == m_spanScratch[i].track)
            ++j;
        const auto found = window.tracks.find(m_spanScratch[i].track);
        const TrackRecord *record = found != window.tracks.end() ? &found->second : nullptr;
        qint64 trackMs = 0;
        for (size_t k = i; record && k < j; ++k) {
            const Span &span = m_spanScratch[k];
            if (calibrated) {
                forEachBand(record->bands, span.startMs, span.endMs, [&](qint64 from, qint64 to, int band) {
                    if (band >= 0)
                        presenceMs[size_t(band)] += to - from;
                });
            }
            for (const GlancePiece &piece : record->glances) {
                const qint64 from = std::max(span.startMs, piece.startMs);
                const qint64 to = std::min(span.endMs, piece.endMs);
                if (to <= from)
                    continue;
                trackMs += to - from;
                if (calibrated) {
                    forEachBand(record->bands, from, to, [&](qint64 a, qint64 b, int band) {
                        if (band >= 0)
                            bandAttentionMs[size_t(band)] += b - a;
                    });
                }
                std::vector<bool> &counted = m_countedGlances[piece.serial];
                if (counted.empty())
                    counted.assign(m_zoneBounds.size(), false);
                if (!counted[size_t(zone)]) {
                    counted[size_t(zone)] = true; // the event counts where its time in Z begins
                    ++w.attentionEvents;
                    if (calibrated) {
                        if (const int band = bandAt(record->bands, from); band >= 0)
                            ++bandEvents[size_t(band)];
                    }
                }
            }
        }
        if (trackMs > 0) {
            ++w.viewers;
            attentionMs += trackMs;
        }
        i = j;
    }
    w.attentionTimeS = double(attentionMs) / 1000.0;
    w.meanAttentionS = w.viewers > 0 ? w.attentionTimeS / w.viewers : 0.0;
    for (size_t b = 0; b < bandCount; ++b) {
        w.distanceBands.append(core::DistanceBandMetrics{m_calibration->distanceBandName(int(b)),
                                                         double(presenceMs[b]) / 1000.0, bandEvents[b],
                                                         double(bandAttentionMs[b]) / 1000.0});
    }
}

void AudienceAggregator::observeDemographics(const core::FrameObservations &frame)
{
    if (!m_config.audience.demographics)
        return; // nothing is accumulated, not even the "sampled" flags
    const qint64 t = frame.timestampMs;
    if (m_demographics && t >= m_demographics->endMs)
        closeDemographicWindow();
    if (!m_demographics) {
        const qint64 aligned = floorDiv(t, m_demographicWindowMs) * m_demographicWindowMs;
        DemographicSlot slot;
        slot.startMs = m_demographicsStarted ? aligned : t; // a run's first window starts with it
        slot.endMs = aligned + m_demographicWindowMs;
        slot.zones.assign(m_zoneBounds.size(), Histogram{});
        m_demographics = std::move(slot);
        m_demographicsStarted = true;
    }
    for (const core::DemographicSample &sample : frame.demographics) {
        if (m_sampled.contains(sample.trackId))
            continue; // at most once per track per demographic window
        const auto it = m_tracks.find(sample.trackId);
        if (it == m_tracks.end() || it->second.lastFrame != m_frameSerial)
            continue; // not a confirmed track of this frame: no zone to put it in
        const std::optional<core::AgeBand> band = core::ageBandFor(double(sample.ageYears));
        if (!band)
            continue;
        const size_t gender = sample.gender == core::Gender::Male ? 1 : 0;
        bool counted = false;
        for (size_t z = 0; z < it->second.zones.size(); ++z) {
            if (!it->second.zones[z].inside)
                continue;
            ++m_demographics->zones[z][size_t(*band)][gender];
            counted = true;
        }
        if (counted)
            m_sampled.insert(sample.trackId);
    }
}

void AudienceAggregator::closeDemographicWindow()
{
    const DemographicSlot &slot = *m_demographics;
    const qint64 minMs = std::llround(core::AudienceSettings::MinDemographicWindowS * 1000.0);
    if (slot.endMs - slot.startMs >= minMs) {
        const int k = m_config.audience.k;
        for (size_t z = 0; z < slot.zones.size(); ++z) {
            core::DemographicWindow w;
            w.zone = m_config.zones[qsizetype(z)].name;
            w.startMs = slot.startMs;
            w.endMs = slot.endMs;
            w.k = k;
            for (size_t a = 0; a < size_t(core::AgeBandCount); ++a) {
                for (size_t g = 0; g < size_t(core::GenderCount); ++g) {
                    const int n = slot.zones[z][a][g];
                    w.suppressed[a][g] = n < k;
                    w.counts[a][g] = n < k ? 0 : n; // the hidden value never leaves
                }
            }
            w.modelVersion = m_options.demographicModelVersion;
            w.calibrationVersion = m_options.calibrationVersion;
            m_closedDemographics.append(std::move(w));
        }
    }
    m_demographics.reset();
    m_sampled.clear();
}

QList<core::DemographicWindow> AudienceAggregator::takeClosedDemographicWindows()
{
    return std::exchange(m_closedDemographics, {});
}

bool AudienceAggregator::wantsDemographicSample(core::TrackId id) const
{
    if (!m_config.audience.demographics || m_sampled.contains(id))
        return false;
    const auto it = m_tracks.find(id);
    if (it == m_tracks.end())
        return false;
    return std::any_of(it->second.zones.begin(), it->second.zones.end(), [](const ZoneTrack &z) { return z.inside; });
}

} // namespace signiq::analytics
