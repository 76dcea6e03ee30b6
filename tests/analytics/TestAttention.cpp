// Head pose -> "looking at the screen", and glances from per-frame judgements.
#include "SyntheticScene.h"

#include "analytics/Attention.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace signiq::analytics;
using signiq::core::Calibration;
using signiq::core::HeadPose;

namespace {

HeadPose pose(double yaw, double pitch = 0.0)
{
    return HeadPose{float(yaw), float(pitch), 0.f, false};
}

double deg(double radians)
{
    return radians * 180.0 / std::numbers::pi;
}

// Screen centre at the floor origin, 1.6 m up (head height); the camera at (cameraX, 0), also
// at head height, so that only yaw matters.
Calibration sideCamera(double cameraX)
{
    Calibration c = synthetic::standardCalibration();
    c.screen.centreHeightM = 1.6;
    c.camera.positionM = QPointF(cameraX, 0);
    c.camera.heightM = 1.6;
    return c;
}

} // namespace

class TestAttention : public QObject {
    Q_OBJECT

private slots:
    void uncalibratedConeEdge_data();
    void uncalibratedConeEdge();
    void uncalibratedIsARoundCone();
    void screenAtTheCameraMatchesUncalibrated();
    void screenOffsetFromCamera();
    void pitchTowardsAHigherScreen();
    void calibratedWithoutFloorPositionIsUnknown();
    void minimumDuration_data();
    void minimumDuration();
    void shortAwayGapsAreTolerated();
    void framesWithoutFacesDoNotBreakAGlance();
    void openAndCertain();
};

void TestAttention::uncalibratedConeEdge_data()
{
    QTest::addColumn<double>("yaw");
    QTest::addColumn<double>("pitch");
    QTest::addColumn<bool>("looking");
    QTest::newRow("straight") << 0.0 << 0.0 << true;
    QTest::newRow("yaw 19.9") << 19.9 << 0.0 << true;
    QTest::newRow("yaw 20.1") << 20.1 << 0.0 << false;
    QTest::newRow("yaw -19.9") << -19.9 << 0.0 << true;
    QTest::newRow("yaw -20.1") << -20.1 << 0.0 << false;
    QTest::newRow("pitch 19.9") << 0.0 << 19.9 << true;
    QTest::newRow("pitch -20.1") << 0.0 << -20.1 << false;
}

void TestAttention::uncalibratedConeEdge()
{
    QFETCH(double, yaw);
    QFETCH(double, pitch);
    QFETCH(bool, looking);
    const AttentionGeometry geometry;
    const auto angle = geometry.angleToScreenDeg(pose(yaw, pitch), std::nullopt);
    QVERIFY(angle.has_value());
    QCOMPARE(*angle <= AttentionRules{}.coneDeg, looking);
}

void TestAttention::uncalibratedIsARoundCone()
{
    // |yaw| and |pitch| both inside 20° but the direction is 21.1° off: outside the cone.
    const AttentionGeometry geometry;
    const double angle = *geometry.angleToScreenDeg(pose(15, 15), std::nullopt);
    QVERIFY(std::abs(angle - deg(std::acos(std::cos(15 * std::numbers::pi / 180) * std::cos(15 * std::numbers::pi / 180)))) < 1e-4);
    QVERIFY(angle > 20.0);
}

void TestAttention::screenAtTheCameraMatchesUncalibrated()
{
    const AttentionGeometry calibrated(sideCamera(0.0));
    const AttentionGeometry uncalibrated;
    for (double yaw : {-30.0, -19.9, 0.0, 12.5, 20.1}) {
        const double a = *calibrated.angleToScreenDeg(pose(yaw), QPointF(0.7, 3.0));
        const double b = *uncalibrated.angleToScreenDeg(pose(yaw), std::nullopt);
        QVERIFY2(std::abs(a - b) < 1e-4, qPrintable(QStringLiteral("yaw %1: %2 vs %3").arg(yaw).arg(a).arg(b)));
    }
}

void TestAttention::screenOffsetFromCamera()
{
    // Camera 2 m to the right of the screen centre (for someone facing the screen); a person
    // 3 m in front of the screen. Seen from the camera the screen is on the image's right.
    const AttentionGeometry geometry(sideCamera(2.0));
    const QPointF floor(0, 3);
    const double offset = deg(std::atan2(2.0, 3.0)); // 33.7°: camera and screen seen from the head

    // Looking into the lens is not looking at the screen ...
    QVERIFY(*geometry.angleToScreenDeg(pose(0), floor) > 20.0);
    QVERIFY(std::abs(*geometry.angleToScreenDeg(pose(0), floor) - offset) < 1e-4);
    // ... turning toward the image's right (toward the screen) is.
    QVERIFY(*geometry.angleToScreenDeg(pose(offset), floor) < 1e-4);
    QVERIFY(*geometry.angleToScreenDeg(pose(offset - 19.9), floor) <= 20.0);
    QVERIFY(*geometry.angleToScreenDeg(pose(offset - 20.1), floor) > 20.0);
    // Turning the other way moves further off.
    QVERIFY(std::abs(*geometry.angleToScreenDeg(pose(-offset), floor) - 2 * offset) < 1e-4);

    // Mirrored installation: camera on the left, screen on the image's left.
    const AttentionGeometry mirrored(sideCamera(-2.0));
    QVERIFY(*mirrored.angleToScreenDeg(pose(-offset), floor) < 1e-4);
    QVERIFY(*mirrored.angleToScreenDeg(pose(offset), floor) > 20.0);

    // And vice versa: with the screen at the camera, the pose that faces the offset screen does
    // not count.
    const AttentionGeometry atCamera(sideCamera(0.0));
    QVERIFY(*atCamera.angleToScreenDeg(pose(offset), floor) > 20.0);
    QVERIFY(*atCamera.angleToScreenDeg(pose(0), floor) <= 20.0);
}

