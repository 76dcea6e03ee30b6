// Tracking stability on a video: how many distinct confirmed tracks, how long they live, how
// often the person seems to leave and come back, and what the tracker costs per frame. Fewer,
// longer tracks for the same people = fewer id switches.
//
//   bench_tracking [--video FILE] [--models-dir DIR] [--model NAME] [--low X]
//                  [--save-detections FILE | --detections FILE] [--trace FILE]
//                  [--high X] [--tlow X] [--new X] [--iou1 X] [--iou2 X] [--iou3 X] [--dist X]
//                  [--refind X] [--refind-max X] [--lost-ms N] [--coast-ms N] [--confirm N]
//
// --save-detections writes the detector output per frame (text); --detections replays such a
// file instead of running the detector, so tracker parameters can be swept in seconds.
// --trace writes one line per reported track per frame (frame, id index, box, flags).
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/tracking/ByteTracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <vector>

using namespace signiq;

namespace {

struct FrameDetections {
    qint64 timestampMs = 0;
    QSizeF size;
    QList<vision::Detection> detections;
};

// Detections of every frame, from the detector or from a file written by --save-detections.
std::vector<FrameDetections> loadDetections(const QString &path, QString *error)
{
    std::vector<FrameDetections> frames;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("cannot read %1").arg(path);
        return frames;
    }
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QStringList f = in.readLine().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() < 4)
            continue;
        FrameDetections fd;
        fd.timestampMs = f[0].toLongLong();
        fd.size = QSizeF(f[1].toDouble(), f[2].toDouble());
        const int n = f[3].toInt();
        for (int i = 0; i < n && 4 + 5 * i + 4 < f.size(); ++i) {
            const int o = 4 + 5 * i;
            fd.detections.append(vision::Detection{
                QRectF(f[o].toDouble(), f[o + 1].toDouble(), f[o + 2].toDouble(), f[o + 3].toDouble()), f[o + 4].toFloat()});
        }
        frames.push_back(std::move(fd));
    }
    return frames;
}

bool saveDetections(const QString &path, const std::vector<FrameDetections> &frames)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    for (const auto &fd : frames) {
        out << fd.timestampMs << ' ' << fd.size.width() << ' ' << fd.size.height() << ' ' << fd.detections.size();
        for (const auto &d : fd.detections)
            out << ' ' << d.box.x() << ' ' << d.box.y() << ' ' << d.box.width() << ' ' << d.box.height() << ' ' << d.score;
        out << '\n';
    }
    return true;
}

