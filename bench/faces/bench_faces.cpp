// Face analysis figures: faces/s for detection + head pose + age/gender on the test images and on
// vtest.avi, whole-frame vs upper-body-ROI face search (time and faces attached to person tracks),
// and how well the landmark head-pose fallback agrees with the head-pose model.
//
//   bench_faces [--models-dir DIR] [--testdata DIR] [--video FILE] [--frames N] [--repeat N]
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"
#include "vision/faces/LandmarkHeadPose.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace signiq;
using namespace signiq::vision;

namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double correlation(const std::vector<double> &a, const std::vector<double> &b)
{
    const double n = double(a.size());
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ma += a[i] / n;
        mb += b[i] / n;
    }
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Person tracks from the real person detector (score >= 0.4), confirmed.
QList<core::TrackObservation> personTracks(PersonDetector &detector, const cv::Mat &frame)
{
    QList<core::TrackObservation> tracks;
    auto dets = detector.detect(frame);
    if (!dets)
        return tracks;
    for (const Detection &d : *dets) {
        if (d.score < 0.4f)
            continue;
        core::TrackObservation t;
        t.id = core::TrackId(tracks.size() + 1);
        t.confirmed = true;
        t.box = QRectF(d.box.x() / frame.cols, d.box.y() / frame.rows, d.box.width() / frame.cols,
                       d.box.height() / frame.rows);
        tracks.append(t);
    }
    return tracks;
}

// A synthetic person under every face, so that every face is attached and sampled.
QList<core::TrackObservation> tracksForFaces(const QList<DetectedFace> &faces, const cv::Mat &img)
{
    QList<core::TrackObservation> tracks;
    for (const DetectedFace &f : faces) {
        const QRectF n(f.boxPx.x() / img.cols, f.boxPx.y() / img.rows, f.boxPx.width() / img.cols,
                       f.boxPx.height() / img.rows);
        core::TrackObservation t;
        t.id = core::TrackId(tracks.size() + 1);
        t.confirmed = true;
        t.box = QRectF(n.center().x() - 1.5 * n.width(), n.top() - 0.3 * n.height(), 3 * n.width(), 7 * n.height());
        tracks.append(t);
    }
    return tracks;
}

