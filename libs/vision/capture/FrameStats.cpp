#include "vision/capture/FrameStats.h"

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <cmath>

namespace signiq::vision {

core::FrameStats computeFrameStats(const cv::Mat &bgr)
{
    constexpr int kStep = 4;
    core::FrameStats stats{0.0, 0.0};
    if (bgr.empty() || bgr.depth() != CV_8U || bgr.dims != 2)
        return stats;
    const int channels = bgr.channels();
    if (channels != 1 && channels != 3 && channels != 4)
        return stats;

    quint64 sum = 0;
    quint64 sumSq = 0;
    quint64 n = 0;
    for (int y = kStep / 2; y < bgr.rows; y += kStep) {
        const uchar *row = bgr.ptr<uchar>(y);
        for (int x = kStep / 2; x < bgr.cols; x += kStep) {
            const uchar *p = row + static_cast<ptrdiff_t>(x) * channels;
            // Y = 0.114 B + 0.587 G + 0.299 R in 8.8 fixed point.
            const quint32 luma = (channels == 1) ? p[0] : (29u * p[0] + 150u * p[1] + 77u * p[2] + 128u) >> 8;
            sum += luma;
            sumSq += static_cast<quint64>(luma) * luma;
            ++n;
        }
    }
    if (n == 0) {
        // Tiny image: fall back to the first pixel.
        const uchar *p = bgr.ptr<uchar>(0);
        stats.meanLuma = (channels == 1) ? p[0] : (29.0 * p[0] + 150.0 * p[1] + 77.0 * p[2]) / 256.0;
        return stats;
    }
    const double mean = static_cast<double>(sum) / static_cast<double>(n);
    const double variance = static_cast<double>(sumSq) / static_cast<double>(n) - mean * mean;
    stats.meanLuma = mean;
    stats.lumaStdDev = std::sqrt(std::max(0.0, variance));
    return stats;
}

} // namespace signiq::vision
