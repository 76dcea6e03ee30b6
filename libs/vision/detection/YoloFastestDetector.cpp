#include "vision/detection/YoloFastestDetector.h"

namespace signiq::vision {

YoloFastestDetector::YoloFastestDetector(const PersonDetectorConfig &config, QString version,
                                         const QString &cfgPath, const QString &weightsPath)
    : DnnPersonDetector(config, std::move(version),
                        cv::dnn::readNetFromDarknet(cfgPath.toStdString(), weightsPath.toStdString()))
{
    m_outNames = m_net.getUnconnectedOutLayersNames();
}

void YoloFastestDetector::infer(const cv::Mat &bgr)
{
    cv::dnn::blobFromImage(bgr, m_blob, 1.0 / 255.0, cv::Size(kInputSize, kInputSize), cv::Scalar(),
                           /*swapRB*/ true, /*crop*/ false, CV_32F);
    m_net.setInput(m_blob);
    m_net.forward(m_outs, m_outNames);

    const float w = float(bgr.cols);
    const float h = float(bgr.rows);
    const float low = lowScoreThreshold();
    for (const cv::Mat &out : m_outs) {
        CV_Assert(out.dims == 2 && out.cols == 6 && out.type() == CV_32F);
        for (int r = 0; r < out.rows; ++r) {
            const float *row = out.ptr<float>(r);
            const float score = row[5]; // class probability already multiplied by objectness
            if (score < low)
                continue;
            addCandidate(row[0] * w, row[1] * h, row[2] * w, row[3] * h, score);
        }
    }
}

} // namespace signiq::vision
