#include "vision/detection/YoloxDetector.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace signiq::vision {

YoloxDetector::YoloxDetector(const PersonDetectorConfig &config, QString version, const QString &onnxPath)
    : DnnPersonDetector(config, std::move(version), cv::dnn::readNetFromONNX(onnxPath.toStdString()))
{
    for (int stride : {8, 16, 32}) {
        const int n = kInputSize / stride;
        for (int gy = 0; gy < n; ++gy) {
            for (int gx = 0; gx < n; ++gx)
                m_grid.push_back({float(gx), float(gy), float(stride)});
        }
    }
    m_canvas.create(kInputSize, kInputSize, CV_8UC3);
}

void YoloxDetector::infer(const cv::Mat &bgr)
{
    const float r = std::min(float(kInputSize) / float(bgr.cols), float(kInputSize) / float(bgr.rows));
    const int nw = std::clamp(int(float(bgr.cols) * r), 1, kInputSize);
    const int nh = std::clamp(int(float(bgr.rows) * r), 1, kInputSize);
    m_canvas.setTo(cv::Scalar::all(114));
    cv::Mat roi = m_canvas(cv::Rect(0, 0, nw, nh));
    cv::resize(bgr, roi, roi.size(), 0, 0, cv::INTER_LINEAR); // writes into the canvas in place
    cv::dnn::blobFromImage(m_canvas, m_blob, 1.0, cv::Size(), cv::Scalar(), /*swapRB*/ false, /*crop*/ false, CV_32F);
    m_net.setInput(m_blob);
    m_out = m_net.forward();

    // [1, 3549, 85]
    CV_Assert(m_out.type() == CV_32F && m_out.total() == m_grid.size() * 85);
    const float *data = m_out.ptr<float>();
    const float low = lowScoreThreshold();
    const float inv = 1.f / r;
    for (size_t i = 0; i < m_grid.size(); ++i) {
        const float *row = data + i * 85;
        const float obj = row[4];
        if (obj < low) // cls <= 1, so obj bounds the person score
            continue;
        const float score = obj * row[5];
        if (score < low)
            continue;
        const GridCell &g = m_grid[i];
        const float cx = (row[0] + g.gx) * g.stride * inv;
        const float cy = (row[1] + g.gy) * g.stride * inv;
        const float w = std::exp(row[2]) * g.stride * inv;
        const float h = std::exp(row[3]) * g.stride * inv;
        addCandidate(cx, cy, w, h, score);
    }
}

} // namespace signiq::vision
