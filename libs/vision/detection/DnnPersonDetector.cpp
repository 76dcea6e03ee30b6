#include "vision/detection/DnnPersonDetector.h"

#include "vision/VisionLog.h"

#include <algorithm>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

DnnPersonDetector::DnnPersonDetector(const PersonDetectorConfig &config, QString version, cv::dnn::Net net)
    : m_net(std::move(net)), m_config(config), m_version(std::move(version))
{
    m_net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    m_net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    m_boxes.reserve(256);
    m_scores.reserve(256);
    m_keep.reserve(64);
}

void DnnPersonDetector::addCandidate(float cx, float cy, float w, float h, float score)
{
    if (score < m_config.lowScoreThreshold)
        return;
    if (!m_config.ignoreRegions.isEmpty()) {
        const QPointF centre(double(cx / m_frameWidth), double(cy / m_frameHeight));
        for (const QRectF &region : m_config.ignoreRegions) {
            if (region.contains(centre))
                return;
        }
    }
    const float x1 = std::clamp(cx - 0.5f * w, 0.f, m_frameWidth);
    const float y1 = std::clamp(cy - 0.5f * h, 0.f, m_frameHeight);
    const float x2 = std::clamp(cx + 0.5f * w, 0.f, m_frameWidth);
    const float y2 = std::clamp(cy + 0.5f * h, 0.f, m_frameHeight);
    if (x2 - x1 < 1.f || y2 - y1 < 1.f)
        return;
    m_boxes.emplace_back(x1, y1, x2 - x1, y2 - y1);
    m_scores.push_back(score);
}

core::Result<QList<Detection>> DnnPersonDetector::detect(const cv::Mat &bgr)
{
    if (bgr.empty() || bgr.type() != CV_8UC3)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("person detector %1 needs a non-empty 8-bit BGR frame (CV_8UC3)").arg(m_version));
    m_frameWidth = float(bgr.cols);
    m_frameHeight = float(bgr.rows);
    m_boxes.clear();
    m_scores.clear();
    m_keep.clear();
    try {
        infer(bgr);
        cv::dnn::NMSBoxes(m_boxes, m_scores, m_config.lowScoreThreshold, m_config.nmsThreshold, m_keep);
    } catch (const cv::Exception &e) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("person detector %1 failed: %2").arg(m_version, QString::fromStdString(e.what())));
    }

    QList<Detection> out;
    out.reserve(qsizetype(m_keep.size()));
    for (int i : m_keep) { // NMSBoxes returns indices by descending score
        const cv::Rect2d &b = m_boxes[size_t(i)];
        out.append(Detection{QRectF(b.x, b.y, b.width, b.height), m_scores[size_t(i)]});
    }
    return out;
}

} // namespace signiq::vision
