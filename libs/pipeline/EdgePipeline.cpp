#include "pipeline/EdgePipeline.h"

#include "analytics/AudienceAggregator.h"
#include "pipeline/CaptureLoop.h"
#include "pipeline/PipelineLog.h"
#include "vision/capture/FramePool.h"
#include "vision/capture/FrameQueue.h"
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"

#include <QElapsedTimer>

#include <chrono>

namespace signiq::pipeline {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Throughput over the last second of wall time, as analytics' low_fps input.
class FpsMeter {
public:
    explicit FpsMeter(double initial) : m_fps(initial) {}
    void frame(qint64 wallMs)
    {
        ++m_frames;
        if (wallMs - m_startMs >= 1000) {
            m_fps = double(m_frames) * 1000.0 / double(wallMs - m_startMs);
            m_startMs = wallMs;
            m_frames = 0;
        }
    }
    double fps() const { return m_fps; }

private:
    qint64 m_startMs = 0;
    qint64 m_frames = 0;
    double m_fps;
};

} // namespace

EdgePipeline::EdgePipeline(std::unique_ptr<vision::FrameSource> source, std::unique_ptr<vision::PersonDetector> detector,
                           ZoneSetup setup, EdgePipelineOptions options)
    : m_source(std::move(source))
    , m_detector(std::move(detector))
    , m_setup(std::move(setup))
    , m_configurator(m_setup.aggregator)
    , m_options(options)
{
    m_publisher.setKeepWindowsInReport(m_options.keepWindowsInReport);
}

EdgePipeline::~EdgePipeline() = default;

void EdgePipeline::setFaceAnalyzer(std::unique_ptr<vision::FaceAnalyzer> faces)
{
    m_faces = std::move(faces);
}

core::Status EdgePipeline::requestZoneConfig(core::ZoneConfig zones)
{
    auto setup = m_configurator.configure(std::move(zones));
    if (!setup) {
        qCWarning(lcPipeline) << "zone configuration refused:" << setup.error().message;
        return setup.error();
    }
    std::lock_guard lock(m_sharedMutex);
    m_pending = std::move(setup).value();
    return {};
}

PipelineLiveStats EdgePipeline::liveStats() const
{
    std::lock_guard lock(m_sharedMutex);
    return m_live;
}

