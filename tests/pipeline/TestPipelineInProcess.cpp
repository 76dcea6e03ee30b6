// The pipeline in-process, without the sample video or models: a synthetic frame source, a
// scripted person detector and a fake face analyser (tests/mock). Covers the counting path and
// every failure path — sink, detector, face analyser and capture errors, a full queue on a live
// source (drop oldest) and on a file (block), a stop request — and that every buffer is
// zeroed before it is reused.
#include "FakeFaceAnalyzer.h"
#include "ScriptedPersonDetector.h"
#include "SyntheticFrameSource.h"

#include "pipeline/EdgePipeline.h"
#include "pipeline/PipelineConfigurator.h"

#include <QTest>

#include <condition_variable>
#include <mutex>

using namespace signiq;
using test::FakeFaceAnalyzer;
using test::ScriptedPersonDetector;
using test::SyntheticFrameSource;

namespace {

core::ZoneConfig wholeFrame()
{
    auto config = core::ZoneConfig::fromJson(R"({"zones":[{"name":"all","polygon":[[0,0],[1,0],[1,1],[0,1]]}]})");
    Q_ASSERT(config);
    return *config;
}

// The last two floor points swapped: a valid zones.json (no three points collinear), but the
// quadrilaterals are twisted against each other, so there is no ground plane.
const QByteArray kTwistedCalibration = R"({"zones":[{"name":"all","polygon":[[0,0],[1,0],[1,1],[0,1]]}],
  "calibration":{
    "floor_points":[{"image":[0.1,0.9],"floor_m":[-2,1]},{"image":[0.9,0.9],"floor_m":[2,1]},
                    {"image":[0.7,0.5],"floor_m":[-2,6]},{"image":[0.3,0.5],"floor_m":[2,6]}],
    "screen":{"centre_m":[0,0],"centre_height_m":1.6,"width_m":1.2,"height_m":0.7},
    "camera":{"position_m":[0.5,0],"height_m":2.2}}})";

struct Rig {
    std::unique_ptr<pipeline::EdgePipeline> pipeline;
    std::shared_ptr<SyntheticFrameSource::Counters> source;
    std::shared_ptr<ScriptedPersonDetector::Counters> detector;
    std::shared_ptr<FakeFaceAnalyzer::Counters> faces;
    QList<core::AudienceWindow> stored;
};

std::unique_ptr<Rig> makeRig(SyntheticFrameSource::Options sourceOptions, ScriptedPersonDetector::Options detectorOptions,
                             int facesFailAt = -2, const core::ZoneConfig &zones = wholeFrame(),
                             pipeline::EdgePipelineOptions options = {})
{
    auto rig = std::make_unique<Rig>();
    auto source = std::make_unique<SyntheticFrameSource>(std::move(sourceOptions));
    auto detector = std::make_unique<ScriptedPersonDetector>(std::move(detectorOptions));
    rig->source = source->counters();
    rig->detector = detector->counters();
    analytics::AggregatorOptions aggregator;
    aggregator.modelVersion = detector->modelVersion();
    aggregator.targetFps = source->nominalFps();
    auto setup = pipeline::PipelineConfigurator(aggregator).configure(zones);
    if (!setup)
        return nullptr;
    rig->pipeline = std::make_unique<pipeline::EdgePipeline>(std::move(source), std::move(detector), std::move(setup).value(), options);
    if (facesFailAt != -2) {
        auto faces = std::make_unique<FakeFaceAnalyzer>(facesFailAt);
        rig->faces = faces->counters();
        rig->pipeline->setFaceAnalyzer(std::move(faces));
    }
    Rig *raw = rig.get();
    rig->pipeline->setWindowSink([raw](const QList<core::AudienceWindow> &windows) {
        raw->stored += windows;
        return core::Status{};
    });
    return rig;
}

} // namespace

