#pragma once

namespace signiq::vision {

struct DetectionSchedulerConfig {
    double targetFps = 10.0;     // frames per second the pipeline must keep up with (the source rate)
    int maxK = 4;                // detect at least every maxK-th frame
    double ewmaAlpha = 0.2;      // weight of a new timing sample
    double budgetFraction = 0.9; // share of the frame interval the pipeline may use on average
    double hysteresis = 0.15;    // stepping k down needs this much extra headroom (no flapping)
};

// Adaptive "detect every k-th frame". The pipeline reports how long a frame took when the detector
// ran (detect + track) and when the tracker only predicted; from the moving averages D and T the
// scheduler picks the smallest k in [1, maxK] whose average cost (D + (k - 1) T) / k fits the frame
// budget. k = 1 while the CPU keeps up. Pure logic, no clock: the caller measures.
// Not thread-safe (one per pipeline thread).
class DetectionScheduler {
public:
    explicit DetectionScheduler(const DetectionSchedulerConfig &config = {});

    // Call once per frame, in order. True on frames where the detector should run; the first
    // frame always detects.
    bool shouldDetect();

    void recordDetectionFrameMs(double ms); // wall time of a frame on which detection ran
    void recordTrackingFrameMs(double ms);  // wall time of a frame on which the tracker only predicted

    int k() const { return m_k; }
    double detectionFrameMs() const { return m_detectMs; }
    double trackingFrameMs() const { return m_trackMs; }

    void setTargetFps(double fps);
    void reset();

private:
    double averageCost(int k) const;
    int smallestKWithin(double budgetMs) const;
    void reconsider();

    DetectionSchedulerConfig m_config;
    int m_k = 1;
    int m_framesSinceDetection = 0;
    bool m_first = true;
    double m_detectMs = 0.0;
    double m_trackMs = 0.0;
    bool m_haveDetect = false;
    bool m_haveTrack = false;
};

} // namespace signiq::vision
