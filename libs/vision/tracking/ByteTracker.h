#pragma once

#include "core/Track.h"
#include "vision/detection/PersonDetector.h"
#include "vision/tracking/KalmanBoxFilter.h"

#include <QList>
#include <QSizeF>

#include <vector>

namespace signiq::vision {

class TrackIdGenerator;

struct TrackerConfig {
    float highScoreThreshold = 0.5f;     // detections >= this take part in the first association
    float lowScoreThreshold = 0.1f;      // detections in [low, high) only keep tracked tracks alive
    float newTrackScoreThreshold = 0.6f; // an unmatched detection >= this starts a tentative track
    float firstStageMinIou = 0.2f;       // high detections vs confirmed + lost tracks
    float secondStageMinIou = 0.5f;      // low detections vs remaining tracked tracks
    float tentativeMinIou = 0.3f;        // remaining high detections vs tentative tracks
    int confirmFrames = 3;               // consecutive matched updates before a track counts
    qint64 lostTrackBufferMs = 1500;     // a lost track may be re-found for this long, then it is gone
    qint64 coastMs = 0;
    float maxCentreDistance = 0.f;
    int maxTracks = 128;                 // tentative + tracked + lost; new tracks beyond are not started
};

// ByteTrack (Zhang et al. 2022) with a time-driven Kalman filter.
//
// Association per update():
//  1. detections with score >= high vs confirmed tracks (tracked and lost), cost 1 - IoU,
//     optimal assignment;
//  2. detections with low <= score < high vs confirmed tracks still unmatched and not lost;
//  3. remaining high detections vs tentative tracks.
// Unmatched confirmed tracks become lost (kept lostTrackBufferMs, then removed for good);
// unmatched tentative tracks are removed; unmatched high detections with score >= newTrack start
// tentative tracks, confirmed after confirmFrames consecutive matches.
//
// Not thread-safe: one tracker per pipeline thread. Timestamps should not go backwards (a
// timestamp earlier than the previous one is treated as "no time elapsed").
class ByteTracker {
public:
    explicit ByteTracker(const TrackerConfig &config = {});
    ByteTracker(const TrackerConfig &config, TrackIdGenerator &ids);
    ~ByteTracker();

    ByteTracker(const ByteTracker &) = delete;
    ByteTracker &operator=(const ByteTracker &) = delete;

    // Detection boxes in pixels of a frame of frameSize. Returns the tracked (not lost) tracks,
    // tentative ones with confirmed = false, boxes normalised to 0..1, predicted = false.
    QList<core::TrackObservation> update(const QList<Detection> &detections, qint64 timestampMs,
                                         QSizeF frameSize);

    // For frames on which detection is skipped: advances every track to timestampMs and returns
    // the tracked tracks at their predicted boxes (predicted = true, score = 0). Lost tracks
    // whose buffer ran out are removed; tentative tracks are neither confirmed nor dropped.
    QList<core::TrackObservation> predict(qint64 timestampMs, QSizeF frameSize);

    int activeTrackCount() const; // tracked + tentative (not lost)
    int lostTrackCount() const;
    void reset();                 // forgets every track (their ids are never issued again)

    const TrackerConfig &config() const { return m_config; }

private:
    enum class State { Tentative, Tracked, Lost };
    struct Track {
        core::TrackId id = 0;
        State state = State::Tentative;
        KalmanBoxFilter filter;
        int hits = 0;            // consecutive matched updates
        bool confirmed = false;
        float score = 0.f;
        qint64 lostSinceMs = 0;
    };

    void advanceTo(qint64 timestampMs);
    void removeExpiredLost(qint64 timestampMs);
    void matchTrack(Track &track, const Detection &detection);
    bool makeRoomForNewTrack();
    QList<core::TrackObservation> observations(QSizeF frameSize, bool predicted) const;

    TrackerConfig m_config;
    TrackIdGenerator &m_ids;
    std::vector<Track> m_tracks;
    qint64 m_lastTimestampMs = 0;
    bool m_hasTimestamp = false;
    bool m_fullWarned = false;
};

} // namespace signiq::vision