class TestPipelineInProcess : public QObject {
    Q_OBJECT

private slots:
    void countsOneWalkerOnce()
    {
        // One person crosses the frame in 6 s, then the scene is empty for 4 s.
        ScriptedPersonDetector::Options detector;
        detector.script = ScriptedPersonDetector::walker(0.1, 0.9, 0.5, 60);
        auto rig = makeRig({}, detector, -1);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(report->framesProcessed, 100);
        QCOMPARE(report->framesRead, 100);
        QCOMPARE(report->framesDropped, 0);
        QCOMPARE(rig->detector->calls.load(), 100);
        QCOMPARE(rig->stored.size(), 1); // one zone, one window (the run ends before its minute)
        const core::AudienceWindow &w = rig->stored.first();
        QCOMPARE(w.zone, QStringLiteral("all"));
        QCOMPARE(w.entries, 1);
        QCOMPARE(w.exits, 1);
        QCOMPARE(w.peakOccupancy, 1);
        QCOMPARE(w.modelVersion, QStringLiteral("scripted@0"));
        QCOMPARE(report->windows, rig->stored);
        // The face analyser ran only on frames with a tracked person.
        QVERIFY(rig->faces->calls.load() > 0 && rig->faces->calls.load() < 100);
    }

    void everyBufferIsZeroedBeforeReuse()
    {
        auto rig = makeRig({}, {}, -1);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        QVERIFY(rig->pipeline->run(stop).ok());
        // Buffers are recycled (the pool is small), each one came back zeroed, and the
        // detector did see the pixels (so zero dirty buffers is not an empty-frame artefact).
        QVERIFY(rig->source->reusedBuffers.load() > 50);
        QCOMPARE(rig->source->dirtyBuffers.load(), 0);
        QCOMPARE(rig->detector->framesWithPixels.load(), 100);
    }

