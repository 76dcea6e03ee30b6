#include "vision/faces/LandmarkHeadPose.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace signiq::vision {

namespace {
constexpr double kNoseDepth = 0.45;   // nose tip in front of the eye plane, in inter-eye distances
constexpr double kNeutralNose = 0.55; // nose height between eye line (0) and mouth line (1), frontal
constexpr double kNoseTravel = 0.5;
constexpr double kDeg = 180.0 / std::numbers::pi;

float clampDeg(double d)
{
    return float(std::clamp(d, -90.0, 90.0));
}
} // namespace

core::HeadPose estimateHeadPoseFromLandmarks(const std::array<QPointF, 5> &lm)
{
    core::HeadPose pose;
    pose.lowConfidence = true;
    const QPointF rightEye = lm[0]; // subject's right eye, on the image's left
    const QPointF leftEye = lm[1];
    const QPointF noseTip = lm[2];
    const QPointF eyeMid = (rightEye + leftEye) / 2.0;
    const QPointF mouthMid = (lm[3] + lm[4]) / 2.0;
    const double eyeDist = std::hypot(leftEye.x() - rightEye.x(), leftEye.y() - rightEye.y());
    if (!(eyeDist > 1e-6))
        return pose;
    // Measure in the face's own axes (u along the eye line, v down the face), so roll does not
    // leak into yaw or pitch.
    const QPointF u = (leftEye - rightEye) / eyeDist;
    const QPointF v(-u.y(), u.x());
    auto dot = [](QPointF a, QPointF b) { return a.x() * b.x() + a.y() * b.y(); };
    pose.rollDeg = clampDeg(std::atan2(u.y(), u.x()) * kDeg);
    const QPointF nose = noseTip - eyeMid;
    const double r = dot(nose, u) / eyeDist;
    pose.yawDeg = clampDeg(std::atan(r / kNoseDepth) * kDeg);
    const double eyeToMouth = dot(mouthMid - eyeMid, v);
    if (eyeToMouth > 1e-6) {
        const double t = dot(nose, v) / eyeToMouth;
        pose.pitchDeg = clampDeg(std::atan((t - kNeutralNose) / kNoseTravel) * kDeg);
    }
    return pose;
}

} // namespace signiq::vision
