#include "Ssim.h"

#include "vision/detection/PersonDetector.h"
#include "vision/models/ModelStore.h"
#include "vision/overlay/OverlayRenderer.h"

#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

using namespace signiq;
using namespace signiq::vision;

namespace {

// Lower than the analyser's 0.85 on purpose: the overlay must not hold even a doubtful face.
constexpr float kOverlayScore = 0.5f;
// "Structurally dissimilar". SSIM never reaches 0 for a photo with flat areas (sky, walls, skin):
// there any two flat images agree. So two criteria, from reference points measured on these
// images (printed by the test):
//  - absolute: SSIM < 0.55. A uniform image of the photo's mean colour scores 0.29-0.50; a 1/8
//    pixelation, which still shows detectable faces, 0.59-0.76; a Gaussian blur (sigma 2) 0.83-0.94.
//    The overlay scores 0.26-0.53.
//  - relative: at most 0.1 above the mean-colour image of the same photo, i.e. the overlay shares
//    hardly more structure with the photo than a blank image does (measured: -0.08 .. +0.04).
constexpr double kMaxSsim = 0.55;
constexpr double kMaxSsimAboveMeanColour = 0.1;

cv::Mat loadImage(const QString &name)
{
    return cv::imread(QStringLiteral(SIGNIQ_TESTDATA_DIR "/%1").arg(name).toStdString(), cv::IMREAD_COLOR);
}

cv::Mat grey(const cv::Mat &bgr, cv::Size size)
{
    cv::Mat resized, g;
    cv::resize(bgr, resized, size, 0, 0, cv::INTER_AREA);
    cv::cvtColor(resized, g, cv::COLOR_BGR2GRAY);
    return g;
}

} // namespace

// The privacy guarantee of the overlay: YuNet finds every test face in the raw image and none in
// the overlay at any scale, with or without person boxes, and the overlay shares little structure
// (SSIM) with the raw image.
class TestOverlayPrivacy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void noFaceSurvivesTheOverlay_data();
    void noFaceSurvivesTheOverlay();
    void closeUpFaceDoesNotSurvivePixelation();

private:
    int countFaces(const cv::Mat &bgr, double scale, float score);
    int countFacesAtAnyScale(const cv::Mat &overlay);

    cv::Ptr<cv::FaceDetectorYN> m_yunet;
    std::unique_ptr<PersonDetector> m_persons;
};

void TestOverlayPrivacy::initTestCase()
{
    auto store = ModelStore::open(QStringLiteral(SIGNIQ_TEST_MODELS_DIR));
    QVERIFY(store.ok());
    auto yunet = store->locate(QStringLiteral("yunet-2022mar"));
    QVERIFY(yunet.ok());
    m_yunet = cv::FaceDetectorYN::create(yunet->path(QStringLiteral("model")).toStdString(), "", cv::Size(320, 240),
                                         kOverlayScore, 0.3f, 5000);
    PersonDetectorConfig pc;
    pc.modelsDir = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
    auto persons = createPersonDetector(pc);
    QVERIFY2(persons.ok(), qPrintable(persons.ok() ? QString() : persons.error().toString()));
    m_persons = std::move(persons.value());
}

int TestOverlayPrivacy::countFaces(const cv::Mat &bgr, double scale, float score)
{
    cv::Mat input;
    cv::resize(bgr, input, cv::Size(), scale, scale, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    m_yunet->setScoreThreshold(score);
    m_yunet->setInputSize(input.size());
    cv::Mat faces;
    m_yunet->detect(input, faces);
    return faces.rows;
}

int TestOverlayPrivacy::countFacesAtAnyScale(const cv::Mat &overlay)
{
    int total = 0;
    // From as small as YuNet accepts (64 px on the short side) to 1.5x, so that blocks of any
    // size meet the detector's receptive fields at every face size it knows.
    for (double scale : {0.1, 0.15, 0.25, 0.35, 0.5, 0.75, 1.0, 1.5}) {
        if (std::min(overlay.cols, overlay.rows) * scale < 64.0)
            continue;
        total += countFaces(overlay, scale, kOverlayScore);
    }
    return total;
}

void TestOverlayPrivacy::noFaceSurvivesTheOverlay_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<int>("rawWidth"); // where the manifest says YuNet finds the faces
    QTest::newRow("astronaut") << QStringLiteral("astronaut.png") << 320;
    QTest::newRow("messi5") << QStringLiteral("messi5.jpg") << 320;
    QTest::newRow("ulfd_imgs_6") << QStringLiteral("ulfd_imgs_6.jpg") << 320;
    QTest::newRow("ulfd_imgs_9") << QStringLiteral("ulfd_imgs_9.jpg") << 320;
    QTest::newRow("ulfd_imgs_11") << QStringLiteral("ulfd_imgs_11.jpg") << 320;
    QTest::newRow("ulfd_imgs_13") << QStringLiteral("ulfd_imgs_13.jpg") << 320;
    QTest::newRow("ulfd_imgs_24") << QStringLiteral("ulfd_imgs_24.jpg") << 320;
}

