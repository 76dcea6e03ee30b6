#include "vision/capture/FrameStats.h"

#include <QElapsedTimer>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>

using namespace signiq::vision;

class TestFrameStats : public QObject {
    Q_OBJECT

private slots:
    void uniformImage_data();
    void uniformImage();
    void halfBlackHalfWhite();
    void lumaWeights();
    void emptyImage();
    void realFrameIsPlausibleAndCheap();
};

void TestFrameStats::uniformImage_data()
{
    QTest::addColumn<int>("value");
    QTest::newRow("black") << 0;
    QTest::newRow("grey") << 128;
    QTest::newRow("white") << 255;
}

void TestFrameStats::uniformImage()
{
    QFETCH(int, value);
    const cv::Mat image(576, 768, CV_8UC3, cv::Scalar::all(value));
    const auto stats = computeFrameStats(image);
    QVERIFY(std::abs(stats.meanLuma - value) < 0.51);
    QVERIFY(stats.lumaStdDev < 1e-9);
}

void TestFrameStats::halfBlackHalfWhite()
{
    cv::Mat image(576, 768, CV_8UC3, cv::Scalar::all(0));
    image.colRange(384, 768).setTo(cv::Scalar::all(255));
    const auto stats = computeFrameStats(image);
    QVERIFY(std::abs(stats.meanLuma - 127.5) < 1.0);
    QVERIFY(std::abs(stats.lumaStdDev - 127.5) < 1.0);
}

void TestFrameStats::lumaWeights()
{
    // Pure green is much brighter than pure blue (BT.601).
    const auto green = computeFrameStats(cv::Mat(100, 100, CV_8UC3, cv::Scalar(0, 255, 0)));
    const auto blue = computeFrameStats(cv::Mat(100, 100, CV_8UC3, cv::Scalar(255, 0, 0)));
    QVERIFY(std::abs(green.meanLuma - 0.587 * 255) < 1.5);
    QVERIFY(std::abs(blue.meanLuma - 0.114 * 255) < 1.5);
}

void TestFrameStats::emptyImage()
{
    const auto stats = computeFrameStats(cv::Mat());
    QCOMPARE(stats.meanLuma, 0.0);
    QCOMPARE(stats.lumaStdDev, 0.0);
}

void TestFrameStats::realFrameIsPlausibleAndCheap()
{
    const cv::Mat frame = cv::imread(SIGNIQ_TESTDATA_DIR "/vtest_frame0000.png", cv::IMREAD_COLOR);
    QVERIFY(!frame.empty());
    const auto stats = computeFrameStats(frame);
    QVERIFY(stats.meanLuma > 40 && stats.meanLuma < 220);
    QVERIFY(stats.lumaStdDev > 10);

    // Informational only (tests never fail on a time; see bench/).
    QElapsedTimer timer;
    timer.start();
    constexpr int kRuns = 200;
    double sink = 0;
    for (int i = 0; i < kRuns; ++i)
        sink += computeFrameStats(frame).meanLuma;
    qInfo("computeFrameStats at %dx%d: %.3f ms per frame (checksum %.1f)", frame.cols, frame.rows,
          static_cast<double>(timer.nsecsElapsed()) / 1e6 / kRuns, sink / kRuns);
}

QTEST_GUILESS_MAIN(TestFrameStats)
#include "TestFrameStats.moc"
