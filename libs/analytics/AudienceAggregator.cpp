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

} // namespace

AudienceAggregator::AudienceAggregator(const core::ZoneConfig &config, AggregatorOptions options)
    : m_config(config)
    , m_options(std::move(options))
    , m_hysteresis(Hysteresis::fromSeconds(config.enterAfterS, config.exitAfterS))
{
    if (m_options.calibrationVersion.isEmpty())
        m_options.calibrationVersion = m_config.version();
    m_windowMs = std::max<qint64>(1000, std::llround(m_config.windowS * 1000.0));
    m_settleMs = std::max<qint64>(0, std::max(m_hysteresis.enterAfterMs, m_hysteresis.exitAfterMs));
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

AudienceAggregator::TrackState AudienceAggregator::newTrackState() const
{
    TrackState track;
    track.zones.resize(m_zoneBounds.size(), ZoneTrack{ZoneMembership(m_hysteresis)});
    track.lines.resize(m_lineZone.size());
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

    for (const core::TrackObservation &observation : frame.tracks) {
        if (!observation.confirmed)
            continue; // unconfirmed: as if not seen
        auto it = m_tracks.find(observation.id);
        if (it == m_tracks.end())
            it = m_tracks.emplace(observation.id, newTrackState()).first;
        if (it->second.lastFrame == m_frameSerial)
            continue; // the same id twice in one frame: the first one counts
        it->second.lastFrame = m_frameSerial;
        updateTrack(it->second, t, &observation);
    }

    // Tracks without a confirmed observation in this frame are outside from now on.
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        TrackState &track = it->second;
        if (track.lastFrame == m_frameSerial) {
            ++it;
            continue;
        }
        updateTrack(track, t, nullptr);
        // Keep the state while a visit is open or a departure may still become a transition.
        const bool needed = std::any_of(track.zones.begin(), track.zones.end(), [&](const ZoneTrack &z) {
            return z.membership.state() != ZoneMembership::State::Outside
                || (z.departurePending && t - z.departureEndMs <= m_transitionGapMs);
        });
        if (needed)
            ++it;
        else
            it = m_tracks.erase(it); // gone and nothing left to count: forget it
    }

    while (m_windows.size() > 1 && m_windows.front().endMs + m_settleMs <= t)
        closeOldestWindow();
}

void AudienceAggregator::updateTrack(TrackState &track, qint64 tMs, const core::TrackObservation *observation)
{
    const qsizetype zoneCount = qsizetype(track.zones.size());
    const QPointF foot = observation ? observation->footPoint() : QPointF();
    WindowSlot &current = m_windows.back();

    // 1. Membership of every zone, so that transitions see this frame's state of all zones.
    for (qsizetype z = 0; z < zoneCount; ++z) {
        bool inside = false;
        if (observation && m_zoneBounds[size_t(z)].contains(foot)
            && m_config.zones[z].contains(foot)) {
            inside = true;
            current.zones[size_t(z)].observations.add(*observation);
        }
        m_transitions[size_t(z)] = track.zones[size_t(z)].membership.observe(tMs, inside);
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

    // 4. Counting lines, on the foot point trajectory of confirmed observations.
    if (!observation)
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
    tally.dwellSumS += dwellS;
    for (WindowSlot &window : m_windows) {
        if (visit.startMs < window.endMs && visit.endMs >= window.startMs)
            addSpan(window, zone, zoneTrack, visit.startMs, visit.endMs);
    }
}

void AudienceAggregator::addSpan(WindowSlot &window, qsizetype zone, ZoneTrack &zoneTrack, qint64 startMs, qint64 endMs)
{
    ZoneTally &tally = window.zones[size_t(zone)];
    tally.spans.push_back({std::max(startMs, window.startMs), std::min(endMs, window.endMs)});
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
    // Visits still open were inside until at least the window's end.
    for (auto &[id, track] : m_tracks) {
        Q_UNUSED(id);
        for (size_t z = 0; z < track.zones.size(); ++z) {
            ZoneTrack &zoneTrack = track.zones[z];
            if (zoneTrack.membership.visiting() && zoneTrack.membership.visitStartMs() < window.endMs)
                addSpan(window, qsizetype(z), zoneTrack, zoneTrack.membership.visitStartMs(), window.endMs);
        }
    }
    for (qsizetype z = 0; z < qsizetype(window.zones.size()); ++z)
        m_closed.append(windowFor(window, z));
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
    w.meanDwellS = tally.exits > 0 ? tally.dwellSumS / tally.exits : 0.0;
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

    const double windowS = double(durationMs) / 1000.0;
    w.qualityFlags = qualityFlags(window.frames, windowS, m_options.quality);
    if (m_options.uncalibrated)
        w.qualityFlags |= core::QualityUncalibrated;
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
        Q_UNUSED(id);
        for (size_t z = 0; z < track.zones.size(); ++z) {
            const ZoneMembership::Transition tr = track.zones[z].membership.end(finalEndMs);
            if (tr.exited)
                countVisitEnd(track.zones[z], qsizetype(z), tr.visit);
        }
    }
    m_tracks.clear();
    while (!m_windows.empty())
        closeOldestWindow();
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

} // namespace signiq::analytics
