#include "vision/capture/FramePool.h"

#include <QSet>
#include <QTest>

#include <atomic>
#include <thread>

using namespace signiq::vision;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

bool allZero(const cv::Mat &m)
{
    const size_t bytes = m.total() * m.elemSize();
    const uchar *p = m.data;
    for (size_t i = 0; i < bytes; ++i) {
        if (p[i] != 0)
            return false;
    }
    return true;
}

void fill(cv::Mat &image, cv::Size size, uchar value)
{
    image.create(size, CV_8UC3);
    image.setTo(cv::Scalar::all(value));
}

const cv::Size kSize(768, 576);

} // namespace

class TestFramePool : public QObject {
    Q_OBJECT

private slots:
    void bufferZeroedAfterRelease();
    void destructorReleasesAndZeroes();
    void replacedBufferIsScrubbedToo();
    void latencyRecordedOnRelease();
    void latencyNotRecordedForUnfilledFrame();
    void latencyRecorderIsBounded();
    void exhaustionReturnsNothing();
    void blockingAcquireWokenByRelease();
    void noAllocationAfterWarmUp();
    void preallocateAvoidsFirstFrameAllocation();
    void sizeChangeReallocates();
    void frameMayOutlivePool();
    void moveTransfersOwnership();
};

void TestFramePool::bufferZeroedAfterRelease()
{
    FramePool pool(2);
    auto frame = pool.acquire();
    QVERIFY(frame);
    fill(frame->image(), kSize, 0xAB);
    const cv::Mat alias = frame->image(); // a second header on the same buffer, to inspect it afterwards
    QVERIFY(!allZero(alias));
    frame->release();
    QVERIFY(frame->isNull());
    QVERIFY(allZero(alias)); // every byte
    QCOMPARE(pool.available(), 2);
}

void TestFramePool::destructorReleasesAndZeroes()
{
    FramePool pool(1);
    cv::Mat alias;
    {
        auto frame = pool.acquire();
        fill(frame->image(), kSize, 0x5A);
        alias = frame->image();
        QCOMPARE(pool.available(), 0);
    }
    QCOMPARE(pool.available(), 1);
    QVERIFY(allZero(alias));
}

void TestFramePool::replacedBufferIsScrubbedToo()
{
    FramePool pool(1);
    auto frame = pool.acquire();
    fill(frame->image(), kSize, 0x11);
    const cv::Mat first = frame->image();
    // A careless writer replaces the header instead of writing into the buffer.
    cv::Mat other(kSize, CV_8UC3, cv::Scalar::all(0x22));
    frame->image() = other;
    const cv::Mat second = frame->image();
    frame->release();
    QVERIFY(allZero(first));
    QVERIFY(allZero(second));

    // A reader that emptied the header: the pool keeps (and scrubbed) its buffer.
    auto again = pool.acquire();
    QVERIFY(!again->image().empty());
    again->image().release();
    again->release();
    auto third = pool.acquire();
    QVERIFY(!third->image().empty());
    QVERIFY(allZero(third->image()));
}

void TestFramePool::latencyRecordedOnRelease()
{
    const steady_clock::time_point t0 = steady_clock::now();
    steady_clock::time_point fakeNow = t0;
    FramePoolConfig config;
    config.capacity = 4;
    config.steadyNow = [&fakeNow] { return fakeNow; };
    FramePool pool(config);

    for (int ms = 1; ms <= 100; ++ms) {
        auto frame = pool.acquire();
        fill(frame->image(), cv::Size(64, 48), 1);
        frame->info().capturedAt = t0;
        fakeNow = t0 + milliseconds(ms);
        frame->release();
    }
    QCOMPARE(pool.latency().count(), qint64(100));
    QCOMPARE(pool.latency().percentile(50), 50.0);
    QCOMPARE(pool.latency().percentile(99), 99.0);
    QCOMPARE(pool.latency().max(), 100.0);
}

void TestFramePool::latencyNotRecordedForUnfilledFrame()
{
    FramePool pool(1);
    pool.acquire()->release(); // never filled by a source: no capture time
    QCOMPARE(pool.latency().count(), qint64(0));
    QCOMPARE(pool.latency().percentile(99), 0.0);
}

