// Tracking accuracy against the hand annotation of vtest.avi (tests/data/vtest-annotation.csv):
// CLEAR-MOT (MOTA, FN, FP, ID switches), identity metrics (IDF1, IDP, IDR), entries counted by
// analytics in one zone covering the frame vs the number of annotated person stretches, ID
// switches per 100 person-seconds, occupancy error, and the tracker's cost, for every person
// detector model and tracker setting, in one run (docs/benchmarks.md).
//
//   bench_tracking_accuracy [--video FILE] [--models-dir DIR] [--models A,B] [--settings A,B]
//                           [--annotation FILE] [--detections-dir DIR] [--iou X] [--key-frames-only]
//
// --detections-dir caches each model's detections (<dir>/<model>.txt, bench_tracking's format):
// the first run detects, later runs replay, so tracker settings can be compared in seconds.
// The detector time per frame is measured only when it runs.
#include "analytics/AudienceAggregator.h"
#include "core/ZoneConfig.h"
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/tracking/ByteTracker.h"
#include "vision/tracking/TrackingEvaluation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

using namespace signiq;

namespace {

constexpr qint64 kStartMs = 1'700'000'000'000; // video time 0 for analytics

struct FrameDetections {
    QSizeF size;
    QList<vision::Detection> detections;
};

struct ModelRun {
    QString model;
    std::vector<FrameDetections> frames;
    double detectMs = -1.0; // mean per frame; < 0 = replayed from the cache
};

bool loadDetections(const QString &path, std::vector<FrameDetections> *frames)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QStringList f = in.readLine().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() < 4)
            continue;
        FrameDetections fd;
        fd.size = QSizeF(f[1].toDouble(), f[2].toDouble());
        const int n = f[3].toInt();
        for (int i = 0; i < n && 4 + 5 * i + 4 < f.size(); ++i) {
            const int o = 4 + 5 * i;
            fd.detections.append(vision::Detection{
                QRectF(f[o].toDouble(), f[o + 1].toDouble(), f[o + 2].toDouble(), f[o + 3].toDouble()), f[o + 4].toFloat()});
        }
        frames->push_back(std::move(fd));
    }
    return !frames->empty();
}

bool saveDetections(const QString &path, const std::vector<FrameDetections> &frames)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    qint64 t = 0;
    for (const auto &fd : frames) {
        out << t << ' ' << fd.size.width() << ' ' << fd.size.height() << ' ' << fd.detections.size();
        for (const auto &d : fd.detections)
            out << ' ' << d.box.x() << ' ' << d.box.y() << ' ' << d.box.width() << ' ' << d.box.height() << ' ' << d.score;
        out << '\n';
        t += 100;
    }
    return true;
}

core::Result<ModelRun> detectAll(const QString &model, const QString &modelsDir, const QString &video, const QString &cacheDir)
{
    ModelRun run;
    run.model = model;
    const QString cache = cacheDir.isEmpty() ? QString() : QDir(cacheDir).filePath(model + QStringLiteral(".txt"));
    if (!cache.isEmpty() && loadDetections(cache, &run.frames))
        return run;

    vision::PersonDetectorConfig dc;
    dc.model = model;
    dc.modelsDir = modelsDir;
    auto detector = vision::createPersonDetector(dc);
    if (!detector)
        return detector.error();
    auto source = vision::openFrameSource(video, {});
    if (!source)
        return source.error();
    vision::FramePool pool(2);
    double totalMs = 0.0;
    while (true) {
        auto frame = pool.acquire();
        auto got = (*source)->read(*frame);
        if (!got)
            return got.error();
        if (!*got)
            break;
        const auto start = std::chrono::steady_clock::now();
        auto dets = (*detector)->detect(frame->image());
        totalMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (!dets)
            return dets.error();
        run.frames.push_back({QSizeF(frame->image().cols, frame->image().rows), *dets});
        frame->release();
    }
    run.detectMs = run.frames.empty() ? 0.0 : totalMs / double(run.frames.size());
    if (!cache.isEmpty() && !saveDetections(cache, run.frames))
        std::fprintf(stderr, "cannot write %s\n", cache.toUtf8().constData());
    return run;
}

// A tracker setting: the tracker's configuration plus the zone's hysteresis.
struct Setting {
    QString name;
    QString description;
    vision::TrackerConfig tracker;
    double enterAfterS = 0.5;
    double exitAfterS = 1.0;
};

