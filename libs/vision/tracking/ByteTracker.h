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
    float highScoreThreshold = 0.6f;     // detections >= this take part in the first association (was 0.5)
    float lowScoreThreshold = 0.1f;      // detections in [low, high) only keep tracked tracks alive
    float newTrackScoreThreshold = 0.7f; // an unmatched detection >= this starts a tentative track (was 0.6)
    float firstStageMinIou = 0.2f;       // high detections vs confirmed (tracked and lost) tracks
    float secondStageMinIou = 0.5f;      // low detections vs remaining tracked tracks
    float tentativeMinIou = 0.3f;        // remaining high detections vs tentative tracks
    // Fallback gate for small / jittery boxes: a pair whose IoU is below the stage's gate may still
    // match if the centres are at most this many (predicted) box heights apart and the heights
    // differ by at most maxHeightRatio. 0 = IoU only (plain ByteTrack). Not used in stage 2.
    float maxCentreDistance = 0.4f;
    float maxHeightRatio = 1.5f;
    // Re-finding a lost track: centre distance to its predicted box <= maxCentreDistance +
    // refindDistancePerSecond * seconds lost (box heights), capped at maxRefindDistance.
    float refindDistancePerSecond = 0.5f;
    float maxRefindDistance = 1.0f;
    // Re-activation (issue 17): when a new track is confirmed, it takes over the id of a lost
    // track it continues by motion and box size alone (never by appearance), so that a person
    // hidden longer than the re-find gate allows keeps one id. Candidates: lost tracks whose
    // predicted centre, or last detected centre, is within maxCentreDistance +
    // reactivateDistancePerSecond * seconds lost (capped at maxReactivateDistance) of the new
    // track's first box, in box heights, with heights within reactivateHeightRatio, and lost
    // before the new track started (two tracks seen at the same time are two people); the
    // nearest wins. 0 = off.
    float reactivateDistancePerSecond = 1.0f;
    float maxReactivateDistance = 3.0f;
    float reactivateHeightRatio = 1.6f;
    int confirmFrames = 3;               // consecutive matched updates before a track counts
    qint64 lostTrackBufferMs = 8000;     // a lost track may be re-found / re-activated for this long (was 3000)
    qint64 coastMs = 1500;               // a lost track is reported (predicted = true) for this long
    int maxTracks = 128;                 // tentative + tracked + lost; new tracks beyond are not started
};

// ByteTrack (Zhang et al. 2022) with a time-driven Kalman filter, made robust for small,
// far-away people seen by a flickering detector (Yolo-Fastest at 10 fps).
//
// Association per update(), on the Kalman-predicted boxes, optimal assignment, cost
// (1 - IoU + rho^2 / c^2) / 2 (DIoU: rho = centre distance, c = diagonal of the enclosing box);
// a pair passes a stage's gate on IoU or, where enabled, on the centre-distance fallback:
//  1. detections with score >= high vs confirmed tracks, tracked and lost, in one assignment;
//     a lost track's centre gate widens with the time lost (re-finding along its motion);
//  2. detections with low <= score < high vs tracked tracks still unmatched (IoU gate only);
//     tracked tracks still unmatched become lost;
//  3. remaining high detections vs tentative tracks.
// Lost tracks coast (reported as predicted) for coastMs, are kept for re-finding for
// lostTrackBufferMs and then removed for good; a lost track whose predicted centre leaves the
// frame is removed at once. Unmatched tentative tracks are removed; unmatched high detections
// with score >= newTrack start tentative tracks, confirmed after confirmFrames consecutive
// matches.
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

    // Detection boxes in pixels of a frame of frameSize. Returns the tracked tracks (tentative
    // ones with confirmed = false) with predicted = false, and the lost tracks lost for at most
    // coastMs at their predicted boxes (confirmed = true, predicted = true, score = 0). Boxes are
    // normalised to 0..1 and clipped to the frame.
    QList<core::TrackObservation> update(const QList<Detection> &detections, qint64 timestampMs,
                                         QSizeF frameSize);

    // For frames on which detection is skipped: advances every track to timestampMs and returns
    // the tracked and coasting lost tracks at their predicted boxes (predicted = true,
    // score = 0). Lost tracks whose buffer ran out or which left the frame are removed;
    // tentative tracks are neither confirmed nor dropped.
    QList<core::TrackObservation> predict(qint64 timestampMs, QSizeF frameSize);

    int activeTrackCount() const; // tracked + tentative (not lost)
    int lostTrackCount() const;   // lost, coasting or not
    void reset();                 // forgets every track (their ids are never issued again)

    const TrackerConfig &config() const { return m_config; }

private:
    enum class State { Tentative, Tracked, Lost };
    struct Track {
        core::TrackId id = 0;
        State state = State::Tentative;
        KalmanBoxFilter filter;
        int hits = 0;            // consecutive matched updates
        float score = 0.f;
        qint64 lostSinceMs = 0;
        QRectF lastDetected;     // box of the last matched detection
        QRectF firstDetected;    // box of the detection that started the track
        qint64 bornMs = 0;
        bool justConfirmed = false;
    };

    void advanceTo(qint64 timestampMs);
    void removeExpiredLost(qint64 timestampMs, QSizeF frameSize);
    void matchTrack(Track &track, const Detection &detection);
    bool makeRoomForNewTrack();
    void reactivateConfirmed(qint64 timestampMs);
    QList<core::TrackObservation> observations(qint64 timestampMs, QSizeF frameSize, bool predicted) const;

    TrackerConfig m_config;
    TrackIdGenerator &m_ids;
    std::vector<Track> m_tracks;
    qint64 m_lastTimestampMs = 0;
    bool m_hasTimestamp = false;
    bool m_fullWarned = false;
};

} // namespace signiq::vision
