#pragma once

#include "core/Result.h"
#include "core/Track.h"
#include "core/ZoneConfig.h"
#include "pipeline/PipelineOptions.h"
#include "pipeline/PipelineReport.h"
#include "vision/overlay/OverlayRenderer.h"
#include "vision/tracking/ByteTracker.h"
#include "vision/tracking/DetectionScheduler.h"

#include <QByteArray>

#include <functional>

namespace signiq::analytics {
class AudienceAggregator;
}

namespace signiq::vision {
class FaceAnalyzer;
class GroundPlane;
class PersonDetector;
class PooledFrame;
} // namespace signiq::vision

namespace signiq::pipeline {

// An anonymised overlay frame (JPEG) for the installer view; called on the pipeline thread.
using OverlayTap = std::function<void(const QByteArray &jpeg, qint64 timestampMs)>;

// What one frame is processed against: the zones counting now, their ground plane, the
// aggregator (occupancy for the overlay, which tracks still want a demographic sample), and
// the overlay tap while an installer session is open.
struct FrameContext {
    const core::ZoneConfig *zones = nullptr;
    const vision::GroundPlane *groundPlane = nullptr; // null: no floor positions
    const analytics::AudienceAggregator *aggregator = nullptr;
    const OverlayTap *overlay = nullptr;              // null: no overlay work at all
};

// The per-frame work on the pixels: detect (on the scheduled frames), track, analyse faces,
// render the anonymised overlay — then release the frame, which zeroes its buffer
// (vision::scrubPixels through the pool) on every path, success or error, before anything
// else happens. Only observations (boxes, ids, samples) leave process().
class FrameProcessor {
public:
    FrameProcessor(vision::PersonDetector &detector, vision::FaceAnalyzer *faces, const EdgePipelineOptions &options,
                   double targetFps);

    core::Result<core::FrameObservations> process(vision::PooledFrame &frame, const FrameContext &context, PipelineReport &report);

    // Wall time of the whole frame (processing + analytics), for the adaptive detection schedule.
    void recordFrameMs(double ms, bool detected);
    // Forgets the overlay's trails and zeroes its canvases (when no session is open any more).
    void scrubOverlay() { m_overlay.scrub(); }

private:
    void renderOverlay(const vision::PooledFrame &frame, const core::FrameObservations &observations, const FrameContext &context,
                       qint64 timestampMs);

    vision::PersonDetector &m_detector;
    vision::FaceAnalyzer *m_faces;
    EdgePipelineOptions m_options;
    vision::ByteTracker m_tracker;
    vision::DetectionScheduler m_scheduler;
    vision::OverlayRenderer m_overlay;
    qint64 m_frameIndex = 0;
    qint64 m_detectionFrames = 0;
};

} // namespace signiq::pipeline
