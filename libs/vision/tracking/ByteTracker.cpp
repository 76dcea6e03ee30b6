#include "vision/tracking/ByteTracker.h"

#include "vision/VisionLog.h"
#include "vision/tracking/LinearAssignment.h"
#include "vision/tracking/TrackIdGenerator.h"

#include <algorithm>
#include <cmath>

namespace signiq::vision {

namespace {

double iou(const QRectF &a, const QRectF &b)
{
    const double x1 = std::max(a.left(), b.left());
    const double y1 = std::max(a.top(), b.top());
    const double x2 = std::min(a.right(), b.right());
    const double y2 = std::min(a.bottom(), b.bottom());
    const double inter = std::max(0.0, x2 - x1) * std::max(0.0, y2 - y1);
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0.0 ? inter / uni : 0.0;
}

bool isUsable(const Detection &d)
{
    const QRectF &b = d.box;
    return std::isfinite(b.x()) && std::isfinite(b.y()) && std::isfinite(b.width())
        && std::isfinite(b.height()) && b.width() > 0.0 && b.height() > 0.0 && std::isfinite(d.score);
}

// Gate and cost of one (predicted track box, detection box) pair.
struct Gate {
    double minIou = 0.0;         // pass on IoU
    double maxDistance = 0.0;    // or on centre distance, in predicted box heights (0 = off)
    double maxHeightRatio = 1.5; // ... if the heights are similar
};

// (1 - IoU + rho^2 / c^2) / 2 in [0, 1): the DIoU cost (rho = centre distance, c = diagonal of
// the enclosing box), so that among pairs that do not overlap much the nearest wins. Returns
// kForbidden for pairs outside the gate.
constexpr double kForbidden = 2.0;
constexpr double kCostLimit = 1.0;

double pairCost(const QRectF &track, const QRectF &det, const Gate &gate)
{
    const double overlap = iou(track, det);
    const QPointF d = track.center() - det.center();
    const double rho2 = d.x() * d.x() + d.y() * d.y();
    bool pass = overlap >= gate.minIou && overlap > 0.0;
    if (!pass && gate.maxDistance > 0.0) {
        const double h = std::max(track.height(), 1e-6);
        const double ratio = std::max(track.height(), det.height()) / std::max(std::min(track.height(), det.height()), 1e-6);
        pass = std::sqrt(rho2) <= gate.maxDistance * h && ratio <= gate.maxHeightRatio;
    }
    if (!pass)
        return kForbidden;
    const QRectF hull = track.united(det);
    const double c2 = hull.width() * hull.width() + hull.height() * hull.height();
    const double penalty = c2 > 0.0 ? rho2 / c2 : 0.0;
    return std::min(0.5 * (1.0 - overlap + penalty), 0.999);
}

// Assigns detections (by index into `detections`) to tracks (by index into `tracks`).
// Returns for each entry of trackIdx the matched entry of detIdx or -1.
template <typename TrackBox, typename TrackGate>
std::vector<int> associate(const std::vector<int> &trackIdx, const std::vector<int> &detIdx,
                           const QList<Detection> &detections, TrackBox trackBox, TrackGate trackGate)
{
    const int rows = static_cast<int>(trackIdx.size());
    const int cols = static_cast<int>(detIdx.size());
    if (rows == 0 || cols == 0)
        return std::vector<int>(trackIdx.size(), -1);
    std::vector<double> cost(static_cast<size_t>(rows) * static_cast<size_t>(cols));
    for (int r = 0; r < rows; ++r) {
        const int t = trackIdx[static_cast<size_t>(r)];
        const QRectF tb = trackBox(t);
        const Gate gate = trackGate(t);
        for (int c = 0; c < cols; ++c)
            cost[static_cast<size_t>(r * cols + c)] = pairCost(tb, detections[detIdx[static_cast<size_t>(c)]].box, gate);
    }
    return solveLinearAssignment(cost, rows, cols, kCostLimit);
}

} // namespace

ByteTracker::ByteTracker(const TrackerConfig &config)
    : ByteTracker(config, TrackIdGenerator::processWide())
{
}

ByteTracker::ByteTracker(const TrackerConfig &config, TrackIdGenerator &ids)
    : m_config(config)
    , m_ids(ids)
{
    m_config.confirmFrames = std::max(1, m_config.confirmFrames);
    m_config.maxTracks = std::max(1, m_config.maxTracks);
    m_config.lostTrackBufferMs = std::max<qint64>(0, m_config.lostTrackBufferMs);
    m_config.coastMs = std::clamp<qint64>(m_config.coastMs, 0, m_config.lostTrackBufferMs);
    m_config.maxCentreDistance = std::max(0.f, m_config.maxCentreDistance);
    m_config.maxHeightRatio = std::max(1.f, m_config.maxHeightRatio);
    m_config.refindDistancePerSecond = std::max(0.f, m_config.refindDistancePerSecond);
    m_config.maxRefindDistance = std::max(m_config.maxCentreDistance, m_config.maxRefindDistance);
    m_config.reactivateDistancePerSecond = std::max(0.f, m_config.reactivateDistancePerSecond);
    m_config.maxReactivateDistance = std::max(m_config.maxCentreDistance, m_config.maxReactivateDistance);
    m_config.reactivateHeightRatio = std::max(1.f, m_config.reactivateHeightRatio);
}

ByteTracker::~ByteTracker() = default;

void ByteTracker::reset()
{
    m_tracks.clear();
    m_hasTimestamp = false;
}

int ByteTracker::activeTrackCount() const
{
    return static_cast<int>(std::count_if(m_tracks.begin(), m_tracks.end(),
                                          [](const Track &t) { return t.state != State::Lost; }));
}

int ByteTracker::lostTrackCount() const
{
    return static_cast<int>(std::count_if(m_tracks.begin(), m_tracks.end(),
                                          [](const Track &t) { return t.state == State::Lost; }));
}

void ByteTracker::advanceTo(qint64 timestampMs)
{
    double dt = 0.0;
    if (m_hasTimestamp && timestampMs > m_lastTimestampMs)
        dt = static_cast<double>(timestampMs - m_lastTimestampMs) / 1000.0;
    if (!m_hasTimestamp || timestampMs > m_lastTimestampMs) {
        m_lastTimestampMs = timestampMs;
        m_hasTimestamp = true;
    }
    for (Track &t : m_tracks) {
        if (t.state == State::Lost)
            t.filter.freezeHeightVelocity();
        t.filter.predict(dt);
    }
}

void ByteTracker::removeExpiredLost(qint64 timestampMs, QSizeF frameSize)
{
    const qint64 buffer = m_config.lostTrackBufferMs;
    const bool knownFrame = frameSize.width() > 0.0 && frameSize.height() > 0.0;
    const QRectF frame(QPointF(0.0, 0.0), frameSize);
    std::erase_if(m_tracks, [&](const Track &t) {
        if (t.state != State::Lost)
            return false;
        // A lost track whose prediction walked out of the picture has left: it cannot be seen
        // again, and coasting it at the border would only delay its exit.
        return timestampMs - t.lostSinceMs > buffer || (knownFrame && !frame.contains(t.filter.box().center()));
    });
}

void ByteTracker::matchTrack(Track &track, const Detection &detection)
{
    track.filter.update(detection.box);
    track.score = detection.score;
    track.lastDetected = detection.box;
    ++track.hits;
    if (track.state == State::Tentative) {
        if (track.hits >= m_config.confirmFrames) {
            track.state = State::Tracked;
            track.justConfirmed = true;
        }
    } else {
        track.state = State::Tracked;
    }
}

bool ByteTracker::makeRoomForNewTrack()
{
    if (static_cast<int>(m_tracks.size()) < m_config.maxTracks)
        return true;
    auto oldestLost = m_tracks.end();
    for (auto it = m_tracks.begin(); it != m_tracks.end(); ++it) {
        if (it->state == State::Lost && (oldestLost == m_tracks.end() || it->lostSinceMs < oldestLost->lostSinceMs))
            oldestLost = it;
    }
    if (oldestLost == m_tracks.end())
        return false;
    m_tracks.erase(oldestLost);
    return true;
}

QList<core::TrackObservation> ByteTracker::update(const QList<Detection> &detections,
                                                  qint64 timestampMs, QSizeF frameSize)
{
    advanceTo(timestampMs);
    removeExpiredLost(timestampMs, frameSize);

    std::vector<int> high, low;
    for (int i = 0; i < detections.size(); ++i) {
        const Detection &d = detections[i];
        if (!isUsable(d))
            continue;
        if (d.score >= m_config.highScoreThreshold)
            high.push_back(i);
        else if (d.score >= m_config.lowScoreThreshold)
            low.push_back(i);
    }

    auto trackBox = [this](int i) { return m_tracks[static_cast<size_t>(i)].filter.box(); };
    const auto fixedGate = [this](double minIou, bool fallback) {
        return [gate = Gate{minIou, fallback ? double(m_config.maxCentreDistance) : 0.0, double(m_config.maxHeightRatio)}](int) {
            return gate;
        };
    };
    std::vector<int> trackedIdx, lostIdx, tentativeIdx;
    for (int i = 0; i < static_cast<int>(m_tracks.size()); ++i) {
        switch (m_tracks[static_cast<size_t>(i)].state) {
        case State::Tracked: trackedIdx.push_back(i); break;
        case State::Lost: lostIdx.push_back(i); break;
        case State::Tentative: tentativeIdx.push_back(i); break;
        }
    }
    // The entries of cols that a stage's match left unassigned.
    const auto unused = [](const std::vector<int> &cols, const std::vector<int> &match) {
        std::vector<char> used(cols.size(), 0);
        for (int m : match) {
            if (m >= 0)
                used[static_cast<size_t>(m)] = 1;
        }
        std::vector<int> out;
        for (size_t c = 0; c < cols.size(); ++c) {
            if (!used[c])
                out.push_back(cols[c]);
        }
        return out;
    };

    // Stage 1: high detections vs confirmed tracks, tracked and lost, in one assignment (a lost
    // track whose prediction fits better than a tracked neighbour's wins). A lost track is
    // searched for around its motion-predicted box within a gate that widens with the time lost.
    std::vector<int> confirmedIdx = trackedIdx;
    confirmedIdx.insert(confirmedIdx.end(), lostIdx.begin(), lostIdx.end());
    std::vector<int> stillTracked; // tracked tracks left for stage 2
    {
        const auto gate = [this, timestampMs](int i) {
            const Track &t = m_tracks[static_cast<size_t>(i)];
            Gate g{m_config.firstStageMinIou, m_config.maxCentreDistance, m_config.maxHeightRatio};
            if (t.state == State::Lost) {
                const double lostS = double(timestampMs - t.lostSinceMs) / 1000.0;
                if (g.maxDistance > 0.0)
                    g.maxDistance = std::min<double>(m_config.maxRefindDistance, g.maxDistance + m_config.refindDistancePerSecond * lostS);
            }
            return g;
        };
        const auto match = associate(confirmedIdx, high, detections, trackBox, gate);
        for (size_t r = 0; r < confirmedIdx.size(); ++r) {
            Track &t = m_tracks[static_cast<size_t>(confirmedIdx[r])];
            if (match[r] >= 0)
                matchTrack(t, detections[high[static_cast<size_t>(match[r])]]);
            else if (t.state == State::Tracked)
                stillTracked.push_back(confirmedIdx[r]);
        }
        high = unused(high, match);
    }

    // Stage 2: low detections keep tracked (not lost) tracks alive; IoU only, as low boxes
    // include background clutter.
    {
        const auto match = associate(stillTracked, low, detections, trackBox, fixedGate(m_config.secondStageMinIou, false));
        for (size_t r = 0; r < stillTracked.size(); ++r) {
            Track &t = m_tracks[static_cast<size_t>(stillTracked[r])];
            if (match[r] >= 0) {
                matchTrack(t, detections[low[static_cast<size_t>(match[r])]]);
            } else {
                t.state = State::Lost;
                t.lostSinceMs = timestampMs;
                t.hits = 0;
            }
        }
    }

    // Stage 3: remaining high detections vs tentative tracks; unmatched tentative tracks go.
    std::vector<char> dropTrack(m_tracks.size(), 0);
    {
        const auto match = associate(tentativeIdx, high, detections, trackBox, fixedGate(m_config.tentativeMinIou, true));
        for (size_t r = 0; r < tentativeIdx.size(); ++r) {
            if (match[r] >= 0)
                matchTrack(m_tracks[static_cast<size_t>(tentativeIdx[r])], detections[high[static_cast<size_t>(match[r])]]);
            else
                dropTrack[static_cast<size_t>(tentativeIdx[r])] = 1;
        }
        high = unused(high, match);
    }
    {
        size_t i = 0;
        std::erase_if(m_tracks, [&](const Track &) { return dropTrack[i++] != 0; });
    }
    reactivateConfirmed(timestampMs);

    // New tentative tracks from confident unmatched detections.
    int notStarted = 0;
    for (int c : high) {
        const Detection &d = detections[c];
        if (d.score < m_config.newTrackScoreThreshold)
            continue;
        if (!makeRoomForNewTrack()) {
            ++notStarted;
            continue;
        }
        Track t;
        t.id = m_ids.next();
        t.filter = KalmanBoxFilter(d.box);
        t.hits = 1;
        t.score = d.score;
        t.lastDetected = d.box;
        t.firstDetected = d.box;
        t.bornMs = timestampMs;
        t.state = (m_config.confirmFrames <= 1) ? State::Tracked : State::Tentative;
        t.justConfirmed = t.state == State::Tracked;
        m_tracks.push_back(std::move(t));
    }
    // Warn once per episode of being full, not on every frame.
    if (notStarted > 0 && !m_fullWarned)
        qCWarning(lcVision, "tracker full (%d tracks): new tracks are not started until one ends", m_config.maxTracks);
    m_fullWarned = notStarted > 0;

    return observations(timestampMs, frameSize, false);
}

void ByteTracker::reactivateConfirmed(qint64 timestampMs)
{
    std::vector<char> absorbed(m_tracks.size(), 0);
    bool any = false;
    for (Track &t : m_tracks) {
        if (!t.justConfirmed)
            continue;
        t.justConfirmed = false;
        if (!(m_config.reactivateDistancePerSecond > 0.f))
            continue;
        const QPointF start = t.firstDetected.center();
        const double h = std::max(t.firstDetected.height(), 1e-6);
        int best = -1;
        double bestDistance = 0.0;
        for (size_t j = 0; j < m_tracks.size(); ++j) {
            const Track &lost = m_tracks[j];
            if (lost.state != State::Lost || absorbed[j] || lost.lostSinceMs > t.bornMs)
                continue;
            const double lostS = double(timestampMs - lost.lostSinceMs) / 1000.0;
            const double lh = std::max(lost.lastDetected.height(), 1e-6);
            if (std::max(h, lh) / std::min(h, lh) > m_config.reactivateHeightRatio)
                continue;
            const double gate = std::min<double>(m_config.maxReactivateDistance,
                                                 m_config.maxCentreDistance + m_config.reactivateDistancePerSecond * lostS);
            // Predicted (walking on while hidden) or last seen (stopped while hidden).
            const auto distance = [&](QPointF c) {
                const QPointF d = c - start;
                return std::sqrt(d.x() * d.x() + d.y() * d.y()) / std::max(h, lh);
            };
            const double dist = std::min(distance(lost.filter.box().center()), distance(lost.lastDetected.center()));
            if (dist <= gate && (best < 0 || dist < bestDistance)) {
                best = int(j);
                bestDistance = dist;
            }
        }
        if (best < 0)
            continue;
        t.id = m_tracks[size_t(best)].id; // the new track's own id is never reported as confirmed
        absorbed[size_t(best)] = 1;
        any = true;
    }
    if (any) {
        size_t i = 0;
        std::erase_if(m_tracks, [&](const Track &) { return absorbed[i++] != 0; });
    }
}

QList<core::TrackObservation> ByteTracker::predict(qint64 timestampMs, QSizeF frameSize)
{
    advanceTo(timestampMs);
    removeExpiredLost(timestampMs, frameSize);
    return observations(timestampMs, frameSize, true);
}

QList<core::TrackObservation> ByteTracker::observations(qint64 timestampMs, QSizeF frameSize, bool predicted) const
{
    const double fw = frameSize.width() > 0.0 ? frameSize.width() : 1.0;
    const double fh = frameSize.height() > 0.0 ? frameSize.height() : 1.0;
    const QRectF unit(0.0, 0.0, 1.0, 1.0);

    QList<core::TrackObservation> out;
    out.reserve(static_cast<qsizetype>(m_tracks.size()));
    for (const Track &t : m_tracks) {
        const bool coasting = t.state == State::Lost;
        if (coasting && timestampMs - t.lostSinceMs >= m_config.coastMs)
            continue;
        const QRectF b = t.filter.box();
        const QRectF normalised(b.x() / fw, b.y() / fh, b.width() / fw, b.height() / fh);
        core::TrackObservation o;
        o.id = t.id;
        o.box = normalised.intersected(unit); // non-empty: a lost track's centre is in the frame
        o.score = (predicted || coasting) ? 0.f : t.score;
        o.confirmed = t.state != State::Tentative;
        o.predicted = predicted || coasting;
        out.push_back(o);
    }
    return out;
}

} // namespace signiq::vision
