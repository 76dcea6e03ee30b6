// Walking direction per zone window (docs/metrics.md §5) from synthetic floor tracks with
// injected timestamps. Floor coordinates: +y into the room, +x to the screen's left.
#include "SyntheticScene.h"

#include "analytics/AudienceAggregator.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>

using namespace signiq::analytics;
using namespace signiq::analytics::synthetic;
using signiq::core::AudienceWindow;
using signiq::core::TrackObservation;
using signiq::core::WalkingDirections;
using signiq::core::ZoneConfig;

namespace {

using FloorPath = std::function<QPointF(qint64 /*ms since T0*/)>;

// Track 1 in zone a from 1 s to 11 s, at floor position path(t); predicted while predicted(t).
// Frames every 100 ms from 0 to 20 s; the run ends at 20 s: one window per zone.
QList<AudienceWindow> walk(const ZoneConfig &config, const FloorPath &path,
                           const std::function<bool(qint64)> &predicted = {})
{
    AudienceAggregator agg(config);
    run(agg, T0, T0 + 20'000, [&](qint64 tMs) -> QList<TrackObservation> {
        const qint64 t = tMs - T0;
        if (t < 1'000 || t > 11'000)
            return {};
        TrackObservation o = person(1, InA, 0.9f, true, predicted && predicted(t));
        o.floorM = path(t);
        return {o};
    });
    agg.finish(T0 + 20'000);
    return agg.takeClosedWindows();
}

// Straight line from `from` at 1 s with velocity (vx, vy) m/s.
FloorPath line(QPointF from, double vx, double vy)
{
    return [=](qint64 t) {
        const double s = double(t - 1'000) / 1000.0;
        return QPointF(from.x() + vx * s, from.y() + vy * s);
    };
}

AudienceWindow zone(const QList<AudienceWindow> &windows, const QString &name)
{
    const QList<AudienceWindow> of = ofZone(windows, name);
    if (of.size() != 1)
        qWarning() << "expected one window of" << name << "got" << of.size();
    return of.value(0);
}

} // namespace

class TestWalkingDirections : public QObject {
    Q_OBJECT

private slots:
    void sectors_data();
    void sectors();
    void standingCountsNothing_data();
    void standingCountsNothing();
    void walkThenStand();
    void predictedEndsCountNoDirection();
    void uncalibratedIsAbsent();
};

void TestWalkingDirections::sectors_data()
{
    QTest::addColumn<double>("vx");
    QTest::addColumn<double>("vy");
    QTest::addColumn<int>("sector"); // 0 toward, 1 away, 2 left, 3 right
    QTest::newRow("straight toward the screen") << 0.0 << -1.0 << 0;
    QTest::newRow("straight away from the screen") << 0.0 << 1.0 << 1;
    QTest::newRow("along the screen to +x: the screen's left") << 1.2 << 0.0 << 2;
    QTest::newRow("along the screen to -x: the screen's right") << -1.2 << 0.0 << 3;
    QTest::newRow("toward, 30 deg off to +x") << 0.5 << -0.866 << 0;
    QTest::newRow("toward, 30 deg off to -x") << -0.5 << -0.866 << 0;
    QTest::newRow("away, 40 deg off") << 0.64 << 0.77 << 1;
    QTest::newRow("left, 60 deg off the y axis, approaching") << 0.866 << -0.5 << 2;
    QTest::newRow("right, 60 deg off the y axis, receding") << -0.866 << 0.5 << 3;
    QTest::newRow("exactly 45 deg counts as toward") << 0.5 << -0.5 << 0;
    QTest::newRow("slow but walking, 0.35 m/s toward") << 0.0 << -0.35 << 0;
}

void TestWalkingDirections::sectors()
{
    QFETCH(double, vx);
    QFETCH(double, vy);
    QFETCH(int, sector);
    const QList<AudienceWindow> windows = walk(calibratedConfig(), line(QPointF(0.0, 11.0), vx, vy));
    const AudienceWindow a = zone(windows, QStringLiteral("a"));
    QVERIFY(a.walkingDirections.has_value());
    const WalkingDirections &d = *a.walkingDirections;
    // Ten whole 1 s segments (1-2 s, ..., 10-11 s), all walking in one sector.
    const std::array<double, 4> got = {d.towardS, d.awayS, d.leftS, d.rightS};
    for (int s = 0; s < 4; ++s)
        QCOMPARE(got[size_t(s)], s == sector ? 10.0 : 0.0);
    QVERIFY(a.meanSpeedMps.has_value());
    QVERIFY(std::abs(*a.meanSpeedMps - std::hypot(vx, vy)) < 1e-9);
    // Zone b never had the person: calibrated, so present, but empty.
    const AudienceWindow b = zone(windows, QStringLiteral("b"));
    QVERIFY(b.walkingDirections == std::optional(WalkingDirections{}));
    QVERIFY(!b.meanSpeedMps.has_value());
}

void TestWalkingDirections::standingCountsNothing_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("still") << 0;
    QTest::newRow("jitter of +-5 cm") << 1;
    QTest::newRow("drifting at 0.2 m/s") << 2;
}

