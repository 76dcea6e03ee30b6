#pragma once

#include "vision/faces/FaceAnalyzer.h"

#include <atomic>
#include <memory>

namespace signiq::test {

// A face analyser that finds no faces (so no attention, no demographics), or fails at a given
// call; it records whether the frame still held its pixels when it was called.
class FakeFaceAnalyzer final : public vision::FaceAnalyzer {
public:
    struct Counters {
        std::atomic<qint64> calls{0};
        std::atomic<qint64> framesWithPixels{0};
    };

    explicit FakeFaceAnalyzer(int failAt = -1) : m_failAt(failAt) {}

    core::Result<QList<core::DemographicSample>> analyze(const cv::Mat &bgr, QList<core::TrackObservation> &tracks,
                                                         const vision::DemographicsWanted &wantDemographics = {}) override;
    core::Result<QList<vision::DetectedFace>> detectFaces(const cv::Mat &) override { return QList<vision::DetectedFace>(); }
    const vision::FaceAnalyzerTimings &lastTimings() const override { return m_timings; }
    const vision::FaceAnalyzerConfig &config() const override { return m_config; }
    QStringList modelVersions() const override { return {QStringLiteral("fake-faces@0")}; }
    std::shared_ptr<Counters> counters() const { return m_counters; }

private:
    int m_failAt;
    vision::FaceAnalyzerTimings m_timings;
    vision::FaceAnalyzerConfig m_config;
    std::shared_ptr<Counters> m_counters = std::make_shared<Counters>();
};

} // namespace signiq::test
