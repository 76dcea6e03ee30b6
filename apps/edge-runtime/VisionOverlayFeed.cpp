#include "VisionOverlayFeed.h"

#include "vision/capture/FramePool.h"
#include "vision/capture/FrameSource.h"
#include "vision/overlay/OverlayRenderer.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <vector>

namespace signiq::edge {

VisionOverlayFeed::VisionOverlayFeed(QString sourceSpec, core::ZoneConfig zones, double maxFps, QObject *parent)
    : api::OverlayFeed(parent), m_spec(std::move(sourceSpec)), m_zones(std::move(zones)), m_maxFps(maxFps)
{
}

VisionOverlayFeed::~VisionOverlayFeed()
{
    stop();
}

void VisionOverlayFeed::start()
{
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void VisionOverlayFeed::stop()
{
    m_stop = true;
    {
        std::lock_guard lock(m_sourceMutex);
        if (m_source)
            m_source->interrupt();
    }
    if (m_thread.joinable())
        m_thread.join();
}

QString VisionOverlayFeed::lastError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void VisionOverlayFeed::run()
{
    vision::OverlayConfig config;
    config.maxFps = m_maxFps;
    vision::OverlayRenderer renderer(config);
    vision::FramePool pool(2);
    std::vector<uchar> encoded;
    const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, 70};
    const auto minInterval = std::chrono::milliseconds(qint64(1000.0 / m_maxFps));
    while (!m_stop) {
        vision::SourceOptions options;
        options.realtime = true; // a file plays at its own pace, not as fast as possible
        auto source = vision::openFrameSource(m_spec, options);
        if (!source) {
            std::lock_guard lock(m_errorMutex);
            m_lastError = source.error().message;
            qWarning("overlay: %s", qPrintable(source.error().message));
            return;
        }
        {
            std::lock_guard lock(m_sourceMutex);
            m_source = source->get();
        }
        auto lastSent = std::chrono::steady_clock::now() - minInterval;
        bool ended = false;
        while (!m_stop && !ended) {
            auto frame = pool.acquire(std::chrono::milliseconds(500));
            if (!frame)
                continue;
            auto read = (*source)->read(*frame);
            if (!read || !*read) {
                ended = true;
                break;
            }
            const qint64 ts = frame->info().timestampMs;
            if (std::chrono::steady_clock::now() - lastSent < minInterval || !renderer.shouldRender(ts))
                continue; // the frame is released (zeroed) right here
            const core::Status rendered = renderer.render(frame->image(), {}, m_zones, vision::OverlayCounts{}, ts);
            frame->release();
            if (!rendered)
                continue;
            encoded.clear();
            if (!cv::imencode(".jpg", renderer.image(), encoded, params))
                continue;
            lastSent = std::chrono::steady_clock::now();
            emit frameEncoded(QByteArray(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size())),
                              QDateTime::currentMSecsSinceEpoch());
            std::fill(encoded.begin(), encoded.end(), uchar(0));
        }
        {
            std::lock_guard lock(m_sourceMutex);
            m_source = nullptr;
        }
        if ((*source)->isLive() && !m_stop)
            break;
    }
    renderer.scrub();
}

} // namespace signiq::edge
