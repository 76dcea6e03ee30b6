#pragma once

// Internal to libs/analytics: small helpers the AudienceAggregator's parts share
// (AudienceAggregator.cpp, AggregatorWindows.cpp, AggregatorVisits.cpp, AggregatorAttention.cpp,
// AggregatorFloor.cpp). Not included outside the library.

#include "analytics/AudienceAggregator.h"

#include <QList>
#include <QPointF>
#include <QRectF>

#include <algorithm>
#include <cmath>

namespace signiq::analytics::detail {

inline qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

inline QRectF boundsOf(const QList<QPointF> &polygon)
{
    if (polygon.isEmpty())
        return {};
    double left = polygon[0].x(), right = left, top = polygon[0].y(), bottom = top;
    for (const QPointF &p : polygon) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    // Slightly grown so that points on an edge (inside by definition) pass the quick test.
    return QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-1e-9, -1e-9, 1e-9, 1e-9);
}

// Walking speed: displacement over segments of at least this long (damps position jitter) ...
constexpr qint64 kSpeedSegmentMs = 1000;
// ... between floor positions no further apart than this (longer: the track was lost).
constexpr qint64 kSpeedMaxGapMs = 2000;

// Index into ZoneTally::walkDirectionMs of a walking segment's floor displacement (dx, dy) over
// durationMs, or -1 when it is slower than WalkingMinSpeedMps (standing). Floor coordinates:
// +y away from the screen, +x to the screen's left (core/Calibration.h). Exactly 45° counts
// as toward/away.
enum WalkingSector { WalkToward = 0, WalkAway = 1, WalkLeft = 2, WalkRight = 3 };
inline int walkingSector(double dx, double dy, qint64 durationMs)
{
    if (durationMs <= 0 || std::hypot(dx, dy) * 1000.0 < WalkingMinSpeedMps * double(durationMs))
        return -1;
    if (std::abs(dx) <= std::abs(dy))
        return dy < 0.0 ? WalkToward : WalkAway;
    return dx > 0.0 ? WalkLeft : WalkRight;
}

// Calls fn(fromMs, toMs, band) for the parts of [fromMs, toMs] at each distance band, from the
// marks "from tMs on at band" (band -1 before the first mark: unknown).
template <typename Marks, typename Fn>
void forEachBand(const Marks &marks, qint64 fromMs, qint64 toMs, Fn &&fn)
{
    int band = -1;
    qint64 cursor = fromMs;
    for (const auto &mark : marks) {
        if (mark.tMs <= fromMs) {
            band = mark.band;
            continue;
        }
        if (mark.tMs >= toMs)
            break;
        fn(cursor, mark.tMs, band);
        cursor = mark.tMs;
        band = mark.band;
    }
    fn(cursor, toMs, band);
}

template <typename Marks>
int bandAt(const Marks &marks, qint64 tMs)
{
    int band = -1;
    for (const auto &mark : marks) {
        if (mark.tMs > tMs)
            break;
        band = mark.band;
    }
    return band;
}

} // namespace signiq::analytics::detail