void TestFramePool::latencyRecorderIsBounded()
{
    LatencyRecorder recorder(100);
    for (int i = 0; i < 1000; ++i)
        recorder.record(i < 900 ? 1000.0 : 5.0); // the last 100 samples are fast
    QCOMPARE(recorder.count(), qint64(1000));
    QCOMPARE(recorder.retainedCount(), 100);
    QCOMPARE(recorder.percentile(99), 5.0); // percentiles describe recent frames
    QCOMPARE(recorder.max(), 1000.0);
}

void TestFramePool::exhaustionReturnsNothing()
{
    FramePool pool(3);
    auto a = pool.acquire();
    auto b = pool.acquire();
    auto c = pool.acquire();
    QVERIFY(a && b && c);
    QVERIFY(!pool.acquire());
    QVERIFY(!pool.acquire(milliseconds(0)));
    QCOMPARE(pool.available(), 0);
    b->release();
    auto d = pool.acquire();
    QVERIFY(d);
    QVERIFY(!pool.acquire());
}

void TestFramePool::blockingAcquireWokenByRelease()
{
    FramePool pool(1);
    auto held = pool.acquire();
    std::atomic<bool> got{false};
    std::thread waiter([&] {
        auto frame = pool.acquire(milliseconds(60000));
        got = frame.has_value();
    });
    held->release();
    waiter.join();
    QVERIFY(got);
}

void TestFramePool::noAllocationAfterWarmUp()
{
    FramePool pool(4);
    QSet<const uchar *> buffers;
    std::vector<std::optional<PooledFrame>> inFlight;
    for (int i = 0; i < 200; ++i) {
        auto frame = pool.acquire();
        QVERIFY(frame);
        fill(frame->image(), kSize, static_cast<uchar>(i)); // as a decoder writing into the buffer
        buffers.insert(frame->image().data);
        inFlight.push_back(std::move(frame));
        if (inFlight.size() == 3) // a few frames in flight at a time
            inFlight.erase(inFlight.begin());
    }
    inFlight.clear();
    QVERIFY(buffers.size() <= 4);
    QCOMPARE(pool.allocationCount(), qint64(buffers.size()));
}

void TestFramePool::preallocateAvoidsFirstFrameAllocation()
{
    FramePool pool(3);
    pool.preallocate(kSize);
    QCOMPARE(pool.allocationCount(), qint64(3));
    auto frame = pool.acquire();
    const uchar *before = frame->image().data;
    QVERIFY(before);
    fill(frame->image(), kSize, 7);
    QCOMPARE(frame->image().data, before);
    frame->release();
    QCOMPARE(pool.allocationCount(), qint64(3));
}

void TestFramePool::sizeChangeReallocates()
{
    FramePool pool(1);
    auto frame = pool.acquire();
    fill(frame->image(), kSize, 9);
    const cv::Mat small = frame->image();
    frame->release();
    QCOMPARE(pool.allocationCount(), qint64(1));

    frame = pool.acquire();
    fill(frame->image(), cv::Size(1280, 720), 10);
    const cv::Mat large = frame->image();
    frame->release();
    QCOMPARE(pool.allocationCount(), qint64(2));
    QVERIFY(allZero(small));
    QVERIFY(allZero(large));
}

void TestFramePool::frameMayOutlivePool()
{
    std::optional<PooledFrame> frame;
    cv::Mat alias;
    {
        FramePool pool(1);
        frame = pool.acquire();
        fill(frame->image(), kSize, 3);
        alias = frame->image();
    }
    frame->release();
    QVERIFY(allZero(alias));
}

void TestFramePool::moveTransfersOwnership()
{
    FramePool pool(2);
    auto frame = pool.acquire();
    frame->info().index = 42;
    PooledFrame moved = std::move(*frame);
    QVERIFY(frame->isNull());
    QCOMPARE(moved.info().index, qint64(42));
    QCOMPARE(pool.available(), 1);
    moved = PooledFrame();
    QCOMPARE(pool.available(), 2);
}

QTEST_GUILESS_MAIN(TestFramePool)
#include "TestFramePool.moc"
