#pragma once

#include "vision/detection/DnnPersonDetector.h"

#include <vector>

namespace signiq::vision {

// YOLOX-nano (ONNX, COCO): 416x416 letterbox at the top-left with 114 fill, BGR 0..255;
// output [1,3549,85] over stride 8/16/32 grids, person score = obj * cls[0].
class YoloxDetector final : public DnnPersonDetector {
public:
    static constexpr int kInputSize = 416;

    // May throw cv::Exception (createPersonDetector catches it).
    YoloxDetector(const PersonDetectorConfig &config, QString version, const QString &onnxPath);

private:
    struct GridCell {
        float gx;
        float gy;
        float stride;
    };

    void infer(const cv::Mat &bgr) override;

    std::vector<GridCell> m_grid; // one per output row
    cv::Mat m_canvas;             // 416x416 letterbox, reused
    cv::Mat m_out;
};

} // namespace signiq::vision