struct TrackLife {
    int index = 0;           // order of first appearance, for the trace
    qint64 first = -1;       // first / last frame with a confirmed detected observation
    qint64 last = -1;
    qint64 lastSeen = -1;    // last frame in which the id was reported confirmed (predicted or not)
    qint64 lastSeenMs = 0;
    int reappearances = 0;   // absent from the output >= 1 s, then back (analytics: exit + entry)
    int predictedFrames = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption video(QStringLiteral("video"), QStringLiteral("Video."), QStringLiteral("FILE"), QStringLiteral(SIGNIQ_DEFAULT_VIDEO));
    const QCommandLineOption models(QStringLiteral("models-dir"), QStringLiteral("Models."), QStringLiteral("DIR"),
                                    QStringLiteral(SIGNIQ_DEFAULT_MODELS_MIRROR));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Model."), QStringLiteral("NAME"), QStringLiteral("yolo-fastest-1.1-body"));
    const QCommandLineOption saveDets(QStringLiteral("save-detections"), QStringLiteral("Write the detections to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption loadDets(QStringLiteral("detections"), QStringLiteral("Replay detections from FILE (no video, no detector)."), QStringLiteral("FILE"));
    const QCommandLineOption trace(QStringLiteral("trace"), QStringLiteral("Write every reported track per frame to FILE."), QStringLiteral("FILE"));
    const QCommandLineOption lost(QStringLiteral("lost-ms"), QStringLiteral("Lost-track buffer."), QStringLiteral("MS"), QStringLiteral("-1"));
    const QCommandLineOption coast(QStringLiteral("coast-ms"), QStringLiteral("Report lost tracks as predicted for this long."), QStringLiteral("MS"), QStringLiteral("-1"));
    const QCommandLineOption confirm(QStringLiteral("confirm"), QStringLiteral("Confirm frames."), QStringLiteral("N"), QStringLiteral("-1"));
    const QCommandLineOption low(QStringLiteral("low"), QStringLiteral("Detector low score."), QStringLiteral("X"), QStringLiteral("0.1"));
    const QCommandLineOption high(QStringLiteral("high"), QStringLiteral("Tracker high score."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption trackerLow(QStringLiteral("tlow"), QStringLiteral("Tracker low score."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption newTrack(QStringLiteral("new"), QStringLiteral("Tracker new-track score."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption iou1(QStringLiteral("iou1"), QStringLiteral("First-stage IoU."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption iou2(QStringLiteral("iou2"), QStringLiteral("Second-stage IoU."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption iou3(QStringLiteral("iou3"), QStringLiteral("Tentative-stage IoU."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption dist(QStringLiteral("dist"), QStringLiteral("Centre-distance gate in box heights (0 = IoU only)."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption refind(QStringLiteral("refind"), QStringLiteral("Re-find gate growth, box heights per second lost."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption refindMax(QStringLiteral("refind-max"), QStringLiteral("Re-find gate cap, box heights."), QStringLiteral("X"), QStringLiteral("-1"));
    for (const auto &o : {video, models, model, saveDets, loadDets, trace, lost, coast, confirm, low, high, trackerLow, newTrack,
                          iou1, iou2, iou3, dist, refind, refindMax})
        parser.addOption(o);
    parser.process(app);

    // ---- detections -------------------------------------------------------------------------
    std::vector<FrameDetections> frames;
    if (parser.isSet(loadDets)) {
        QString error;
        frames = loadDetections(parser.value(loadDets), &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "%s\n", error.toUtf8().constData());
            return 1;
        }
    } else {
        vision::PersonDetectorConfig dc;
        dc.model = parser.value(model);
        dc.modelsDir = parser.value(models);
        dc.lowScoreThreshold = parser.value(low).toFloat();
        auto detector = vision::createPersonDetector(dc);
        if (!detector) {
            std::fprintf(stderr, "%s\n", detector.error().message.toUtf8().constData());
            return 1;
        }
        auto source = vision::openFrameSource(parser.value(video), {});
        if (!source) {
            std::fprintf(stderr, "%s\n", source.error().message.toUtf8().constData());
            return 1;
        }
        vision::FramePool pool(2);
        while (true) {
            auto frame = pool.acquire();
            auto got = (*source)->read(*frame);
            if (!got || !*got)
                break;
            auto dets = (*detector)->detect(frame->image());
            if (!dets) {
                std::fprintf(stderr, "%s\n", dets.error().message.toUtf8().constData());
                return 1;
            }
            FrameDetections fd;
            fd.size = QSizeF(frame->image().cols, frame->image().rows);
            fd.timestampMs = frame->info().timestampMs;
            fd.detections = *dets;
            frame->release();
            frames.push_back(std::move(fd));
        }
        if (parser.isSet(saveDets) && !saveDetections(parser.value(saveDets), frames)) {
            std::fprintf(stderr, "cannot write %s\n", parser.value(saveDets).toUtf8().constData());
            return 1;
        }
    }

    // ---- tracker ----------------------------------------------------------------------------
    vision::TrackerConfig tc;
    if (parser.value(lost).toInt() >= 0)
        tc.lostTrackBufferMs = parser.value(lost).toInt();
    if (parser.value(coast).toInt() >= 0)
        tc.coastMs = parser.value(coast).toInt();
    if (parser.value(confirm).toInt() > 0)
        tc.confirmFrames = parser.value(confirm).toInt();
    const auto set = [&](const QCommandLineOption &o, float &field) {
        if (parser.value(o).toFloat() >= 0)
            field = parser.value(o).toFloat();
    };
    set(high, tc.highScoreThreshold);
    set(trackerLow, tc.lowScoreThreshold);
    set(newTrack, tc.newTrackScoreThreshold);
    set(iou1, tc.firstStageMinIou);
    set(iou2, tc.secondStageMinIou);
    set(iou3, tc.tentativeMinIou);
    set(dist, tc.maxCentreDistance);
    set(refind, tc.refindDistancePerSecond);
    set(refindMax, tc.maxRefindDistance);
    vision::ByteTracker tracker(tc);

    QFile traceFile;
    QTextStream traceOut;
    if (parser.isSet(trace)) {
        traceFile.setFileName(parser.value(trace));
        if (!traceFile.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
            std::fprintf(stderr, "cannot write %s\n", parser.value(trace).toUtf8().constData());
            return 1;
        }
        traceOut.setDevice(&traceFile);
    }

    std::map<core::TrackId, TrackLife> life;
    std::vector<double> updateUs;
    updateUs.reserve(frames.size());
    qint64 reported = 0;
    std::map<int, int> scoreHistogram; // score decile -> count
    qint64 frameIndex = 0;
    for (const auto &fd : frames) {
        for (const auto &d : fd.detections)
            ++scoreHistogram[std::clamp(int(d.score * 10.f), 0, 9)];
        const auto start = std::chrono::steady_clock::now();
        const auto out = tracker.update(fd.detections, fd.timestampMs, fd.size);
        updateUs.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
        reported += out.size();
        for (const auto &t : out) {
            auto [it, inserted] = life.try_emplace(t.id);
            TrackLife &l = it->second;
            if (inserted)
                l.index = int(life.size());
            if (traceOut.device())
                traceOut << frameIndex << ' ' << l.index << ' ' << qRound(t.box.x() * fd.size.width()) << ' '
                         << qRound(t.box.y() * fd.size.height()) << ' ' << qRound(t.box.width() * fd.size.width()) << ' '
                         << qRound(t.box.height() * fd.size.height()) << ' ' << (t.confirmed ? 'c' : 't')
                         << (t.predicted ? 'p' : 'd') << ' ' << t.score << '\n';
            if (!t.confirmed)
                continue;
            if (l.lastSeen >= 0 && frameIndex - l.lastSeen > 1 && fd.timestampMs - l.lastSeenMs > 1000)
                ++l.reappearances;
            l.lastSeen = frameIndex;
            l.lastSeenMs = fd.timestampMs;
            if (t.predicted) {
                ++l.predictedFrames;
                continue;
            }
            if (l.first < 0)
                l.first = frameIndex;
            l.last = frameIndex;
        }
        ++frameIndex;
    }

    // ---- report -----------------------------------------------------------------------------
    const double fps = frames.size() > 1 && frames.back().timestampMs > frames.front().timestampMs
        ? 1000.0 * double(frames.size() - 1) / double(frames.back().timestampMs - frames.front().timestampMs)
        : 10.0;
    const auto twoSeconds = qint64(2.0 * fps + 0.5);
    int distinct = 0, shortTracks = 0, reappearances = 0;
    qint64 predictedFrames = 0;
    double total = 0;
    const std::vector<double> binsS{1, 2, 5, 10, 20, 40};
    std::vector<int> histogram(binsS.size() + 1, 0);
    for (const auto &[id, l] : life) {
        if (l.first < 0)
            continue; // never confirmed with a detection
        ++distinct;
        const qint64 len = l.last - l.first + 1;
        total += double(len);
        shortTracks += len < twoSeconds ? 1 : 0;
        reappearances += l.reappearances;
        predictedFrames += l.predictedFrames;
        const double s = double(len) / fps;
        size_t bin = 0;
        while (bin < binsS.size() && s >= binsS[bin])
            ++bin;
        ++histogram[bin];
    }
    std::sort(updateUs.begin(), updateUs.end());
    double sumUs = 0;
    for (double v : updateUs)
        sumUs += v;

    std::printf("model %s\n", parser.isSet(loadDets) ? parser.value(loadDets).toUtf8().constData()
                                                     : parser.value(model).toUtf8().constData());
    std::printf("frames %zu, distinct confirmed tracks %d, mean life %.1f frames, tracks < 2 s: %d\n", frames.size(),
                distinct, distinct ? total / double(distinct) : 0.0, shortTracks);
    std::printf("reappearances after >= 1 s absent: %d, predicted (coasting) observations: %lld\n", reappearances,
                static_cast<long long>(predictedFrames));
    std::printf("track life (s):");
    for (size_t b = 0; b < histogram.size(); ++b) {
        if (b == 0)
            std::printf("  <%g: %d", binsS[0], histogram[b]);
        else if (b == binsS.size())
            std::printf("  >=%g: %d", binsS[b - 1], histogram[b]);
        else
            std::printf("  %g-%g: %d", binsS[b - 1], binsS[b], histogram[b]);
    }
    std::printf("\ndetection scores:");
    for (const auto &[decile, count] : scoreHistogram)
        std::printf("  %.1f: %d", decile / 10.0, count);
    if (!updateUs.empty()) {
        std::printf("\ntracker update(): mean %.1f us, p99 %.1f us, max %.1f us, %.1f tracks reported per frame\n",
                    sumUs / double(updateUs.size()), updateUs[std::min(updateUs.size() - 1, updateUs.size() * 99 / 100)],
                    updateUs.back(), double(reported) / double(updateUs.size()));
    } else {
        std::printf("\n");
    }
    return 0;
}
