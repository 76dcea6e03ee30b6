#include "vision/geometry/GroundPlane.h"

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>

#include <cmath>
#include <limits>
#include <vector>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

// Twice the signed triangle area.
double cross(QPointF a, QPointF b, QPointF c)
{
    return (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x());
}

// Collinear relative to the squared size of the point set: scale-free.
bool collinear(QPointF a, QPointF b, QPointF c, double scale2)
{
    return std::abs(cross(a, b, c)) <= 1e-4 * scale2;
}

double spread2(const QList<QPointF> &pts)
{
    double minX = pts[0].x(), maxX = minX, minY = pts[0].y(), maxY = minY;
    for (const QPointF &p : pts) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    const double s = std::max(maxX - minX, maxY - minY);
    return s * s;
}

// True if some 4 of the points have no 3 collinear (what a homography needs). Exhaustive for
// installer-sized sets; for very large sets the first 24 points are searched.
bool hasGeneralQuad(const QList<QPointF> &all)
{
    const QList<QPointF> pts = all.mid(0, 24);
    const double s2 = spread2(pts);
    if (!(s2 > 0.0))
        return false;
    const qsizetype n = pts.size();
    for (qsizetype i = 0; i < n; ++i)
        for (qsizetype j = i + 1; j < n; ++j)
            for (qsizetype k = j + 1; k < n; ++k) {
                if (collinear(pts[i], pts[j], pts[k], s2))
                    continue;
                for (qsizetype l = k + 1; l < n; ++l) {
                    if (!collinear(pts[i], pts[j], pts[l], s2) && !collinear(pts[i], pts[k], pts[l], s2)
                        && !collinear(pts[j], pts[k], pts[l], s2))
                        return true;
                }
            }
    return false;
}

// A homography maps every triangle of points in front of the camera with the same orientation
// change (kept or mirrored). Mixed orientations mean the image and floor lists are not in the
// same order. Only clearly non-flat triangles are compared.
bool consistentOrientation(const QList<QPointF> &img, const QList<QPointF> &floor)
{
    const qsizetype n = std::min<qsizetype>(img.size(), 24);
    const double si = spread2(img.mid(0, n)), sf = spread2(floor.mid(0, n));
    int sign = 0;
    for (qsizetype i = 0; i < n; ++i)
        for (qsizetype j = i + 1; j < n; ++j)
            for (qsizetype k = j + 1; k < n; ++k) {
                const double ci = cross(img[i], img[j], img[k]);
                const double cf = cross(floor[i], floor[j], floor[k]);
                if (std::abs(ci) < 0.02 * si || std::abs(cf) < 0.02 * sf)
                    continue;
                const int s = (ci > 0) == (cf > 0) ? 1 : -1;
                if (sign == 0)
                    sign = s;
                else if (s != sign)
                    return false;
            }
    return true;
}

bool finite(QPointF p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

std::array<double, 9> toArray(const cv::Mat &m)
{
    std::array<double, 9> a{};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            a[size_t(r * 3 + c)] = m.at<double>(r, c);
    if (std::abs(a[8]) > 1e-12) {
        const double s = a[8];
        for (double &v : a)
            v /= s;
    }
    return a;
}

double homogeneousW(const std::array<double, 9> &h, QPointF p)
{
    return h[6] * p.x() + h[7] * p.y() + h[8];
}

} // namespace

std::optional<QPointF> GroundPlane::apply(const std::array<double, 9> &h, QPointF p, double sign)
{
    const double w = homogeneousW(h, p);
    if (!(w * sign > 1e-9))
        return std::nullopt;
    const QPointF out((h[0] * p.x() + h[1] * p.y() + h[2]) / w, (h[3] * p.x() + h[4] * p.y() + h[5]) / w);
    if (!finite(out))
        return std::nullopt;
    return out;
}

core::Result<GroundPlane> GroundPlane::fromCorrespondences(const QList<core::FloorCorrespondence> &points)
{
    if (points.size() < 4)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: need at least 4 image/floor correspondences, got %1")
                             .arg(points.size()));
    QList<QPointF> img, floor;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const core::FloorCorrespondence &c = points[i];
        if (!finite(c.image) || !finite(c.floorM))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("ground plane: point %1 has a non-finite coordinate").arg(i));
        for (qsizetype j = 0; j < i; ++j) {
            if (img[j] == c.image)
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("ground plane: points %1 and %2 have the same image position").arg(j).arg(i));
            if (floor[j] == c.floorM)
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("ground plane: points %1 and %2 have the same floor position").arg(j).arg(i));
        }
        img.append(c.image);
        floor.append(c.floorM);
    }
    if (!hasGeneralQuad(img))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: the image points are degenerate (collinear): need 4 points "
                                        "of which no 3 lie on a line"));
    if (!hasGeneralQuad(floor))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: the floor points are degenerate (collinear): need 4 points "
                                        "of which no 3 lie on a line"));

    if (!consistentOrientation(img, floor))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: the image and floor points are not in the same order (the "
                                        "quadrilaterals they form are twisted against each other)"));

    std::vector<cv::Point2d> src, dst;
    for (qsizetype i = 0; i < points.size(); ++i) {
        src.emplace_back(img[i].x(), img[i].y());
        dst.emplace_back(floor[i].x(), floor[i].y());
    }
    cv::Mat h;
    try {
        h = cv::findHomography(src, dst, 0);
    } catch (const cv::Exception &e) {
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: homography fit failed: %1").arg(QString::fromStdString(e.what())));
    }
    if (h.empty() || h.rows != 3 || h.cols != 3 || std::abs(cv::determinant(h)) < 1e-12)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: the correspondences do not define a homography (singular fit)"));

    GroundPlane plane;
    plane.m_h = toArray(h);
    plane.m_inv = toArray(h.inv());
    // Every calibration point is on the floor in front of the camera: their w share a sign.
    int positive = 0;
    for (const QPointF &p : img)
        positive += homogeneousW(plane.m_h, p) > 0.0 ? 1 : 0;
    if (positive != 0 && positive != img.size())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("ground plane: the horizon of the fitted plane passes between the calibration "
                                        "points; check that image and floor points are given in the same order"));
    plane.m_sign = positive > 0 ? 1.0 : -1.0;
    plane.m_invSign = homogeneousW(plane.m_inv, floor[0]) > 0.0 ? 1.0 : -1.0;

    double sum2 = 0.0;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const auto mapped = apply(plane.m_h, img[i], plane.m_sign);
        const double e = mapped ? std::hypot(mapped->x() - floor[i].x(), mapped->y() - floor[i].y())
                                : std::numeric_limits<double>::infinity();
        plane.m_pointErrorsM.append(e);
        sum2 += e * e;
        plane.m_maxErrorM = std::max(plane.m_maxErrorM, e);
    }
    plane.m_rmsErrorM = std::sqrt(sum2 / double(points.size()));
    return plane;
}

std::optional<QPointF> GroundPlane::toFloor(QPointF imagePoint) const
{
    return apply(m_h, imagePoint, m_sign);
}

std::optional<QPointF> GroundPlane::toImage(QPointF floorM) const
{
    return apply(m_inv, floorM, m_invSign);
}

void GroundPlane::fillFloorPositions(QList<core::TrackObservation> &tracks) const
{
    for (core::TrackObservation &t : tracks)
        t.floorM = toFloor(t.footPoint());
}

} // namespace signiq::vision
