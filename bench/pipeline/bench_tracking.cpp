// Tracking stability on a video: how many distinct confirmed tracks, how long they live, how
// many frames had a detection. Fewer, longer tracks for the same people = fewer id switches.
//
//   bench_tracking [--video FILE] [--models-dir DIR] [--model NAME] [--lost-ms N] [--confirm N]
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/tracking/ByteTracker.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <map>

using namespace signiq;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption video(QStringLiteral("video"), QStringLiteral("Video."), QStringLiteral("FILE"), QStringLiteral(SIGNIQ_DEFAULT_VIDEO));
    const QCommandLineOption models(QStringLiteral("models-dir"), QStringLiteral("Models."), QStringLiteral("DIR"),
                                    QStringLiteral(SIGNIQ_DEFAULT_MODELS_MIRROR));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Model."), QStringLiteral("NAME"), QStringLiteral("yolo-fastest-1.1-body"));
    const QCommandLineOption lost(QStringLiteral("lost-ms"), QStringLiteral("Lost-track buffer."), QStringLiteral("MS"), QStringLiteral("-1"));
    const QCommandLineOption confirm(QStringLiteral("confirm"), QStringLiteral("Confirm frames."), QStringLiteral("N"), QStringLiteral("-1"));
    const QCommandLineOption low(QStringLiteral("low"), QStringLiteral("Detector low score."), QStringLiteral("X"), QStringLiteral("0.1"));
    const QCommandLineOption high(QStringLiteral("high"), QStringLiteral("Tracker high score."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption newTrack(QStringLiteral("new"), QStringLiteral("Tracker new-track score."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption iou1(QStringLiteral("iou1"), QStringLiteral("First-stage IoU."), QStringLiteral("X"), QStringLiteral("-1"));
    const QCommandLineOption iou2(QStringLiteral("iou2"), QStringLiteral("Second-stage IoU."), QStringLiteral("X"), QStringLiteral("-1"));
    for (const auto &o : {video, models, model, lost, confirm, low, high, newTrack, iou1, iou2})
        parser.addOption(o);
    parser.process(app);

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
    vision::TrackerConfig tc;
    if (parser.value(lost).toInt() >= 0)
        tc.lostTrackBufferMs = parser.value(lost).toInt();
    if (parser.value(confirm).toInt() > 0)
        tc.confirmFrames = parser.value(confirm).toInt();
    const auto set = [&](const QCommandLineOption &o, float &field) {
        if (parser.value(o).toFloat() >= 0)
            field = parser.value(o).toFloat();
    };
    set(high, tc.highScoreThreshold);
    set(newTrack, tc.newTrackScoreThreshold);
    set(iou1, tc.firstStageMinIou);
    set(iou2, tc.secondStageMinIou);
    vision::ByteTracker tracker(tc);
    vision::FramePool pool(2);
    std::map<core::TrackId, std::pair<qint64, qint64>> life; // first, last frame confirmed
    qint64 frames = 0;
    while (true) {
        auto frame = pool.acquire();
        auto got = (*source)->read(*frame);
        if (!got || !*got)
            break;
        auto dets = (*detector)->detect(frame->image());
        const QSizeF size(frame->image().cols, frame->image().rows);
        const qint64 ts = frame->info().timestampMs;
        frame->release();
        for (const auto &t : tracker.update(*dets, ts, size)) {
            if (!t.confirmed)
                continue;
            auto it = life.find(t.id);
            if (it == life.end())
                life.emplace(t.id, std::pair{frames, frames});
            else
                it->second.second = frames;
        }
        ++frames;
    }
    int shortTracks = 0;
    double total = 0;
    for (const auto &[id, span] : life) {
        const qint64 len = span.second - span.first + 1;
        total += double(len);
        shortTracks += len < 20 ? 1 : 0;
    }
    std::printf("frames %lld, distinct confirmed tracks %zu, mean life %.1f frames, tracks < 2 s: %d\n",
                static_cast<long long>(frames), life.size(), life.empty() ? 0.0 : total / double(life.size()), shortTracks);
    return 0;
}
