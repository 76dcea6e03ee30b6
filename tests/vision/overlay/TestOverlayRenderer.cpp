#include "vision/overlay/OverlayRenderer.h"

#include <QTest>

#include <opencv2/core.hpp>

using namespace signiq;
using namespace signiq::vision;

namespace {

cv::Mat noise(int w, int h, int seed)
{
    cv::Mat m(h, w, CV_8UC3);
    cv::RNG rng{static_cast<uint64>(seed)};
    rng.fill(m, cv::RNG::UNIFORM, 0, 256);
    return m;
}

core::TrackObservation track(core::TrackId id, QRectF box, bool confirmed = true)
{
    core::TrackObservation t;
    t.id = id;
    t.box = box;
    t.confirmed = confirmed;
    return t;
}

cv::Vec3b at(const cv::Mat &img, QPointF normalised)
{
    return img.at<cv::Vec3b>(int(normalised.y() * img.rows), int(normalised.x() * img.cols));
}

} // namespace

class TestOverlayRenderer : public QObject {
    Q_OBJECT

private slots:
    void outputIsAtMost640Wide();
    void rateLimitedToFiveFps();
    void silhouetteIsOpaque();
    void facesAreBlack();
    void trailsOnlyForLiveTracks();
    void scrubZeroesOutput();
    void rejectsBadFrames();
};

void TestOverlayRenderer::outputIsAtMost640Wide()
{
    OverlayRenderer r;
    QVERIFY(r.render(noise(1280, 720, 1), {}, {}, {}, 0).ok());
    QCOMPARE(r.image().cols, 640);
    QCOMPARE(r.image().rows, 360);
    QCOMPARE(r.image().type(), CV_8UC3);
    OverlayRenderer small;
    QVERIFY(small.render(noise(320, 240, 1), {}, {}, {}, 0).ok());
    QCOMPARE(small.image().cols, 320);
}

void TestOverlayRenderer::rateLimitedToFiveFps()
{
    OverlayRenderer r;
    const cv::Mat f = noise(320, 240, 2);
    QVERIFY(r.shouldRender(1000));
    QVERIFY(r.render(f, {}, {}, {}, 1000).ok());
    QVERIFY(!r.shouldRender(1100));
    auto tooSoon = r.render(f, {}, {}, {}, 1199);
    QVERIFY(!tooSoon.ok());
    QCOMPARE(tooSoon.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(r.shouldRender(1200));
    QVERIFY(r.render(f, {}, {}, {}, 1200).ok());
    // 30 fps input for 10 s renders at most 5 fps (frames are at least 200 ms apart, so with
    // 33 ms frames every 7th frame is rendered: 4.3 fps).
    int rendered = 0;
    for (qint64 t = 2000; t < 12000; t += 33)
        if (r.shouldRender(t) && r.render(f, {}, {}, {}, t).ok())
            ++rendered;
    QVERIFY2(rendered <= 50 && rendered >= 40, qPrintable(QString::number(rendered)));
    QVERIFY(r.shouldRender(500)); // time went backwards (file restarted)
}

void TestOverlayRenderer::silhouetteIsOpaque()
{
    // Two different frames, the same person box: the box centre shows the same silhouette colour.
    const QRectF box(0.3, 0.2, 0.2, 0.6);
    OverlayRenderer a, b;
    QVERIFY(a.render(noise(640, 480, 3), {track(1, box)}, {}, {}, 0).ok());
    QVERIFY(b.render(cv::Mat(480, 640, CV_8UC3, cv::Scalar(255, 255, 255)), {track(1, box)}, {}, {}, 0).ok());
    const QPointF c = box.center();
    QCOMPARE(at(a.image(), c), at(b.image(), c));
    QCOMPARE(at(a.image(), {0.4, 0.3}), at(b.image(), {0.4, 0.3}));
    QVERIFY(at(a.image(), c) != cv::Vec3b(255, 255, 255));
}

void TestOverlayRenderer::facesAreBlack()
{
    core::TrackObservation t = track(1, {0.3, 0.2, 0.2, 0.6});
    t.face = core::FaceObservation{QRectF(0.37, 0.22, 0.06, 0.08), 40.f, std::nullopt};
    OverlayRenderer r;
    QVERIFY(r.render(noise(640, 480, 4), {t}, {}, {}, 0).ok());
    QCOMPARE(at(r.image(), t.face->box.center()), cv::Vec3b(0, 0, 0));
}

void TestOverlayRenderer::trailsOnlyForLiveTracks()
{
    OverlayConfig config;
    config.trailLength = 3;
    OverlayRenderer r(config);
    const cv::Mat f = noise(320, 240, 5);
    QVERIFY(r.render(f, {track(1, {0.1, 0.1, 0.1, 0.3}), track(2, {0.5, 0.1, 0.1, 0.3})}, {}, {}, 0).ok());
    QCOMPARE(r.trackedTrails(), 2);
    QVERIFY(r.render(f, {track(2, {0.52, 0.1, 0.1, 0.3})}, {}, {}, 200).ok());
    QCOMPARE(r.trackedTrails(), 1); // track 1 is gone, and so is its trail
    QVERIFY(r.render(f, {}, {}, {}, 400).ok());
    QCOMPARE(r.trackedTrails(), 0);
}

void TestOverlayRenderer::scrubZeroesOutput()
{
    OverlayRenderer r;
    QVERIFY(r.render(noise(320, 240, 6), {track(1, {0.1, 0.1, 0.1, 0.3})}, {}, {}, 0).ok());
    QVERIFY(cv::countNonZero(r.image().reshape(1)) > 0);
    r.scrub();
    QCOMPARE(cv::countNonZero(r.image().reshape(1)), 0);
    QCOMPARE(r.trackedTrails(), 0);
}

void TestOverlayRenderer::rejectsBadFrames()
{
    OverlayRenderer r;
    QVERIFY(!r.render(cv::Mat(), {}, {}, {}, 0).ok());
    QVERIFY(!r.render(cv::Mat::zeros(10, 10, CV_8UC1), {}, {}, {}, 0).ok());
    QVERIFY(r.image().empty());
}

QTEST_GUILESS_MAIN(TestOverlayRenderer)
#include "TestOverlayRenderer.moc"
