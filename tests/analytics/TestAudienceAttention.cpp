// Attention, distance bands and walking speed in AudienceAggregator windows, from synthetic
// head-pose sequences with injected timestamps.
#include "SyntheticScene.h"

#include "analytics/AudienceAggregator.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace signiq::analytics;
using namespace signiq::analytics::synthetic;
using signiq::core::AudienceWindow;
using signiq::core::FaceObservation;
using signiq::core::FrameObservations;
using signiq::core::HeadPose;
using signiq::core::TrackId;
using signiq::core::TrackObservation;
using signiq::core::ZoneConfig;

namespace {

constexpr double Away = 90.0; // a yaw far outside any cone

enum class Face { Pose, NoFace, NoPose };

// A person at `foot` whose face has the given yaw/pitch (or no face / a face without a pose).
TrackObservation looker(TrackId id, QPointF foot, double yaw, double pitch = 0.0, Face face = Face::Pose,
                        bool lowConfidence = false, std::optional<QPointF> floorM = std::nullopt)
{
    TrackObservation o = person(id, foot);
    o.floorM = floorM;
    if (face == Face::NoFace)
        return o;
    FaceObservation f;
    f.box = QRectF(foot.x() - 0.02, foot.y() - 0.25, 0.04, 0.05);
    f.sizePx = 80.f;
    if (face == Face::Pose)
        f.pose = HeadPose{float(yaw), float(pitch), 0.f, lowConfidence};
    o.face = f;
    return o;
}

using Script = std::function<QList<TrackObservation>(qint64 /*ms since T0*/)>;

// Frames every stepMs from T0 + fromMs to T0 + toMs; faces run on every frame unless facesRan says otherwise.
void play(AudienceAggregator &agg, qint64 fromMs, qint64 toMs, const Script &script, qint64 stepMs = StepMs,
          const std::function<bool(qint64)> &facesRan = {})
{
    for (qint64 t = fromMs; t <= toMs; t += stepMs) {
        FrameObservations f = frame(T0 + t, script(t));
        f.facesRan = facesRan ? facesRan(t) : true;
        agg.observe(f);
    }
}

// One track in zone a, present for [fromMs, toMs], looking (yaw 0) during any of `looks`.
Script lookingDuring(TrackId id, qint64 fromMs, qint64 toMs, QList<std::pair<qint64, qint64>> looks, QPointF where = InA)
{
    return [=](qint64 t) -> QList<TrackObservation> {
        if (t < fromMs || t > toMs)
            return {};
        bool looking = false;
        for (const auto &[a, b] : looks)
            looking = looking || (t >= a && t <= b);
        return {looker(id, where, looking ? 0.0 : Away)};
    };
}

Script both(const Script &a, const Script &b)
{
    return [=](qint64 t) { return a(t) + b(t); };
}

AudienceWindow onlyWindow(AudienceAggregator &agg, const QString &zone)
{
    const auto windows = ofZone(agg.takeClosedWindows(), zone);
    if (windows.size() != 1)
        qWarning() << "expected one window of" << zone << "got" << windows.size();
    return windows.value(0);
}

// Camera at head height `cameraX` metres to the side of the screen centre (both 1.6 m up);
// x > 0 is to the right of someone facing the screen: seen from such a camera the screen is on
// the image's right, so looking at it takes a yaw > 0.
ZoneConfig sideCameraConfig(double cameraX)
{
    ZoneConfig c = calibratedConfig();
    c.calibration->screen.centreHeightM = 1.6;
    c.calibration->camera.positionM = QPointF(cameraX, 0);
    c.calibration->camera.heightM = 1.6;
    return c;
}

} // namespace

class TestAudienceAttention : public QObject {
    Q_OBJECT

private slots:
    void minimumDuration_data();
    void minimumDuration();
    void glancesSum();
    void viewersAndRate();
    void glanceAcrossWindowBoundary();
    void facesOnEveryThirdFrame();
    void missingFaceBreaksMissingPoseDoesNot();
    void uncalibratedDefault();
    void screenOffsetVsCamera_data();
    void screenOffsetVsCamera();
    void distanceBandsAndSpeed();
    void lowConfidencePosesAreCountedAndFlagged();
    void settleGrowsWithFaceAnalysis();
    void overlappingZonesBothCount();
};

void TestAudienceAttention::minimumDuration_data()
{
    QTest::addColumn<qint64>("durationMs");
    QTest::addColumn<int>("events");
    QTest::newRow("0.99 s") << qint64(990) << 0;
    QTest::newRow("1.0 s") << qint64(1000) << 1;
}

