#include "vision/faces/FaceAnalyzer.h"
#include "vision/faces/YuNetFaceAnalyzer.h"
#include "vision/models/ModelStore.h"

#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>

using namespace signiq;
using namespace signiq::vision;

namespace {

cv::Mat loadImage(const QString &name)
{
    return cv::imread(QStringLiteral(SIGNIQ_TESTDATA_DIR "/%1").arg(name).toStdString(), cv::IMREAD_COLOR);
}

FaceAnalyzerConfig baseConfig()
{
    FaceAnalyzerConfig c;
    c.modelsDir = QStringLiteral(SIGNIQ_TEST_MODELS_DIR); // a verified mirror, usable as a model directory
    return c;
}

std::unique_ptr<YuNetFaceAnalyzer> make(const FaceAnalyzerConfig &config)
{
    auto analyzer = createFaceAnalyzer(config);
    if (!analyzer) {
        qWarning().noquote() << analyzer.error().toString();
        return nullptr;
    }
    return std::unique_ptr<YuNetFaceAnalyzer>(static_cast<YuNetFaceAnalyzer *>(analyzer.value().release()));
}

// A person box for a face: the face at the top centre, body below it.
core::TrackObservation personFor(const QRectF &faceNorm, core::TrackId id)
{
    core::TrackObservation t;
    t.id = id;
    t.confirmed = true;
    const double w = faceNorm.width() * 3.0;
    const double top = faceNorm.top() - 0.3 * faceNorm.height();
    t.box = QRectF(faceNorm.center().x() - w / 2.0, top, w, faceNorm.height() * 7.0);
    return t;
}

QRectF normalised(const QRectF &px, const cv::Mat &img)
{
    return {px.x() / img.cols, px.y() / img.rows, px.width() / img.cols, px.height() / img.rows};
}

double iou(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    const double inter = i.isValid() ? i.width() * i.height() : 0.0;
    return inter / (a.width() * a.height() + b.width() * b.height() - inter);
}

bool allBytesZero(const cv::Mat &m)
{
    const auto *p = m.data;
    const size_t n = m.total() * m.elemSize();
    return std::all_of(p, p + n, [](uchar b) { return b == 0; });
}

} // namespace

// YuNet + head-pose-adas-0001 + face-api age/gender on the real test images (manifest figures).
class TestFaceAnalyzer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void faceCounts_data();
    void faceCounts();
    void upperBodyModeFindsTheSameFaces();
    void facesAttachToTheRightTrack();
    void headPoseOnAstronaut();
    void turnedHeadsVersusFrontalAudience();
    void smallFacesGetLowConfidenceLandmarkPose();
    void ageGenderOnAstronaut();
    void demographicsOnlyWhereWantedAndEligible();
    void demographicsDisabledDoesNotLoadTheModel();
    void scratchBuffersAreZeroedAfterEveryCall();
    void invalidInput();
    void invalidConfigNamesKey();

private:
    std::unique_ptr<YuNetFaceAnalyzer> m_analyzer; // demographics off
};

void TestFaceAnalyzer::initTestCase()
{
    m_analyzer = make(baseConfig());
    QVERIFY(m_analyzer);
    QVERIFY(!m_analyzer->isDemographicsModelLoaded());
    QCOMPARE(m_analyzer->modelVersions().size(), 2);
}

void TestFaceAnalyzer::faceCounts_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("tolerance");
    // Hand counts / manifest (YuNet score 0.8 at 320 px wide).
    QTest::newRow("ulfd_imgs_6") << QStringLiteral("ulfd_imgs_6.jpg") << 14 << 1;
    QTest::newRow("ulfd_imgs_11") << QStringLiteral("ulfd_imgs_11.jpg") << 26 << 2;
    QTest::newRow("ulfd_imgs_13") << QStringLiteral("ulfd_imgs_13.jpg") << 2 << 0;
    QTest::newRow("astronaut") << QStringLiteral("astronaut.png") << 1 << 0;
}

