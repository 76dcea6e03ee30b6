#pragma once

#include "core/Calibration.h"
#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <optional>

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

// A part of the image in which the person detector ignores detections (a poster, a mannequin, a
// mirror): a detection whose box centre lies inside is dropped.
struct IgnoreRegion {
    QString name; // optional label for installers; empty = unnamed
    QRectF rect;  // normalised x, y, w, h: w, h > 0 and the rectangle inside 0..1
    bool operator==(const IgnoreRegion &) const = default;
};

// The optional "detector" object of zones.json: person-detector choices that change what is
// counted, so they are part of the calibration version. The vision side passes them to
// vision::PersonDetectorConfig (model, scoreThreshold, ignoreRegions); core does not depend on
// vision, so the model names are kept here as plain strings.
struct DetectorSettings {
    QString model = QStringLiteral("yolo-fastest-1.1-body");
    double scoreThreshold = 0.4;       // detections below are not first-stage detections
    QList<IgnoreRegion> ignoreRegions; // in configuration order

    // PersonDetectorConfig::lowScoreThreshold (0.1) must not exceed scoreThreshold.
    static constexpr double MinScoreThreshold = 0.1;
    static constexpr int MaxIgnoreRegions = 32;

    // The model names accepted: "yolo-fastest-1.1-body", "yolox-nano" (the same list as
    // vision::personDetectorModels()).
    static QStringList models();
    // The rectangles of ignoreRegions, for PersonDetectorConfig::ignoreRegions.
    QList<QRectF> ignoreRects() const;

    bool operator==(const DetectorSettings &) const = default;
};

// The zone/line configuration of one camera, as imported from zones.json (format and
// validation rules: docs/analytics.md).
struct ZoneConfig {
    QList<Zone> zones;
    QList<CountingLine> lines;
    double enterAfterS = 0.5;  // hysteresis: inside this long before an entry counts
    double exitAfterS = 1.0;   // hysteresis: outside this long before an exit counts
    double windowS = 60.0;     // audience window length
    double transitionMaxGapS = 10.0; // exit A then enter B within this gap = transition A->B

    // Ground plane, screen and camera geometry. Absent: the pipeline still runs, windows are
    // flagged uncalibrated and attention is judged as if the screen were at the camera.
    std::optional<Calibration> calibration;
    AudienceSettings audience; // attention and demographics settings ("audience" in zones.json)
    DetectorSettings detector; // person detector settings ("detector" in zones.json)

    // Limits enforced by validate().
    static constexpr int MaxNameLength = 64;
    static constexpr double MinWindowS = 10.0;
    static constexpr double MaxWindowS = 86400.0;
    static constexpr double MaxHysteresisS = 60.0;
    static constexpr double MaxTransitionGapS = 3600.0;

    // Parses and validates. Unknown keys, < 3 polygon points, coordinates outside 0..1,
    // duplicate zone names, lines naming unknown zones ... each give an error naming the
    // offending key or zone, e.g. "zones[1].colour: unknown key". Omitted optional keys
    // ("lines", the four times, "audience", "detector" and their keys) take the defaults above;
    // "calibration" stays absent.
    static Result<ZoneConfig> fromJson(const QByteArray &json);
    // Reads (at most 1 MiB) and parses a zones.json file.
    static Result<ZoneConfig> fromFile(const QString &path);
    QByteArray toJson() const; // canonical, compact, stable key order

    // The semantic checks of fromJson() for configs built in code (e.g. by the console
    // editor). Paths in messages use the JSON names and list indices.
    Status validate() const;

    // sha256 of the canonical JSON, first 16 hex characters. It covers zones, lines, times,
    // calibration, audience and detector settings: it is the windows' calibration_version.
    QString version() const;

    // Index into `zones`, or -1.
    qsizetype zoneIndex(const QString &name) const;

    bool operator==(const ZoneConfig &) const = default;
};

} // namespace signiq::core