    void sinkErrorStopsTheRunAndNamesTheCause()
    {
        // 3 minutes of frames, so that windows close during the run.
        SyntheticFrameSource::Options source;
        source.frames = 1800;
        auto rig = makeRig(source, {});
        QVERIFY(rig);
        int calls = 0;
        rig->pipeline->setWindowSink([&](const QList<core::AudienceWindow> &) {
            ++calls;
            return core::Status(core::makeError(core::ErrorCode::Io, QStringLiteral("disk full")));
        });
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, core::ErrorCode::Io);
        QCOMPARE(report.error().message, QStringLiteral("cannot store audience windows: disk full"));
        QCOMPARE(calls, 1); // nothing more is offered after a failure
        // The run stopped at the first closed window (40 s in), not at the end of the source.
        QVERIFY(rig->source->framesProduced.load() < 1800);
        QCOMPARE(rig->source->dirtyBuffers.load(), 0);
    }

    void detectorErrorStopsTheRun()
    {
        ScriptedPersonDetector::Options detector;
        detector.failAt = 5;
        auto rig = makeRig({}, detector);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().message, QStringLiteral("scripted detector failure at call 5"));
        QCOMPARE(rig->detector->calls.load(), 6);
        QVERIFY(rig->source->framesProduced.load() < 100);
        QVERIFY(rig->stored.isEmpty());
        QVERIFY(!rig->pipeline->liveStats().running || rig->pipeline->liveStats().framesProcessed <= 5);
    }

    void faceAnalyserErrorStopsTheRun()
    {
        ScriptedPersonDetector::Options detector;
        detector.script = ScriptedPersonDetector::walker(0.1, 0.9, 0.5, 60);
        auto rig = makeRig({}, detector, 3);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().message, QStringLiteral("fake face analyser failure at call 3"));
        QCOMPARE(rig->faces->calls.load(), 4);
    }

    void captureErrorEndsTheRunWithItsMessage()
    {
        SyntheticFrameSource::Options source;
        source.failAt = 20;
        auto rig = makeRig(source, {});
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, core::ErrorCode::Io);
        QCOMPARE(report.error().message, QStringLiteral("synthetic capture failure at frame 20"));
        // The 20 frames read before the failure were all processed.
        QCOMPARE(rig->detector->calls.load(), 20);
    }

    void liveSourceDropsTheOldestFrameWhenBehind()
    {
        // The detector holds its first frame until the live source has produced 20 more: the
        // bounded queue must drop the oldest frames instead of growing.
        std::mutex mutex;
        std::condition_variable produced;
        qint64 latest = -1;
        SyntheticFrameSource::Options source;
        source.frames = 30;
        source.live = true;
        source.onRead = [&](qint64 index) {
            std::lock_guard lock(mutex);
            latest = index;
            produced.notify_all();
        };
        bool heldBack = false;
        ScriptedPersonDetector::Options detector;
        detector.onDetect = [&](qint64 call) {
            if (call != 0)
                return;
            std::unique_lock lock(mutex);
            heldBack = produced.wait_for(lock, std::chrono::seconds(30), [&] { return latest >= 20; });
        };
        auto rig = makeRig(source, detector);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QVERIFY(heldBack);
        QCOMPARE(report->framesRead, 30);
        QVERIFY2(report->framesDropped >= 15, qPrintable(QString::number(report->framesDropped)));
        QCOMPARE(report->framesProcessed + report->framesDropped, report->framesRead);
        QCOMPARE(rig->source->dirtyBuffers.load(), 0);
    }

    void fileSourceWaitsInsteadOfDropping()
    {
        // The same hold-up on a file source: capture blocks, nothing is dropped.
        std::atomic<qint64> latest{-1};
        SyntheticFrameSource::Options source;
        source.frames = 30;
        source.onRead = [&](qint64 index) { latest.store(index); };
        qint64 readWhileHeld = -1;
        ScriptedPersonDetector::Options detector;
        detector.onDetect = [&](qint64 call) {
            if (call == 0)
                readWhileHeld = latest.load();
        };
        auto rig = makeRig(source, detector);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(report.ok());
        QCOMPARE(report->framesDropped, 0);
        QCOMPARE(report->framesProcessed, 30);
        // Capture can be at most queue + pool ahead of the detector.
        QVERIFY(readWhileHeld < 6);
    }

    void stopRequestClosesAndStoresTheOpenWindows()
    {
        SyntheticFrameSource::Options source;
        source.frames = 1000;
        ScriptedPersonDetector::Options detector;
        detector.script = ScriptedPersonDetector::walker(0.1, 0.9, 0.5, 1000);
        auto rig = makeRig(source, detector);
        QVERIFY(rig);
        std::atomic<bool> stop{false};
        rig->pipeline->setProgressCallback([&](qint64 done, qint64) {
            if (done == 50)
                stop.store(true);
        });
        auto report = rig->pipeline->run(stop);
        QVERIFY(report.ok());
        QVERIFY(report->stoppedBySignal);
        QVERIFY(report->framesProcessed >= 50 && report->framesProcessed < 1000);
        QCOMPARE(rig->stored.size(), 1);
        QVERIFY(rig->source->interrupted.load() || rig->source->framesProduced.load() < 1000);
        // The window ends at the last processed frame (+ one frame), not at the source's end.
        const qint64 lastFrameMs = source.startMs + (report->framesProcessed - 1) * 100;
        QCOMPARE(rig->stored.first().endMs, lastFrameMs + 100);
    }

    void badGroundPlaneIsRefusedAtStartAndOnALiveSwitch()
    {
        auto calibrated = core::ZoneConfig::fromJson(kTwistedCalibration);
        QVERIFY2(calibrated.ok(), calibrated.ok() ? "" : qPrintable(calibrated.error().message));

        // At start-up ...
        auto atStart = pipeline::PipelineConfigurator().configure(*calibrated);
        QVERIFY(!atStart.ok());
        QVERIFY2(atStart.error().message.startsWith(QStringLiteral("calibration.floor_points: ground plane:")),
                 qPrintable(atStart.error().message));
        QCOMPARE(pipeline::PipelineConfigurator::check(*calibrated).error().message, atStart.error().message);

        // ... and on a live switch: refused with the same message, the run keeps its zones.
        auto rig = makeRig({}, {});
        QVERIFY(rig);
        const QString before = wholeFrame().version();
        QString refusal;
        rig->pipeline->setProgressCallback([&](qint64 done, qint64) {
            if (done == 10) {
                auto requested = rig->pipeline->requestZoneConfig(*calibrated);
                refusal = requested.ok() ? QString() : requested.error().message;
            }
        });
        std::atomic<bool> stop{false};
        auto report = rig->pipeline->run(stop);
        QVERIFY(report.ok());
        QCOMPARE(refusal, atStart.error().message);
        QCOMPARE(report->calibrationVersion, before);
        for (const auto &w : rig->stored)
            QCOMPARE(w.calibrationVersion, before);
    }
};

QTEST_GUILESS_MAIN(TestPipelineInProcess)
#include "TestPipelineInProcess.moc"