// The tracker as it was before issue 17 (commit 1b93ef6): its defaults then, every new option off.
vision::TrackerConfig trackerBefore()
{
    vision::TrackerConfig c;
    c.highScoreThreshold = 0.5f;
    c.lowScoreThreshold = 0.1f;
    c.newTrackScoreThreshold = 0.6f;
    c.firstStageMinIou = 0.2f;
    c.secondStageMinIou = 0.5f;
    c.tentativeMinIou = 0.3f;
    c.maxCentreDistance = 0.4f;
    c.maxHeightRatio = 1.5f;
    c.refindDistancePerSecond = 0.5f;
    c.maxRefindDistance = 1.0f;
    c.reactivateDistancePerSecond = 0.f;
    c.confirmFrames = 3;
    c.lostTrackBufferMs = 3000;
    c.coastMs = 1500;
    return c;
}

std::vector<Setting> allSettings()
{
    std::vector<Setting> s;
    const auto add = [&](const char *name, const char *description, const std::function<void(Setting &)> &change) {
        Setting x{QString::fromLatin1(name), QString::fromLatin1(description), trackerBefore(), 0.5, 1.0};
        change(x);
        s.push_back(x);
    };
    add("before", "tracker and zone hysteresis before issue 17", [](Setting &) {});
    add("coast3", "coast lost tracks for the whole 3 s buffer", [](Setting &x) { x.tracker.coastMs = 3000; });
    add("react", "re-activation 0.5 h/s (max 2 h), buffer and coast 3 s", [](Setting &x) {
        x.tracker.coastMs = 3000;
        x.tracker.reactivateDistancePerSecond = 0.5f;
    });
    add("react5", "re-activation 0.5 h/s (max 2 h), buffer and coast 5 s", [](Setting &x) {
        x.tracker.coastMs = 5000;
        x.tracker.lostTrackBufferMs = 5000;
        x.tracker.reactivateDistancePerSecond = 0.5f;
    });
    add("react5e1", "react5 + zone enter after 1 s", [](Setting &x) {
        x.tracker.coastMs = 5000;
        x.tracker.lostTrackBufferMs = 5000;
        x.tracker.reactivateDistancePerSecond = 0.5f;
        x.enterAfterS = 1.0;
    });
    add("default", "TrackerConfig defaults now, zone hysteresis 0.5 / 1 s", [](Setting &x) { x.tracker = vision::TrackerConfig{}; });
    return s;
}

// "--custom key=value,...": a setting made from "before" with these changes, for sweeps.
core::Result<Setting> customSetting(const QString &spec)
{
    Setting x{QStringLiteral("custom"), spec, trackerBefore(), 0.5, 1.0};
    for (const QString &pair : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList kv = pair.split(QLatin1Char('='));
        bool ok = kv.size() == 2;
        const double v = ok ? kv[1].toDouble(&ok) : 0.0;
        if (!ok)
            return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("--custom: \"%1\" is not key=number").arg(pair));
        const QString &k = kv[0];
        auto &t = x.tracker;
        if (k == QLatin1String("lost")) t.lostTrackBufferMs = qint64(v);
        else if (k == QLatin1String("coast")) t.coastMs = qint64(v);
        else if (k == QLatin1String("react")) t.reactivateDistancePerSecond = float(v);
        else if (k == QLatin1String("reactmax")) t.maxReactivateDistance = float(v);
        else if (k == QLatin1String("reactratio")) t.reactivateHeightRatio = float(v);
        else if (k == QLatin1String("dist")) t.maxCentreDistance = float(v);
        else if (k == QLatin1String("refind")) t.refindDistancePerSecond = float(v);
        else if (k == QLatin1String("refindmax")) t.maxRefindDistance = float(v);
        else if (k == QLatin1String("high")) t.highScoreThreshold = float(v);
        else if (k == QLatin1String("tlow")) t.lowScoreThreshold = float(v);
        else if (k == QLatin1String("new")) t.newTrackScoreThreshold = float(v);
        else if (k == QLatin1String("iou1")) t.firstStageMinIou = float(v);
        else if (k == QLatin1String("confirm")) t.confirmFrames = int(v);
        else if (k == QLatin1String("enter")) x.enterAfterS = v;
        else if (k == QLatin1String("exit")) x.exitAfterS = v;
        else
            return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("--custom: unknown key \"%1\"").arg(k));
    }
    return x;
}

