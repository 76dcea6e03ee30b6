#pragma once

#include "vision/capture/FrameSource.h"

#include <opencv2/videoio.hpp>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace signiq::vision {

// A video file or a network stream through cv::VideoCapture with the FFmpeg backend.
// Files: frame i is stamped startTime + i * 1000 / fps; read as fast as possible unless
// SourceOptions::realtime. Streams (rtsp://, rtsps://, http://, https://) are live: stamped with
// the wall clock, and after a failed open or read they reconnect with exponential backoff
// (reconnectInitialDelay doubling up to reconnectMaxDelay, reset after a success).
class VideoFileSource final : public FrameSource {
public:
    // Seams for tests; every member defaults to the real thing.
    struct Hooks {
        // Opens `target` (a path or URL) into `capture`; true on success.
        std::function<bool(cv::VideoCapture &capture, const QString &target)> openCapture;
        // Waits for `delay` (backoff, pacing). The default wait ends early on interrupt().
        std::function<void(std::chrono::milliseconds delay)> sleep;
        std::function<std::chrono::steady_clock::time_point()> steadyNow;
    };

    explicit VideoFileSource(QString pathOrUrl, SourceOptions options = {}, Hooks hooks = {});
    ~VideoFileSource() override;

    // rtsp://, rtsps://, http://, https:// (case-insensitive)
    static bool isStreamUrl(const QString &spec);

    core::Status open() override;
    core::Result<bool> read(PooledFrame &into) override;
    double nominalFps() const override { return m_fps; }
    qint64 frameCount() const override { return m_frameCount; }
    bool isLive() const override { return m_live; }
    QString description() const override { return m_description; }
    void interrupt() override;

    int reconnectAttempts() const { return m_reconnectAttempts; } // attempts after the first open
    void setLive(bool live) { m_live = live; } // tests: treat a file like a stream

private:
    bool tryOpen();
    core::Result<bool> reconnect();
    void sleepFor(std::chrono::milliseconds delay);
    std::chrono::steady_clock::time_point steadyNow() const;
    qint64 wallNowMs() const;

    QString m_target;
    QString m_description;
    SourceOptions m_options;
    Hooks m_hooks;
    bool m_live = false;
    cv::VideoCapture m_capture;
    bool m_connected = false;
    double m_fps = 0.0;
    qint64 m_frameCount = -1;
    qint64 m_nextIndex = 0;
    qint64 m_startTimeMs = 0;
    std::chrono::steady_clock::time_point m_playStart{};
    int m_reconnectAttempts = 0;

    std::atomic<bool> m_interrupted{false};
    std::mutex m_sleepMutex;
    std::condition_variable m_sleepWake;
};

} // namespace signiq::vision
