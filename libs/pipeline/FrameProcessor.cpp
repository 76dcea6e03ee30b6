#include "pipeline/FrameProcessor.h"

#include "analytics/AudienceAggregator.h"
#include "vision/capture/FramePool.h"
#include "vision/capture/FrameStats.h"
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"
#include "vision/geometry/GroundPlane.h"

#include <QSizeF>

#include <chrono>

namespace signiq::pipeline {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

vision::DetectionSchedulerConfig schedulerConfig(double targetFps)
{
    vision::DetectionSchedulerConfig config;
    config.targetFps = targetFps;
    return config;
}

} // namespace

FrameProcessor::FrameProcessor(vision::PersonDetector &detector, vision::FaceAnalyzer *faces, const EdgePipelineOptions &options,
                               double targetFps)
    : m_detector(detector)
    , m_faces(faces)
    , m_options(options)
    , m_tracker(options.tracker)
    , m_scheduler(schedulerConfig(targetFps))
{
}

core::Result<core::FrameObservations> FrameProcessor::process(vision::PooledFrame &frame, const FrameContext &context,
                                                              PipelineReport &report)
{
    const vision::FrameInfo info = frame.info();
    const QSizeF frameSize(frame.image().cols, frame.image().rows);

    core::FrameObservations observations;
    observations.timestampMs = info.timestampMs;
    observations.stats = vision::computeFrameStats(frame.image());

    const bool detect = m_options.detectEvery == 0 ? m_scheduler.shouldDetect()
                                                   : (m_frameIndex % std::max(1, m_options.detectEvery)) == 0;
    ++m_frameIndex;
    QList<vision::Detection> detections;
    if (detect) {
        const auto start = std::chrono::steady_clock::now();
        auto detected = m_detector.detect(frame.image());
        report.detect.add(msSince(start));
        if (!detected) {
            frame.release();
            return detected.error();
        }
        detections = std::move(detected).value();
        ++report.framesDetected;
    }
    const auto trackStart = std::chrono::steady_clock::now();
    observations.tracks = detect ? m_tracker.update(detections, info.timestampMs, frameSize)
                                 : m_tracker.predict(info.timestampMs, frameSize);
    observations.detectionRan = detect;
    report.track.add(msSince(trackStart));

    // Faces need the pixels too: head pose for attention, age/gender straight into the zone
    // histograms (the track only gets a "sampled" flag inside the aggregator). No person
    // tracked: no face to attach, skip the work.
    if (m_faces && detect && !observations.tracks.isEmpty() && (m_detectionFrames++ % std::max(1, m_options.facesEvery)) == 0) {
        const analytics::AudienceAggregator *aggregator = context.aggregator;
        const auto wantDemographics = [aggregator](core::TrackId id) { return aggregator && aggregator->wantsDemographicSample(id); };
        const auto start = std::chrono::steady_clock::now();
        auto samples = m_faces->analyze(frame.image(), observations.tracks, wantDemographics);
        report.faces.add(msSince(start));
        if (!samples) {
            frame.release();
            return samples.error();
        }
        observations.facesRan = true;
        observations.demographics = std::move(samples).value();
        ++report.framesWithFaces;
    }
    // Installer overlay (only while a session is open): anonymised, then encoded.
    if (context.overlay && *context.overlay && m_overlay.shouldRender(info.timestampMs))
        renderOverlay(frame, observations, context, info.timestampMs);
    else if (!context.overlay && m_overlay.trackedTrails() > 0)
        m_overlay.scrub();

    // Nothing needs the pixels any more: scrub the buffer and give it back now.
    frame.release();

    if (context.groundPlane)
        context.groundPlane->fillFloorPositions(observations.tracks);
    return observations;
}

void FrameProcessor::renderOverlay(const vision::PooledFrame &frame, const core::FrameObservations &observations,
                                   const FrameContext &context, qint64 timestampMs)
{
    vision::OverlayCounts counts;
    for (const auto &t : observations.tracks)
        counts.people += t.confirmed ? 1 : 0;
    for (const auto &zone : context.zones->zones)
        counts.zones.append({zone.name, context.aggregator ? context.aggregator->occupancy(zone.name) : 0});
    if (m_overlay.render(frame.image(), observations.tracks, *context.zones, counts, timestampMs)) {
        if (auto jpeg = m_overlay.encodeJpeg())
            (*context.overlay)(*jpeg, timestampMs);
    }
}

void FrameProcessor::recordFrameMs(double ms, bool detected)
{
    if (detected)
        m_scheduler.recordDetectionFrameMs(ms);
    else
        m_scheduler.recordTrackingFrameMs(ms);
}

} // namespace signiq::pipeline
