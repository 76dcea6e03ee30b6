#include "analytics/WindowQuality.h"

#include "core/AudienceWindow.h"

#include <algorithm>

namespace signiq::analytics {

void FrameTally::add(const core::FrameObservations &frame, const QualityThresholds &thresholds)
{
    ++frames;
    if (frame.stats.meanLuma < thresholds.lowLightMeanLuma)
        ++darkFrames;
    if (frame.stats.lumaStdDev < thresholds.blockedLumaStdDev)
        ++uniformFrames;
    fpsSum += std::max(0.0, frame.processingFps);
}

void ObservationTally::add(const core::TrackObservation &observation)
{
    ++observations;
    if (!observation.predicted) {
        ++detected;
        scoreSum += std::clamp(double(observation.score), 0.0, 1.0);
    }
}

quint32 qualityFlags(const FrameTally &frames, double windowS, const QualityThresholds &thresholds)
{
    quint32 flags = 0;
    if (frames.frames == 0)
        return core::QualityLowFps;
    if (frames.darkShare() >= thresholds.minFrameShare)
        flags |= core::QualityLowLight;
    if (frames.uniformShare() >= thresholds.minFrameShare)
        flags |= core::QualityCameraBlocked;
    const double frameRate = windowS > 0.0 ? frames.frames / windowS : 0.0;
    if (frames.meanFps() < thresholds.minFps || frameRate < thresholds.minFps)
        flags |= core::QualityLowFps;
    return flags;
}

double confidence(const FrameTally &frames, const ObservationTally &observations, double targetFps)
{
    if (frames.frames == 0)
        return 0.0;
    const double fpsFactor = targetFps > 0.0 ? std::min(1.0, frames.meanFps() / targetFps) : 1.0;
    const double trackFactor = observations.observations > 0
        ? (observations.meanScore() + observations.stability()) / 2.0
        : 1.0;
    const double value = fpsFactor * trackFactor * (1.0 - frames.uniformShare()) * (1.0 - 0.5 * frames.darkShare());
    return std::clamp(value, 0.0, 1.0);
}

} // namespace signiq::analytics