core::Result<PipelineReport> EdgePipeline::run(const std::atomic<bool> &stopRequested)
{
    PipelineReport report;
    report.source = m_source->description();
    report.modelVersion = m_detector->modelVersion();
    report.calibrationVersion = m_setup.aggregator.calibrationVersion.isEmpty() ? m_setup.zones.version()
                                                                                : m_setup.aggregator.calibrationVersion;

    const bool live = m_source->isLive();
    // Short queues keep capture->release low: a file waits for the detector (Block), a live
    // source drops its oldest frame instead.
    const int queueCapacity = m_options.queueCapacity > 0 ? m_options.queueCapacity : (live ? 2 : 1);
    // One buffer being filled, `queueCapacity` queued, one being detected on, one spare.
    vision::FramePool pool(queueCapacity + 3);
    vision::FrameQueue queue(queueCapacity, live ? vision::OverflowPolicy::DropOldest : vision::OverflowPolicy::Block);
    CaptureLoop capture(*m_source, pool, queue);
    capture.start(stopRequested);

    auto aggregator = std::make_unique<analytics::AudienceAggregator>(m_setup.zones, m_setup.aggregator);
    {
        std::lock_guard lock(m_sharedMutex);
        m_live = PipelineLiveStats{};
        m_live.running = true;
        m_live.calibrationVersion = report.calibrationVersion;
    }
    const double targetFps = m_options.targetFps > 0 ? m_options.targetFps
                                                     : (m_source->nominalFps() > 0 ? m_source->nominalFps() : 10.0);
    FrameProcessor processor(*m_detector, m_faces.get(), m_options, targetFps);

    const qint64 total = m_source->frameCount();
    qint64 firstTimestamp = -1;
    qint64 lastTimestamp = 0;
    qint64 nextSampleMs = 0;
    QElapsedTimer wall;
    wall.start();
    FpsMeter fps(targetFps);
    qint64 liveUpdateMs = 0;

    // A requested configuration takes over at the first frame of a new window.
    auto applyPendingZones = [&](qint64 timestampMs) {
        std::optional<ZoneSetup> pending;
        {
            std::lock_guard lock(m_sharedMutex);
            if (!m_pending)
                return;
            const qint64 windowMs = aggregator->windowMs();
            if (lastTimestamp > 0 && timestampMs / windowMs == lastTimestamp / windowMs)
                return; // not at a window boundary yet
            pending = std::move(m_pending);
            m_pending.reset();
        }
        if (lastTimestamp > 0) {
            const qint64 boundary = timestampMs / aggregator->windowMs() * aggregator->windowMs();
            aggregator->finish(boundary);
            m_publisher.publish(*aggregator, report);
        }
        m_setup = std::move(*pending);
        aggregator = std::make_unique<analytics::AudienceAggregator>(m_setup.zones, m_setup.aggregator);
        report.calibrationVersion = m_setup.zones.version();
        std::lock_guard lock(m_sharedMutex);
        m_live.calibrationVersion = report.calibrationVersion;
        qCInfo(lcPipeline) << "zone configuration" << report.calibrationVersion << "applied at" << timestampMs;
    };

    while (auto popped = queue.pop()) {
        vision::PooledFrame frame = std::move(*popped);
        const auto frameStart = std::chrono::steady_clock::now();
        const OverlayTap *overlay = m_overlayActive.load() ? &m_overlayTap : nullptr;
        const FrameContext context{&m_setup.zones, m_setup.groundPlane ? &*m_setup.groundPlane : nullptr, aggregator.get(), overlay};
        auto processed = processor.process(frame, context, report);
        if (!processed) {
            capture.stop();
            return processed.error();
        }
        core::FrameObservations observations = std::move(processed).value();

        const qint64 wallMs = wall.elapsed();
        fps.frame(wallMs);
        // A file processed faster than real time is not "low fps": judge it by its own rate.
        observations.processingFps = live ? fps.fps() : targetFps;

        applyPendingZones(observations.timestampMs);
        const auto analyticsStart = std::chrono::steady_clock::now();
        aggregator->observe(observations);
        report.analytics.add(msSince(analyticsStart));
        m_publisher.publish(*aggregator, report);
        if (!m_publisher.ok())
            break;

        if (firstTimestamp < 0) {
            firstTimestamp = observations.timestampMs;
            nextSampleMs = observations.timestampMs;
        }
        lastTimestamp = observations.timestampMs;
        while (observations.timestampMs >= nextSampleMs) {
            OccupancySample sample;
            sample.timestampMs = nextSampleMs;
            for (const auto &t : observations.tracks)
                sample.people += t.confirmed ? 1 : 0;
            for (const auto &zone : m_setup.zones.zones)
                sample.zones.insert(zone.name, aggregator->occupancy(zone.name));
            report.occupancy.append(sample);
            nextSampleMs += m_options.occupancySampleMs;
        }

        processor.recordFrameMs(msSince(frameStart), observations.detectionRan);
        ++report.framesProcessed;
        if (wallMs - liveUpdateMs >= 1000 || report.framesProcessed == 1) {
            liveUpdateMs = wallMs;
            std::lock_guard lock(m_sharedMutex);
            m_live.fps = fps.fps();
            m_live.framesProcessed = report.framesProcessed;
            m_live.framesDropped = queue.droppedCount();
            if (pool.latency().count() > 0) {
                m_live.captureToReleaseP50Ms = pool.latency().percentile(50);
                m_live.captureToReleaseP99Ms = pool.latency().percentile(99);
            }
        }
        if (m_progress)
            m_progress(report.framesProcessed, total);
        if (stopRequested.load())
            report.stoppedBySignal = true;
    }

    // Stop capture (on a signal, a sink failure or the end of the stream) and drain.
    capture.stop();
    queue.clear();

    if (!m_publisher.ok())
        return m_publisher.error();
    if (capture.failed())
        return capture.error();

    // Close the open windows at the time of the last frame and store them.
    if (firstTimestamp >= 0) {
        const qint64 frameMs = m_source->nominalFps() > 0 ? qint64(1000.0 / m_source->nominalFps()) : 0;
        aggregator->finish(lastTimestamp + frameMs);
        m_publisher.publish(*aggregator, report);
        if (!m_publisher.ok())
            return m_publisher.error();
    }

    report.stoppedBySignal = stopRequested.load();
    report.framesRead = capture.framesRead();
    report.framesDropped = queue.droppedCount();
    report.decode = capture.decodeTiming();
    report.wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    report.videoSeconds = firstTimestamp >= 0 ? double(lastTimestamp - firstTimestamp) / 1000.0 : 0.0;
    report.pipelineFps = report.wallSeconds > 0 ? double(report.framesProcessed) / report.wallSeconds : 0.0;
    report.captureToReleaseP50Ms = pool.latency().percentile(50);
    report.captureToReleaseP99Ms = pool.latency().percentile(99);
    processor.scrubOverlay();
    {
        std::lock_guard lock(m_sharedMutex);
        m_live.running = false;
        m_live.framesProcessed = report.framesProcessed;
        m_live.captureToReleaseP50Ms = report.captureToReleaseP50Ms;
        m_live.captureToReleaseP99Ms = report.captureToReleaseP99Ms;
    }
    qCInfo(lcPipeline) << "pipeline finished:" << report.framesProcessed << "frames," << report.windows.size() << "windows";
    return report;
}

} // namespace signiq::pipeline
