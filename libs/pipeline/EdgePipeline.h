#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "pipeline/FrameProcessor.h"
#include "pipeline/PipelineConfigurator.h"
#include "pipeline/PipelineOptions.h"
#include "pipeline/PipelineReport.h"
#include "pipeline/WindowPublisher.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace signiq::vision {
class FaceAnalyzer;
class FrameSource;
class PersonDetector;
} // namespace signiq::vision

namespace signiq::pipeline {

// Figures for /v1/health while the pipeline runs (updated about once a second).
struct PipelineLiveStats {
    bool running = false;
    double fps = 0.0;
    qint64 framesProcessed = 0;
    qint64 framesDropped = 0;
    std::optional<double> captureToReleaseP50Ms;
    std::optional<double> captureToReleaseP99Ms;
    QString calibrationVersion; // of the configuration the pipeline is counting with now
};

// capture -> frame pool -> person detector -> tracker -> [faces, head pose, age/gender] ->
// release -> [floor positions] -> analytics -> windows.
//
// The parts: CaptureLoop (a thread reading frames into a bounded pool and queue),
// FrameProcessor (detect, track, faces, overlay, then release — the buffer is zeroed),
// AudienceAggregator (analytics), WindowPublisher (closed windows to the sinks, i.e. the
// encrypted store) and PipelineConfigurator (zones -> ground plane and aggregator options,
// the same rules at start-up and on a live switch). This class only runs them in order.
class EdgePipeline {
public:
    using ProgressCallback = std::function<void(qint64 framesDone, qint64 framesTotal)>;

    // `setup` comes from PipelineConfigurator::configure() (so a bad calibration never gets here).
    EdgePipeline(std::unique_ptr<vision::FrameSource> source, std::unique_ptr<vision::PersonDetector> detector, ZoneSetup setup,
                 EdgePipelineOptions options);
    ~EdgePipeline();

    EdgePipeline(const EdgePipeline &) = delete;
    EdgePipeline &operator=(const EdgePipeline &) = delete;

    void setWindowSink(WindowSink sink) { m_publisher.setWindowSink(std::move(sink)); }
    void setDemographicSink(DemographicSink sink) { m_publisher.setDemographicSink(std::move(sink)); }
    // Optional stage: without a face analyser there is no attention and no demographics.
    void setFaceAnalyzer(std::unique_ptr<vision::FaceAnalyzer> faces);

    // The installer overlay: while active (thread-safe toggle, e.g. while an installer session
    // is open), each frame is rendered anonymised (pixelated background, solid silhouettes,
    // zones, counts; at most 5 fps, at most 640 px wide), JPEG-encoded and handed to the tap
    // before the frame buffer is scrubbed. Inactive, no overlay work is done at all.
    void setOverlayTap(OverlayTap tap) { m_overlayTap = std::move(tap); }
    void setOverlayActive(bool active) { m_overlayActive.store(active); }

    // A new zone/calibration configuration, applied at the next window boundary so that no
    // window mixes two configurations: the open windows are closed at the boundary (visits in
    // progress end there and restart under the new configuration) and the following windows
    // carry the new calibration_version. Refused (nothing changes) by the same rules as at
    // start-up (PipelineConfigurator). Thread-safe. The detector section is not applied while
    // running (a different model needs a restart).
    core::Status requestZoneConfig(core::ZoneConfig zones);

    PipelineLiveStats liveStats() const;
    void setProgressCallback(ProgressCallback progress) { m_progress = std::move(progress); }

    // Runs until the source ends or stopRequested becomes true; then closes the open windows
    // (at the time of the last frame) and hands them to the sink. Fails when the source cannot
    // be read, the detector or face analyser fails, or the sink refuses a window; windows
    // already stored stay stored.
    core::Result<PipelineReport> run(const std::atomic<bool> &stopRequested);

private:
    std::unique_ptr<vision::FrameSource> m_source;
    std::unique_ptr<vision::PersonDetector> m_detector;
    ZoneSetup m_setup;
    PipelineConfigurator m_configurator;
    EdgePipelineOptions m_options;
    std::unique_ptr<vision::FaceAnalyzer> m_faces;
    OverlayTap m_overlayTap;
    std::atomic<bool> m_overlayActive{false};
    mutable std::mutex m_sharedMutex; // guards m_pending and m_live
    std::optional<ZoneSetup> m_pending;
    PipelineLiveStats m_live;
    WindowPublisher m_publisher;
    ProgressCallback m_progress;
};

} // namespace signiq::pipeline
