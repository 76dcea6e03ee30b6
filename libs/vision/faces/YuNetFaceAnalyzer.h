#pragma once

#include "vision/faces/FaceAnalyzer.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/objdetect.hpp>

#include <vector>

namespace signiq::vision {

struct LocatedModel;

// FaceAnalyzer on OpenCV: cv::FaceDetectorYN (YuNet 2022mar), head-pose-adas-0001 and optionally
// face-api AgeGenderNet through cv::dnn. Created by createFaceAnalyzer().
class YuNetFaceAnalyzer final : public FaceAnalyzer {
public:
    // Throws cv::Exception if a model cannot be loaded (createFaceAnalyzer() converts it).
    // ageGender == nullptr: demographics disabled, nothing loaded.
    YuNetFaceAnalyzer(const FaceAnalyzerConfig &config, const LocatedModel &yunet, const LocatedModel &headPose,
                      const LocatedModel *ageGender);
    ~YuNetFaceAnalyzer() override;

    core::Result<QList<core::DemographicSample>> analyze(const cv::Mat &bgr, QList<core::TrackObservation> &tracks,
                                                         const DemographicsWanted &wantDemographics) override;
    core::Result<QList<DetectedFace>> detectFaces(const cv::Mat &bgr) override;
    const FaceAnalyzerTimings &lastTimings() const override { return m_timings; }
    const FaceAnalyzerConfig &config() const override { return m_config; }
    QStringList modelVersions() const override { return m_versions; }

    // For tests: whether the age/gender network was loaded, and every pixel buffer the analyser
    // owns (downscaled frame, ROI canvas, crops, blobs). After analyze()/detectFaces() returns
    // they are all zero.
    bool isDemographicsModelLoaded() const { return !m_ageGenderNet.empty(); }
    std::vector<const cv::Mat *> scratchBuffers() const;

private:
    struct RawFace {
        cv::Rect2f box;
        std::array<cv::Point2f, 5> landmarks;
        float score = 0.f;
    };

    void detectWholeFrame(const cv::Mat &bgr);
    void detectUpperBodies(const cv::Mat &bgr, const QList<core::TrackObservation> &tracks);
    void appendFaces(const cv::Mat &yunetOut, float scale, cv::Point2f offset, cv::Rect2f validArea);
    void suppressDuplicates();
    core::HeadPose estimatePose(const cv::Mat &bgr, const RawFace &face);
    core::DemographicSample estimateAgeGender(const cv::Mat &bgr, const RawFace &face);
    void scrubScratch();

    FaceAnalyzerConfig m_config;
    QStringList m_versions;
    cv::Ptr<cv::FaceDetectorYN> m_frameDetector; // input size follows the (downscaled) frame
    cv::Ptr<cv::FaceDetectorYN> m_roiDetector;   // fixed roiInputSize x roiInputSize
    cv::Size m_frameDetectorSize;
    cv::dnn::Net m_headPoseNet;
    cv::dnn::Net m_ageGenderNet; // empty unless demographics are enabled
    std::vector<cv::String> m_headPoseOutputs{"angle_y_fc", "angle_p_fc", "angle_r_fc"};
    std::vector<cv::String> m_ageGenderOutputs{"age", "gender"};

    // Pixel buffers, allocated once (or on a frame size change) and zeroed after every call.
    cv::Mat m_scaled;     // downscaled frame for WholeFrame detection
    cv::Mat m_roiCanvas;  // letterboxed upper-body region
    cv::Mat m_poseCrop;   // 60x60 BGR
    cv::Mat m_poseBlob;   // 1x3x60x60 float
    cv::Mat m_demoCrop;   // 112x112 BGR, square around the face, zero padded
    cv::Mat m_demoBlob;   // 1x3x112x112 float
    cv::Mat m_yunetOut;   // N x 15 detector output (boxes and landmarks, no pixels)
    std::vector<cv::Mat> m_outs;

    std::vector<RawFace> m_faces; // faces of the current frame, pixels of the original frame
    FaceAnalyzerTimings m_timings;
};

} // namespace signiq::vision