int attached(const QList<core::TrackObservation> &tracks)
{
    return int(std::count_if(tracks.cbegin(), tracks.cend(), [](const auto &t) { return t.face.has_value(); }));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("models-dir"), QStringLiteral("model directory"), QStringLiteral("DIR"),
                 QStringLiteral(SIGNIQ_DEFAULT_MODELS_MIRROR)});
    p.addOption({QStringLiteral("testdata"), QStringLiteral("test images"), QStringLiteral("DIR"),
                 QStringLiteral(SIGNIQ_DEFAULT_TESTDATA)});
    p.addOption({QStringLiteral("video"), QStringLiteral("video"), QStringLiteral("FILE"), QStringLiteral(SIGNIQ_DEFAULT_VIDEO)});
    p.addOption({QStringLiteral("frames"), QStringLiteral("video frames"), QStringLiteral("N"), QStringLiteral("300")});
    p.addOption({QStringLiteral("repeat"), QStringLiteral("runs per image"), QStringLiteral("N"), QStringLiteral("15")});
    p.process(app);
    const QString models = p.value(QStringLiteral("models-dir"));
    const QString testdata = p.value(QStringLiteral("testdata"));
    const int repeat = std::max(3, p.value(QStringLiteral("repeat")).toInt());
    cv::setNumThreads(2);

    FaceAnalyzerConfig fc;
    fc.modelsDir = models;
    fc.demographicsEnabled = true;
    auto whole = createFaceAnalyzer(fc);
    fc.searchMode = FaceSearchMode::UpperBody;
    auto roi = createFaceAnalyzer(fc);
    FaceAnalyzerConfig full = fc;
    full.searchMode = FaceSearchMode::WholeFrame;
    full.detectionWidth = 4096; // reference: full resolution
    auto reference = createFaceAnalyzer(full);
    PersonDetectorConfig pc;
    pc.modelsDir = models;
    auto persons = createPersonDetector(pc);
    if (!whole || !roi || !reference || !persons) {
        std::fprintf(stderr, "cannot load models from %s\n", qPrintable(models));
        return 1;
    }
    auto always = [](core::TrackId) { return true; };

    const QStringList images{QStringLiteral("astronaut.png"), QStringLiteral("messi5.jpg"), QStringLiteral("ulfd_imgs_6.jpg"),
                             QStringLiteral("ulfd_imgs_9.jpg"), QStringLiteral("ulfd_imgs_11.jpg"),
                             QStringLiteral("ulfd_imgs_13.jpg"), QStringLiteral("ulfd_imgs_24.jpg"),
                             QStringLiteral("vtest_frame0000.png"), QStringLiteral("vtest_frame0300.png"),
                             QStringLiteral("vtest_frame0700.png")};

    std::printf("== 1. Full face analysis per image (whole frame at 320 px, head pose, age/gender on every eligible face)\n");
    std::printf("   median of %d runs after 2 warm-ups, 2 threads\n", repeat);
    std::printf("%-20s %9s %6s %6s %6s %9s %8s %9s %9s %8s\n", "image", "size", "faces", "model", "lmark", "detect ms",
                "pose ms", "age/g ms", "total ms", "faces/s");
    double sumFaces = 0, sumMs = 0;
    for (const QString &name : images) {
        const cv::Mat img = cv::imread(QString(testdata + QLatin1Char('/') + name).toStdString(), cv::IMREAD_COLOR);
        if (img.empty())
            continue;
        auto faces = (*whole)->detectFaces(img);
        QList<core::TrackObservation> base = tracksForFaces(faces.value(), img);
        std::vector<double> det, pose, demo, total;
        FaceAnalyzerTimings last;
        for (int i = 0; i < repeat + 2; ++i) {
            QList<core::TrackObservation> tracks = base;
            auto s = (*whole)->analyze(img, tracks, always);
            last = (*whole)->lastTimings();
            if (i < 2)
                continue;
            det.push_back(last.detectMs);
            pose.push_back(last.poseMs);
            demo.push_back(last.demographicsMs);
            total.push_back(last.totalMs);
        }
        const double t = median(total);
        std::printf("%-20s %4dx%-4d %6d %6d %6d %9.2f %8.2f %9.2f %9.2f %8.0f\n", qPrintable(name), img.cols, img.rows,
                    last.facesDetected, last.poseModelRuns, last.landmarkPoses, median(det), median(pose), median(demo), t,
                    t > 0 ? last.facesDetected * 1000.0 / t : 0.0);
        std::printf("%-20s %9s %6s %6s %6s %9s %8s %9s (age/gender runs: %d)\n", "", "", "", "", "", "", "", "",
                    last.demographicRuns);
        sumFaces += last.facesDetected;
        sumMs += t;
    }
    std::printf("all images: %.0f faces in %.1f ms -> %.0f faces/s\n\n", sumFaces, sumMs, sumFaces * 1000.0 / sumMs);

    std::printf("== 2. Whole frame (320 px) vs upper-body ROIs (160 px each) with real person boxes (yolo-fastest)\n");
    std::printf("   faces attached to person tracks; reference = whole frame at full resolution\n");
    std::printf("%-20s %7s %9s %14s %14s %12s %12s\n", "image", "people", "ref att.", "whole att.", "roi att.",
                "whole ms", "roi ms");
    for (const QString &name : images) {
        const cv::Mat img = cv::imread(QString(testdata + QLatin1Char('/') + name).toStdString(), cv::IMREAD_COLOR);
        if (img.empty())
            continue;
        const QList<core::TrackObservation> base = personTracks(**persons, img);
        QList<core::TrackObservation> ref = base, w = base, r = base;
        (void)(*reference)->analyze(img, ref, {});
        std::vector<double> wt, rt;
        for (int i = 0; i < repeat + 2; ++i) {
            w = base;
            r = base;
            (void)(*whole)->analyze(img, w, {});
            const double wms = (*whole)->lastTimings().detectMs;
            (void)(*roi)->analyze(img, r, {});
            const double rms = (*roi)->lastTimings().detectMs;
            if (i >= 2) {
                wt.push_back(wms);
                rt.push_back(rms);
            }
        }
        std::printf("%-20s %7d %9d %14d %14d %12.2f %12.2f\n", qPrintable(name), int(base.size()), attached(ref),
                    attached(w), attached(r), median(wt), median(rt));
    }

    const int frames = p.value(QStringLiteral("frames")).toInt();
    cv::VideoCapture cap(p.value(QStringLiteral("video")).toStdString());
    if (cap.isOpened() && frames > 0) {
        std::vector<double> wt, rt;
        int people = 0, wf = 0, rf = 0, n = 0;
        cv::Mat frame;
        while (n < frames && cap.read(frame)) {
            const QList<core::TrackObservation> base = personTracks(**persons, frame);
            QList<core::TrackObservation> w = base, r = base;
            (void)(*whole)->analyze(frame, w, {});
            wt.push_back((*whole)->lastTimings().totalMs);
            (void)(*roi)->analyze(frame, r, {});
            rt.push_back((*roi)->lastTimings().totalMs);
            people += int(base.size());
            wf += (*whole)->lastTimings().facesDetected;
            rf += (*roi)->lastTimings().facesDetected;
            ++n;
        }
        std::printf("vtest.avi, %d frames (%d person boxes): whole frame median %.2f ms/frame (%d faces), "
                    "upper-body ROIs median %.2f ms/frame (%d faces)\n\n",
                    n, people, median(wt), wf, median(rt), rf);
    }

    std::printf("== 3. Landmark head-pose fallback vs head-pose-adas-0001 on faces >= 60 px (test images)\n");
    std::vector<double> my, ly, mp, lp, mr, lr;
    std::vector<double> fmp, flp, fmr, flr; // |model yaw| < 30
    for (const QString &name : images) {
        const cv::Mat img = cv::imread(QString(testdata + QLatin1Char('/') + name).toStdString(), cv::IMREAD_COLOR);
        if (img.empty())
            continue;
        auto faces = (*reference)->detectFaces(img);
        for (const DetectedFace &f : faces.value()) {
            if (!f.pose || f.pose->lowConfidence)
                continue;
            const core::HeadPose l = estimateHeadPoseFromLandmarks(f.landmarksPx);
            my.push_back(f.pose->yawDeg);
            ly.push_back(l.yawDeg);
            mp.push_back(f.pose->pitchDeg);
            lp.push_back(l.pitchDeg);
            mr.push_back(f.pose->rollDeg);
            lr.push_back(l.rollDeg);
            if (std::abs(f.pose->yawDeg) < 30.f) {
                fmp.push_back(f.pose->pitchDeg);
                flp.push_back(l.pitchDeg);
                fmr.push_back(f.pose->rollDeg);
                flr.push_back(l.rollDeg);
            }
        }
    }
    auto mae = [](const std::vector<double> &a, const std::vector<double> &b) {
        double s = 0;
        for (size_t i = 0; i < a.size(); ++i)
            s += std::abs(a[i] - b[i]);
        return a.empty() ? 0.0 : s / double(a.size());
    };
    std::printf("%zu faces: yaw corr %.2f MAE %.1f deg | pitch corr %.2f MAE %.1f deg | roll corr %.2f MAE %.1f deg\n",
                my.size(), correlation(my, ly), mae(my, ly), correlation(mp, lp), mae(mp, lp), correlation(mr, lr),
                mae(mr, lr));
    std::printf("%zu faces with |yaw| < 30: pitch corr %.2f MAE %.1f deg | roll corr %.2f MAE %.1f deg\n", fmp.size(),
                correlation(fmp, flp), mae(fmp, flp), correlation(fmr, flr), mae(fmr, flr));
    return 0;
}
