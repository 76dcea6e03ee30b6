#include "ScriptedPersonDetector.h"

#include <opencv2/core.hpp>

namespace signiq::test {

core::Result<QList<vision::Detection>> ScriptedPersonDetector::detect(const cv::Mat &bgr)
{
    const qint64 call = m_counters->calls.fetch_add(1);
    if (!bgr.empty() && cv::countNonZero(bgr.reshape(1)) > 0)
        m_counters->framesWithPixels.fetch_add(1);
    if (m_options.onDetect)
        m_options.onDetect(call);
    if (call == m_options.failAt)
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("scripted detector failure at call %1").arg(call));
    return m_options.script ? m_options.script(call) : QList<vision::Detection>();
}

std::function<QList<vision::Detection>(qint64)> ScriptedPersonDetector::walker(double x0, double x1, double y, qint64 calls,
                                                                              QSizeF frame, QSizeF box)
{
    return [=](qint64 call) -> QList<vision::Detection> {
        if (call >= calls)
            return {};
        const double t = calls > 1 ? double(call) / double(calls - 1) : 0.0;
        const double cx = (x0 + (x1 - x0) * t) * frame.width();
        const double cy = y * frame.height();
        vision::Detection d;
        d.box = QRectF(cx - box.width() / 2, cy - box.height() / 2, box.width(), box.height());
        d.score = 0.9f;
        return {d};
    };
}

} // namespace signiq::test
