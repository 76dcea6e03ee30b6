#pragma once

#include "core/Track.h"

#include <QtGlobal>

namespace signiq::analytics {

// When a window gets a quality flag (docs/analytics.md, "Quality flags").
struct QualityThresholds {
    double lowLightMeanLuma = 40.0;   // a frame is dark when its mean luma is below this
    double blockedLumaStdDev = 6.0;   // a frame is uniform (lens covered) below this std dev
    double minFrameShare = 0.5;       // share of a window's frames that must be dark/uniform
    double minFps = 5.0;              // low_fps below this mean processing fps / frame rate
};

// Frame-level evidence of one window (shared by all zones).
struct FrameTally {
    int frames = 0;
    int darkFrames = 0;
    int uniformFrames = 0;
    double fpsSum = 0.0;

    void add(const core::FrameObservations &frame, const QualityThresholds &thresholds);
    double meanFps() const { return frames > 0 ? fpsSum / frames : 0.0; }
    double darkShare() const { return frames > 0 ? double(darkFrames) / frames : 0.0; }
    double uniformShare() const { return frames > 0 ? double(uniformFrames) / frames : 0.0; }
};

// Track evidence of one zone in one window: the confirmed observations whose foot point lay
// in the zone polygon.
struct ObservationTally {
    qint64 observations = 0;
    qint64 detected = 0;   // not predicted: a detection was matched
    double scoreSum = 0.0; // over detected observations

    void add(const core::TrackObservation &observation);
    double meanScore() const { return detected > 0 ? scoreSum / double(detected) : 0.0; }
    double stability() const { return observations > 0 ? double(detected) / double(observations) : 0.0; }
};

// low_light, camera_blocked and low_fps for a window lasting windowS seconds.
quint32 qualityFlags(const FrameTally &frames, double windowS, const QualityThresholds &thresholds);

// 0..1: fpsFactor * trackFactor * (1 - uniformShare) * (1 - 0.5 * darkShare) where
// fpsFactor = min(1, meanFps / targetFps) and trackFactor = (meanScore + stability) / 2, or 1
// when the zone had no observations (nothing was seen that could be wrong).
double confidence(const FrameTally &frames, const ObservationTally &observations, double targetFps);

} // namespace signiq::analytics
