#pragma once

#include "vision/detection/DnnPersonDetector.h"

#include <string>

namespace signiq::vision {

// Yolo-Fastest 1.1 "body" (darknet): 320x320 plain resize, RGB 0..1, two YOLO region layers whose
// rows are cx, cy, w, h (normalised), objectness, person score (column 5 = confidence).
class YoloFastestDetector final : public DnnPersonDetector {
public:
    static constexpr int kInputSize = 320;

    // May throw cv::Exception (createPersonDetector catches it).
    YoloFastestDetector(const PersonDetectorConfig &config, QString version, const QString &cfgPath,
                        const QString &weightsPath);

private:
    void infer(const cv::Mat &bgr) override;

    std::vector<std::string> m_outNames;
    std::vector<cv::Mat> m_outs;
};

} // namespace signiq::vision
