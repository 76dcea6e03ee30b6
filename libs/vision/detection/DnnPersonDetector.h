#pragma once

#include "vision/detection/PersonDetector.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <vector>

namespace signiq::vision {

// Shared part of the OpenCV DNN person detectors: input checks, candidate filtering (low score,
// ignore regions, clipping), NMS and error conversion. Subclasses run the network and decode.
class DnnPersonDetector : public PersonDetector {
public:
    core::Result<QList<Detection>> detect(const cv::Mat &bgr) final;
    QString modelVersion() const final { return m_version; }

protected:
    DnnPersonDetector(const PersonDetectorConfig &config, QString version, cv::dnn::Net net);

    // Runs the network on a CV_8UC3 frame and calls addCandidate() for every decoded box.
    // May throw cv::Exception.
    virtual void infer(const cv::Mat &bgr) = 0;

    // A decoded box in pixels of the frame. Drops it if score < lowScoreThreshold, if its
    // centre lies in an ignore region, or if nothing is left after clipping to the frame.
    void addCandidate(float cx, float cy, float w, float h, float score);

    float lowScoreThreshold() const { return m_config.lowScoreThreshold; }

    cv::dnn::Net m_net;
    cv::Mat m_blob; // reused between frames

private:
    PersonDetectorConfig m_config;
    QString m_version;
    float m_frameWidth = 0.f;
    float m_frameHeight = 0.f;
    std::vector<cv::Rect2d> m_boxes; // candidates of the current frame (capacity reused)
    std::vector<float> m_scores;
    std::vector<int> m_keep;
};

} // namespace signiq::vision
