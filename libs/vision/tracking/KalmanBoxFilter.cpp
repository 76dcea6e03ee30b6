#include "vision/tracking/KalmanBoxFilter.h"

#include <opencv2/core.hpp>

#include <algorithm>

namespace signiq::vision {

namespace {

constexpr double kWeightPosition = 1.0 / 20.0;
constexpr double kWeightVelocity = 1.0 / 160.0;
constexpr double kReferenceInterval = 1.0 / 30.0; // seconds; ByteTrack's noise is tuned per 30 fps frame

cv::Matx<double, 4, 1> measurement(const QRectF &box)
{
    const double h = std::max(box.height(), 1e-6);
    return {box.center().x(), box.center().y(), box.width() / h, h};
}

} // namespace

KalmanBoxFilter::KalmanBoxFilter(const QRectF &box)
{
    const auto z = measurement(box);
    m_x = Vec8::zeros();
    for (int i = 0; i < 4; ++i)
        m_x(i) = z(i);
    const double h = z(3);
    const double sp = 2.0 * kWeightPosition * h;
    const double sv = 10.0 * kWeightVelocity * h / kReferenceInterval;
    const double stds[8] = {sp, sp, 1e-2, sp, sv, sv, 1e-5 / kReferenceInterval, sv};
    m_p = Mat8::zeros();
    for (int i = 0; i < 8; ++i)
        m_p(i, i) = stds[i] * stds[i];
}

void KalmanBoxFilter::predict(double dtSeconds)
{
    if (!(dtSeconds > 0.0))
        return;
    Mat8 f = Mat8::eye();
    for (int i = 0; i < 4; ++i)
        f(i, i + 4) = dtSeconds;

    const double h = m_x(3);
    const double sp = kWeightPosition * h;
    const double sv = kWeightVelocity * h / kReferenceInterval;
    const double stds[8] = {sp, sp, 1e-2, sp, sv, sv, 1e-5 / kReferenceInterval, sv};
    const double scale = dtSeconds / kReferenceInterval;
    Mat8 q = Mat8::zeros();
    for (int i = 0; i < 8; ++i)
        q(i, i) = stds[i] * stds[i] * scale;

    m_x = f * m_x;
    m_p = f * m_p * f.t() + q;
}

void KalmanBoxFilter::update(const QRectF &box)
{
    const auto z = measurement(box);
    cv::Matx<double, 4, 8> hm = cv::Matx<double, 4, 8>::zeros();
    for (int i = 0; i < 4; ++i)
        hm(i, i) = 1.0;

    const double h = m_x(3);
    const double sp = kWeightPosition * h;
    const double stds[4] = {sp, sp, 1e-1, sp};
    cv::Matx<double, 4, 4> r = cv::Matx<double, 4, 4>::zeros();
    for (int i = 0; i < 4; ++i)
        r(i, i) = stds[i] * stds[i];

    const cv::Matx<double, 4, 4> s = hm * m_p * hm.t() + r;
    const cv::Matx<double, 8, 4> k = m_p * hm.t() * s.inv(cv::DECOMP_CHOLESKY);
    const cv::Matx<double, 4, 1> innovation = z - hm * m_x;
    m_x = m_x + k * innovation;
    m_p = (Mat8::eye() - k * hm) * m_p;
}

QRectF KalmanBoxFilter::box() const
{
    const double h = std::max(m_x(3), 1e-6);
    const double w = std::max(m_x(2), 1e-6) * h;
    return {m_x(0) - w / 2.0, m_x(1) - h / 2.0, w, h};
}

} // namespace signiq::vision
