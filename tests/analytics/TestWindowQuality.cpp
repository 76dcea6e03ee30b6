#include "analytics/WindowQuality.h"
#include "core/AudienceWindow.h"

#include <QTest>

using namespace signiq::analytics;
using signiq::core::FrameObservations;
using signiq::core::TrackObservation;

namespace {

FrameTally frames(int count, double fps, double darkShare = 0.0, double uniformShare = 0.0)
{
    FrameTally tally;
    const QualityThresholds thresholds;
    for (int i = 0; i < count; ++i) {
        FrameObservations f;
        f.processingFps = fps;
        f.stats.meanLuma = i < darkShare * count ? 20.0 : 120.0;
        f.stats.lumaStdDev = i < uniformShare * count ? 2.0 : 40.0;
        tally.add(f, thresholds);
    }
    return tally;
}

ObservationTally observations(int count, float score, double predictedShare)
{
    ObservationTally tally;
    for (int i = 0; i < count; ++i) {
        TrackObservation o;
        o.confirmed = true;
        o.predicted = i < predictedShare * count;
        o.score = o.predicted ? 0.f : score;
        tally.add(o);
    }
    return tally;
}

} // namespace

class TestWindowQuality : public QObject {
    Q_OBJECT

private slots:
    void flags_data();
    void flags();
    void confidenceOrdering();
    void confidenceBounds();
};

void TestWindowQuality::flags_data()
{
    QTest::addColumn<int>("frameCount");
    QTest::addColumn<double>("fps");
    QTest::addColumn<double>("darkShare");
    QTest::addColumn<double>("uniformShare");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("healthy") << 600 << 15.0 << 0.0 << 0.0 << QStringList{};
    QTest::newRow("49% dark") << 600 << 15.0 << 0.49 << 0.0 << QStringList{};
    QTest::newRow("50% dark") << 600 << 15.0 << 0.5 << 0.0 << QStringList{QStringLiteral("low_light")};
    QTest::newRow("all uniform") << 600 << 15.0 << 0.0 << 1.0 << QStringList{QStringLiteral("camera_blocked")};
    QTest::newRow("dark and uniform") << 600 << 15.0 << 1.0 << 1.0
                                      << QStringList{QStringLiteral("low_light"), QStringLiteral("camera_blocked")};
    QTest::newRow("fps 4.9") << 600 << 4.9 << 0.0 << 0.0 << QStringList{QStringLiteral("low_fps")};
    QTest::newRow("fps 5") << 600 << 5.0 << 0.0 << 0.0 << QStringList{};
    QTest::newRow("stalled: 4 frames/s delivered") << 240 << 15.0 << 0.0 << 0.0 << QStringList{QStringLiteral("low_fps")};
    QTest::newRow("no frames") << 0 << 0.0 << 0.0 << 0.0 << QStringList{QStringLiteral("low_fps")};
}

void TestWindowQuality::flags()
{
    QFETCH(int, frameCount);
    QFETCH(double, fps);
    QFETCH(double, darkShare);
    QFETCH(double, uniformShare);
    QFETCH(QStringList, names);
    const quint32 f = qualityFlags(frames(frameCount, fps, darkShare, uniformShare), 60.0, QualityThresholds{});
    QCOMPARE(signiq::core::qualityFlagNames(f), names);
}

void TestWindowQuality::confidenceOrdering()
{
    const FrameTally good = frames(600, 15.0);
    const double best = confidence(good, observations(100, 0.9f, 0.0), 15.0);
    QVERIFY(qAbs(best - 0.95) < 1e-6); // (0.9 + 1.0) / 2
    QVERIFY(confidence(good, observations(100, 0.5f, 0.0), 15.0) < best);
    QVERIFY(confidence(good, observations(100, 0.9f, 0.3), 15.0) < best);
    QVERIFY(confidence(good, observations(100, 0.9f, 0.6), 15.0) < confidence(good, observations(100, 0.9f, 0.3), 15.0));
    QVERIFY(confidence(frames(600, 7.5), observations(100, 0.9f, 0.0), 15.0) < best);
    QVERIFY(confidence(frames(600, 3.0), observations(100, 0.9f, 0.0), 15.0)
            < confidence(frames(600, 7.5), observations(100, 0.9f, 0.0), 15.0));
    QVERIFY(confidence(frames(600, 15.0, 1.0), observations(100, 0.9f, 0.0), 15.0) < best);
    QCOMPARE(confidence(frames(600, 15.0, 0.0, 1.0), observations(100, 0.9f, 0.0), 15.0), 0.0);
    // A faster pipeline than the target does not earn more than 1.
    QCOMPARE(confidence(frames(600, 30.0), observations(100, 0.9f, 0.0), 15.0), best);
}

void TestWindowQuality::confidenceBounds()
{
    QCOMPARE(confidence(FrameTally{}, ObservationTally{}, 15.0), 0.0);
    QCOMPARE(confidence(frames(10, 15.0), ObservationTally{}, 15.0), 1.0); // empty zone, healthy camera
    QCOMPARE(confidence(frames(10, 15.0), observations(10, 0.f, 1.0), 15.0), 0.0);
}

QTEST_GUILESS_MAIN(TestWindowQuality)
#include "TestWindowQuality.moc"