void TestFaceAnalyzer::faceCounts()
{
    QFETCH(QString, image);
    QFETCH(int, expected);
    QFETCH(int, tolerance);
    const cv::Mat img = loadImage(image);
    QVERIFY(!img.empty());
    auto faces = m_analyzer->detectFaces(img);
    QVERIFY2(faces.ok(), qPrintable(faces.ok() ? QString() : faces.error().toString()));
    qInfo().noquote() << image << "faces" << faces->size() << "detect" << m_analyzer->lastTimings().detectMs << "ms";
    QVERIFY2(std::abs(int(faces->size()) - expected) <= tolerance,
             qPrintable(QStringLiteral("%1 faces, expected %2 +- %3").arg(faces->size()).arg(expected).arg(tolerance)));
    for (const DetectedFace &f : *faces) {
        QVERIFY(f.boxPx.height() >= m_analyzer->config().minFaceSizePx);
        QVERIFY(f.score >= m_analyzer->config().scoreThreshold);
        QVERIFY(f.pose.has_value());
        // Landmarks lie in (or right next to) their face box.
        const QRectF grown = f.boxPx.adjusted(-0.2 * f.boxPx.width(), -0.2 * f.boxPx.height(), 0.2 * f.boxPx.width(),
                                              0.2 * f.boxPx.height());
        for (const QPointF &p : f.landmarksPx)
            QVERIFY(grown.contains(p));
        QVERIFY(f.landmarksPx[0].x() < f.landmarksPx[1].x()); // subject's right eye on the image's left
    }
}

void TestFaceAnalyzer::upperBodyModeFindsTheSameFaces()
{
    // Synthetic person boxes around every whole-frame face: the ROI search must find them all.
    const cv::Mat img = loadImage(QStringLiteral("ulfd_imgs_6.jpg"));
    auto faces = m_analyzer->detectFaces(img);
    QVERIFY(faces.ok());
    QList<core::TrackObservation> tracks;
    for (qsizetype i = 0; i < faces->size(); ++i)
        tracks.append(personFor(normalised(faces->at(i).boxPx, img), core::TrackId(100 + i)));

    FaceAnalyzerConfig c = baseConfig();
    c.searchMode = FaceSearchMode::UpperBody;
    auto roi = make(c);
    QVERIFY(roi);
    auto samples = roi->analyze(img, tracks, {});
    QVERIFY(samples.ok());
    QCOMPARE(roi->lastTimings().detectorRuns, int(tracks.size()));
    const int attached = int(std::count_if(tracks.cbegin(), tracks.cend(), [](const auto &t) { return t.face.has_value(); }));
    qInfo() << "upper-body mode attached" << attached << "of" << tracks.size() << "in" << roi->lastTimings().detectMs << "ms";
    QVERIFY(attached >= int(tracks.size()) - 1);
}

void TestFaceAnalyzer::facesAttachToTheRightTrack()
{
    const cv::Mat img = loadImage(QStringLiteral("ulfd_imgs_13.jpg")); // two men side by side
    auto faces = m_analyzer->detectFaces(img);
    QVERIFY(faces.ok());
    QCOMPARE(faces->size(), 2);
    const QRectF a = normalised(faces->at(0).boxPx, img);
    const QRectF b = normalised(faces->at(1).boxPx, img);

    QList<core::TrackObservation> tracks;
    tracks.append(personFor(b, 2));
    // A decoy whose body covers a face, but only in its lower half: it must not get that face.
    core::TrackObservation decoy;
    decoy.id = 3;
    decoy.box = QRectF(a.center().x() - 0.05, a.top() - 0.6, 0.1, 0.9);
    tracks.append(decoy);
    tracks.append(personFor(a, 1));
    core::TrackObservation empty; // somewhere without a face
    empty.id = 4;
    empty.box = QRectF(0.0, 0.9, 0.05, 0.1);
    empty.face = core::FaceObservation{}; // stale value from a previous frame must be cleared
    tracks.append(empty);

    auto samples = m_analyzer->analyze(img, tracks, {});
    QVERIFY(samples.ok());
    QVERIFY(samples->isEmpty()); // demographics off
    QCOMPARE(m_analyzer->lastTimings().facesAttached, 2);
    QVERIFY(tracks[0].face && iou(tracks[0].face->box, b) > 0.9);
    QVERIFY(!tracks[1].face);
    QVERIFY(tracks[2].face && iou(tracks[2].face->box, a) > 0.9);
    QVERIFY(!tracks[3].face);
    QVERIFY(std::abs(tracks[2].face->sizePx - float(faces->at(0).boxPx.height())) < 0.5f);
    QVERIFY(tracks[2].face->pose && !tracks[2].face->pose->lowConfidence); // 85 px face: model pose

    // Both faces in one track's upper region: it takes the one nearer its head position, the
    // other face stays unattached (at most one face per track).
    QList<core::TrackObservation> one{personFor(a, 7)};
    one[0].box.setWidth(std::abs(b.center().x() - a.center().x()) * 2.4 + a.width());
    one[0].box.moveLeft(std::min(a.center().x(), b.center().x()) - a.width());
    QVERIFY(m_analyzer->analyze(img, one, {}).ok());
    QVERIFY(one[0].face);
    QCOMPARE(m_analyzer->lastTimings().facesAttached, 1);
}

