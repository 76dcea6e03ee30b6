#pragma once

#include "core/Calibration.h"
#include "core/Result.h"
#include "core/Track.h"

#include <QList>
#include <QPointF>

#include <array>
#include <optional>

namespace signiq::vision {

// Maps normalised image points (0..1, y down) to floor coordinates in metres and back. Floor
// coordinates follow the convention of core/Calibration.h (docs/faces.md, "Ground plane"): origin
// on the floor straight below the screen centre, x along the screen (positive to the right of
// someone facing the screen), y perpendicular to the screen, positive into the room. Then y is the
// distance from the screen plane and hypot(x, y) the distance from the point below its centre.
//
// A plane-to-plane homography fitted to >= 4 correspondences with cv::findHomography (least
// squares over all points, no RANSAC: installer points are few and all meant to be right).
// Immutable and cheap to copy; safe to share between threads once built.
class GroundPlane {
public:
    // Errors (InvalidArgument, naming the problem): fewer than 4 points, a non-finite coordinate,
    // two correspondences with the same image or floor point, no 4 points in general position
    // (all collinear, or only 3 distinct directions) in the image or on the floor, or a singular fit.
    static core::Result<GroundPlane> fromCorrespondences(const QList<core::FloorCorrespondence> &points);

    // Normalised image point -> floor metres. nullopt for points on or above the horizon (they
    // map behind the camera or to infinity).
    std::optional<QPointF> toFloor(QPointF imagePoint) const;
    // Floor metres -> normalised image point. nullopt if the floor point is behind the camera.
    std::optional<QPointF> toImage(QPointF floorM) const;

    // Sets TrackObservation::floorM from each track's foot point (bottom centre of the box);
    // nullopt where the foot point is above the horizon.
    void fillFloorPositions(QList<core::TrackObservation> &tracks) const;

    // Fit quality on the calibration points, in metres on the floor (image point mapped to the
    // floor vs the measured floor point): root mean square and maximum, and each point's error.
    double rmsErrorM() const { return m_rmsErrorM; }
    double maxErrorM() const { return m_maxErrorM; }
    const QList<double> &pointErrorsM() const { return m_pointErrorsM; }

    // Row-major 3x3 homography image (normalised) -> floor (metres), scaled so that h[8] = 1
    // when possible. For hashing into a calibration version.
    const std::array<double, 9> &imageToFloor() const { return m_h; }

private:
    GroundPlane() = default;
    static std::optional<QPointF> apply(const std::array<double, 9> &h, QPointF p, double sign);

    std::array<double, 9> m_h{};
    std::array<double, 9> m_inv{};
    double m_sign = 1.0;    // sign of the homogeneous w of points in front of the camera
    double m_invSign = 1.0;
    double m_rmsErrorM = 0.0;
    double m_maxErrorM = 0.0;
    QList<double> m_pointErrorsM;
};

} // namespace signiq::vision
