#include "vision/tracking/DetectionScheduler.h"

#include <QTest>

using namespace signiq::vision;

namespace {

// Runs `frames` frames through the scheduler with fixed per-frame costs; returns how many detected.
int run(DetectionScheduler &scheduler, int frames, double detectMs, double trackMs)
{
    int detections = 0;
    for (int i = 0; i < frames; ++i) {
        if (scheduler.shouldDetect()) {
            ++detections;
            scheduler.recordDetectionFrameMs(detectMs);
        } else {
            scheduler.recordTrackingFrameMs(trackMs);
        }
    }
    return detections;
}

} // namespace

class TestDetectionScheduler : public QObject {
    Q_OBJECT

private slots:
    void detectsEveryFrameWhenFast();
    void kGrowsWhenDetectionTooSlow();
    void kReturnsToOneWhenFastAgain();
    void kCappedAtMaxK();
    void scheduleFollowsK();
    void noFlappingAtTheBoundary();
};

void TestDetectionScheduler::detectsEveryFrameWhenFast()
{
    DetectionScheduler scheduler({.targetFps = 10.0, .maxK = 4});
    QCOMPARE(run(scheduler, 50, 40.0, 2.0), 50);
    QCOMPARE(scheduler.k(), 1);
}

void TestDetectionScheduler::kGrowsWhenDetectionTooSlow()
{
    DetectionScheduler scheduler({.targetFps = 10.0, .maxK = 5}); // budget 0.9 * 100 ms = 90 ms
    run(scheduler, 60, 250.0, 5.0);
    // (250 + 5 (k - 1)) / k <= 90  ->  k = 3
    QCOMPARE(scheduler.k(), 3);
    QVERIFY(std::abs(scheduler.detectionFrameMs() - 250.0) < 1e-6);
}

void TestDetectionScheduler::kReturnsToOneWhenFastAgain()
{
    DetectionScheduler scheduler({.targetFps = 10.0, .maxK = 5});
    run(scheduler, 60, 250.0, 5.0);
    QCOMPARE(scheduler.k(), 3);
    run(scheduler, 200, 30.0, 5.0); // e.g. the scene emptied or another process stopped
    QCOMPARE(scheduler.k(), 1);
    QCOMPARE(run(scheduler, 10, 30.0, 5.0), 10);
}

void TestDetectionScheduler::kCappedAtMaxK()
{
    DetectionScheduler scheduler({.targetFps = 25.0, .maxK = 4});
    run(scheduler, 100, 1000.0, 10.0);
    QCOMPARE(scheduler.k(), 4);
}

void TestDetectionScheduler::scheduleFollowsK()
{
    DetectionScheduler scheduler({.targetFps = 10.0, .maxK = 5});
    run(scheduler, 60, 250.0, 5.0);
    QCOMPARE(scheduler.k(), 3);
    // From here on exactly one frame in three detects (with steady timings k stays 3).
    int detections = 0;
    for (int i = 0; i < 30; ++i) {
        if (scheduler.shouldDetect()) {
            ++detections;
            scheduler.recordDetectionFrameMs(250.0);
        } else {
            scheduler.recordTrackingFrameMs(5.0);
        }
    }
    QCOMPARE(detections, 10);
}

void TestDetectionScheduler::noFlappingAtTheBoundary()
{
    DetectionScheduler scheduler({.targetFps = 10.0, .maxK = 4});
    run(scheduler, 40, 100.0, 5.0); // 100 > 90: k = 2 (52.5 ms average)
    QCOMPARE(scheduler.k(), 2);
    run(scheduler, 100, 85.0, 5.0); // fits k = 1 but within the hysteresis margin (76.5 ms): stays 2
    QCOMPARE(scheduler.k(), 2);
    run(scheduler, 100, 60.0, 5.0);
    QCOMPARE(scheduler.k(), 1);
}

QTEST_GUILESS_MAIN(TestDetectionScheduler)
#include "TestDetectionScheduler.moc"
