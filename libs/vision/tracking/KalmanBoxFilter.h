#pragma once

#include <QRectF>

#include <opencv2/core/matx.hpp>

namespace signiq::vision {

// Constant-velocity Kalman filter on (cx, cy, aspect = w / h, h) as in SORT/ByteTrack, but driven
// by elapsed time instead of frame count so that skipped frames and uneven frame rates work.
// Velocities are per second. Noise follows ByteTrack's height-relative weights, defined for a
// reference interval of 1/30 s and scaled linearly with the elapsed time (random walk).
class KalmanBoxFilter {
public:
    KalmanBoxFilter() = default;
    explicit KalmanBoxFilter(const QRectF &box);

    // Advances the state by dtSeconds (>= 0).
    void predict(double dtSeconds);
    // Folds in a measured box.
    void update(const QRectF &box);
    // Stops the size from drifting while no measurement arrives (ByteTrack zeroes vh when lost).
    void freezeHeightVelocity() { m_x(7) = 0.0; }

    QRectF box() const;
    QPointF velocity() const { return {m_x(4), m_x(5)}; } // centre velocity, pixels per second

private:
    using Vec8 = cv::Matx<double, 8, 1>;
    using Mat8 = cv::Matx<double, 8, 8>;
    Vec8 m_x;
    Mat8 m_p;
};

} // namespace signiq::vision
