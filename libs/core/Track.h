#pragma once

#include <QList>
#include <QRectF>
#include <QtGlobal>

namespace signiq::core {

// Random 64-bit id. Never reused, never persisted: it dies with the track.
using TrackId = quint64;

// One tracked person in one frame. Coordinates are normalised to the frame (0..1), so
// analytics never needs to know the camera resolution. No pixels, no appearance, no identity.
struct TrackObservation {
    TrackId id = 0;
    QRectF box;          // normalised x, y, w, h
    float score = 0.f;   // detection score of the matched detection (0 if predicted only)
    bool confirmed = false; // seen in enough consecutive frames to count as a person
    bool predicted = false; // no detection matched this frame; the box is the tracker's prediction

    // Where the person stands: bottom centre of the box.
    QPointF footPoint() const { return {box.x() + box.width() / 2.0, box.y() + box.height()}; }
};

// Per-frame image statistics computed by libs/vision (no pixels leave vision).
struct FrameStats {
    double meanLuma = 128.0;  // 0..255
    double lumaStdDev = 50.0; // 0..255; near 0 means a uniform image (lens covered)
};

// Everything analytics needs to know about one processed frame.
struct FrameObservations {
    qint64 timestampMs = 0;   // wall-clock (or video) time of capture, ms since epoch
    QList<TrackObservation> tracks;
    FrameStats stats;
    double processingFps = 0.0; // current pipeline throughput (frames analysed per second)
    bool detectionRan = true;   // false when the tracker only predicted on this frame
};

} // namespace signiq::core
