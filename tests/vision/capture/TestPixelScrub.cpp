// vision::scrubPixels / scrubBytes: the one function that zeroes camera pixels.
#include "vision/capture/PixelScrub.h"

#include <QTest>

#include <opencv2/core.hpp>

using namespace signiq;

class TestPixelScrub : public QObject {
    Q_OBJECT

private slots:
    void zeroesTheWholeAllocationBehindARegion()
    {
        cv::Mat image(48, 64, CV_8UC3, cv::Scalar::all(200));
        cv::Mat roi = image(cv::Rect(10, 10, 8, 8)); // a header that shows only a corner
        vision::scrubPixels(roi);
        QCOMPARE(cv::countNonZero(image.reshape(1)), 0);
    }

    void zeroesForeignMemoryItViews()
    {
        std::vector<uchar> bytes(3 * 16 * 16, 0x77);
        cv::Mat view(16, 16, CV_8UC3, bytes.data()); // no allocation of its own
        vision::scrubPixels(view);
        QVERIFY(std::all_of(bytes.begin(), bytes.end(), [](uchar b) { return b == 0; }));
    }

    void emptyAndNullAreNoOps()
    {
        cv::Mat empty;
        vision::scrubPixels(empty);
        vision::scrubBytes(nullptr, 16);
        QByteArray data(32, 'x');
        vision::scrubBytes(data.data(), 0);
        QCOMPARE(data, QByteArray(32, 'x'));
        vision::scrubBytes(data.data(), size_t(data.size()));
        QCOMPARE(data, QByteArray(32, '\0'));
    }
};

QTEST_GUILESS_MAIN(TestPixelScrub)
#include "TestPixelScrub.moc"
