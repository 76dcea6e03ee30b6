// Whole edge pipeline on a video vs OpenCV's classic HOG people detector, in one run.
//
//   bench_pipeline [--video FILE] [--models-dir DIR] [--model NAME] [--loops N]
//                  [--hand-counts FRAME:COUNT,...] [--hog-every N]
//
// Prints: pipeline frames/s with detection on every frame, per-stage ms, capture->release
// p50/p99, peak RSS and RSS after each loop of the video (flat = no leak); HOG frames/s on the
// same frames and the speed ratio; mean absolute error of both occupancy series against hand
// counts (default: the MANIFEST's counts for vtest frames 0/300/700 = 3/6/8).
#include "core/ZoneConfig.h"
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"
#include "vision/models/ModelStore.h"
#include "pipeline/EdgePipeline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/videoio.hpp>

#include <cstdio>

using namespace signiq;

namespace {

long rssKb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

// Plays a file source N times back to back with continuous timestamps, sampling RSS at each
// loop boundary: the 10x soak for "memory stays flat".
class LoopingSource final : public vision::FrameSource {
public:
    LoopingSource(QString path, int loops, qint64 startMs)
        : m_path(std::move(path)), m_loops(loops), m_startMs(startMs) {}

    core::Status open() override { return reopen(); }

    core::Result<bool> read(vision::PooledFrame &into) override
    {
        while (true) {
            auto got = m_inner->read(into);
            if (!got || *got) {
                if (got && *got) {
                    into.info().timestampMs += m_offsetMs;
                    into.info().index += m_indexOffset;
                    m_lastIndex = into.info().index;
                }
                return got;
            }
            rssAfterLoop.push_back(rssKb("VmRSS:"));
            if (++m_loop >= m_loops)
                return false;
            m_indexOffset = m_lastIndex + 1;
            m_offsetMs = qint64(double(m_indexOffset) * 1000.0 / nominalFps());
            if (auto ok = reopen(); !ok)
                return ok.error();
        }
    }

    double nominalFps() const override { return m_inner ? m_inner->nominalFps() : 0.0; }
    qint64 frameCount() const override { return m_inner ? m_inner->frameCount() * m_loops : -1; }
    bool isLive() const override { return false; }
    QString description() const override { return QStringLiteral("%1 x%2").arg(m_path).arg(m_loops); }

    std::vector<long> rssAfterLoop;

private:
    core::Status reopen()
    {
        vision::SourceOptions options;
        options.startTimeMs = m_startMs;
        auto source = vision::openFrameSource(m_path, options);
        if (!source)
            return source.error();
        m_inner = std::move(source).value();
        return {};
    }

