#include "vision/capture/VideoFileSource.h"

#include "core/Clock.h"
#include "vision/VisionLog.h"

#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace signiq::vision {

namespace {

QString describe(const QString &target, bool stream)
{
    if (!stream)
        return target;
    // Never log credentials or tokens embedded in a stream URL.
    return QUrl(target).toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

} // namespace

VideoFileSource::VideoFileSource(QString pathOrUrl, SourceOptions options, Hooks hooks)
    : m_target(std::move(pathOrUrl))
    , m_options(std::move(options))
    , m_hooks(std::move(hooks))
    , m_live(isStreamUrl(m_target))
{
    m_description = describe(m_target, m_live);
}

VideoFileSource::~VideoFileSource() = default;

bool VideoFileSource::isStreamUrl(const QString &spec)
{
    for (const auto scheme : {QLatin1String("rtsp://"), QLatin1String("rtsps://"), QLatin1String("http://"),
                              QLatin1String("https://")}) {
        if (spec.startsWith(scheme, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

std::chrono::steady_clock::time_point VideoFileSource::steadyNow() const
{
    return m_hooks.steadyNow ? m_hooks.steadyNow() : std::chrono::steady_clock::now();
}

qint64 VideoFileSource::wallNowMs() const
{
    return m_options.clock ? m_options.clock->nowMs() : core::SystemClock().nowMs();
}

void VideoFileSource::sleepFor(std::chrono::milliseconds delay)
{
    if (delay.count() <= 0)
        return;
    if (m_hooks.sleep) {
        m_hooks.sleep(delay);
        return;
    }
    std::unique_lock lock(m_sleepMutex);
    m_sleepWake.wait_for(lock, delay, [this] { return m_interrupted.load(); });
}

void VideoFileSource::interrupt()
{
    {
        std::lock_guard lock(m_sleepMutex);
        m_interrupted.store(true);
    }
    m_sleepWake.notify_all();
}

bool VideoFileSource::tryOpen()
{
    try {
        m_capture.release();
        bool ok = false;
        if (m_hooks.openCapture) {
            ok = m_hooks.openCapture(m_capture, m_target);
        } else if (m_live) {
            const int timeout = static_cast<int>(m_options.streamTimeout.count());
            const std::vector<int> params{cv::CAP_PROP_OPEN_TIMEOUT_MSEC, timeout, cv::CAP_PROP_READ_TIMEOUT_MSEC, timeout};
            ok = m_capture.open(m_target.toStdString(), cv::CAP_FFMPEG, params);
        } else {
            ok = m_capture.open(QFile::encodeName(m_target).toStdString(), cv::CAP_FFMPEG);
        }
        if (!ok || !m_capture.isOpened())
            return false;
        const double fps = m_capture.get(cv::CAP_PROP_FPS);
        m_fps = (std::isfinite(fps) && fps > 0.0 && fps < 1000.0) ? fps : 0.0;
        const double count = m_capture.get(cv::CAP_PROP_FRAME_COUNT);
        m_frameCount = (!m_live && std::isfinite(count) && count > 0.0) ? static_cast<qint64>(std::llround(count)) : -1;
        return true;
    } catch (const cv::Exception &e) {
        qCWarning(lcVision, "opening %s failed: %s", qUtf8Printable(m_description), e.what());
        return false;
    }
}

core::Status VideoFileSource::open()
{
    if (!m_live) {
        const QFileInfo info(m_target);
        if (!info.exists())
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("video file not found: ") + m_target);
        if (!info.isFile() || !info.isReadable())
            return core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("cannot read video file: ") + m_target);
    }
    m_connected = tryOpen();
    if (!m_connected) {
        if (!m_live) {
            return core::makeError(core::ErrorCode::Io,
                                   QStringLiteral("cannot decode video file (not a video, or unsupported codec): ") + m_target);
        }
        qCWarning(lcVision, "cannot connect to %s; will keep retrying", qUtf8Printable(m_description));
    }
    m_startTimeMs = m_options.startTimeMs.value_or(wallNowMs());
    m_nextIndex = 0;
    m_playStart = {};
    if (m_connected) {
        qCInfo(lcVision, "opened %s (%s, %.2f fps, %lld frames)", qUtf8Printable(m_description),
               m_live ? "live" : "file", m_fps, static_cast<long long>(m_frameCount));
    }
    return {};
}

core::Result<bool> VideoFileSource::reconnect()
{
    auto delay = m_options.reconnectInitialDelay;
    const auto maxDelay = std::max(m_options.reconnectMaxDelay, m_options.reconnectInitialDelay);
    int attempts = 0;
    for (;;) {
        if (m_interrupted.load())
            return false;
        if (m_options.maxReconnectAttempts >= 0 && attempts >= m_options.maxReconnectAttempts) {
            return core::makeError(core::ErrorCode::Io, QStringLiteral("gave up reconnecting to %1 after %2 attempts")
                                                            .arg(m_description)
                                                            .arg(attempts));
        }
        sleepFor(delay);
        if (m_interrupted.load())
            return false;
        ++attempts;
        ++m_reconnectAttempts;
        if (tryOpen()) {
            m_connected = true;
            qCInfo(lcVision, "reconnected to %s after %d attempt(s)", qUtf8Printable(m_description), attempts);
            return true;
        }
        const auto next = std::min(delay * 2, maxDelay);
        if (m_options.maxReconnectAttempts < 0 || attempts < m_options.maxReconnectAttempts) {
            qCWarning(lcVision, "reconnect attempt %d to %s failed; next in %lld ms", attempts,
                      qUtf8Printable(m_description), static_cast<long long>(next.count()));
        }
        delay = next;
    }
}

core::Result<bool> VideoFileSource::read(PooledFrame &into)
{
    if (into.isNull())
        return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("read() needs a pooled frame"));
    for (;;) {
        if (m_interrupted.load())
            return false;
        if (!m_connected) {
            if (!m_live)
                return core::makeError(core::ErrorCode::Io, QStringLiteral("video file is not open: ") + m_target);
            auto reconnected = reconnect();
            if (!reconnected.ok())
                return reconnected.error();
            if (!reconnected.value())
                return false;
        }

        if (m_options.realtime && !m_live) {
            const double fps = m_fps > 0.0 ? m_fps : m_options.fallbackFps;
            if (m_playStart == std::chrono::steady_clock::time_point{})
                m_playStart = steadyNow();
            const auto due = m_playStart + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(static_cast<double>(m_nextIndex) / fps));
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due - steadyNow());
            sleepFor(wait);
            if (m_interrupted.load())
                return false;
        }

        bool ok = false;
        QString failure;
        try {
            ok = m_capture.read(into.image()) && !into.image().empty();
        } catch (const cv::Exception &e) {
            failure = QString::fromUtf8(e.what());
        }
        if (ok) {
            FrameInfo &info = into.info();
            info.index = m_nextIndex++;
            if (m_live) {
                info.timestampMs = wallNowMs();
            } else {
                const double fps = m_fps > 0.0 ? m_fps : m_options.fallbackFps;
                info.timestampMs = m_startTimeMs + std::llround(static_cast<double>(info.index) * 1000.0 / fps);
            }
            info.capturedAt = steadyNow();
            return true;
        }
        if (!m_live) {
            if (!failure.isEmpty())
                return core::makeError(core::ErrorCode::Internal, QStringLiteral("decoding %1 failed: %2").arg(m_target, failure));
            return false; // end of file
        }
        qCWarning(lcVision, "lost %s (%s); reconnecting", qUtf8Printable(m_description),
                  failure.isEmpty() ? "read failed" : qUtf8Printable(failure));
        m_capture.release();
        m_connected = false;
    }
}

} // namespace signiq::vision
