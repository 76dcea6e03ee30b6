#include "vision/tracking/DetectionScheduler.h"

#include <algorithm>
#include <cmath>

namespace signiq::vision {

DetectionScheduler::DetectionScheduler(const DetectionSchedulerConfig &config)
    : m_config(config)
{
    m_config.maxK = std::max(1, m_config.maxK);
    m_config.ewmaAlpha = std::clamp(m_config.ewmaAlpha, 0.01, 1.0);
    m_config.budgetFraction = std::clamp(m_config.budgetFraction, 0.05, 1.0);
    m_config.hysteresis = std::clamp(m_config.hysteresis, 0.0, 0.9);
    if (!(m_config.targetFps > 0.0))
        m_config.targetFps = 10.0;
}

void DetectionScheduler::reset()
{
    m_k = 1;
    m_framesSinceDetection = 0;
    m_first = true;
    m_detectMs = m_trackMs = 0.0;
    m_haveDetect = m_haveTrack = false;
}

void DetectionScheduler::setTargetFps(double fps)
{
    if (fps > 0.0) {
        m_config.targetFps = fps;
        reconsider();
    }
}

bool DetectionScheduler::shouldDetect()
{
    if (m_first || ++m_framesSinceDetection >= m_k) {
        m_first = false;
        m_framesSinceDetection = 0;
        return true;
    }
    return false;
}

void DetectionScheduler::recordDetectionFrameMs(double ms)
{
    if (!std::isfinite(ms) || ms < 0.0)
        return;
    m_detectMs = m_haveDetect ? m_detectMs + m_config.ewmaAlpha * (ms - m_detectMs) : ms;
    m_haveDetect = true;
    reconsider();
}

void DetectionScheduler::recordTrackingFrameMs(double ms)
{
    if (!std::isfinite(ms) || ms < 0.0)
        return;
    m_trackMs = m_haveTrack ? m_trackMs + m_config.ewmaAlpha * (ms - m_trackMs) : ms;
    m_haveTrack = true;
    reconsider();
}

double DetectionScheduler::averageCost(int k) const
{
    return (m_detectMs + (k - 1) * m_trackMs) / k;
}

int DetectionScheduler::smallestKWithin(double budgetMs) const
{
    for (int k = 1; k <= m_config.maxK; ++k) {
        if (averageCost(k) <= budgetMs)
            return k;
    }
    return m_config.maxK;
}

void DetectionScheduler::reconsider()
{
    if (!m_haveDetect)
        return;
    const double budget = m_config.budgetFraction * 1000.0 / m_config.targetFps;
    const int up = smallestKWithin(budget);
    const int down = smallestKWithin(budget * (1.0 - m_config.hysteresis));
    if (up > m_k)
        m_k = up;
    else if (down < m_k)
        m_k = down;
}

} // namespace signiq::vision