    QString m_path;
    int m_loops;
    qint64 m_startMs;
    int m_loop = 0;
    qint64 m_offsetMs = 0;
    qint64 m_indexOffset = 0;
    qint64 m_lastIndex = 0;
    std::unique_ptr<vision::FrameSource> m_inner;
};

void print(const QString &line)
{
    std::printf("%s\n", line.toUtf8().constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("signiq.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Edge pipeline benchmark against OpenCV HOG on the same frames."));
    parser.addHelpOption();
    const QCommandLineOption video(QStringLiteral("video"), QStringLiteral("Video file."), QStringLiteral("FILE"),
                                   QStringLiteral(SIGNIQ_DEFAULT_VIDEO));
    const QCommandLineOption modelsDir(QStringLiteral("models-dir"),
                                       QStringLiteral("Model directory (default: the mirror next to the repo)."),
                                       QStringLiteral("DIR"), QStringLiteral(SIGNIQ_DEFAULT_MODELS_MIRROR));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Person model."), QStringLiteral("NAME"),
                                   QStringLiteral("yolo-fastest-1.1-body"));
    const QCommandLineOption loops(QStringLiteral("loops"), QStringLiteral("Play the video this many times (RSS soak)."),
                                   QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption handCounts(QStringLiteral("hand-counts"),
                                        QStringLiteral("Hand counts as FRAME:COUNT,... (default vtest 0:3,300:6,700:8)."),
                                        QStringLiteral("LIST"), QStringLiteral("0:3,300:6,700:8"));
    const QCommandLineOption hogEvery(QStringLiteral("hog-every"),
                                      QStringLiteral("Run HOG on every N-th frame of one loop (it is slow)."),
                                      QStringLiteral("N"), QStringLiteral("1"));
    for (const auto &o : {video, modelsDir, model, loops, handCounts, hogEvery})
        parser.addOption(o);
    parser.process(app);

    QMap<qint64, int> hand;
    for (const QString &pair : parser.value(handCounts).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList parts = pair.split(QLatin1Char(':'));
        bool okFrame = false, okCount = false;
        if (parts.size() == 2) {
            const qint64 frame = parts[0].toLongLong(&okFrame);
            const int count = parts[1].toInt(&okCount);
            if (okFrame && okCount)
                hand.insert(frame, count);
        }
        if (!okFrame || !okCount) {
            std::fprintf(stderr, "bad --hand-counts entry '%s' (want FRAME:COUNT)\n", pair.toUtf8().constData());
            return 2;
        }
    }
    const int loopCount = std::max(1, parser.value(loops).toInt());
    const int hogStride = std::max(1, parser.value(hogEvery).toInt());

    // ---- the Signiq pipeline ---------------------------------------------------------------
    QFile zonesFile(QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"));
    if (!zonesFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read resources/zones/vtest.json\n");
        return 1;
    }
    auto zones = core::ZoneConfig::fromJson(zonesFile.readAll());
    if (!zones) {
        std::fprintf(stderr, "%s\n", zones.error().message.toUtf8().constData());
        return 1;
    }
    vision::PersonDetectorConfig detectorConfig;
    detectorConfig.model = parser.value(model);
    detectorConfig.modelsDir = parser.value(modelsDir);
    auto detector = vision::createPersonDetector(detectorConfig);
    if (!detector) {
        std::fprintf(stderr, "%s\n", detector.error().message.toUtf8().constData());
        return 1;
    }
    auto looping = std::make_unique<LoopingSource>(parser.value(video), loopCount, 1'700'000'000'000);
    if (auto ok = looping->open(); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().message.toUtf8().constData());
        return 1;
    }
    LoopingSource *source = looping.get();
    const double fps = source->nominalFps();
    const qint64 framesPerLoop = source->frameCount() / loopCount;

    analytics::AggregatorOptions aggregatorOptions;
    aggregatorOptions.modelVersion = (*detector)->modelVersion();
    aggregatorOptions.targetFps = fps;
    pipeline::EdgePipelineOptions options;
    options.detectEvery = 1;
    options.keepWindowsInReport = false;
    auto setup = pipeline::PipelineConfigurator(aggregatorOptions).configure(*zones);
    if (!setup) {
        std::fprintf(stderr, "%s\n", setup.error().message.toUtf8().constData());
        return 1;
    }
    pipeline::EdgePipeline pipeline(std::move(looping), std::move(detector).value(), *setup, options);
    qint64 windows = 0;
    pipeline.setWindowSink([&](const QList<core::AudienceWindow> &w) {
        windows += w.size();
        return core::Status{};
    });
    const long rssBefore = rssKb("VmRSS:");
    print(QStringLiteral("pipeline: %1, %2 frames x %3 loops, model %4, detection on every frame ...")
              .arg(parser.value(video))
              .arg(framesPerLoop)
              .arg(loopCount)
              .arg(parser.value(model)));
    std::atomic<bool> stop{false};
    auto report = pipeline.run(stop);
    if (!report) {
        std::fprintf(stderr, "%s\n", report.error().message.toUtf8().constData());
        return 1;
    }

    // ---- the full pipeline: + faces, head pose (attention) and age/gender (demographics) ------
    print(QStringLiteral("full pipeline: one loop with face analysis, head pose and demographics on ..."));
    core::ZoneConfig fullZones = *zones;
    fullZones.audience.demographics = true;
    vision::FaceAnalyzerConfig faceConfig;
    faceConfig.modelsDir = parser.value(modelsDir);
    faceConfig.demographicsEnabled = true;
    auto faces = vision::createFaceAnalyzer(faceConfig);
    auto fullDetector = vision::createPersonDetector(detectorConfig);
    auto fullSource = std::make_unique<LoopingSource>(parser.value(video), 1, 1'700'000'000'000);
    if (!faces || !fullDetector || !fullSource->open()) {
        std::fprintf(stderr, "cannot set up the full pipeline: %s\n",
                     (!faces ? faces.error().message : QStringLiteral("detector or source")).toUtf8().constData());
        return 1;
    }
    auto fullSetup = pipeline::PipelineConfigurator(aggregatorOptions).configure(fullZones);
    if (!fullSetup) {
        std::fprintf(stderr, "%s\n", fullSetup.error().message.toUtf8().constData());
        return 1;
    }
    pipeline::EdgePipeline full(std::move(fullSource), std::move(fullDetector).value(), *fullSetup, options);
    full.setFaceAnalyzer(std::move(faces).value());
    auto fullReport = full.run(stop);
    if (!fullReport) {
        std::fprintf(stderr, "%s\n", fullReport.error().message.toUtf8().constData());
        return 1;
    }

    // ---- baseline: OpenCV HOG people detector on the same frames (one loop) ----------------
    print(QStringLiteral("baseline: HOG people detector on every %1. frame of one loop ...").arg(hogStride));
    cv::HOGDescriptor hog;
    hog.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
    cv::VideoCapture capture(parser.value(video).toStdString());
    cv::Mat frame;
    qint64 hogFrames = 0;
    double hogMs = 0.0;
    QMap<qint64, int> hogCounts;
    for (qint64 i = 0; capture.read(frame); ++i) {
        if (i % hogStride != 0 && !hand.contains(i))
            continue;
        std::vector<cv::Rect> found;
        QElapsedTimer t;
        t.start();
        hog.detectMultiScale(frame, found, 0, cv::Size(8, 8), cv::Size(), 1.05, 2);
        hogMs += double(t.nsecsElapsed()) / 1e6;
        ++hogFrames;
        hogCounts.insert(i, int(found.size()));
        if (hogFrames % 50 == 0)
            std::fprintf(stderr, "  HOG %lld frames\n", static_cast<long long>(hogFrames));
    }
    const double hogFps = hogMs > 0 ? double(hogFrames) * 1000.0 / hogMs : 0.0;

    // ---- occupancy error against hand counts ----------------------------------------------
    double pipelineAbsErr = 0.0, hogAbsErr = 0.0;
    for (auto it = hand.cbegin(); it != hand.cend(); ++it) {
        const qint64 second = qint64(double(it.key()) / fps);
        const int people = second < report->occupancy.size() ? report->occupancy.at(second).people : 0;
        pipelineAbsErr += std::abs(people - it.value());
        hogAbsErr += std::abs(hogCounts.value(it.key()) - it.value());
        print(QStringLiteral("  frame %1: hand %2, signiq %3, HOG %4").arg(it.key()).arg(it.value()).arg(people).arg(hogCounts.value(it.key())));
    }

    const auto &r = *report;
    print(QString());
    print(QStringLiteral("signiq pipeline       %1 fps (%2 frames in %3 s, 768x576, detection every frame)")
              .arg(r.pipelineFps, 0, 'f', 1)
              .arg(r.framesProcessed)
              .arg(r.wallSeconds, 0, 'f', 1));
    print(QStringLiteral("  stages (mean ms)    decode %1, detect %2, track %3, analytics %4")
              .arg(r.decode.meanMs(), 0, 'f', 2)
              .arg(r.detect.meanMs(), 0, 'f', 2)
              .arg(r.track.meanMs(), 0, 'f', 3)
              .arg(r.analytics.meanMs(), 0, 'f', 3));
    print(QStringLiteral("  capture->release    p50 %1 ms, p99 %2 ms").arg(r.captureToReleaseP50Ms, 0, 'f', 1).arg(r.captureToReleaseP99Ms, 0, 'f', 1));
    QStringList rss;
    for (long kb : source->rssAfterLoop)
        rss << QString::number(kb / 1024.0, 'f', 1);
    print(QStringLiteral("  RSS MiB             before %1, after each loop: %2; peak %3")
              .arg(rssBefore / 1024.0, 0, 'f', 1)
              .arg(rss.join(QStringLiteral(", ")))
              .arg(rssKb("VmHWM:") / 1024.0, 0, 'f', 1));
    if (source->rssAfterLoop.size() >= 2)
        print(QStringLiteral("  RSS growth loop 1 -> %1: %2 MiB")
                  .arg(source->rssAfterLoop.size())
                  .arg((source->rssAfterLoop.back() - source->rssAfterLoop.front()) / 1024.0, 0, 'f', 1));
    print(QStringLiteral("  windows closed      %1").arg(windows));
    print(QStringLiteral("full pipeline         %1 fps with faces + head pose + age/gender (faces %2 ms/frame on %3 frames); "
                         "counting only %4 fps; ratio %5")
              .arg(fullReport->pipelineFps, 0, 'f', 1)
              .arg(fullReport->faces.meanMs(), 0, 'f', 2)
              .arg(fullReport->framesWithFaces)
              .arg(r.pipelineFps, 0, 'f', 1)
              .arg(r.pipelineFps > 0 ? fullReport->pipelineFps / r.pipelineFps : 0.0, 0, 'f', 2));
    print(QStringLiteral("HOG baseline          %1 fps (%2 frames)").arg(hogFps, 0, 'f', 2).arg(hogFrames));
    print(QStringLiteral("speed ratio           %1x (signiq whole pipeline / HOG detection alone)")
              .arg(hogFps > 0 ? r.pipelineFps / hogFps : 0.0, 0, 'f', 1));
    if (!hand.isEmpty())
        print(QStringLiteral("occupancy MAE         signiq %1, HOG %2 people (over %3 hand-counted frames)")
                  .arg(pipelineAbsErr / hand.size(), 0, 'f', 2)
                  .arg(hogAbsErr / hand.size(), 0, 'f', 2)
                  .arg(hand.size()));
    const auto verdict = [](bool met) { return met ? QStringLiteral("met") : QStringLiteral("NOT met"); };
    print(QStringLiteral("goals                 counting >= 50 fps: %1; p99 <= 40 ms: %2; full pipeline >= 30 fps: %3")
              .arg(verdict(r.pipelineFps >= 50), verdict(r.captureToReleaseP99Ms <= 40), verdict(fullReport->pipelineFps >= 30)));
    return 0;
}
