#include "vision/pipeline/EdgePipeline.h"

#include "vision/VisionLog.h"
#include "vision/capture/FramePool.h"
#include "vision/capture/FrameQueue.h"
#include "vision/capture/FrameSource.h"
#include "vision/capture/FrameStats.h"
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"
#include "vision/overlay/OverlayRenderer.h"
#include "vision/tracking/DetectionScheduler.h"

#include <QElapsedTimer>

#include <chrono>
#include <mutex>
#include <thread>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

EdgePipeline::EdgePipeline(std::unique_ptr<FrameSource> source, std::unique_ptr<PersonDetector> detector,
                           core::ZoneConfig zones, EdgePipelineOptions options,
                           analytics::AggregatorOptions aggregatorOptions)
    : m_source(std::move(source))
    , m_detector(std::move(detector))
    , m_zones(std::move(zones))
    , m_options(options)
    , m_aggregatorOptions(std::move(aggregatorOptions))
{
}

EdgePipeline::~EdgePipeline() = default;

void EdgePipeline::setFaceAnalyzer(std::unique_ptr<FaceAnalyzer> faces)
{
    m_faces = std::move(faces);
}

void EdgePipeline::requestZoneConfig(core::ZoneConfig zones)
{
    std::lock_guard lock(m_sharedMutex);
    m_pendingZones = std::move(zones);
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
    report.calibrationVersion = m_aggregatorOptions.calibrationVersion.isEmpty() ? m_zones.version() : m_aggregatorOptions.calibrationVersion;

    const bool live = m_source->isLive();
    // Short queues keep capture->release low: a file waits for the detector (Block), a live
    // source drops its oldest frame instead.
    const int queueCapacity = m_options.queueCapacity > 0 ? m_options.queueCapacity : (live ? 2 : 1);
    // One buffer being filled, `queueCapacity` queued, one being detected on, one spare.
    FramePool pool(queueCapacity + 3);
    FrameQueue queue(queueCapacity, live ? OverflowPolicy::DropOldest : OverflowPolicy::Block);

    // ---- capture thread: source -> pool -> queue ------------------------------------------
    std::atomic<bool> captureFailed{false};
    core::Error captureError;
    std::atomic<qint64> framesRead{0};
    StageTiming decodeTiming;
    std::mutex decodeMutex;
    std::thread capture([&] {
        while (!stopRequested.load()) {
            auto frame = pool.acquire(std::chrono::milliseconds(200));
            if (!frame)
                continue; // every buffer in use: the consumer is behind; try again
            const auto start = std::chrono::steady_clock::now();
            auto got = m_source->read(*frame);
            if (!got) {
                captureError = got.error();
                captureFailed.store(true);
                break;
            }
            if (!*got)
                break; // end of stream
            {
                std::lock_guard lock(decodeMutex);
                decodeTiming.add(msSince(start));
            }
            framesRead.fetch_add(1);
            if (!queue.push(std::move(*frame)))
                break; // queue closed
        }
        queue.close();
    });

    // ---- processing: detect -> release -> track -> analytics -> store ---------------------
    auto aggregatorPtr = std::make_unique<analytics::AudienceAggregator>(m_zones, m_aggregatorOptions);
    analytics::AudienceAggregator *aggregator = aggregatorPtr.get();
    OverlayRenderer overlay;
    {
        std::lock_guard lock(m_sharedMutex);
        m_live = PipelineLiveStats{};
        m_live.running = true;
        m_live.calibrationVersion = report.calibrationVersion;
    }
    ByteTracker tracker(m_options.tracker);
    DetectionSchedulerConfig schedulerConfig;
    schedulerConfig.targetFps = m_options.targetFps > 0 ? m_options.targetFps
                                                        : (m_source->nominalFps() > 0 ? m_source->nominalFps() : 10.0);
    DetectionScheduler scheduler(schedulerConfig);

    const qint64 total = m_source->frameCount();
    core::Status sinkStatus;
    qint64 firstTimestamp = -1;
    qint64 lastTimestamp = 0;
    qint64 nextSampleMs = 0;
    qint64 frameIndex = 0;
    QElapsedTimer wall;
    wall.start();
    // Throughput over the last second of wall time, as analytics' low_fps input.
    qint64 fpsWindowStartMs = 0;
    qint64 fpsWindowFrames = 0;
    double currentFps = schedulerConfig.targetFps;
    qint64 liveUpdateMs = 0;

    // Hands whatever the aggregator has closed to the sinks (the encrypted store): audience
    // windows, then demographic windows. After a sink failure nothing more is stored.
    auto storeClosedWindows = [&] {
        const QList<core::AudienceWindow> windows = aggregator->takeClosedWindows();
        const QList<core::DemographicWindow> demographics = aggregator->takeClosedDemographicWindows();
        const auto start = std::chrono::steady_clock::now();
        if (!windows.isEmpty() && sinkStatus.ok()) {
            if (m_sink)
                sinkStatus = m_sink(windows);
            if (m_options.keepWindowsInReport)
                report.windows += windows;
        }
        if (!demographics.isEmpty() && sinkStatus.ok()) {
            if (m_demographicSink)
                sinkStatus = m_demographicSink(demographics);
            report.demographicWindows += demographics;
        }
        if (!windows.isEmpty() || !demographics.isEmpty())
            report.store.add(msSince(start));
    };
    // Ends the capture thread; `read()` of a live source blocked on the network is interrupted.
    auto stopCapture = [&] {
        queue.close();
        m_source->interrupt();
        if (capture.joinable())
            capture.join();
    };
    const auto wantDemographics = [&aggregator](core::TrackId id) { return aggregator->wantsDemographicSample(id); };
    // A requested configuration takes over at the first frame of a new window.
    auto applyPendingZones = [&](qint64 timestampMs) {
        std::optional<core::ZoneConfig> pending;
        {
            std::lock_guard lock(m_sharedMutex);
            if (!m_pendingZones)
                return;
            const qint64 windowMs = aggregator->windowMs();
            if (lastTimestamp > 0 && timestampMs / windowMs == lastTimestamp / windowMs)
                return; // not at a window boundary yet
            pending = std::move(m_pendingZones);
            m_pendingZones.reset();
        }
        if (lastTimestamp > 0) {
            const qint64 boundary = timestampMs / aggregator->windowMs() * aggregator->windowMs();
            aggregator->finish(boundary);
            storeClosedWindows();
        }
        m_zones = std::move(*pending);
        m_aggregatorOptions.calibrationVersion = m_zones.version();
        m_groundPlane.reset();
        if (m_zones.calibration) {
            auto plane = GroundPlane::fromCorrespondences(m_zones.calibration->floorPoints);
            if (plane)
                m_groundPlane = std::move(plane).value();
            else
                qCWarning(lcVision) << "new calibration has no usable ground plane:" << plane.error().message;
        }
        analytics::AggregatorOptions options = m_aggregatorOptions;
        options.uncalibrated = m_zones.calibration.has_value() && !m_groundPlane.has_value();
        aggregatorPtr = std::make_unique<analytics::AudienceAggregator>(m_zones, options);
        aggregator = aggregatorPtr.get();
        report.calibrationVersion = m_zones.version();
        std::lock_guard lock(m_sharedMutex);
        m_live.calibrationVersion = report.calibrationVersion;
        qCInfo(lcVision) << "zone configuration" << report.calibrationVersion << "applied at" << timestampMs;
    };
    qint64 detectionFrames = 0;

    while (auto popped = queue.pop()) {
        PooledFrame frame = std::move(*popped);
        const auto frameStart = std::chrono::steady_clock::now();
        const FrameInfo info = frame.info();
        const QSizeF frameSize(frame.image().cols, frame.image().rows);

        core::FrameObservations observations;
        observations.timestampMs = info.timestampMs;
        observations.stats = computeFrameStats(frame.image());

        const bool detect = m_options.detectEvery == 0 ? scheduler.shouldDetect()
                                                       : (frameIndex % std::max(1, m_options.detectEvery)) == 0;
        QList<Detection> detections;
        if (detect) {
            const auto start = std::chrono::steady_clock::now();
            auto detected = m_detector->detect(frame.image());
            report.detect.add(msSince(start));
            if (!detected) {
                frame.release();
                stopCapture();
                return detected.error();
            }
            detections = std::move(detected).value();
            ++report.framesDetected;
        }
        const auto trackStart = std::chrono::steady_clock::now();
        observations.tracks = detect ? tracker.update(detections, info.timestampMs, frameSize)
                                     : tracker.predict(info.timestampMs, frameSize);
        observations.detectionRan = detect;
        report.track.add(msSince(trackStart));

        // Faces need the pixels too: head pose for attention, age/gender straight into the
        // zone histograms (the track only gets a "sampled" flag inside the aggregator).
        // (No person tracked: no face to attach, skip the work.)
        if (m_faces && detect && !observations.tracks.isEmpty()
            && (detectionFrames++ % std::max(1, m_options.facesEvery)) == 0) {
            const auto start = std::chrono::steady_clock::now();
            auto samples = m_faces->analyze(frame.image(), observations.tracks, wantDemographics);
            report.faces.add(msSince(start));
            if (!samples) {
                frame.release();
                stopCapture();
                return samples.error();
            }
            observations.facesRan = true;
            observations.demographics = std::move(samples).value();
            ++report.framesWithFaces;
        }
        // Installer overlay (only while a session is open): anonymised, then encoded.
        if (m_overlayActive.load() && m_overlayTap && overlay.shouldRender(info.timestampMs)) {
            OverlayCounts counts;
            for (const auto &t : observations.tracks)
                counts.people += t.confirmed ? 1 : 0;
            for (const auto &zone : m_zones.zones)
                counts.zones.append({zone.name, aggregator->occupancy(zone.name)});
            if (overlay.render(frame.image(), observations.tracks, m_zones, counts, info.timestampMs)) {
                if (auto jpeg = overlay.encodeJpeg())
                    m_overlayTap(*jpeg, info.timestampMs);
            }
        } else if (!m_overlayActive.load() && overlay.trackedTrails() > 0) {
            overlay.scrub();
        }
        // Nothing needs the pixels any more: scrub the buffer and give it back now.
        frame.release();

        if (m_groundPlane)
            m_groundPlane->fillFloorPositions(observations.tracks);

        const qint64 wallMs = wall.elapsed();
        ++fpsWindowFrames;
        if (wallMs - fpsWindowStartMs >= 1000) {
            currentFps = double(fpsWindowFrames) * 1000.0 / double(wallMs - fpsWindowStartMs);
            fpsWindowStartMs = wallMs;
            fpsWindowFrames = 0;
        }
        // A file processed faster than real time is not "low fps": judge it by its own rate.
        observations.processingFps = live ? currentFps : schedulerConfig.targetFps;

        applyPendingZones(info.timestampMs);
        const auto analyticsStart = std::chrono::steady_clock::now();
        aggregator->observe(observations);
        report.analytics.add(msSince(analyticsStart));
        storeClosedWindows();
        if (!sinkStatus.ok())
            break;

        if (firstTimestamp < 0) {
            firstTimestamp = info.timestampMs;
            nextSampleMs = info.timestampMs;
        }
        lastTimestamp = info.timestampMs;
        while (info.timestampMs >= nextSampleMs) {
            OccupancySample sample;
            sample.timestampMs = nextSampleMs;
            for (const auto &t : observations.tracks)
                sample.people += t.confirmed ? 1 : 0;
            for (const auto &zone : m_zones.zones)
                sample.zones.insert(zone.name, aggregator->occupancy(zone.name));
            report.occupancy.append(sample);
            nextSampleMs += m_options.occupancySampleMs;
        }

        const double frameMs = msSince(frameStart);
        if (detect)
            scheduler.recordDetectionFrameMs(frameMs);
        else
            scheduler.recordTrackingFrameMs(frameMs);
        ++frameIndex;
        ++report.framesProcessed;
        if (wallMs - liveUpdateMs >= 1000 || report.framesProcessed == 1) {
            liveUpdateMs = wallMs;
            std::lock_guard lock(m_sharedMutex);
            m_live.fps = currentFps;
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
    stopCapture();
    queue.clear();

    if (!sinkStatus.ok())
        return makeError(sinkStatus.error().code,
                         QStringLiteral("cannot store audience windows: %1").arg(sinkStatus.error().message));
    if (captureFailed.load())
        return captureError;

    // Close the open windows at the time of the last frame and store them.
    if (firstTimestamp >= 0) {
        const qint64 frameMs = m_source->nominalFps() > 0 ? qint64(1000.0 / m_source->nominalFps()) : 0;
        aggregator->finish(lastTimestamp + frameMs);
        storeClosedWindows();
        if (!sinkStatus.ok())
            return makeError(sinkStatus.error().code,
                             QStringLiteral("cannot store audience windows: %1").arg(sinkStatus.error().message));
    }

    report.stoppedBySignal = stopRequested.load();
    report.framesRead = framesRead.load();
    report.framesDropped = queue.droppedCount();
    report.decode = decodeTiming;
    report.wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    report.videoSeconds = firstTimestamp >= 0 ? double(lastTimestamp - firstTimestamp) / 1000.0 : 0.0;
    report.pipelineFps = report.wallSeconds > 0 ? double(report.framesProcessed) / report.wallSeconds : 0.0;
    report.captureToReleaseP50Ms = pool.latency().percentile(50);
    report.captureToReleaseP99Ms = pool.latency().percentile(99);
    overlay.scrub();
    {
        std::lock_guard lock(m_sharedMutex);
        m_live.running = false;
        m_live.framesProcessed = report.framesProcessed;
        m_live.captureToReleaseP50Ms = report.captureToReleaseP50Ms;
        m_live.captureToReleaseP99Ms = report.captureToReleaseP99Ms;
    }
    qCInfo(lcVision) << "pipeline finished:" << report.framesProcessed << "frames," << report.windows.size() << "windows";
    return report;
}

} // namespace signiq::vision
