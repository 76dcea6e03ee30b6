#pragma once

#include "core/Track.h"

#include <QPointF>

#include <array>

namespace signiq::vision {

// Rough head pose from YuNet's five landmarks (for faces too small for the head-pose model).
// Always lowConfidence = true. Offsets are measured in the face's own axes (u along the eye line
// from the subject's right eye to the left eye, v perpendicular, down the face), so an in-plane
// tilt changes only roll.
//
// roll  = angle of the eye line against the image x axis (clockwise in the image = positive).
// yaw   = atan(r / 0.45), r = (nose - eyeMid)·u / interEyeDistance. A nose tip about 0.45
//         inter-eye distances in front of the eye plane gives r = 0.45·tan(yaw); the constant was
//         fitted by eye on the test images against head-pose-adas-0001 (docs/faces.md).
//         Negative = face turned toward the image's left (same sign as the model).
// pitch = atan((t - 0.55) / 0.5), t = (nose - eyeMid)·v / (mouthMid - eyeMid)·v. The sign was
//         fitted against head-pose-adas-0001 on the test images (a nose tip nearer the mouth line
//         goes with a positive model pitch, e.g. the astronaut: t = 0.62, model pitch +7°; the
//         opposite sign correlated -0.53). Positive = looking up, as the model reports it.
// Both are clamped to ±90°. Degenerate landmarks (eyes on top of each other) give 0.
core::HeadPose estimateHeadPoseFromLandmarks(const std::array<QPointF, 5> &landmarks);

} // namespace signiq::vision
