#include "core/Clock.h"
#include "vision/capture/VideoFileSource.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include <vector>

using namespace signiq;
using namespace signiq::vision;
using std::chrono::milliseconds;

namespace {

const QString kSample = QStringLiteral(SIGNIQ_SAMPLE_VIDEO);
constexpr qint64 kStart = 1'700'000'000'000;

std::vector<qint64> toMs(const std::vector<milliseconds> &delays)
{
    std::vector<qint64> out;
    for (auto d : delays)
        out.push_back(d.count());
    return out;
}

} // namespace

class TestVideoFileSource : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void opensSampleVideo();
    void readsFramesIntoPoolWithTimestamps();
    void realtimePacingWaitsForEachFrame();
    void missingFileErrorNamesPath();
    void notAVideoIsAnError();
    void streamUrlsAreLive();
    void descriptionHidesCredentials();
    void reconnectBackoffSchedule();
    void reconnectDelayIsCapped();
    void reconnectAfterStreamEndsAndBackoffResets();
    void interruptStopsReconnecting();

private:
    QTemporaryDir m_dir;
    QString m_shortVideo; // 3 frames, written here
};

void TestVideoFileSource::initTestCase()
{
    QVERIFY2(QFile::exists(kSample), qPrintable(kSample));
    QVERIFY(m_dir.isValid());
    m_shortVideo = m_dir.filePath(QStringLiteral("short.avi"));
    cv::VideoWriter writer(m_shortVideo.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10.0, cv::Size(64, 48));
    QVERIFY(writer.isOpened());
    for (int i = 0; i < 3; ++i)
        writer.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(40 * (i + 1))));
    writer.release();
}

void TestVideoFileSource::opensSampleVideo()
{
    VideoFileSource source(kSample);
    QVERIFY(!source.isLive());
    const auto status = source.open();
    QVERIFY2(status.ok(), qPrintable(status.error().toString()));
    QCOMPARE(source.nominalFps(), 10.0);
    QCOMPARE(source.frameCount(), qint64(795));
    QCOMPARE(source.description(), kSample);
}

void TestVideoFileSource::readsFramesIntoPoolWithTimestamps()
{
    SourceOptions options;
    options.startTimeMs = kStart;
    VideoFileSource source(kSample, options);
    QVERIFY(source.open().ok());

    FramePool pool(3);
    QSet<const uchar *> buffers;
    for (qint64 i = 0; i < 30; ++i) {
        auto frame = pool.acquire();
        QVERIFY(frame);
        const auto result = source.read(*frame);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QVERIFY(result.value());
        QCOMPARE(frame->image().cols, 768);
        QCOMPARE(frame->image().rows, 576);
        QCOMPARE(frame->image().type(), CV_8UC3);
        QCOMPARE(frame->info().index, i);
        QCOMPARE(frame->info().timestampMs, kStart + i * 100);
        QVERIFY(frame->info().capturedAt != std::chrono::steady_clock::time_point{});
        buffers.insert(frame->image().data);
    }
    // The decoder wrote straight into the pooled buffers: nothing allocated after warm-up.
    QVERIFY(buffers.size() <= 3);
    QCOMPARE(pool.allocationCount(), qint64(buffers.size()));
    QCOMPARE(pool.latency().count(), qint64(30));
}

void TestVideoFileSource::realtimePacingWaitsForEachFrame()
{
    auto now = std::chrono::steady_clock::now();
    std::vector<milliseconds> sleeps;
    VideoFileSource::Hooks hooks;
    hooks.steadyNow = [&now] { return now; };
    hooks.sleep = [&](milliseconds d) {
        sleeps.push_back(d);
        now += d;
    };
    SourceOptions options;
    options.realtime = true;
    VideoFileSource source(m_shortVideo, options, hooks);
    QVERIFY(source.open().ok());
    FramePool pool(1);
    for (int i = 0; i < 3; ++i) {
        auto frame = pool.acquire();
        QVERIFY(source.read(*frame).value());
    }
    QCOMPARE(toMs(sleeps), (std::vector<qint64>{100, 100}));
    auto frame = pool.acquire();
    const auto end = source.read(*frame);
    QVERIFY(end.ok());
    QVERIFY(!end.value());
}

void TestVideoFileSource::missingFileErrorNamesPath()
{
    const QString missing = m_dir.filePath(QStringLiteral("no-such-video.mp4"));
    VideoFileSource source(missing);
    const auto status = source.open();
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::NotFound);
    QVERIFY2(status.error().message.contains(missing), qPrintable(status.error().message));
}

void TestVideoFileSource::notAVideoIsAnError()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.mp4"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a video\n");
    file.close();
    VideoFileSource source(path);
    const auto status = source.open();
    QVERIFY(!status.ok());
    QVERIFY2(status.error().message.contains(path), qPrintable(status.error().message));
}

void TestVideoFileSource::streamUrlsAreLive()
{
    QVERIFY(VideoFileSource::isStreamUrl(QStringLiteral("rtsp://10.0.0.5/stream1")));
    QVERIFY(VideoFileSource::isStreamUrl(QStringLiteral("RTSP://10.0.0.5/stream1")));
    QVERIFY(VideoFileSource::isStreamUrl(QStringLiteral("https://cam.example/live.m3u8")));
    QVERIFY(VideoFileSource::isStreamUrl(QStringLiteral("http://cam.example/mjpeg")));
    QVERIFY(!VideoFileSource::isStreamUrl(QStringLiteral("/data/rtsp.mp4")));
    QVERIFY(VideoFileSource(QStringLiteral("rtsp://10.0.0.5/stream1")).isLive());
    QVERIFY(!VideoFileSource(kSample).isLive());
}

