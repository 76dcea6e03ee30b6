// The edge pipeline on the real sample video with the real detector: live figures, the
// installer overlay tap, and a zone configuration switched at a window boundary.
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "pipeline/EdgePipeline.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace signiq;

namespace {

core::ZoneConfig zones(double splitX)
{
    const QByteArray json = QStringLiteral(R"({"zones":[
        {"name":"west","polygon":[[0,0],[%1,0],[%1,1],[0,1]]},
        {"name":"east","polygon":[[%1,0],[1,0],[1,1],[%1,1]]}]})")
                                .arg(splitX)
                                .toUtf8();
    return *core::ZoneConfig::fromJson(json);
}

} // namespace

class TestEdgePipeline : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<pipeline::EdgePipeline> makePipeline(const core::ZoneConfig &config, qint64 startMs)
    {
        vision::SourceOptions sourceOptions;
        sourceOptions.startTimeMs = startMs;
        auto source = vision::openFrameSource(QStringLiteral(SIGNIQ_SAMPLE_VIDEO), sourceOptions);
        vision::PersonDetectorConfig detectorConfig;
        detectorConfig.modelsDir = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
        auto detector = vision::createPersonDetector(detectorConfig);
        if (!source || !detector)
            return nullptr;
        analytics::AggregatorOptions aggregatorOptions;
        aggregatorOptions.modelVersion = (*detector)->modelVersion();
        aggregatorOptions.targetFps = 10.0;
        auto setup = pipeline::PipelineConfigurator(aggregatorOptions).configure(config);
        if (!setup)
            return nullptr;
        return std::make_unique<pipeline::EdgePipeline>(std::move(source).value(), std::move(detector).value(), std::move(setup).value(),
                                                        pipeline::EdgePipelineOptions{});
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing: install Debian's opencv-doc");
    }

    void zoneConfigSwitchesAtWindowBoundary()
    {
        // 10:00:30 + 79.5 s: windows [10:00:30, 10:01:00) and [10:01:00, 10:01:49.5).
        const qint64 start = QDateTime::fromString(QStringLiteral("2026-11-29T10:00:30Z"), Qt::ISODate).toMSecsSinceEpoch();
        const qint64 boundary = start + 30'000;
        const core::ZoneConfig before = zones(0.5);
        const core::ZoneConfig after = zones(0.3);
        QVERIFY(before.version() != after.version());
        auto pipeline = makePipeline(before, start);
        QVERIFY(pipeline);
        QList<core::AudienceWindow> windows;
        pipeline->setWindowSink([&](const QList<core::AudienceWindow> &w) {
            windows += w;
            return core::Status{};
        });
        bool requested = false;
        pipeline::PipelineLiveStats liveDuringRun;
        pipeline->setProgressCallback([&](qint64 done, qint64) {
            if (done == 100 && !requested) { // 10 s into the first window
                QVERIFY(pipeline->requestZoneConfig(after).ok());
                requested = true;
            }
            if (done == 400)
                liveDuringRun = pipeline->liveStats();
        });
        std::atomic<bool> stop{false};
        auto report = pipeline->run(stop);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QVERIFY(requested);

        // Two zones x two windows; the first pair counted with the old configuration, the second
        // with the new one, and no window straddles the switch.
        QCOMPARE(windows.size(), 4);
        for (const auto &w : windows) {
            if (w.startMs < boundary) {
                QCOMPARE(w.calibrationVersion, before.version());
                QCOMPARE(w.endMs, boundary);
            } else {
                QCOMPARE(w.startMs, boundary);
                QCOMPARE(w.calibrationVersion, after.version());
            }
        }
        QCOMPARE(report->calibrationVersion, after.version());

        QVERIFY(liveDuringRun.running);
        QCOMPARE(liveDuringRun.calibrationVersion, after.version());
        QVERIFY(liveDuringRun.framesProcessed >= 300);
        QVERIFY(liveDuringRun.captureToReleaseP99Ms.has_value());
        QVERIFY(pipeline->liveStats().running == false);
    }

    void overlayTapOnlyWhileActive()
    {
        auto pipeline = makePipeline(zones(0.5), 1'700'000'000'000);
        QVERIFY(pipeline);
        QList<QByteArray> jpegs;
        QList<qint64> times;
        pipeline->setOverlayTap([&](const QByteArray &jpeg, qint64 t) {
            jpegs << jpeg;
            times << t;
        });
        qint64 activeFrom = -1, activeTo = -1;
        pipeline->setProgressCallback([&](qint64 done, qint64) {
            if (done == 200) {
                pipeline->setOverlayActive(true);
                activeFrom = done;
            }
            if (done == 400) {
                pipeline->setOverlayActive(false);
                activeTo = done;
            }
        });
        std::atomic<bool> stop{false};
        QVERIFY(pipeline->run(stop).ok());
        QVERIFY(activeFrom > 0 && activeTo > activeFrom);
        // 200 frames at 10 fps = 20 s of video at most 5 overlay frames per second.
        QVERIFY2(jpegs.size() >= 50 && jpegs.size() <= 101, qPrintable(QString::number(jpegs.size())));
        for (qsizetype i = 1; i < times.size(); ++i)
            QVERIFY(times.at(i) - times.at(i - 1) >= 200);
        const cv::Mat decoded = cv::imdecode(std::vector<uchar>(jpegs.first().begin(), jpegs.first().end()), cv::IMREAD_COLOR);
        QVERIFY(!decoded.empty());
        QVERIFY(decoded.cols <= 640);
    }
};

QTEST_GUILESS_MAIN(TestEdgePipeline)
#include "TestEdgePipeline.moc"
