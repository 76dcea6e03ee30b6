#pragma once

#include "analytics/AudienceAggregator.h"
#include "core/AudienceWindow.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "vision/geometry/GroundPlane.h"
#include "vision/pipeline/PipelineReport.h"
#include "vision/tracking/ByteTracker.h"

#include <QByteArray>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace signiq::vision {

class FaceAnalyzer;
class FrameSource;
class PersonDetector;

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

struct EdgePipelineOptions {
    TrackerConfig tracker;
    int detectEvery = 1;          // run the detector on every k-th frame; 0 = adaptive (DetectionScheduler)
    double targetFps = 0.0;       // for the adaptive scheduler; 0 = the source's nominal fps
    int queueCapacity = 0;        // frames between capture and processing; 0 = 1 for files, 2 for live sources
    float countScoreThreshold = 0.4f; // detections below only feed the tracker's second stage
    qint64 occupancySampleMs = 1000;  // occupancy time series resolution
    bool keepWindowsInReport = true;
    int facesEvery = 1;           // run the face analyser on every k-th frame on which the detector ran
};

// capture -> frame pool -> person detector -> tracker -> [faces, head pose, age/gender] ->
// release -> [floor positions] -> analytics -> windows.
//
// A capture thread reads frames into a bounded pool; the calling thread detects, tracks,
// analyses faces, and releases (zeroes) the frame as soon as nothing needs its pixels any more,
// then aggregates. Closed audience windows go to the window sink (the encrypted store) as soon
// as they close; demographic windows to the demographic sink.
class EdgePipeline {
public:
    using WindowSink = std::function<core::Status(const QList<core::AudienceWindow> &)>;
    using DemographicSink = std::function<core::Status(const QList<core::DemographicWindow> &)>;
    // An anonymised overlay frame (JPEG) for the installer view; called on the pipeline thread.
    using OverlayTap = std::function<void(const QByteArray &jpeg, qint64 timestampMs)>;
    using ProgressCallback = std::function<void(qint64 framesDone, qint64 framesTotal)>;

    EdgePipeline(std::unique_ptr<FrameSource> source, std::unique_ptr<PersonDetector> detector,
                 core::ZoneConfig zones, EdgePipelineOptions options, analytics::AggregatorOptions aggregatorOptions);
    ~EdgePipeline();

    EdgePipeline(const EdgePipeline &) = delete;
    EdgePipeline &operator=(const EdgePipeline &) = delete;

    void setWindowSink(WindowSink sink) { m_sink = std::move(sink); }
    void setDemographicSink(DemographicSink sink) { m_demographicSink = std::move(sink); }
    // Optional stages: without a face analyser there is no attention and no demographics;
    // without a ground plane no floor positions (distance bands, walking speed).
    void setFaceAnalyzer(std::unique_ptr<FaceAnalyzer> faces);
    void setGroundPlane(GroundPlane groundPlane) { m_groundPlane = std::move(groundPlane); }

    // The installer overlay: while active (thread-safe toggle, e.g. while an installer session
    // is open), each frame is rendered anonymised (pixelated background, solid silhouettes,
    // zones, counts; at most 5 fps, at most 640 px wide), JPEG-encoded and handed to the tap
    // before the frame buffer is scrubbed. Inactive, no overlay work is done at all.
    void setOverlayTap(OverlayTap tap) { m_overlayTap = std::move(tap); }
    void setOverlayActive(bool active) { m_overlayActive.store(active); }

    // A new zone/calibration configuration (already validated), applied at the next window
    // boundary so that no window mixes two configurations: the open windows are closed at the
    // boundary (visits in progress end there and restart under the new configuration) and the
    // following windows carry the new calibration_version. Thread-safe. The detector section is
    // not applied while running (a different model needs a restart).
    void requestZoneConfig(core::ZoneConfig zones);

    PipelineLiveStats liveStats() const;
    void setProgressCallback(ProgressCallback progress) { m_progress = std::move(progress); }

    // Runs until the source ends or stopRequested becomes true; then closes the open windows
    // (at the time of the last frame) and hands them to the sink. Fails when the source cannot
    // be read or the sink refuses a window; windows already stored stay stored.
    core::Result<PipelineReport> run(const std::atomic<bool> &stopRequested);

private:
    std::unique_ptr<FrameSource> m_source;
    std::unique_ptr<PersonDetector> m_detector;
    core::ZoneConfig m_zones;
    EdgePipelineOptions m_options;
    analytics::AggregatorOptions m_aggregatorOptions;
    std::unique_ptr<FaceAnalyzer> m_faces;
    OverlayTap m_overlayTap;
    std::atomic<bool> m_overlayActive{false};
    mutable std::mutex m_sharedMutex; // guards m_pendingZones and m_live
    std::optional<core::ZoneConfig> m_pendingZones;
    PipelineLiveStats m_live;
    std::optional<GroundPlane> m_groundPlane;
    WindowSink m_sink;
    DemographicSink m_demographicSink;
    ProgressCallback m_progress;
};

} // namespace signiq::vision
