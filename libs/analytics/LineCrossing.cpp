#include "analytics/LineCrossing.h"

namespace signiq::analytics {

namespace {
double cross(QPointF u, QPointF v)
{
    return u.x() * v.y() - u.y() * v.x();
}
} // namespace

double sideOf(const core::CountingLine &line, QPointF point)
{
    return cross(line.b - line.a, point - line.a);
}

Crossing crossingOf(const core::CountingLine &line, QPointF from, QPointF to)
{
    const double sideFrom = sideOf(line, from);
    const double sideTo = sideOf(line, to);
    if (!((sideFrom > 0.0 && sideTo < 0.0) || (sideFrom < 0.0 && sideTo > 0.0)))
        return Crossing::None;
    // Intersection from + t * (to - from) == a + u * (b - a); sides differ, so the
    // denominator is non-zero and 0 < t < 1. The crossing counts if 0 <= u <= 1.
    const QPointF d = line.b - line.a;
    const QPointF e = to - from;
    const double denominator = cross(d, e);
    const double u = cross(from - line.a, e) / denominator;
    if (u < 0.0 || u > 1.0)
        return Crossing::None;
    return sideFrom > 0.0 ? Crossing::In : Crossing::Out;
}

Crossing LineCrossingTracker::move(const core::CountingLine &line, QPointF footPoint)
{
    if (sideOf(line, footPoint) == 0.0)
        return Crossing::None;
    Crossing result = Crossing::None;
    if (m_hasAnchor)
        result = crossingOf(line, m_anchor, footPoint);
    m_anchor = footPoint;
    m_hasAnchor = true;
    return result;
}

} // namespace signiq::analytics