void TestFaceAnalyzer::headPoseOnAstronaut()
{
    auto faces = m_analyzer->detectFaces(loadImage(QStringLiteral("astronaut.png")));
    QVERIFY(faces.ok());
    QCOMPARE(faces->size(), 1);
    const core::HeadPose p = *faces->at(0).pose;
    qInfo() << "astronaut yaw" << p.yawDeg << "pitch" << p.pitchDeg << "roll" << p.rollDeg;
    QVERIFY(!p.lowConfidence);
    QVERIFY(std::abs(p.yawDeg - (-5.f)) <= 3.f);   // manifest: yaw -5
    QVERIFY(std::abs(p.pitchDeg - 7.f) <= 3.f);    // manifest: pitch +7
}

void TestFaceAnalyzer::turnedHeadsVersusFrontalAudience()
{
    auto countModel = [&](const QString &image, const std::function<bool(float)> &pred, int *total) {
        auto faces = m_analyzer->detectFaces(loadImage(image));
        int n = 0;
        *total = 0;
        for (const DetectedFace &f : faces.value()) {
            if (f.pose->lowConfidence)
                continue;
            ++*total;
            n += pred(f.pose->yawDeg) ? 1 : 0;
        }
        return n;
    };
    int turnedTotal = 0, frontalTotal = 0;
    const int turned = countModel(QStringLiteral("ulfd_imgs_24.jpg"), [](float y) { return y < -40.f; }, &turnedTotal);
    const int frontal = countModel(QStringLiteral("ulfd_imgs_6.jpg"), [](float y) { return std::abs(y) < 15.f; },
                                   &frontalTotal);
    qInfo() << "ulfd_imgs_24: yaw < -40 on" << turned << "of" << turnedTotal << "; ulfd_imgs_6: |yaw| < 15 on" << frontal
            << "of" << frontalTotal;
    QVERIFY(turnedTotal >= 6);
    QVERIFY(turned * 4 >= turnedTotal * 3);     // most turned heads
    QVERIFY(frontalTotal >= 12);
    QVERIFY(frontal * 10 >= frontalTotal * 9);  // nearly all frontal
}

void TestFaceAnalyzer::smallFacesGetLowConfidenceLandmarkPose()
{
    // ulfd_imgs_11: 26 faces, most below 60 px.
    auto faces = m_analyzer->detectFaces(loadImage(QStringLiteral("ulfd_imgs_11.jpg")));
    QVERIFY(faces.ok());
    int small = 0;
    for (const DetectedFace &f : *faces) {
        QVERIFY(f.pose);
        const bool isSmall = f.boxPx.height() < 60.0;
        QCOMPARE(f.pose->lowConfidence, isSmall);
        if (isSmall) {
            ++small;
            QVERIFY(std::abs(f.pose->yawDeg) < 45.f); // a frontal group photo
        }
    }
    QVERIFY(small >= 10);
    QCOMPARE(m_analyzer->lastTimings().landmarkPoses, small);
    QCOMPARE(m_analyzer->lastTimings().poseModelRuns, int(faces->size()) - small);
}

