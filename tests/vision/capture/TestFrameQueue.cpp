#include "vision/capture/FrameQueue.h"

#include <QTest>

#include <opencv2/core.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace signiq::vision;
using std::chrono::milliseconds;

namespace {

PooledFrame makeFrame(FramePool &pool, qint64 index, uchar value = 0xEE)
{
    auto frame = pool.acquire(milliseconds(60000));
    Q_ASSERT(frame);
    frame->image().create(48, 64, CV_8UC3);
    frame->image().setTo(cv::Scalar::all(value));
    frame->info().index = index;
    return std::move(*frame);
}

bool allZero(const cv::Mat &m)
{
    return cv::countNonZero(m.reshape(1)) == 0;
}

} // namespace

class TestFrameQueue : public QObject {
    Q_OBJECT

private slots:
    void dropOldestDropsOldestAndCounts();
    void blockNeverDrops();
    void closeWakesBlockedPop();
    void closeWakesBlockedPush();
    void popDrainsAfterClose();
    void pushAfterCloseIsRefused();
    void clearReleasesFrames();
};

void TestFrameQueue::dropOldestDropsOldestAndCounts()
{
    FramePool pool(8);
    FrameQueue queue(3, OverflowPolicy::DropOldest);
    std::vector<cv::Mat> aliases;
    for (qint64 i = 0; i < 5; ++i) {
        PooledFrame frame = makeFrame(pool, i);
        aliases.push_back(frame.image());
        QVERIFY(queue.push(std::move(frame)));
        if (i >= 3) {
            // The oldest frame was released to the pool and scrubbed at once (checked before
            // the next makeFrame() may reuse its buffer).
            QCOMPARE(queue.droppedCount(), i - 2);
            QVERIFY(allZero(aliases[static_cast<size_t>(i - 3)]));
            QVERIFY(!allZero(aliases[static_cast<size_t>(i - 2)]));
        }
    }
    QCOMPARE(queue.droppedCount(), qint64(2));
    QCOMPARE(queue.size(), 3);
    QCOMPARE(pool.available(), 8 - 3);
    for (qint64 expected = 2; expected < 5; ++expected) {
        auto frame = queue.tryPop();
        QVERIFY(frame);
        QCOMPARE(frame->info().index, expected);
    }
    QVERIFY(!queue.tryPop());
}

void TestFrameQueue::blockNeverDrops()
{
    constexpr int kFrames = 300;
    FramePool pool(4);
    FrameQueue queue(2, OverflowPolicy::Block);
    std::thread producer([&] {
        for (qint64 i = 0; i < kFrames; ++i)
            queue.push(makeFrame(pool, i));
        queue.close();
    });
    std::vector<qint64> received;
    while (auto frame = queue.pop())
        received.push_back(frame->info().index);
    producer.join();
    QCOMPARE(queue.droppedCount(), qint64(0));
    QCOMPARE(int(received.size()), kFrames);
    for (int i = 0; i < kFrames; ++i)
        QCOMPARE(received[static_cast<size_t>(i)], qint64(i));
    QCOMPARE(pool.available(), 4);
}

void TestFrameQueue::closeWakesBlockedPop()
{
    FrameQueue queue(2, OverflowPolicy::DropOldest);
    std::atomic<bool> returnedEmpty{false};
    std::thread consumer([&] { returnedEmpty = !queue.pop().has_value(); });
    queue.close();
    consumer.join();
    QVERIFY(returnedEmpty);
}

void TestFrameQueue::closeWakesBlockedPush()
{
    FramePool pool(4);
    FrameQueue queue(1, OverflowPolicy::Block);
    QVERIFY(queue.push(makeFrame(pool, 0)));
    std::atomic<bool> accepted{true};
    std::thread producer([&] { accepted = queue.push(makeFrame(pool, 1)); }); // blocks: queue full
    queue.close();
    producer.join();
    QVERIFY(!accepted);
    QCOMPARE(queue.droppedCount(), qint64(0));
    QCOMPARE(pool.available(), 3); // the refused frame was released
}

void TestFrameQueue::popDrainsAfterClose()
{
    FramePool pool(4);
    FrameQueue queue(4, OverflowPolicy::Block);
    queue.push(makeFrame(pool, 0));
    queue.push(makeFrame(pool, 1));
    queue.close();
    QCOMPARE(queue.pop()->info().index, qint64(0));
    QCOMPARE(queue.pop()->info().index, qint64(1));
    QVERIFY(!queue.pop());
    QVERIFY(!queue.pop(milliseconds(1)));
}

void TestFrameQueue::pushAfterCloseIsRefused()
{
    FramePool pool(2);
    FrameQueue queue(2, OverflowPolicy::DropOldest);
    queue.close();
    PooledFrame frame = makeFrame(pool, 0);
    const cv::Mat alias = frame.image();
    QVERIFY(!queue.push(std::move(frame)));
    QCOMPARE(pool.available(), 2);
    QVERIFY(allZero(alias));
}

void TestFrameQueue::clearReleasesFrames()
{
    FramePool pool(3);
    FrameQueue queue(3, OverflowPolicy::DropOldest);
    queue.push(makeFrame(pool, 0));
    queue.push(makeFrame(pool, 1));
    queue.clear();
    QCOMPARE(queue.size(), 0);
    QCOMPARE(pool.available(), 3);
    QCOMPARE(queue.droppedCount(), qint64(0));
}

QTEST_GUILESS_MAIN(TestFrameQueue)
#include "TestFrameQueue.moc"
