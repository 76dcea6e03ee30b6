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

// Assigns detections (by index into `detections`) to tracks (by index into `tracks`) on IoU.
// Returns for each entry of trackIdx the matched entry of detIdx or -1.
template <typename TrackBox>
std::vector<int> associate(const std::vector<int> &trackIdx, const std::vector<int> &detIdx,
                           const QList<Detection> &detections, TrackBox trackBox, double minIou)
{
    const int rows = static_cast<int>(trackIdx.size());
    const int cols = static_cast<int>(detIdx.size());
    if (rows == 0 || cols == 0)
        return std::vector<int>(trackIdx.size(), -1);
    std::vector<double> cost(static_cast<size_t>(rows) * static_cast<size_t>(cols));
    for (int r = 0; r < rows; ++r) {
        const QRectF tb = trackBox(trackIdx[static_cast<size_t>(r)]);
        for (int c = 0; c < cols; ++c)
            cost[static_cast<size_t>(r * cols + c)] = 1.0 - iou(tb, detections[detIdx[static_cast<size_t>(c)]].box);
    }
    return solveLinearAssignment(cost, rows, cols, 1.0 - minIou);
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

void ByteTracker::removeExpiredLost(qint64 timestampMs)
{
    const qint64 buffer = m_config.lostTrackBufferMs;
    std::erase_if(m_tracks, [&](const Track &t) {
        return t.state == State::Lost && timestampMs - t.lostSinceMs > buffer;
    });
}

void ByteTracker::matchTrack(Track &track, const Detection &detection)
{
    track.filter.update(detection.box);
    track.score = detection.score;
    ++track.hits;
    if (track.state == State::Tentative) {
        if (track.hits >= m_config.confirmFrames)
            track.state = State::Tracked;
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
    removeExpiredLost(timestampMs);

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

    // Stage 1: high detections vs confirmed tracks, tracked and lost.
    std::vector<int> confirmedIdx;
    for (int i = 0; i < static_cast<int>(m_tracks.size()); ++i) {
        if (m_tracks[static_cast<size_t>(i)].state != State::Tentative)
            confirmedIdx.push_back(i);
    }
    std::vector<char> highUsed(high.size(), 0);
    std::vector<int> stillTracked; // tracked tracks left for stage 2
    {
        const auto match = associate(confirmedIdx, high, detections, trackBox, m_config.firstStageMinIou);
        for (size_t r = 0; r < confirmedIdx.size(); ++r) {
            Track &t = m_tracks[static_cast<size_t>(confirmedIdx[r])];
            if (match[r] >= 0) {
                matchTrack(t, detections[high[static_cast<size_t>(match[r])]]);
                highUsed[static_cast<size_t>(match[r])] = 1;
            } else if (t.state == State::Tracked) {
                stillTracked.push_back(confirmedIdx[r]);
            }
        }
    }

    // Stage 2: low detections keep tracked (not lost) tracks alive.
    {
        const auto match = associate(stillTracked, low, detections, trackBox, m_config.secondStageMinIou);
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
    std::vector<int> remainingHigh;
    for (size_t c = 0; c < high.size(); ++c) {
        if (!highUsed[c])
            remainingHigh.push_back(high[c]);
    }
    std::vector<int> tentativeIdx;
    for (int i = 0; i < static_cast<int>(m_tracks.size()); ++i) {
        if (m_tracks[static_cast<size_t>(i)].state == State::Tentative)
            tentativeIdx.push_back(i);
    }
    std::vector<char> remainingUsed(remainingHigh.size(), 0);
    std::vector<char> dropTrack(m_tracks.size(), 0);
    {
        const auto match = associate(tentativeIdx, remainingHigh, detections, trackBox, m_config.tentativeMinIou);
        for (size_t r = 0; r < tentativeIdx.size(); ++r) {
            if (match[r] >= 0) {
                matchTrack(m_tracks[static_cast<size_t>(tentativeIdx[r])],
                           detections[remainingHigh[static_cast<size_t>(match[r])]]);
                remainingUsed[static_cast<size_t>(match[r])] = 1;
            } else {
                dropTrack[static_cast<size_t>(tentativeIdx[r])] = 1;
            }
        }
    }
    {
        size_t i = 0;
        std::erase_if(m_tracks, [&](const Track &) { return dropTrack[i++] != 0; });
    }

    // New tentative tracks from confident unmatched detections.
    int notStarted = 0;
    for (size_t c = 0; c < remainingHigh.size(); ++c) {
        if (remainingUsed[c])
            continue;
        const Detection &d = detections[remainingHigh[c]];
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
        t.state = (m_config.confirmFrames <= 1) ? State::Tracked : State::Tentative;
        m_tracks.push_back(std::move(t));
    }
    // Warn once per episode of being full, not on every frame.
    if (notStarted > 0 && !m_fullWarned)
        qCWarning(lcVision, "tracker full (%d tracks): new tracks are not started until one ends", m_config.maxTracks);
    m_fullWarned = notStarted > 0;

    return observations(frameSize, false);
}

QList<core::TrackObservation> ByteTracker::predict(qint64 timestampMs, QSizeF frameSize)
{
    advanceTo(timestampMs);
    removeExpiredLost(timestampMs);
    return observations(frameSize, true);
}

QList<core::TrackObservation> ByteTracker::observations(QSizeF frameSize, bool predicted) const
{
    const double fw = frameSize.width() > 0.0 ? frameSize.width() : 1.0;
    const double fh = frameSize.height() > 0.0 ? frameSize.height() : 1.0;
    const QRectF unit(0.0, 0.0, 1.0, 1.0);

    QList<core::TrackObservation> out;
    out.reserve(static_cast<qsizetype>(m_tracks.size()));
    for (const Track &t : m_tracks) {
        if (t.state == State::Lost)
            continue;
        const QRectF b = t.filter.box();
        const QRectF normalised(b.x() / fw, b.y() / fh, b.width() / fw, b.height() / fh);
        core::TrackObservation o;
        o.id = t.id;
        o.box = normalised.intersected(unit);
        o.score = predicted ? 0.f : t.score;
        o.confirmed = t.state == State::Tracked;
        o.predicted = predicted;
        out.push_back(o);
    }
    return out;
}

} // namespace signiq::vision