void TestWalkingDirections::standingCountsNothing()
{
    QFETCH(int, kind);
    const FloorPath path = [kind](qint64 t) {
        switch (kind) {
        case 1: return QPointF(((t / 100) % 2) ? 0.05 : -0.05, 3.0 + (((t / 100) % 3) - 1) * 0.05);
        case 2: return line(QPointF(0.0, 3.0), 0.0, -0.2)(t);
        default: return QPointF(0.5, 3.0);
        }
    };
    const AudienceWindow a = zone(walk(calibratedConfig(), path), QStringLiteral("a"));
    QVERIFY(a.meanSpeedMps.has_value()); // speed was measured (standing included) ...
    QVERIFY(a.walkingDirections == std::optional(WalkingDirections{})); // ... but nobody walked
}

void TestWalkingDirections::walkThenStand()
{
    // Toward the screen at 1 m/s from 6 m to 1 m (1-6 s), then standing at 1 m (6-11 s).
    const FloorPath path = [](qint64 t) { return QPointF(0.0, std::max(1.0, 6.0 - double(t - 1'000) / 1000.0)); };
    const AudienceWindow a = zone(walk(calibratedConfig(), path), QStringLiteral("a"));
    QVERIFY(a.walkingDirections == std::optional(WalkingDirections{5.0, 0.0, 0.0, 0.0}));
    QCOMPARE(*a.meanSpeedMps, 0.5); // 5 m in 10 s of measured time, standing included
}

void TestWalkingDirections::predictedEndsCountNoDirection()
{
    // Walking toward the screen at 1 m/s; the tracker only predicts from 4.1 s to 6.0 s.
    // Segments end at 2, 3, ..., 11 s; those ending at 5 and 6 s (predicted end) and 7 s
    // (predicted start) count for speed only.
    const auto predicted = [](qint64 t) { return t > 4'000 && t <= 6'000; };
    const AudienceWindow a = zone(walk(calibratedConfig(), line(QPointF(0.0, 11.0), 0.0, -1.0), predicted),
                                  QStringLiteral("a"));
    QVERIFY(a.walkingDirections == std::optional(WalkingDirections{7.0, 0.0, 0.0, 0.0}));
    QCOMPARE(*a.meanSpeedMps, 1.0);
}

void TestWalkingDirections::uncalibratedIsAbsent()
{
    // Floor positions without a calibration are ignored: no speed, no direction.
    const QList<AudienceWindow> windows = walk(standardConfig(), line(QPointF(0.0, 6.0), 0.0, -1.0));
    for (const AudienceWindow &w : windows) {
        QVERIFY(w.qualityFlags & signiq::core::QualityUncalibrated);
        QVERIFY(!w.walkingDirections.has_value());
        QVERIFY(!w.toJson().contains(QStringLiteral("walking_directions")));
    }
    // ... and when the aggregator is told the calibration cannot be used.
    AggregatorOptions options;
    options.uncalibrated = true;
    AudienceAggregator agg(calibratedConfig(), options);
    run(agg, T0, T0 + 5'000, [](qint64) {
        TrackObservation o = person(1, InA);
        o.floorM = QPointF(0.0, 3.0);
        return QList<TrackObservation>{o};
    });
    agg.finish(T0 + 5'000);
    for (const AudienceWindow &w : agg.takeClosedWindows())
        QVERIFY(!w.walkingDirections.has_value());
}

QTEST_GUILESS_MAIN(TestWalkingDirections)
#include "TestWalkingDirections.moc"
