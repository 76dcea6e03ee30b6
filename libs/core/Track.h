#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QtGlobal>

#include <optional>

namespace signiq::core {

// Random 64-bit id. Never reused, never persisted: it dies with the track.
using TrackId = quint64;

// Head orientation relative to the camera's optical axis, in degrees, as the head-pose model
// reports it: yaw < 0 = face turned toward the image's left, pitch > 0 = looking up.
struct HeadPose {
    float yawDeg = 0.f;
    float pitchDeg = 0.f;
    float rollDeg = 0.f;
    bool lowConfidence = false; // landmark-based estimate on a small face, not the model
};

// What the face analyser saw of one track's face in one frame. No pixels, no embedding.
struct FaceObservation {
    QRectF box;           // normalised to the frame
    float sizePx = 0.f;   // face box height in pixels of the original frame
    std::optional<HeadPose> pose;
};

// One tracked person in one frame. Coordinates are normalised to the frame (0..1), so
// analytics never needs to know the camera resolution. No pixels, no appearance, no identity.
struct TrackObservation {
    TrackId id = 0;
    QRectF box;          // normalised x, y, w, h
    float score = 0.f;   // detection score of the matched detection (0 if predicted only)
    bool confirmed = false; // seen in enough consecutive frames to count as a person
    bool predicted = false; // no detection matched this frame; the box is the tracker's prediction

    std::optional<FaceObservation> face; // set on frames where a face was matched to this track
    std::optional<QPointF> floorM;       // foot point on the floor in metres (ground-plane calibration)

    // Where the person stands: bottom centre of the box.
    QPointF footPoint() const { return {box.x() + box.width() / 2.0, box.y() + box.height()}; }
};

// Per-frame image statistics computed by libs/vision (no pixels leave vision).
struct FrameStats {
    double meanLuma = 128.0;  // 0..255
    double lumaStdDev = 50.0; // 0..255; near 0 means a uniform image (lens covered)
};

// One age/gender estimate, taken at most once per track per demographic window. It goes
// straight into the zone histogram of the track's current zone and is then forgotten: the
// track itself only remembers that it was sampled.
enum class Gender { Female, Male };
struct DemographicSample {
    TrackId trackId = 0; // only to find the zone the person is in at this moment
    float ageYears = 0.f;
    Gender gender = Gender::Female;
    float genderConfidence = 0.f; // probability of the reported gender, 0.5..1
};

// Everything analytics needs to know about one processed frame.
struct FrameObservations {
    qint64 timestampMs = 0;   // wall-clock (or video) time of capture, ms since epoch
    QList<TrackObservation> tracks;
    FrameStats stats;
    double processingFps = 0.0; // current pipeline throughput (frames analysed per second)
    bool detectionRan = true;   // false when the tracker only predicted on this frame
    bool facesRan = false;      // the face analyser ran on this frame (attention can be judged)
    QList<DemographicSample> demographics;
};

} // namespace signiq::core
