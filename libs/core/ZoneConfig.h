#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QString>

namespace signiq::core {

// A named polygon in normalised image coordinates (0..1). Membership is decided by a
// person's foot point.
struct Zone {
    QString name;
    QList<QPointF> polygon; // >= 3 points, each coordinate in [0,1]

    bool contains(QPointF point) const; // even-odd rule; points on an edge count as inside
    bool operator==(const Zone &) const = default;
};

// A directed counting line from a to b. Crossing from the right-hand side of a->b to the
// left-hand side (in image coordinates, y pointing down) counts as "in"; the other way "out".
// Crossings are reported in the windows of `zone`.
struct CountingLine {
    QString name;
    QString zone;
    QPointF a;
    QPointF b;
    bool operator==(const CountingLine &) const = default;
};

// The zone/line configuration of one camera, as imported from zones.json.
struct ZoneConfig {
    QList<Zone> zones;
    QList<CountingLine> lines;
    double enterAfterS = 0.5;  // hysteresis: inside this long before an entry counts
    double exitAfterS = 1.0;   // hysteresis: outside this long before an exit counts
    double windowS = 60.0;     // audience window length
    double transitionMaxGapS = 10.0; // exit A then enter B within this gap = transition A->B

    // Parses and validates. Unknown keys, < 3 polygon points, coordinates outside 0..1,
    // duplicate zone names, lines naming unknown zones ... each give an error naming the
    // offending key or zone.
    static Result<ZoneConfig> fromJson(const QByteArray &json);
    QByteArray toJson() const; // canonical, compact, stable key order

    // sha256 of the canonical JSON, first 16 hex characters.
    QString version() const;

    bool operator==(const ZoneConfig &) const = default;
};

} // namespace signiq::core
