#include "vision/faces/LandmarkHeadPose.h"

#include <QTest>

#include <cmath>

using namespace signiq;
using namespace signiq::vision;

namespace {

// A frontal face: eyes 40 px apart at y = 100, mouth corners at y = 150, nose tip between.
// noseDx/noseDy move the nose tip; tiltDeg rotates everything about the eye midpoint.
std::array<QPointF, 5> face(double noseDx, double noseT = 0.55, double tiltDeg = 0.0)
{
    const QPointF c(200, 100);
    std::array<QPointF, 5> lm{QPointF(180, 100), QPointF(220, 100), QPointF(200 + noseDx, 100 + 50 * noseT),
                              QPointF(185, 150), QPointF(215, 150)};
    const double a = tiltDeg * M_PI / 180.0;
    for (QPointF &p : lm) {
        const QPointF d = p - c;
        p = c + QPointF(d.x() * std::cos(a) - d.y() * std::sin(a), d.x() * std::sin(a) + d.y() * std::cos(a));
    }
    return lm;
}

} // namespace

class TestLandmarkHeadPose : public QObject {
    Q_OBJECT

private slots:
    void frontalFaceIsNearZero();
    void yawSignAndMagnitude_data();
    void yawSignAndMagnitude();
    void pitchFollowsNoseHeight();
    void rollIsEyeLineAngle();
    void alwaysLowConfidenceAndClamped();
    void degenerateLandmarks();
};

void TestLandmarkHeadPose::frontalFaceIsNearZero()
{
    const core::HeadPose p = estimateHeadPoseFromLandmarks(face(0.0));
    QVERIFY(p.lowConfidence);
    QVERIFY(std::abs(p.yawDeg) < 0.01f);
    QVERIFY(std::abs(p.pitchDeg) < 0.01f);
    QVERIFY(std::abs(p.rollDeg) < 0.01f);
}

void TestLandmarkHeadPose::yawSignAndMagnitude_data()
{
    QTest::addColumn<double>("noseDx");
    QTest::addColumn<double>("expectedYaw");
    // r = dx / 40; yaw = atan(r / 0.45).
    QTest::newRow("left 18px") << -18.0 << -45.0;
    QTest::newRow("left 6px") << -6.0 << -std::atan(0.15 / 0.45) * 180.0 / M_PI;
    QTest::newRow("right 18px") << 18.0 << 45.0;
}

void TestLandmarkHeadPose::yawSignAndMagnitude()
{
    QFETCH(double, noseDx);
    QFETCH(double, expectedYaw);
    const core::HeadPose p = estimateHeadPoseFromLandmarks(face(noseDx));
    QVERIFY2(std::abs(p.yawDeg - expectedYaw) < 0.1, qPrintable(QString::number(p.yawDeg)));
}

void TestLandmarkHeadPose::pitchFollowsNoseHeight()
{
    // Sign as fitted against head-pose-adas-0001 (LandmarkHeadPose.h).
    const core::HeadPose nearEyes = estimateHeadPoseFromLandmarks(face(0.0, 0.35));
    const core::HeadPose nearMouth = estimateHeadPoseFromLandmarks(face(0.0, 0.80));
    QVERIFY(nearEyes.pitchDeg < -15.f);
    QVERIFY(nearMouth.pitchDeg > 15.f);
}

void TestLandmarkHeadPose::rollIsEyeLineAngle()
{
    const core::HeadPose p = estimateHeadPoseFromLandmarks(face(0.0, 0.55, 10.0));
    QVERIFY(std::abs(p.rollDeg - 10.f) < 0.1f);
    QVERIFY(std::abs(p.yawDeg) < 0.01f); // rotation in the image plane is roll, not yaw or pitch
    QVERIFY(std::abs(p.pitchDeg) < 0.01f);
    const core::HeadPose turned = estimateHeadPoseFromLandmarks(face(-18.0, 0.55, -20.0));
    QVERIFY(std::abs(turned.yawDeg - (-45.f)) < 0.1f);
    QVERIFY(std::abs(turned.rollDeg - (-20.f)) < 0.1f);
}

void TestLandmarkHeadPose::alwaysLowConfidenceAndClamped()
{
    const core::HeadPose p = estimateHeadPoseFromLandmarks(face(-400.0));
    QVERIFY(p.lowConfidence);
    QVERIFY(p.yawDeg >= -90.f && p.yawDeg < -80.f);
}

void TestLandmarkHeadPose::degenerateLandmarks()
{
    std::array<QPointF, 5> lm;
    lm.fill(QPointF(10, 10));
    const core::HeadPose p = estimateHeadPoseFromLandmarks(lm);
    QVERIFY(p.lowConfidence);
    QCOMPARE(p.yawDeg, 0.f);
    QCOMPARE(p.pitchDeg, 0.f);
}

QTEST_GUILESS_MAIN(TestLandmarkHeadPose)
#include "TestLandmarkHeadPose.moc"
