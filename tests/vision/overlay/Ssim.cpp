#include "Ssim.h"

#include <opencv2/imgproc.hpp>

namespace signiq::vision::testing {

double meanSsim(const cv::Mat &grey1, const cv::Mat &grey2)
{
    CV_Assert(grey1.size() == grey2.size() && grey1.type() == CV_8UC1 && grey2.type() == CV_8UC1);
    const double c1 = (0.01 * 255) * (0.01 * 255);
    const double c2 = (0.03 * 255) * (0.03 * 255);
    cv::Mat x, y;
    grey1.convertTo(x, CV_64F);
    grey2.convertTo(y, CV_64F);
    auto blur = [](const cv::Mat &in) {
        cv::Mat out;
        cv::GaussianBlur(in, out, cv::Size(11, 11), 1.5, 1.5, cv::BORDER_REFLECT);
        return out;
    };
    const cv::Mat muX = blur(x), muY = blur(y);
    const cv::Mat muX2 = muX.mul(muX), muY2 = muY.mul(muY), muXY = muX.mul(muY);
    const cv::Mat sigmaX2 = blur(x.mul(x)) - muX2;
    const cv::Mat sigmaY2 = blur(y.mul(y)) - muY2;
    const cv::Mat sigmaXY = blur(x.mul(y)) - muXY;
    cv::Mat num = (2 * muXY + c1).mul(2 * sigmaXY + c2);
    cv::Mat den = (muX2 + muY2 + c1).mul(sigmaX2 + sigmaY2 + c2);
    cv::Mat map;
    cv::divide(num, den, map);
    return cv::mean(map)[0];
}

} // namespace signiq::vision::testing
