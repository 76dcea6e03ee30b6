#pragma once

#include "core/Result.h"

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <memory>

namespace cv {
class Mat;
}

namespace signiq::vision {

// One person box in pixel coordinates of the frame passed to detect().
struct Detection {
    QRectF box;
    float score = 0.f;
};

struct PersonDetectorConfig {
    QString model = QStringLiteral("yolo-fastest-1.1-body"); // or "yolox-nano"
    QString modelsDir;           // directory holding the verified model files
    float scoreThreshold = 0.4f; // detections below are dropped (the tracker gets >= lowScoreThreshold)
    float lowScoreThreshold = 0.1f; // detections kept for ByteTrack's second association stage
    float nmsThreshold = 0.45f;
    QList<QRectF> ignoreRegions; // normalised (0..1); a detection whose box centre lies inside is dropped
    int threads = 2;
};

// Finds people in a BGR frame. Implementations wrap OpenCV DNN; no other library sees cv::Mat.
// An instance reuses its buffers between frames: call detect() from one thread at a time.
class PersonDetector {
public:
    virtual ~PersonDetector() = default;

    // Returns every detection with score >= lowScoreThreshold after NMS and ignore regions.
    virtual core::Result<QList<Detection>> detect(const cv::Mat &bgr) = 0;

    // "<model name>@<first 12 hex of sha256>"
    virtual QString modelVersion() const = 0;
};

// The model names createPersonDetector() accepts: "yolo-fastest-1.1-body", "yolox-nano".
QStringList personDetectorModels();

// Verifies the model file(s) (sha256 against models/models.json) and loads the network.
// modelsDir empty = ModelStore::defaultDirectory(). Errors: InvalidArgument (unknown model name,
// listing the valid ones, or a bad threshold), NotFound/Corrupt (model file missing or damaged;
// the message names the file and the install command), Parse (OpenCV cannot load the network).
// Calls cv::setNumThreads(config.threads) (a process-wide OpenCV setting).
core::Result<std::unique_ptr<PersonDetector>> createPersonDetector(const PersonDetectorConfig &config);

} // namespace signiq::vision
