#pragma once

#include <opencv2/core.hpp>

namespace signiq::vision::testing {

// Mean structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) of two greyscale 8-bit
// images of the same size: 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255.
// 1 = identical; around 0 = no shared structure.
double meanSsim(const cv::Mat &grey1, const cv::Mat &grey2);

} // namespace signiq::vision::testing