struct Result {
    vision::TrackingScores scores;
    int entries = 0;
    int confirmedIds = 0;
    double occupancyMae = 0.0;
    double trackUs = 0.0;
};

Result evaluate(const ModelRun &run, const Setting &setting, const vision::TrackAnnotation &truth, double minIou, bool keyFramesOnly)
{
    Result r;
    vision::ByteTracker tracker(setting.tracker);
    const QByteArray zonesJson = QStringLiteral(
        R"({"zones": [{"name": "frame", "polygon": [[0, 0], [1, 0], [1, 1], [0, 1]]}],
            "enter_after_s": %1, "exit_after_s": %2, "window_s": 60})")
                                     .arg(setting.enterAfterS)
                                     .arg(setting.exitAfterS)
                                     .toUtf8();
    auto zones = core::ZoneConfig::fromJson(zonesJson);
    if (!zones) {
        std::fprintf(stderr, "zone config: %s\n", zones.error().message.toUtf8().constData());
        std::exit(1);
    }
    analytics::AggregatorOptions options;
    options.coastMs = setting.tracker.coastMs;
    options.targetFps = truth.fps();
    analytics::AudienceAggregator aggregator(*zones, options);

    std::vector<vision::EvaluatedFrame> gt, hy;
    std::set<core::TrackId> confirmed;
    double occupancyError = 0.0;
    double totalUs = 0.0;
    const int frames = std::min<int>(int(run.frames.size()), truth.frameCount());
    for (int f = 0; f < frames; ++f) {
        const FrameDetections &fd = run.frames[size_t(f)];
        const qint64 t = qint64(std::llround(double(f) * 1000.0 / truth.fps()));
        const auto start = std::chrono::steady_clock::now();
        const auto tracks = tracker.update(fd.detections, t, fd.size);
        totalUs += std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();

        core::FrameObservations obs;
        obs.timestampMs = kStartMs + t;
        obs.tracks = tracks;
        obs.processingFps = truth.fps();
        aggregator.observe(obs);

        const vision::EvaluatedFrame truthHere = truth.at(f);
        occupancyError += std::abs(double(aggregator.occupancy(0)) - double(truthHere.size()));
        if (keyFramesOnly && !truth.isKeyFrame(f))
            continue;
        vision::EvaluatedFrame mine;
        for (const auto &o : tracks) {
            if (!o.confirmed)
                continue; // what analytics counts
            confirmed.insert(o.id);
            mine.push_back({qint64(o.id & 0x7fffffffffffffffULL),
                            QRectF(o.box.x() * fd.size.width(), o.box.y() * fd.size.height(),
                                   o.box.width() * fd.size.width(), o.box.height() * fd.size.height())});
        }
        gt.push_back(truthHere);
        hy.push_back(std::move(mine));
    }
    aggregator.finish(kStartMs + qint64(std::llround(double(frames) * 1000.0 / truth.fps())));
    for (const auto &w : aggregator.takeClosedWindows())
        r.entries += w.entries;
    r.scores = vision::scoreTracking(gt, hy, minIou);
    r.confirmedIds = int(confirmed.size());
    r.occupancyMae = frames > 0 ? occupancyError / double(frames) : 0.0;
    r.trackUs = frames > 0 ? totalUs / double(frames) : 0.0;
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tracker accuracy against the vtest.avi annotation."));
    parser.addHelpOption();
    const QCommandLineOption video(QStringLiteral("video"), QStringLiteral("Video."), QStringLiteral("FILE"), QStringLiteral(SIGNIQ_DEFAULT_VIDEO));
    const QCommandLineOption modelsDir(QStringLiteral("models-dir"), QStringLiteral("Models."), QStringLiteral("DIR"),
                                       QStringLiteral(SIGNIQ_DEFAULT_MODELS_MIRROR));
    const QCommandLineOption models(QStringLiteral("models"), QStringLiteral("Person detector models, comma-separated."), QStringLiteral("A,B"),
                                    vision::personDetectorModels().join(QLatin1Char(',')));
    const QCommandLineOption settings(QStringLiteral("settings"), QStringLiteral("Tracker settings, comma-separated (default: all)."), QStringLiteral("A,B"));
    const QCommandLineOption annotation(QStringLiteral("annotation"), QStringLiteral("Ground truth."), QStringLiteral("FILE"),
                                        QStringLiteral(SIGNIQ_SOURCE_DIR "/tests/data/vtest-annotation.csv"));
    const QCommandLineOption cache(QStringLiteral("detections-dir"), QStringLiteral("Cache detections here."), QStringLiteral("DIR"));
    const QCommandLineOption iou(QStringLiteral("iou"), QStringLiteral("Minimum IoU of a match."), QStringLiteral("X"), QStringLiteral("0.5"));
    const QCommandLineOption custom(QStringLiteral("custom"), QStringLiteral("Add a setting: \"before\" with key=value changes (lost, coast, react, reactmax, reactratio, dist, refind, refindmax, high, tlow, new, iou1, confirm, enter, exit)."), QStringLiteral("SPEC"));
    const QCommandLineOption keyOnly(QStringLiteral("key-frames-only"), QStringLiteral("Score annotated key frames only (default: every frame, interpolated)."));
    for (const auto &o : {video, modelsDir, models, settings, annotation, cache, iou, custom, keyOnly})
        parser.addOption(o);
    parser.process(app);

    auto truth = vision::TrackAnnotation::load(parser.value(annotation));
    if (!truth) {
        std::fprintf(stderr, "%s\n", truth.error().message.toUtf8().constData());
        return 1;
    }
    const double personSeconds = truth->personSeconds();
    std::printf("ground truth %s: %zu stretches, %.1f person-seconds; matching IoU >= %s, %s\n",
                parser.value(annotation).toUtf8().constData(), truth->stretches().size(), personSeconds,
                parser.value(iou).toUtf8().constData(),
                parser.isSet(keyOnly) ? "annotated key frames only" : "every frame (boxes interpolated between key frames)");

    std::vector<Setting> chosen;
    const QStringList wanted = parser.value(settings).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const Setting &s : allSettings()) {
        if (wanted.isEmpty() || wanted.contains(s.name))
            chosen.push_back(s);
    }
    for (const QString &spec : parser.values(custom)) {
        auto c = customSetting(spec);
        if (!c) {
            std::fprintf(stderr, "%s\n", c.error().message.toUtf8().constData());
            return 1;
        }
        c->name = QStringLiteral("custom%1").arg(parser.values(custom).indexOf(spec) + 1);
        chosen.push_back(*c);
    }
    if (chosen.empty()) {
        std::fprintf(stderr, "no tracker setting named %s\n", parser.value(settings).toUtf8().constData());
        return 1;
    }
    for (const Setting &s : chosen)
        std::printf("  setting %-10s %s\n", s.name.toUtf8().constData(), s.description.toUtf8().constData());

    std::printf("\n%-22s %-10s %6s %6s %6s %5s %6s %6s %6s %8s %6s %7s %8s %8s %9s\n", "model", "setting", "MOTA", "FN", "FP",
                "IDSW", "IDF1", "IDP", "IDR", "entries", "/str", "IDSW/100", "occ MAE", "track us", "det+trk fps");
    for (const QString &model : parser.value(models).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto run = detectAll(model, parser.value(modelsDir), parser.value(video), parser.value(cache));
        if (!run) {
            std::fprintf(stderr, "%s: %s\n", model.toUtf8().constData(), run.error().message.toUtf8().constData());
            return 1;
        }
        for (const Setting &s : chosen) {
            const Result r = evaluate(*run, s, *truth, parser.value(iou).toDouble(), parser.isSet(keyOnly));
            const double fps = run->detectMs >= 0.0 ? 1000.0 / (run->detectMs + r.trackUs / 1000.0) : 0.0;
            std::printf("%-22s %-10s %6.3f %6lld %6lld %5lld %6.3f %6.3f %6.3f %4d/%-3zu %6.2f %8.2f %8.2f %8.1f %9.1f\n",
                        model.toUtf8().constData(), s.name.toUtf8().constData(), r.scores.mota,
                        static_cast<long long>(r.scores.falseNegatives), static_cast<long long>(r.scores.falsePositives),
                        static_cast<long long>(r.scores.idSwitches), r.scores.idf1, r.scores.idPrecision, r.scores.idRecall,
                        r.entries, truth->stretches().size(), double(r.entries) / double(truth->stretches().size()),
                        100.0 * double(r.scores.idSwitches) / personSeconds, r.occupancyMae, r.trackUs, fps);
        }
        if (run->detectMs >= 0.0)
            std::printf("%-22s detector %.2f ms/frame\n", model.toUtf8().constData(), run->detectMs);
    }
    return 0;
}
