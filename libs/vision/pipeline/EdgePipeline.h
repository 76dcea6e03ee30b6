#pragma once

#include "analytics/AudienceAggregator.h"
#include "core/AudienceWindow.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "vision/pipeline/PipelineReport.h"
#include "vision/tracking/ByteTracker.h"

#include <atomic>
#include <functional>
#include <memory>

namespace signiq::vision {

class FrameSource;
class PersonDetector;

struct EdgePipelineOptions {
    TrackerConfig tracker;
    int detectEvery = 1;          // run the detector on every k-th frame; 0 = adaptive (DetectionScheduler)
    double targetFps = 0.0;       // for the adaptive scheduler; 0 = the source's nominal fps
    int queueCapacity = 0;        // frames between capture and processing; 0 = 1 for files, 2 for live sources
    float countScoreThreshold = 0.4f; // detections below only feed the tracker's second stage
    qint64 occupancySampleMs = 1000;  // occupancy time series resolution
    bool keepWindowsInReport = true;
};

// capture -> frame pool -> person detector -> tracker -> analytics -> windows.
//
// A capture thread reads frames into a bounded pool; the calling thread detects, releases
// (zeroes) the frame as soon as the detector has read it, tracks and aggregates. Closed
// audience windows go to the window sink (the encrypted store) as soon as they close.
class EdgePipeline {
public:
    using WindowSink = std::function<core::Status(const QList<core::AudienceWindow> &)>;
    using ProgressCallback = std::function<void(qint64 framesDone, qint64 framesTotal)>;

    EdgePipeline(std::unique_ptr<FrameSource> source, std::unique_ptr<PersonDetector> detector,
                 core::ZoneConfig zones, EdgePipelineOptions options, analytics::AggregatorOptions aggregatorOptions);
    ~EdgePipeline();

    EdgePipeline(const EdgePipeline &) = delete;
    EdgePipeline &operator=(const EdgePipeline &) = delete;

    void setWindowSink(WindowSink sink) { m_sink = std::move(sink); }
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
    WindowSink m_sink;
    ProgressCallback m_progress;
};

} // namespace signiq::vision
