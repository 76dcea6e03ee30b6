#include "SyntheticFrameSource.h"

#include <opencv2/core.hpp>

#include <chrono>

namespace signiq::test {

SyntheticFrameSource::SyntheticFrameSource(Options options)
    : m_options(std::move(options))
{
}

core::Result<bool> SyntheticFrameSource::read(vision::PooledFrame &into)
{
    if (m_interrupted.load()) {
        m_counters->interrupted.store(true);
        return false;
    }
    if (m_next >= m_options.frames)
        return false;
    if (m_next == m_options.failAt)
        return core::makeError(core::ErrorCode::Io, QStringLiteral("synthetic capture failure at frame %1").arg(m_next));
    if (m_options.onRead)
        m_options.onRead(m_next);

    cv::Mat &image = into.image();
    if (!image.empty()) {
        m_counters->reusedBuffers.fetch_add(1);
        if (cv::countNonZero(image.reshape(1)) > 0)
            m_counters->dirtyBuffers.fetch_add(1);
    }
    image.create(m_options.size.height(), m_options.size.width(), CV_8UC3);
    image.setTo(cv::Scalar::all(kPattern));
    into.info().index = m_next;
    into.info().timestampMs = m_options.startMs + qint64(double(m_next) * 1000.0 / m_options.fps);
    into.info().capturedAt = std::chrono::steady_clock::now();
    ++m_next;
    m_counters->framesProduced.fetch_add(1);
    return true;
}

} // namespace signiq::test