void TestAttention::pitchTowardsAHigherScreen()
{
    // Camera at head height on the screen axis; screen centre 1.5 m higher than the head, 3 m away.
    Calibration c = sideCamera(0.0);
    c.screen.centreHeightM = 3.1;
    c.screen.heightM = 1.0;
    const AttentionGeometry geometry(c);
    const double up = deg(std::atan2(1.5, 3.0)); // 26.6°
    QVERIFY(*geometry.angleToScreenDeg(pose(0, 0), QPointF(0, 3)) > 20.0);
    QVERIFY(*geometry.angleToScreenDeg(pose(0, up), QPointF(0, 3)) < 1e-4);
    QVERIFY(*geometry.angleToScreenDeg(pose(0, -up), QPointF(0, 3)) > 20.0);
}

void TestAttention::calibratedWithoutFloorPositionIsUnknown()
{
    const AttentionGeometry geometry(sideCamera(2.0));
    QVERIFY(!geometry.angleToScreenDeg(pose(0), std::nullopt).has_value());
}

void TestAttention::minimumDuration_data()
{
    QTest::addColumn<qint64>("lastLookMs");
    QTest::addColumn<bool>("counts");
    QTest::newRow("0.99 s") << qint64(990) << false;
    QTest::newRow("1.0 s") << qint64(1000) << true;
}

void TestAttention::minimumDuration()
{
    QFETCH(qint64, lastLookMs);
    QFETCH(bool, counts);
    GlanceTracker tracker{AttentionRules{}};
    for (qint64 t = 0; t < lastLookMs; t += 30)
        QVERIFY(!tracker.observe(t, Judgement::Looking));
    QVERIFY(!tracker.observe(lastLookMs, Judgement::Looking));
    const auto glance = tracker.observe(lastLookMs + 300, Judgement::Away);
    QVERIFY(glance.has_value());
    QCOMPARE(*glance, (Glance{0, lastLookMs}));
    QCOMPARE(tracker.counts(*glance), counts);
    QVERIFY(!tracker.open());
}

void TestAttention::shortAwayGapsAreTolerated()
{
    GlanceTracker tracker{AttentionRules{}};
    QVERIFY(!tracker.observe(0, Judgement::Looking));
    QVERIFY(!tracker.observe(500, Judgement::Looking));
    QVERIFY(!tracker.observe(600, Judgement::Away)); // 100 ms after the last look
    QVERIFY(!tracker.observe(799, Judgement::Away)); // 299 ms
    QVERIFY(!tracker.observe(800, Judgement::Looking));
    QVERIFY(!tracker.observe(1099, Judgement::Away)); // 299 ms
    const auto glance = tracker.observe(1100, Judgement::Away); // 300 ms: ended at the last look
    QVERIFY(glance.has_value());
    QCOMPARE(*glance, (Glance{0, 800}));
}

void TestAttention::framesWithoutFacesDoNotBreakAGlance()
{
    GlanceTracker tracker{AttentionRules{}};
    QVERIFY(!tracker.observe(0, Judgement::Looking));
    for (qint64 t = 100; t < 999; t += 100)
        QVERIFY(!tracker.observe(t, Judgement::Unknown));
    QVERIFY(!tracker.observe(999, Judgement::Looking)); // 999 ms without a judgement: same glance
    QCOMPARE(tracker.startMs(), qint64(0));
    // 1000 ms or more since the last look: the glance ends, even on an unjudged frame.
    const auto glance = tracker.observe(1999, Judgement::Unknown);
    QVERIFY(glance.has_value());
    QCOMPARE(*glance, (Glance{0, 999}));

    // Two looks 1000 ms apart are two glances.
    QVERIFY(!tracker.observe(3000, Judgement::Looking));
    const auto first = tracker.observe(4000, Judgement::Looking);
    QCOMPARE(*first, (Glance{3000, 3000}));
    QCOMPARE(tracker.startMs(), qint64(4000));
    QCOMPARE(*tracker.end(), (Glance{4000, 4000}));
    QVERIFY(!tracker.end());
}

void TestAttention::openAndCertain()
{
    GlanceTracker tracker{AttentionRules{}};
    tracker.observe(0, Judgement::Looking);
    tracker.observe(999, Judgement::Looking);
    QVERIFY(tracker.open() && !tracker.openAndCertain());
    tracker.observe(1000, Judgement::Looking);
    QVERIFY(tracker.openAndCertain());
}

QTEST_GUILESS_MAIN(TestAttention)
#include "TestAttention.moc"