void TestFaceAnalyzer::ageGenderOnAstronaut()
{
    FaceAnalyzerConfig c = baseConfig();
    c.demographicsEnabled = true;
    auto analyzer = make(c);
    QVERIFY(analyzer);
    QVERIFY(analyzer->isDemographicsModelLoaded());
    QCOMPARE(analyzer->modelVersions().size(), 3);
    QVERIFY(analyzer->modelVersions().last().startsWith(QStringLiteral("age-gender-faceapi@")));

    core::TrackObservation t;
    t.id = 42;
    t.confirmed = true;
    t.box = QRectF(0.2, 0.0, 0.6, 1.0);
    QList<core::TrackObservation> tracks{t};
    QList<core::TrackId> asked;
    auto samples = analyzer->analyze(loadImage(QStringLiteral("astronaut.png")), tracks, [&](core::TrackId id) {
        asked.append(id);
        return true;
    });
    QVERIFY(samples.ok());
    QCOMPARE(asked, QList<core::TrackId>{42});
    QCOMPARE(samples->size(), 1);
    const core::DemographicSample s = samples->first();
    qInfo() << "astronaut age" << s.ageYears << "female" << (s.gender == core::Gender::Female) << "p" << s.genderConfidence
            << "ms" << analyzer->lastTimings().demographicsMs;
    QCOMPARE(s.trackId, core::TrackId(42));
    QCOMPARE(s.gender, core::Gender::Female);
    QVERIFY(s.genderConfidence > 0.7f && s.genderConfidence <= 1.f); // manifest: F 0.82
    QVERIFY(std::abs(s.ageYears - 29.f) <= 4.f);                     // manifest: 29 years
    QCOMPARE(analyzer->lastTimings().demographicRuns, 1);
}

void TestFaceAnalyzer::demographicsOnlyWhereWantedAndEligible()
{
    FaceAnalyzerConfig c = baseConfig();
    c.demographicsEnabled = true;
    auto analyzer = make(c);
    QVERIFY(analyzer);
    const cv::Mat img = loadImage(QStringLiteral("astronaut.png"));
    core::TrackObservation t;
    t.id = 42;
    t.confirmed = true;
    t.box = QRectF(0.2, 0.0, 0.6, 1.0);

    QList<core::TrackObservation> tracks{t};
    auto s1 = analyzer->analyze(img, tracks, [](core::TrackId) { return false; }); // already sampled
    QVERIFY(s1.ok() && s1->isEmpty());
    QVERIFY(tracks[0].face);
    auto s2 = analyzer->analyze(img, tracks, {}); // no callback: nobody
    QVERIFY(s2.ok() && s2->isEmpty());
    tracks[0].confirmed = false; // tentative tracks are never sampled
    bool asked = false;
    auto s3 = analyzer->analyze(img, tracks, [&](core::TrackId) { return asked = true; });
    QVERIFY(s3.ok() && s3->isEmpty() && !asked);
    QCOMPARE(analyzer->lastTimings().demographicRuns, 0);

    // Turned heads (|yaw| > 30) are not sampled either.
    const cv::Mat turnedImg = loadImage(QStringLiteral("ulfd_imgs_24.jpg"));
    auto faces = analyzer->detectFaces(turnedImg);
    QVERIFY(faces.ok());
    QList<core::TrackObservation> turned;
    for (qsizetype i = 0; i < faces->size(); ++i)
        if (!faces->at(i).pose->lowConfidence && faces->at(i).pose->yawDeg < -40.f)
            turned.append(personFor(normalised(faces->at(i).boxPx, turnedImg), core::TrackId(10 + i)));
    QVERIFY(!turned.isEmpty());
    auto s4 = analyzer->analyze(turnedImg, turned, [](core::TrackId) { return true; });
    QVERIFY(s4.ok());
    QVERIFY(s4->isEmpty());
}

void TestFaceAnalyzer::demographicsDisabledDoesNotLoadTheModel()
{
    // A model directory without the age/gender model at all.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto report = installModels(QStringLiteral(SIGNIQ_TEST_MODELS_DIR), dir.path(),
                                {QStringLiteral("yunet-2022mar"), QStringLiteral("head-pose-adas-0001")});
    QVERIFY(report.ok());
    FaceAnalyzerConfig c;
    c.modelsDir = dir.path();
    c.demographicsEnabled = false;
    auto off = make(c);
    QVERIFY(off); // never looked for the missing model
    QVERIFY(!off->isDemographicsModelLoaded());
    for (const QString &v : off->modelVersions())
        QVERIFY(!v.startsWith(QStringLiteral("age-gender")));
    core::TrackObservation t;
    t.id = 1;
    t.confirmed = true;
    t.box = QRectF(0.2, 0.0, 0.6, 1.0);
    QList<core::TrackObservation> tracks{t};
    auto samples = off->analyze(loadImage(QStringLiteral("astronaut.png")), tracks, [](core::TrackId) { return true; });
    QVERIFY(samples.ok() && samples->isEmpty());
    QCOMPARE(off->lastTimings().demographicRuns, 0);

    c.demographicsEnabled = true;
    auto on = createFaceAnalyzer(c);
    QVERIFY(!on.ok());
    QCOMPARE(on.error().code, core::ErrorCode::NotFound);
    QVERIFY(on.error().message.contains(QStringLiteral("age-gender-faceapi")));
}

