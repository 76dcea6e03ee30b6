#pragma once

#include "core/Track.h"

#include <QPointF>

#include <array>

namespace signiq::vision {

// Rough head pose from YuNet's five landmarks (for faces too small for the head-pose model).
// Always lowConfidence = true; roll is the angle of the eye line.
//
// yaw   = atan(r / 0.45), r = (nose.x - eyeMid.x) / interEyeDistance. A nose tip about 0.45
//         inter-eye distances in front of the eye plane gives r = 0.45·tan(yaw); the constant was
//         fitted by eye on the test images against head-pose-adas-0001 (docs/faces.md).
//         Negative = face turned toward the image's left (same sign as the model).
// pitch = -atan((t - 0.55) / 0.5), t = (nose.y - eyeMid.y) / (mouthMid.y - eyeMid.y): the nose tip
//         moves toward the eye line when the head tilts up. Positive = looking up.
// Both are clamped to ±90°. Degenerate landmarks (eyes on top of each other) give 0.
core::HeadPose estimateHeadPoseFromLandmarks(const std::array<QPointF, 5> &landmarks);

} // namespace signiq::vision