void TestOverlayPrivacy::noFaceSurvivesTheOverlay()
{
    QFETCH(QString, image);
    QFETCH(int, rawWidth);
    const cv::Mat raw = loadImage(image);
    QVERIFY(!raw.empty());
    const int rawFaces = countFaces(raw, double(rawWidth) / raw.cols, 0.8f);
    QVERIFY2(rawFaces >= 1, "the raw image must have a detectable face, or the test proves nothing");

    // Person boxes from the real detector, as tracks (no faces attached: the face blackout is not
    // what the guarantee rests on).
    auto dets = m_persons->detect(raw);
    QVERIFY(dets.ok());
    QList<core::TrackObservation> tracks;
    for (const Detection &d : *dets) {
        if (d.score < 0.4f)
            continue;
        core::TrackObservation t;
        t.id = core::TrackId(tracks.size() + 1);
        t.confirmed = true;
        t.box = QRectF(d.box.x() / raw.cols, d.box.y() / raw.rows, d.box.width() / raw.cols, d.box.height() / raw.rows);
        tracks.append(t);
    }

    core::ZoneConfig zones;
    zones.zones.append({QStringLiteral("front"), {{0.1, 0.6}, {0.9, 0.6}, {0.9, 0.95}, {0.1, 0.95}}});
    zones.lines.append({QStringLiteral("door"), QStringLiteral("front"), {0.2, 0.5}, {0.8, 0.5}});
    OverlayCounts counts;
    counts.people = int(tracks.size());
    counts.zones.append({QStringLiteral("front"), 3});

    for (bool withPeople : {true, false}) {
        OverlayRenderer renderer;
        QVERIFY(renderer.render(raw, withPeople ? tracks : QList<core::TrackObservation>{}, zones, counts, 0).ok());
        const cv::Mat &overlay = renderer.image();
        QVERIFY(overlay.cols <= 640);
        const int overlayFaces = countFacesAtAnyScale(overlay);
        const double ssim = testing::meanSsim(grey(raw, overlay.size()), grey(overlay, overlay.size()));

        // Reference points for the threshold.
        cv::Mat blurred, pixel8;
        cv::GaussianBlur(raw, blurred, cv::Size(), 2.0);
        cv::resize(raw, pixel8, cv::Size(raw.cols / 8, raw.rows / 8), 0, 0, cv::INTER_AREA);
        cv::resize(pixel8, pixel8, raw.size(), 0, 0, cv::INTER_NEAREST);
        const double ssimBlur = testing::meanSsim(grey(raw, overlay.size()), grey(blurred, overlay.size()));
        const double ssimPixel8 = testing::meanSsim(grey(raw, overlay.size()), grey(pixel8, overlay.size()));
        const cv::Mat flat(raw.size(), raw.type(), cv::mean(raw));
        const double ssimFlat = testing::meanSsim(grey(raw, overlay.size()), grey(flat, overlay.size()));
        qInfo().noquote() << image << (withPeople ? "with" : "without") << "person boxes:" << tracks.size()
                          << "people, raw faces" << rawFaces << "overlay faces" << overlayFaces << "SSIM" << ssim
                          << "(mean colour:" << ssimFlat << ", 1/8 pixelation:" << ssimPixel8 << ", blur sigma 2:" << ssimBlur << ")";
        QCOMPARE(overlayFaces, 0);
        QVERIFY2(ssim < kMaxSsim, qPrintable(QStringLiteral("SSIM %1").arg(ssim)));
        QVERIFY2(ssim - ssimFlat < kMaxSsimAboveMeanColour,
                 qPrintable(QStringLiteral("SSIM %1, mean colour %2").arg(ssim).arg(ssimFlat)));
    }
}

void TestOverlayPrivacy::closeUpFaceDoesNotSurvivePixelation()
{
    // The worst case for pixelation: one face filling most of the frame, no person box, no face box.
    const cv::Mat raw = loadImage(QStringLiteral("astronaut.png"));
    const cv::Mat closeUp = raw(cv::Rect(150, 20, 240, 240)).clone();
    for (double fill : {1.0, 2.0}) {
        cv::Mat frame;
        cv::resize(closeUp, frame, cv::Size(), fill * 2.0, fill * 2.0, cv::INTER_LINEAR);
        QVERIFY(countFaces(frame, 320.0 / frame.cols, 0.8f) >= 1);
        OverlayRenderer renderer;
        QVERIFY(renderer.render(frame, {}, {}, {}, 0).ok());
        const int overlayFaces = countFacesAtAnyScale(renderer.image());
        const double ssim = testing::meanSsim(grey(frame, renderer.image().size()), grey(renderer.image(), renderer.image().size()));
        const cv::Mat flat(frame.size(), frame.type(), cv::mean(frame));
        const double ssimFlat = testing::meanSsim(grey(frame, renderer.image().size()), grey(flat, renderer.image().size()));
        qInfo() << "close-up" << frame.cols << "px: overlay faces" << overlayFaces << "SSIM" << ssim << "(mean colour:"
                << ssimFlat << ")";
        QCOMPARE(overlayFaces, 0);
        // Mostly smooth skin: even the mean colour scores ~0.6 here, so only the relative criterion applies.
        QVERIFY2(ssim - ssimFlat < kMaxSsimAboveMeanColour, qPrintable(QStringLiteral("SSIM %1, mean colour %2").arg(ssim).arg(ssimFlat)));
    }
}

QTEST_GUILESS_MAIN(TestOverlayPrivacy)
#include "TestOverlayPrivacy.moc"