void TestFaceAnalyzer::scratchBuffersAreZeroedAfterEveryCall()
{
    for (FaceSearchMode mode : {FaceSearchMode::WholeFrame, FaceSearchMode::UpperBody}) {
        FaceAnalyzerConfig c = baseConfig();
        c.demographicsEnabled = true;
        c.searchMode = mode;
        auto analyzer = make(c);
        QVERIFY(analyzer);
        const cv::Mat img = loadImage(QStringLiteral("astronaut.png")); // 512 px: downscaled for detection
        std::vector<const uchar *> firstData;
        for (int round = 0; round < 2; ++round) {
            core::TrackObservation t;
            t.id = 5;
            t.confirmed = true;
            t.box = QRectF(0.2, 0.0, 0.6, 1.0);
            QList<core::TrackObservation> tracks{t};
            auto samples = analyzer->analyze(img, tracks, [](core::TrackId) { return true; });
            QVERIFY(samples.ok());
            QCOMPARE(samples->size(), 1); // the pose and age/gender crops were used
            QCOMPARE(analyzer->lastTimings().poseModelRuns, 1);
            std::vector<const uchar *> data;
            for (const cv::Mat *m : analyzer->scratchBuffers()) {
                if (m->empty())
                    continue;
                QVERIFY2(allBytesZero(*m), "a scratch buffer still holds pixels after analyze()");
                data.push_back(m->data);
            }
            QVERIFY(data.size() >= (mode == FaceSearchMode::WholeFrame ? 6u : 5u));
            if (round == 0)
                firstData = data;
            else
                QVERIFY(firstData == data); // preallocated and reused, not reallocated
        }
        auto faces = analyzer->detectFaces(img);
        QVERIFY(faces.ok());
        for (const cv::Mat *m : analyzer->scratchBuffers())
            QVERIFY(allBytesZero(*m));
    }
}

void TestFaceAnalyzer::invalidInput()
{
    QList<core::TrackObservation> tracks;
    auto empty = m_analyzer->analyze(cv::Mat(), tracks, {});
    QVERIFY(!empty.ok());
    QCOMPARE(empty.error().code, core::ErrorCode::InvalidArgument);
    auto grey = m_analyzer->detectFaces(cv::Mat::zeros(100, 100, CV_8UC1));
    QVERIFY(!grey.ok());
    QCOMPARE(grey.error().code, core::ErrorCode::InvalidArgument);
    auto black = m_analyzer->detectFaces(cv::Mat::zeros(240, 320, CV_8UC3));
    QVERIFY(black.ok());
    QVERIFY(black->isEmpty());
    // Too small for YuNet (its network needs >= 64 px): no faces, not an error.
    auto tiny = m_analyzer->detectFaces(cv::Mat::zeros(30, 40, CV_8UC3));
    QVERIFY(tiny.ok());
    QVERIFY(tiny->isEmpty());
    QCOMPARE(m_analyzer->lastTimings().detectorRuns, 0);
}

void TestFaceAnalyzer::invalidConfigNamesKey()
{
    FaceAnalyzerConfig c = baseConfig();
    c.scoreThreshold = 1.5f;
    auto r = createFaceAnalyzer(c);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(r.error().message.contains(QStringLiteral("scoreThreshold")));
    c = baseConfig();
    c.modelsDir = QStringLiteral("/nonexistent/models");
    auto missing = createFaceAnalyzer(c);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, core::ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestFaceAnalyzer)
#include "TestFaceAnalyzer.moc"