void TestAudienceAttention::minimumDuration()
{
    QFETCH(qint64, durationMs);
    QFETCH(int, events);
    AudienceAggregator agg(standardConfig());
    play(agg, 0, 20'000, lookingDuring(1, 0, 15'000, {{5'000, 5'000 + durationMs}}), 10);
    agg.finish(T0 + 20'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QCOMPARE(a.attentionEvents, events);
    QCOMPARE(a.viewers, events);
    QCOMPARE(a.attentionTimeS, events ? 1.0 : 0.0);
    QCOMPARE(a.meanAttentionS, events ? 1.0 : 0.0);
}

void TestAudienceAttention::glancesSum()
{
    AudienceAggregator agg(standardConfig());
    // 1.5 s, 0.5 s (too short) and 2.0 s, separated by >= 0.3 s of looking away.
    play(agg, 0, 30'000,
         lookingDuring(1, 1'000, 20'000, {{5'000, 6'500}, {7'500, 8'000}, {9'000, 11'000}}));
    agg.finish(T0 + 30'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QCOMPARE(a.attentionEvents, 2);
    QCOMPARE(a.viewers, 1);
    QCOMPARE(a.attentionTimeS, 3.5);
    QCOMPARE(a.meanAttentionS, 3.5);
    QCOMPARE(a.attentionRate, 3.5 / 19.0); // visit from 1.0 s to 20.0 s
}

void TestAudienceAttention::viewersAndRate()
{
    AudienceAggregator agg(standardConfig());
    const Script viewer = lookingDuring(1, 1'000, 20'000, {{2'000, 6'000}});
    const Script ignorer = lookingDuring(2, 1'000, 20'000, {});
    const Script outside = lookingDuring(3, 0, 20'000, {{0, 10'000}}, Corridor); // in no zone
    const Script inB = lookingDuring(4, 1'000, 20'000, {{1'000, 20'000}}, InB);
    play(agg, 0, 30'000, both(both(viewer, ignorer), both(outside, inB)));
    agg.finish(T0 + 30'000);
    const auto windows = agg.takeClosedWindows();
    const AudienceWindow a = ofZone(windows, QStringLiteral("a")).value(0);
    QCOMPARE(a.ots, 2);
    QCOMPARE(a.viewers, 1);
    QCOMPARE(a.attentionEvents, 1);
    QCOMPARE(a.attentionTimeS, 4.0);
    QCOMPARE(a.meanAttentionS, 4.0);
    QCOMPARE(a.attentionRate, 4.0 / 38.0);
    const AudienceWindow b = ofZone(windows, QStringLiteral("b")).value(0);
    QCOMPARE(b.viewers, 1);
    QCOMPARE(b.attentionEvents, 1);
    QCOMPARE(b.attentionTimeS, 19.0);
    QCOMPARE(b.attentionRate, 1.0);
}

void TestAudienceAttention::glanceAcrossWindowBoundary()
{
    AudienceAggregator agg(standardConfig());
    const Script script = lookingDuring(1, 50'000, 70'000, {{58'000, 63'000}});
    play(agg, 0, 61'900, script);
    QVERIFY(!agg.hasClosedWindows()); // with face analysis windows settle for 2 s
    play(agg, 62'000, 62'000, script);
    const auto first = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    QCOMPARE(first.size(), 1);
    QCOMPARE(first[0].attentionEvents, 1);
    QCOMPARE(first[0].viewers, 1);
    QCOMPARE(first[0].attentionTimeS, 2.0);
    play(agg, 62'100, 80'000, script);
    agg.finish(T0 + 80'000);
    const auto second = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    QCOMPARE(second.size(), 1);
    QCOMPARE(second[0].attentionEvents, 0); // the event counted where it began
    QCOMPARE(second[0].viewers, 1);
    QCOMPARE(second[0].attentionTimeS, 3.0);
}

void TestAudienceAttention::facesOnEveryThirdFrame()
{
    AudienceAggregator agg(standardConfig());
    // Faces at 3.3 Hz: 300 ms between judgements, all of them looking from 5.0 to 8.0 s.
    play(agg, 0, 20'000, lookingDuring(1, 1'000, 15'000, {{5'000, 8'000}}), 100,
         [](qint64 t) { return t % 300 == 0; });
    agg.finish(T0 + 20'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QCOMPARE(a.attentionEvents, 1);
    QCOMPARE(a.attentionTimeS, 2.7); // first looking judgement 5.1 s, last 7.8 s
}

void TestAudienceAttention::missingFaceBreaksMissingPoseDoesNot()
{
    for (const Face gap : {Face::NoFace, Face::NoPose}) {
        AudienceAggregator agg(standardConfig());
        play(agg, 0, 20'000, [&](qint64 t) -> QList<TrackObservation> {
            if (t < 1'000 || t > 15'000)
                return {};
            const bool looking = t >= 3'000 && t <= 8'000;
            const bool hole = t >= 5'000 && t <= 5'500;
            return {looker(1, InA, looking ? 0.0 : Away, 0.0, hole ? gap : Face::Pose)};
        });
        agg.finish(T0 + 20'000);
        const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
        if (gap == Face::NoFace) {
            // No face while faces ran = not looking: 3.0-4.9 s and 5.6-8.0 s.
            QCOMPARE(a.attentionEvents, 2);
            QCOMPARE(a.attentionTimeS, 1.9 + 2.4);
        } else {
            // A face without a usable pose is not judged: one glance 3.0-8.0 s.
            QCOMPARE(a.attentionEvents, 1);
            QCOMPARE(a.attentionTimeS, 5.0);
        }
    }
}

void TestAudienceAttention::uncalibratedDefault()
{
    AudienceAggregator agg(standardConfig());
    QVERIFY(!agg.calibration().has_value());
    // 15° to the side of the camera is inside the default 20° cone.
    play(agg, 0, 20'000, [](qint64 t) -> QList<TrackObservation> {
        if (t < 1'000 || t > 10'000)
            return {};
        return {looker(1, InA, 15.0, 0.0, Face::Pose, false, QPointF(0, 3))};
    });
    agg.finish(T0 + 20'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QVERIFY(a.qualityFlags & signiq::core::QualityUncalibrated);
    QCOMPARE(a.attentionEvents, 1);
    QCOMPARE(a.attentionTimeS, 9.0);
    QVERIFY(a.distanceBands.isEmpty()); // floor positions are ignored without a calibration
    QVERIFY(!a.meanSpeedMps.has_value());

    // A calibration the pipeline cannot use counts as none.
    AggregatorOptions options;
    options.uncalibrated = true;
    AudienceAggregator forced(calibratedConfig(), options);
    QVERIFY(!forced.calibration().has_value());
}

void TestAudienceAttention::screenOffsetVsCamera_data()
{
    const double offset = std::atan2(2.0, 3.0) * 180.0 / std::numbers::pi; // 33.7°
    QTest::addColumn<double>("cameraX");
    QTest::addColumn<double>("yaw");
    QTest::addColumn<int>("events");
    QTest::newRow("screen 2 m beside the camera, looking at the camera") << 2.0 << 0.0 << 0;
    QTest::newRow("screen 2 m beside the camera, looking at the screen") << 2.0 << offset << 1;
    QTest::newRow("camera on the other side, looking at the screen") << -2.0 << -offset << 1;
    QTest::newRow("camera on the other side, turned the wrong way") << -2.0 << offset << 0;
    QTest::newRow("screen at the camera, looking at the camera") << 0.0 << 0.0 << 1;
    QTest::newRow("screen at the camera, looking 2 m beside it") << 0.0 << offset << 0;
}

void TestAudienceAttention::screenOffsetVsCamera()
{
    QFETCH(double, cameraX);
    QFETCH(double, yaw);
    QFETCH(int, events);
    AudienceAggregator agg(sideCameraConfig(cameraX));
    play(agg, 0, 20'000, [&](qint64 t) -> QList<TrackObservation> {
        if (t < 1'000 || t > 10'000)
            return {};
        return {looker(1, InA, yaw, 0.0, Face::Pose, false, QPointF(0, 3))};
    });
    agg.finish(T0 + 20'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QVERIFY(!(a.qualityFlags & signiq::core::QualityUncalibrated));
    QCOMPARE(a.attentionEvents, events);
    QCOMPARE(a.attentionTimeS, events ? 9.0 : 0.0);
}

void TestAudienceAttention::distanceBandsAndSpeed()
{
    // Camera 2.2 m above the screen centre (1.6 m): looking level at the screen (yaw = pitch = 0
    // relative to the lens) is 11° off the lens direction, well inside the cone.
    AudienceAggregator agg(calibratedConfig());
    play(agg, 0, 30'000, [](qint64 t) -> QList<TrackObservation> {
        if (t < 1'000 || t > 21'000)
            return {};
        double y = 3.0; // stands 3 m from the screen, walks to 5 m at 1 m/s, stands again
        if (t > 11'000)
            y = std::min(5.0, 3.0 + double(t - 11'000) / 1000.0);
        const bool looking = (t >= 3'000 && t <= 9'000) || (t >= 15'000 && t <= 19'000);
        return {looker(1, InA, looking ? 0.0 : Away, 0.0, Face::Pose, false, QPointF(0, y))};
    });
    agg.finish(T0 + 30'000);
    const AudienceWindow a = onlyWindow(agg, QStringLiteral("a"));
    QCOMPARE(a.attentionEvents, 2);
    QCOMPARE(a.attentionTimeS, 10.0);
    QCOMPARE(a.attentionRate, 0.5);
    QCOMPARE(a.distanceBands.size(), 4);
    const QStringList names = {QStringLiteral("<2 m"), QStringLiteral("2-4 m"), QStringLiteral("4-6 m"), QStringLiteral(">6 m")};
    const QList<double> presence = {0.0, 11.0, 9.0, 0.0}; // reaches 4 m at 12.0 s
    const QList<int> events = {0, 1, 1, 0};
    const QList<double> attention = {0.0, 6.0, 4.0, 0.0};
    for (int b = 0; b < 4; ++b) {
        QCOMPARE(a.distanceBands[b].band, names[b]);
        QCOMPARE(a.distanceBands[b].presenceS, presence[b]);
        QCOMPARE(a.distanceBands[b].attentionEvents, events[b]);
        QCOMPARE(a.distanceBands[b].attentionTimeS, attention[b]);
    }
    // 2 m walked in 20 s of measured time in the zone (standing included).
    QVERIFY(a.meanSpeedMps.has_value());
    QCOMPARE(*a.meanSpeedMps, 0.1);
}

void TestAudienceAttention::lowConfidencePosesAreCountedAndFlagged()
{
    for (const bool low : {false, true}) {
        AudienceAggregator agg(standardConfig());
        play(agg, 0, 20'000, [&](qint64 t) -> QList<TrackObservation> {
            if (t < 1'000 || t > 10'000)
                return {};
            return {looker(1, InA, 0.0, 0.0, Face::Pose, low)};
        });
        agg.finish(T0 + 20'000);
        const auto windows = agg.takeClosedWindows();
        const AudienceWindow a = ofZone(windows, QStringLiteral("a")).value(0);
        QCOMPARE(a.attentionEvents, 1);
        QCOMPARE(bool(a.qualityFlags & signiq::core::QualityLowConfidencePose), low);
        // Only zones with pose judgements can get the flag.
        QVERIFY(!(ofZone(windows, QStringLiteral("b")).value(0).qualityFlags & signiq::core::QualityLowConfidencePose));
    }
}

void TestAudienceAttention::settleGrowsWithFaceAnalysis()
{
    AudienceAggregator agg(standardConfig());
    QCOMPARE(agg.settleMs(), qint64(1000));
    play(agg, 0, 1'000, [](qint64) { return QList<TrackObservation>{}; }, 100, [](qint64) { return false; });
    QCOMPARE(agg.settleMs(), qint64(1000));
    play(agg, 1'100, 1'100, [](qint64) { return QList<TrackObservation>{}; });
    QCOMPARE(agg.settleMs(), qint64(2000)); // attention_min_s + 1 s
    agg.finish(T0 + 2'000);
    QCOMPARE(agg.settleMs(), qint64(1000)); // per run
}

void TestAudienceAttention::overlappingZonesBothCount()
{
    ZoneConfig config = standardConfig();
    config.zones.append(signiq::core::Zone{QStringLiteral("all"), {QPointF(0, 0), QPointF(1, 0), QPointF(1, 1), QPointF(0, 1)}});
    AudienceAggregator agg(config);
    play(agg, 0, 20'000, lookingDuring(1, 1'000, 15'000, {{2'000, 5'000}}));
    agg.finish(T0 + 20'000);
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(ofZone(windows, QStringLiteral("a")).value(0).attentionEvents, 1);
    QCOMPARE(ofZone(windows, QStringLiteral("all")).value(0).attentionEvents, 1);
    QCOMPARE(ofZone(windows, QStringLiteral("all")).value(0).attentionTimeS, 3.0);
    QCOMPARE(ofZone(windows, QStringLiteral("b")).value(0).attentionEvents, 0);
}

QTEST_GUILESS_MAIN(TestAudienceAttention)
#include "TestAudienceAttention.moc"