void TestVideoFileSource::descriptionHidesCredentials()
{
    VideoFileSource source(QStringLiteral("rtsp://admin:hunter2@10.0.0.5:554/stream1?token=s3cr3t"));
    const QString text = source.description();
    QVERIFY2(!text.contains(QLatin1String("hunter2")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("admin")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1String("s3cr3t")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("10.0.0.5")));
}

void TestVideoFileSource::reconnectBackoffSchedule()
{
    // A live source whose opener fails 4 times (the open() attempt and 3 reconnects), then works.
    int opens = 0;
    std::vector<milliseconds> sleeps;
    VideoFileSource::Hooks hooks;
    hooks.openCapture = [&](cv::VideoCapture &capture, const QString &) {
        ++opens;
        return opens > 4 && capture.open(kSample.toStdString(), cv::CAP_FFMPEG);
    };
    hooks.sleep = [&](milliseconds d) { sleeps.push_back(d); };
    core::ManualClock clock(kStart);
    SourceOptions options;
    options.clock = &clock;
    VideoFileSource source(QStringLiteral("rtsp://camera.invalid/stream"), options, hooks);
    QVERIFY(source.isLive());
    QVERIFY(source.open().ok()); // a live source that is down at start-up is retried, not fatal
    QCOMPARE(opens, 1);

    FramePool pool(1);
    auto frame = pool.acquire();
    const auto result = source.read(*frame);
    QVERIFY(result.ok());
    QVERIFY(result.value());
    QCOMPARE(opens, 5);
    QCOMPARE(source.reconnectAttempts(), 4);
    QCOMPARE(toMs(sleeps), (std::vector<qint64>{500, 1000, 2000, 4000}));
    QCOMPARE(frame->info().timestampMs, kStart); // live: wall clock
    QCOMPARE(source.frameCount(), qint64(-1));
}

void TestVideoFileSource::reconnectDelayIsCapped()
{
    std::vector<milliseconds> sleeps;
    VideoFileSource::Hooks hooks;
    hooks.openCapture = [](cv::VideoCapture &, const QString &) { return false; };
    hooks.sleep = [&](milliseconds d) { sleeps.push_back(d); };
    SourceOptions options;
    options.maxReconnectAttempts = 9;
    VideoFileSource source(QStringLiteral("rtsp://camera.invalid/stream"), options, hooks);
    QVERIFY(source.open().ok());
    FramePool pool(1);
    auto frame = pool.acquire();
    const auto result = source.read(*frame);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, core::ErrorCode::Io);
    QVERIFY(result.error().message.contains(QLatin1String("rtsp://camera.invalid/stream")));
    QCOMPARE(toMs(sleeps), (std::vector<qint64>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
}

void TestVideoFileSource::reconnectAfterStreamEndsAndBackoffResets()
{
    // The "stream" is a 3-frame file: after 3 frames a read fails, as when a camera drops off.
    int opens = 0;
    std::vector<milliseconds> sleeps;
    VideoFileSource::Hooks hooks;
    hooks.openCapture = [&](cv::VideoCapture &capture, const QString &) {
        ++opens;
        if (opens == 2 || opens == 3)
            return false; // two failed reconnects during the first outage
        return capture.open(m_shortVideo.toStdString(), cv::CAP_FFMPEG);
    };
    hooks.sleep = [&](milliseconds d) { sleeps.push_back(d); };
    core::ManualClock clock(kStart);
    SourceOptions options;
    options.clock = &clock;
    VideoFileSource source(QStringLiteral("rtsp://camera.invalid/stream"), options, hooks);
    QVERIFY(source.open().ok());

    FramePool pool(2);
    for (qint64 i = 0; i < 7; ++i) {
        clock.advanceMs(100);
        auto frame = pool.acquire();
        const auto result = source.read(*frame);
        QVERIFY(result.ok() && result.value());
        QCOMPARE(frame->info().index, i); // indices keep counting across reconnects
        QCOMPARE(frame->info().timestampMs, kStart + (i + 1) * 100);
    }
    // Outage 1 (after frame 2): 500, 1000 failed, 2000 succeeded. Outage 2 (after frame 5):
    // the backoff starts again at 500.
    QCOMPARE(toMs(sleeps), (std::vector<qint64>{500, 1000, 2000, 500}));
    QCOMPARE(opens, 5);
}

void TestVideoFileSource::interruptStopsReconnecting()
{
    VideoFileSource *self = nullptr;
    int sleepsSeen = 0;
    VideoFileSource::Hooks hooks;
    hooks.openCapture = [](cv::VideoCapture &, const QString &) { return false; };
    hooks.sleep = [&](milliseconds) {
        if (++sleepsSeen == 3)
            self->interrupt(); // e.g. the pipeline is shutting down
    };
    VideoFileSource source(QStringLiteral("rtsp://camera.invalid/stream"), {}, hooks);
    self = &source;
    QVERIFY(source.open().ok());
    FramePool pool(1);
    auto frame = pool.acquire();
    const auto result = source.read(*frame);
    QVERIFY(result.ok());
    QVERIFY(!result.value());
    QCOMPARE(sleepsSeen, 3);
}

QTEST_GUILESS_MAIN(TestVideoFileSource)
#include "TestVideoFileSource.moc"
