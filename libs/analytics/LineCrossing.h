#pragma once

#include "core/ZoneConfig.h"

#include <QPointF>

namespace signiq::analytics {

enum class Crossing : quint8 { None, In, Out };

// Which side of the directed line a->b a point lies on, in image coordinates (y down):
// > 0 right-hand side, < 0 left-hand side, 0 on the (infinite) line.
// Walking from a to b, "right" is the side your right hand points to as seen on the image.
double sideOf(const core::CountingLine &line, QPointF point);

// The crossing of the segment a->b of `line` by a movement from `from` to `to`.
// Counts only when `from` and `to` lie strictly on opposite sides and the movement meets the
// segment between its end points (inclusive). Right -> left is In, left -> right is Out.
Crossing crossingOf(const core::CountingLine &line, QPointF from, QPointF to);

// The crossing state of one track against one line. A foot point exactly on the line does not
// move the anchor, so touching the line and stepping back is no crossing and stepping over it
// via a point on the line is exactly one.
class LineCrossingTracker {
public:
    Crossing move(const core::CountingLine &line, QPointF footPoint);
    void reset() { m_hasAnchor = false; }

private:
    QPointF m_anchor; // the latest foot point strictly off the line
    bool m_hasAnchor = false;
};

} // namespace signiq::analytics
