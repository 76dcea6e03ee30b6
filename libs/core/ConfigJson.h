#pragma once

// Internal to libs/core: the JSON reading and checking helpers the zones.json sections share
// (ZoneConfig.cpp: zones, lines, timing; CalibrationSection.cpp; AudienceSection.cpp;
// DetectorSection.cpp). Every error names its JSON path ("calibration.floor_points[2].image").
// Not installed, not included outside libs/core.

#include "core/Calibration.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QPointF>
#include <QString>

#include <initializer_list>
#include <optional>

namespace signiq::core::configjson {

// JSON keys, in one place.
inline constexpr QLatin1StringView kZones("zones");
inline constexpr QLatin1StringView kLines("lines");
inline constexpr QLatin1StringView kName("name");
inline constexpr QLatin1StringView kPolygon("polygon");
inline constexpr QLatin1StringView kZone("zone");
inline constexpr QLatin1StringView kFrom("from");
inline constexpr QLatin1StringView kTo("to");
inline constexpr QLatin1StringView kEnterAfter("enter_after_s");
inline constexpr QLatin1StringView kExitAfter("exit_after_s");
inline constexpr QLatin1StringView kWindow("window_s");
inline constexpr QLatin1StringView kTransitionGap("transition_max_gap_s");
inline constexpr QLatin1StringView kCalibration("calibration");
inline constexpr QLatin1StringView kFloorPoints("floor_points");
inline constexpr QLatin1StringView kImage("image");
inline constexpr QLatin1StringView kFloorM("floor_m");
inline constexpr QLatin1StringView kScreen("screen");
inline constexpr QLatin1StringView kCentreM("centre_m");
inline constexpr QLatin1StringView kCentreHeightM("centre_height_m");
inline constexpr QLatin1StringView kWidthM("width_m");
inline constexpr QLatin1StringView kHeightM("height_m");
inline constexpr QLatin1StringView kCamera("camera");
inline constexpr QLatin1StringView kPositionM("position_m");
inline constexpr QLatin1StringView kDistanceBands("distance_bands_m");
inline constexpr QLatin1StringView kAudience("audience");
inline constexpr QLatin1StringView kConeDeg("attention_cone_deg");
inline constexpr QLatin1StringView kAttentionMin("attention_min_s");
inline constexpr QLatin1StringView kDemographics("demographics");
inline constexpr QLatin1StringView kK("k");
inline constexpr QLatin1StringView kDemographicWindow("demographic_window_s");
inline constexpr QLatin1StringView kDetector("detector");
inline constexpr QLatin1StringView kModel("model");
inline constexpr QLatin1StringView kScoreThreshold("score_threshold");
inline constexpr QLatin1StringView kIgnoreRegions("ignore_regions");
inline constexpr QLatin1StringView kRect("rect");

Error invalid(const QString &path, const QString &what);

QString child(const QString &path, QLatin1StringView key);

QString child(const QString &path, const QString &key);

QString indexed(const QString &path, qsizetype index);

std::optional<Error> checkKeys(const QJsonObject &object, std::initializer_list<QLatin1StringView> allowed,
                               const QString &path);

Result<QString> readName(const QJsonObject &object, const QString &path);

Result<QPointF> readPoint(const QJsonValue &value, const QString &path);

std::optional<Error> readSeconds(const QJsonObject &root, QLatin1StringView key, double &out);

std::optional<Error> checkName(const QString &name, const QString &path);

bool inUnitRange(double v);

std::optional<Error> checkPoint(QPointF p, const QString &path);

QString seconds(double s);

QJsonArray pointToJson(QPointF p);

// A number at object[key] into *out; missing keeps *out unless `required`.
std::optional<Error> readNumber(const QJsonObject &object, QLatin1StringView key, const QString &path,
                                const QString &what, double &out, bool required);

Result<QJsonObject> readObject(const QJsonObject &parent, QLatin1StringView key, const QString &path);

std::optional<Error> readPointKey(const QJsonObject &object, QLatin1StringView key, const QString &path, QPointF &out,
                                  bool required);

std::optional<Error> checkMetresPoint(QPointF p, const QString &path);

std::optional<Error> checkPositive(double v, double max, const QString &path);

QJsonArray numbersToJson(const QList<double> &numbers);

// The sections: read (types and shape, errors name the path), check (ranges and rules), write
// (canonical JSON: sorted keys, shortest round-trip doubles).
Result<Calibration> readCalibration(const QJsonValue &value);
std::optional<Error> checkCalibration(const Calibration &calibration);
QJsonObject calibrationToJson(const Calibration &calibration);

Result<AudienceSettings> readAudience(const QJsonValue &value);
std::optional<Error> checkAudience(const AudienceSettings &audience);
QJsonObject audienceToJson(const AudienceSettings &audience);

Result<DetectorSettings> readDetector(const QJsonValue &value);
std::optional<Error> checkDetector(const DetectorSettings &detector);
QJsonObject detectorToJson(const DetectorSettings &detector);

} // namespace signiq::core::configjson
