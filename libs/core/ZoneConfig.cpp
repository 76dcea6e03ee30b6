#include "core/ZoneConfig.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <optional>

namespace signiq::core {

namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;
constexpr double kEdgeEpsilon = 1e-12;

// JSON keys, in one place.
const QLatin1StringView kZones("zones");
const QLatin1StringView kLines("lines");
const QLatin1StringView kName("name");
const QLatin1StringView kPolygon("polygon");
const QLatin1StringView kZone("zone");
const QLatin1StringView kFrom("from");
const QLatin1StringView kTo("to");
const QLatin1StringView kEnterAfter("enter_after_s");
const QLatin1StringView kExitAfter("exit_after_s");
const QLatin1StringView kWindow("window_s");
const QLatin1StringView kTransitionGap("transition_max_gap_s");
const QLatin1StringView kCalibration("calibration");
const QLatin1StringView kFloorPoints("floor_points");
const QLatin1StringView kImage("image");
const QLatin1StringView kFloorM("floor_m");
const QLatin1StringView kScreen("screen");
const QLatin1StringView kCentreM("centre_m");
const QLatin1StringView kCentreHeightM("centre_height_m");
const QLatin1StringView kWidthM("width_m");
const QLatin1StringView kHeightM("height_m");
const QLatin1StringView kCamera("camera");
const QLatin1StringView kPositionM("position_m");
const QLatin1StringView kDistanceBands("distance_bands_m");
const QLatin1StringView kAudience("audience");
const QLatin1StringView kConeDeg("attention_cone_deg");
const QLatin1StringView kAttentionMin("attention_min_s");
const QLatin1StringView kDemographics("demographics");
const QLatin1StringView kK("k");
const QLatin1StringView kDemographicWindow("demographic_window_s");
const QLatin1StringView kDetector("detector");
const QLatin1StringView kModel("model");
const QLatin1StringView kScoreThreshold("score_threshold");
const QLatin1StringView kIgnoreRegions("ignore_regions");
const QLatin1StringView kRect("rect");

// A triangle whose area is below this share of the square of its longest side is a line.
constexpr double kCollinearRatio = 1e-3;

Error invalid(const QString &path, const QString &what)
{
    return makeError(ErrorCode::InvalidArgument, path + QStringLiteral(": ") + what);
}

QString child(const QString &path, QLatin1StringView key)
{
    return path.isEmpty() ? QString(key) : path + QLatin1Char('.') + key;
}

QString child(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString indexed(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

std::optional<Error> checkKeys(const QJsonObject &object, std::initializer_list<QLatin1StringView> allowed,
                               const QString &path)
{
    // QJsonObject iterates in sorted key order, so the first unknown key reported is stable.
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](QLatin1StringView k) { return key == k; });
        if (!known)
            return invalid(child(path, key), QStringLiteral("unknown key"));
    }
    return std::nullopt;
}

Result<QString> readName(const QJsonObject &object, const QString &path)
{
    const QString namePath = child(path, kName);
    if (!object.contains(kName))
        return invalid(namePath, QStringLiteral("missing"));
    const QJsonValue value = object.value(kName);
    if (!value.isString())
        return invalid(namePath, QStringLiteral("must be a string"));
    return value.toString();
}

Result<QPointF> readPoint(const QJsonValue &value, const QString &path)
{
    if (!value.isArray() || value.toArray().size() != 2)
        return invalid(path, QStringLiteral("must be a point [x, y]"));
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < 2; ++i) {
        if (!array.at(i).isDouble())
            return invalid(indexed(path, i), QStringLiteral("must be a number"));
    }
    return QPointF(array.at(0).toDouble(), array.at(1).toDouble());
}

std::optional<Error> readSeconds(const QJsonObject &root, QLatin1StringView key, double &out)
{
    if (!root.contains(key))
        return std::nullopt; // keep the default
    const QJsonValue value = root.value(key);
    if (!value.isDouble())
        return invalid(QString(key), QStringLiteral("must be a number of seconds"));
    out = value.toDouble();
    return std::nullopt;
}

Result<Zone> readZone(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kName, kPolygon}, path))
        return *error;
    Zone zone;
    auto name = readName(object, path);
    if (!name)
        return name.error();
    zone.name = *name;
    const QString polygonPath = child(path, kPolygon);
    if (!object.contains(kPolygon))
        return invalid(polygonPath, QStringLiteral("missing"));
    if (!object.value(kPolygon).isArray())
        return invalid(polygonPath, QStringLiteral("must be an array of points [x, y]"));
    const QJsonArray points = object.value(kPolygon).toArray();
    zone.polygon.reserve(points.size());
    for (qsizetype i = 0; i < points.size(); ++i) {
        auto point = readPoint(points.at(i), indexed(polygonPath, i));
        if (!point)
            return point.error();
        zone.polygon.append(*point);
    }
    return zone;
}

Result<CountingLine> readLine(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kName, kZone, kFrom, kTo}, path))
        return *error;
    CountingLine line;
    auto name = readName(object, path);
    if (!name)
        return name.error();
    line.name = *name;
    const QString zonePath = child(path, kZone);
    if (!object.contains(kZone))
        return invalid(zonePath, QStringLiteral("missing"));
    if (!object.value(kZone).isString())
        return invalid(zonePath, QStringLiteral("must be a string"));
    line.zone = object.value(kZone).toString();
    for (const auto &[key, target] : {std::pair{kFrom, &line.a}, std::pair{kTo, &line.b}}) {
        const QString pointPath = child(path, key);
        if (!object.contains(key))
            return invalid(pointPath, QStringLiteral("missing"));
        auto point = readPoint(object.value(key), pointPath);
        if (!point)
            return point.error();
        *target = *point;
    }
    return line;
}

std::optional<Error> checkName(const QString &name, const QString &path)
{
    if (name.trimmed().isEmpty())
        return invalid(path, QStringLiteral("must not be empty"));
    if (name.size() > ZoneConfig::MaxNameLength)
        return invalid(path, QStringLiteral("longer than %1 characters").arg(ZoneConfig::MaxNameLength));
    if (name.trimmed() != name)
        return invalid(path, QStringLiteral("must not start or end with white space"));
    return std::nullopt;
}

bool inUnitRange(double v)
{
    return std::isfinite(v) && v >= 0.0 && v <= 1.0;
}

std::optional<Error> checkPoint(QPointF p, const QString &path)
{
    if (!inUnitRange(p.x()))
        return invalid(indexed(path, 0), QStringLiteral("%1 is outside 0..1").arg(p.x()));
    if (!inUnitRange(p.y()))
        return invalid(indexed(path, 1), QStringLiteral("%1 is outside 0..1").arg(p.y()));
    return std::nullopt;
}

QString seconds(double s)
{
    return QString::number(s, 'g', 10);
}

QJsonArray pointToJson(QPointF p)
{
    return QJsonArray{p.x(), p.y()};
}

// A number at object[key] into *out; missing keeps *out unless `required`.
std::optional<Error> readNumber(const QJsonObject &object, QLatin1StringView key, const QString &path,
                                const QString &what, double &out, bool required)
{
    const QString keyPath = child(path, key);
    if (!object.contains(key))
        return required ? std::optional<Error>(invalid(keyPath, QStringLiteral("missing"))) : std::nullopt;
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return invalid(keyPath, QStringLiteral("must be %1").arg(what));
    out = value.toDouble();
    return std::nullopt;
}

Result<QJsonObject> readObject(const QJsonObject &parent, QLatin1StringView key, const QString &path)
{
    const QString keyPath = child(path, key);
    if (!parent.contains(key))
        return invalid(keyPath, QStringLiteral("missing"));
    if (!parent.value(key).isObject())
        return invalid(keyPath, QStringLiteral("must be an object"));
    return parent.value(key).toObject();
}

std::optional<Error> readPointKey(const QJsonObject &object, QLatin1StringView key, const QString &path, QPointF &out,
                                  bool required)
{
    const QString keyPath = child(path, key);
    if (!object.contains(key))
        return required ? std::optional<Error>(invalid(keyPath, QStringLiteral("missing"))) : std::nullopt;
    auto point = readPoint(object.value(key), keyPath);
    if (!point)
        return point.error();
    out = *point;
    return std::nullopt;
}

Result<Calibration> readCalibration(const QJsonValue &value)
{
    const QString path(kCalibration);
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kFloorPoints, kScreen, kCamera, kDistanceBands}, path))
        return *error;
    Calibration calibration;

    const QString pointsPath = child(path, kFloorPoints);
    if (!object.contains(kFloorPoints))
        return invalid(pointsPath, QStringLiteral("missing"));
    if (!object.value(kFloorPoints).isArray())
        return invalid(pointsPath, QStringLiteral("must be an array of {\"image\": [x, y], \"floor_m\": [x, y]}"));
    const QJsonArray points = object.value(kFloorPoints).toArray();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QString pointPath = indexed(pointsPath, i);
        if (!points.at(i).isObject())
            return invalid(pointPath, QStringLiteral("must be an object"));
        const QJsonObject point = points.at(i).toObject();
        if (auto error = checkKeys(point, {kImage, kFloorM}, pointPath))
            return *error;
        FloorCorrespondence correspondence;
        if (auto error = readPointKey(point, kImage, pointPath, correspondence.image, true))
            return *error;
        if (auto error = readPointKey(point, kFloorM, pointPath, correspondence.floorM, true))
            return *error;
        calibration.floorPoints.append(correspondence);
    }

    auto screen = readObject(object, kScreen, path);
    if (!screen)
        return screen.error();
    const QString screenPath = child(path, kScreen);
    if (auto error = checkKeys(*screen, {kCentreM, kCentreHeightM, kWidthM, kHeightM}, screenPath))
        return *error;
    if (auto error = readPointKey(*screen, kCentreM, screenPath, calibration.screen.centreM, false))
        return *error;
    const QString metresWhat = QStringLiteral("a number of metres");
    for (const auto &[key, target] : {std::pair{kCentreHeightM, &calibration.screen.centreHeightM},
                                      std::pair{kWidthM, &calibration.screen.widthM},
                                      std::pair{kHeightM, &calibration.screen.heightM}}) {
        if (auto error = readNumber(*screen, key, screenPath, metresWhat, *target, true))
            return *error;
    }

    auto camera = readObject(object, kCamera, path);
    if (!camera)
        return camera.error();
    const QString cameraPath = child(path, kCamera);
    if (auto error = checkKeys(*camera, {kPositionM, kHeightM}, cameraPath))
        return *error;
    if (auto error = readPointKey(*camera, kPositionM, cameraPath, calibration.camera.positionM, true))
        return *error;
    if (auto error = readNumber(*camera, kHeightM, cameraPath, metresWhat, calibration.camera.heightM, true))
        return *error;

    if (object.contains(kDistanceBands)) {
        const QString bandsPath = child(path, kDistanceBands);
        if (!object.value(kDistanceBands).isArray())
            return invalid(bandsPath, QStringLiteral("must be an array of distances in metres"));
        const QJsonArray bands = object.value(kDistanceBands).toArray();
        calibration.distanceBandsM.clear();
        for (qsizetype i = 0; i < bands.size(); ++i) {
            if (!bands.at(i).isDouble())
                return invalid(indexed(bandsPath, i), QStringLiteral("must be a number"));
            calibration.distanceBandsM.append(bands.at(i).toDouble());
        }
    }
    return calibration;
}

Result<AudienceSettings> readAudience(const QJsonValue &value)
{
    const QString path(kAudience);
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kConeDeg, kAttentionMin, kDemographics, kK, kDemographicWindow}, path))
        return *error;
    AudienceSettings audience;
    if (auto error = readNumber(object, kConeDeg, path, QStringLiteral("a number of degrees"), audience.attentionConeDeg, false))
        return *error;
    const QString secondsWhat = QStringLiteral("a number of seconds");
    if (auto error = readNumber(object, kAttentionMin, path, secondsWhat, audience.attentionMinS, false))
        return *error;
    if (auto error = readNumber(object, kDemographicWindow, path, secondsWhat, audience.demographicWindowS, false))
        return *error;
    if (object.contains(kDemographics)) {
        if (!object.value(kDemographics).isBool())
            return invalid(child(path, kDemographics), QStringLiteral("must be true or false"));
        audience.demographics = object.value(kDemographics).toBool();
    }
    if (object.contains(kK)) {
        const QJsonValue k = object.value(kK);
        const double v = k.toDouble(-1.0);
        if (!k.isDouble() || v != std::floor(v) || v < AudienceSettings::MinK || v > AudienceSettings::MaxK) {
            return invalid(child(path, kK), QStringLiteral("must be a whole number between %1 and %2%3")
                                                .arg(AudienceSettings::MinK)
                                                .arg(AudienceSettings::MaxK)
                                                .arg(k.isDouble() ? QStringLiteral(", is ") + seconds(v) : QString()));
        }
        audience.k = int(v);
    }
    return audience;
}

Result<DetectorSettings> readDetector(const QJsonValue &value)
{
    const QString path(kDetector);
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kModel, kScoreThreshold, kIgnoreRegions}, path))
        return *error;
    DetectorSettings detector;
    if (object.contains(kModel)) {
        if (!object.value(kModel).isString())
            return invalid(child(path, kModel), QStringLiteral("must be a string"));
        detector.model = object.value(kModel).toString();
    }
    if (auto error = readNumber(object, kScoreThreshold, path, QStringLiteral("a number"), detector.scoreThreshold, false))
        return *error;
    if (object.contains(kIgnoreRegions)) {
        const QString regionsPath = child(path, kIgnoreRegions);
        if (!object.value(kIgnoreRegions).isArray())
            return invalid(regionsPath, QStringLiteral("must be an array of {\"name\": \"...\", \"rect\": [x, y, w, h]}"));
        const QJsonArray regions = object.value(kIgnoreRegions).toArray();
        // Checked here too, so that a huge array is refused before it is read.
        if (regions.size() > DetectorSettings::MaxIgnoreRegions) {
            return invalid(regionsPath, QStringLiteral("at most %1 regions, has %2")
                                            .arg(DetectorSettings::MaxIgnoreRegions).arg(regions.size()));
        }
        for (qsizetype i = 0; i < regions.size(); ++i) {
            const QString regionPath = indexed(regionsPath, i);
            if (!regions.at(i).isObject())
                return invalid(regionPath, QStringLiteral("must be an object"));
            const QJsonObject region = regions.at(i).toObject();
            if (auto error = checkKeys(region, {kName, kRect}, regionPath))
                return *error;
            IgnoreRegion ignore;
            if (region.contains(kName)) {
                auto name = readName(region, regionPath);
                if (!name)
                    return name.error();
                if (name->isEmpty()) // unnamed is written by leaving "name" out
                    return invalid(child(regionPath, kName), QStringLiteral("must not be empty"));
                ignore.name = *name;
            }
            const QString rectPath = child(regionPath, kRect);
            if (!region.contains(kRect))
                return invalid(rectPath, QStringLiteral("missing"));
            if (!region.value(kRect).isArray() || region.value(kRect).toArray().size() != 4)
                return invalid(rectPath, QStringLiteral("must be a rectangle [x, y, w, h]"));
            const QJsonArray rect = region.value(kRect).toArray();
            for (qsizetype c = 0; c < 4; ++c) {
                if (!rect.at(c).isDouble())
                    return invalid(indexed(rectPath, c), QStringLiteral("must be a number"));
            }
            ignore.rect = QRectF(rect.at(0).toDouble(), rect.at(1).toDouble(), rect.at(2).toDouble(), rect.at(3).toDouble());
            detector.ignoreRegions.append(ignore);
        }
    }
    return detector;
}

bool collinear(QPointF a, QPointF b, QPointF c)
{
    const QPointF ab = b - a;
    const QPointF ac = c - a;
    const QPointF bc = c - b;
    const double longest = std::max({QPointF::dotProduct(ab, ab), QPointF::dotProduct(ac, ac), QPointF::dotProduct(bc, bc)});
    const double cross = ab.x() * ac.y() - ab.y() * ac.x();
    return longest <= 0.0 || std::abs(cross) <= kCollinearRatio * longest;
}

bool generalPosition(const std::array<QPointF, 4> &p)
{
    return !collinear(p[0], p[1], p[2]) && !collinear(p[0], p[1], p[3]) && !collinear(p[0], p[2], p[3])
        && !collinear(p[1], p[2], p[3]);
}

// True when some four correspondences have no three collinear points, both in the image and on
// the floor: the least a homography needs.
bool hasFourInGeneralPosition(const QList<FloorCorrespondence> &points)
{
    const qsizetype n = points.size();
    for (qsizetype a = 0; a < n; ++a)
        for (qsizetype b = a + 1; b < n; ++b)
            for (qsizetype c = b + 1; c < n; ++c)
                for (qsizetype d = c + 1; d < n; ++d) {
                    if (generalPosition({points[a].image, points[b].image, points[c].image, points[d].image})
                        && generalPosition({points[a].floorM, points[b].floorM, points[c].floorM, points[d].floorM}))
                        return true;
                }
    return false;
}

std::optional<Error> checkMetresPoint(QPointF p, const QString &path)
{
    const double limit = Calibration::MaxCoordinateM;
    for (int i = 0; i < 2; ++i) {
        const double v = i == 0 ? p.x() : p.y();
        if (!std::isfinite(v) || v < -limit || v > limit)
            return invalid(indexed(path, i), QStringLiteral("must be between %1 and %2 metres, is %3")
                                                 .arg(seconds(-limit), seconds(limit), seconds(v)));
    }
    return std::nullopt;
}

std::optional<Error> checkPositive(double v, double max, const QString &path)
{
    if (!std::isfinite(v) || v <= 0.0)
        return invalid(path, QStringLiteral("must be greater than 0, is %1").arg(seconds(v)));
    if (v > max)
        return invalid(path, QStringLiteral("must be at most %1, is %2").arg(seconds(max), seconds(v)));
    return std::nullopt;
}

std::optional<Error> checkCalibration(const Calibration &c)
{
    const QString path(kCalibration);
    const QString pointsPath = child(path, kFloorPoints);
    if (c.floorPoints.size() < 4)
        return invalid(pointsPath, QStringLiteral("needs at least 4 points, has %1").arg(c.floorPoints.size()));
    if (c.floorPoints.size() > Calibration::MaxFloorPoints)
        return invalid(pointsPath, QStringLiteral("at most %1 points, has %2").arg(Calibration::MaxFloorPoints).arg(c.floorPoints.size()));
    for (qsizetype i = 0; i < c.floorPoints.size(); ++i) {
        const QString pointPath = indexed(pointsPath, i);
        if (auto error = checkPoint(c.floorPoints[i].image, child(pointPath, kImage)))
            return *error;
        if (auto error = checkMetresPoint(c.floorPoints[i].floorM, child(pointPath, kFloorM)))
            return *error;
    }
    if (!hasFourInGeneralPosition(c.floorPoints)) {
        return invalid(pointsPath, QStringLiteral("degenerate: needs 4 points of which no three are collinear, "
                                                  "both in the image and on the floor"));
    }

    const QString screenPath = child(path, kScreen);
    if (auto error = checkMetresPoint(c.screen.centreM, child(screenPath, kCentreM)))
        return *error;
    if (auto error = checkPositive(c.screen.centreHeightM, Calibration::MaxHeightM, child(screenPath, kCentreHeightM)))
        return *error;
    if (auto error = checkPositive(c.screen.widthM, Calibration::MaxScreenSizeM, child(screenPath, kWidthM)))
        return *error;
    if (auto error = checkPositive(c.screen.heightM, Calibration::MaxScreenSizeM, child(screenPath, kHeightM)))
        return *error;
    if (c.screen.centreHeightM - c.screen.heightM / 2.0 < 0.0) {
        return invalid(child(screenPath, kHeightM), QStringLiteral("the screen would reach below the floor "
                                                                   "(centre_height_m - height_m / 2 < 0)"));
    }

    const QString cameraPath = child(path, kCamera);
    if (auto error = checkMetresPoint(c.camera.positionM, child(cameraPath, kPositionM)))
        return *error;
    if (auto error = checkPositive(c.camera.heightM, Calibration::MaxHeightM, child(cameraPath, kHeightM)))
        return *error;

    const QString bandsPath = child(path, kDistanceBands);
    if (c.distanceBandsM.isEmpty() || c.distanceBandsM.size() > Calibration::MaxDistanceBands) {
        return invalid(bandsPath, QStringLiteral("needs 1 to %1 band edges, has %2")
                                      .arg(Calibration::MaxDistanceBands).arg(c.distanceBandsM.size()));
    }
    for (qsizetype i = 0; i < c.distanceBandsM.size(); ++i) {
        const double edge = c.distanceBandsM[i];
        if (auto error = checkPositive(edge, Calibration::MaxCoordinateM, indexed(bandsPath, i)))
            return *error;
        if (i > 0 && edge <= c.distanceBandsM[i - 1]) {
            return invalid(indexed(bandsPath, i), QStringLiteral("must be greater than the previous edge (%1), is %2")
                                                      .arg(seconds(c.distanceBandsM[i - 1]), seconds(edge)));
        }
    }
    return std::nullopt;
}

std::optional<Error> checkAudience(const AudienceSettings &a)
{
    const QString path(kAudience);
    if (!std::isfinite(a.attentionConeDeg) || a.attentionConeDeg <= 0.0 || a.attentionConeDeg >= AudienceSettings::MaxConeDeg) {
        return invalid(child(path, kConeDeg), QStringLiteral("must be greater than 0 and less than %1, is %2")
                                                  .arg(seconds(AudienceSettings::MaxConeDeg), seconds(a.attentionConeDeg)));
    }
    if (auto error = checkPositive(a.attentionMinS, AudienceSettings::MaxAttentionMinS, child(path, kAttentionMin)))
        return *error;
    if (a.k < AudienceSettings::MinK || a.k > AudienceSettings::MaxK) {
        return invalid(child(path, kK), QStringLiteral("must be a whole number between %1 and %2, is %3")
                                            .arg(AudienceSettings::MinK).arg(AudienceSettings::MaxK).arg(a.k));
    }
    const QString windowPath = child(path, kDemographicWindow);
    if (!std::isfinite(a.demographicWindowS) || a.demographicWindowS < AudienceSettings::MinDemographicWindowS
        || a.demographicWindowS > AudienceSettings::MaxDemographicWindowS) {
        return invalid(windowPath, QStringLiteral("must be between %1 and %2, is %3")
                                       .arg(seconds(AudienceSettings::MinDemographicWindowS),
                                            seconds(AudienceSettings::MaxDemographicWindowS), seconds(a.demographicWindowS)));
    }
    if (a.demographicWindowS != std::floor(a.demographicWindowS))
        return invalid(windowPath, QStringLiteral("must be a whole number of seconds, is %1").arg(seconds(a.demographicWindowS)));
    return std::nullopt;
}

std::optional<Error> checkDetector(const DetectorSettings &d)
{
    const QString path(kDetector);
    const QStringList models = DetectorSettings::models();
    if (!models.contains(d.model)) {
        return invalid(child(path, kModel), QStringLiteral("unknown model '%1', expected one of: %2")
                                                .arg(d.model, models.join(QStringLiteral(", "))));
    }
    if (!std::isfinite(d.scoreThreshold) || d.scoreThreshold < DetectorSettings::MinScoreThreshold
        || d.scoreThreshold >= 1.0) {
        return invalid(child(path, kScoreThreshold), QStringLiteral("must be at least %1 and less than 1, is %2")
                                                         .arg(seconds(DetectorSettings::MinScoreThreshold),
                                                              seconds(d.scoreThreshold)));
    }
    const QString regionsPath = child(path, kIgnoreRegions);
    if (d.ignoreRegions.size() > DetectorSettings::MaxIgnoreRegions) {
        return invalid(regionsPath, QStringLiteral("at most %1 regions, has %2")
                                        .arg(DetectorSettings::MaxIgnoreRegions).arg(d.ignoreRegions.size()));
    }
    for (qsizetype i = 0; i < d.ignoreRegions.size(); ++i) {
        const IgnoreRegion &region = d.ignoreRegions[i];
        const QString regionPath = indexed(regionsPath, i);
        if (!region.name.isEmpty()) {
            if (auto error = checkName(region.name, child(regionPath, kName)))
                return *error;
        }
        const QString rectPath = child(regionPath, kRect);
        const QRectF &r = region.rect;
        const std::array<double, 4> values{r.x(), r.y(), r.width(), r.height()};
        for (qsizetype c = 0; c < 2; ++c) {
            if (!inUnitRange(values[size_t(c)]))
                return invalid(indexed(rectPath, c), QStringLiteral("%1 is outside 0..1").arg(values[size_t(c)]));
        }
        for (qsizetype c = 2; c < 4; ++c) {
            const double v = values[size_t(c)];
            if (!std::isfinite(v) || v <= 0.0)
                return invalid(indexed(rectPath, c), QStringLiteral("must be greater than 0, is %1").arg(seconds(v)));
        }
        // Exactly as vision::PersonDetectorConfig checks it: right and bottom edges at most 1.
        if (r.right() > 1.0)
            return invalid(rectPath, QStringLiteral("reaches outside the image (x + w = %1 > 1)").arg(seconds(r.right())));
        if (r.bottom() > 1.0)
            return invalid(rectPath, QStringLiteral("reaches outside the image (y + h = %1 > 1)").arg(seconds(r.bottom())));
    }
    return std::nullopt;
}

QJsonArray numbersToJson(const QList<double> &numbers)
{
    QJsonArray array;
    for (double v : numbers)
        array.append(v);
    return array;
}


} // namespace

QStringList DetectorSettings::models()
{
    return {QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yolox-nano")};
}

QList<QRectF> DetectorSettings::ignoreRects() const
{
    QList<QRectF> rects;
    rects.reserve(ignoreRegions.size());
    for (const IgnoreRegion &region : ignoreRegions)
        rects.append(region.rect);
    return rects;
}

bool Zone::contains(QPointF p) const
{
    const qsizetype n = polygon.size();
    if (n < 3)
        return false;
    bool inside = false;
    for (qsizetype i = 0, j = n - 1; i < n; j = i++) {
        const QPointF a = polygon[j];
        const QPointF b = polygon[i];
        // On the edge a-b (collinear and within its bounding box): inside by definition.
        const double cross = (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
        if (std::abs(cross) <= kEdgeEpsilon
            && p.x() >= std::min(a.x(), b.x()) - kEdgeEpsilon && p.x() <= std::max(a.x(), b.x()) + kEdgeEpsilon
            && p.y() >= std::min(a.y(), b.y()) - kEdgeEpsilon && p.y() <= std::max(a.y(), b.y()) + kEdgeEpsilon)
            return true;
        // Even-odd: count crossings of a ray from p towards +x.
        if ((a.y() > p.y()) != (b.y() > p.y())) {
            const double x = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
            if (p.x() < x)
                inside = !inside;
        }
    }
    return inside;
}

Result<ZoneConfig> ZoneConfig::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return makeError(ErrorCode::Parse, QStringLiteral("malformed JSON at offset %1: %2")
                                               .arg(parseError.offset)
                                               .arg(parseError.errorString()));
    }
    if (!document.isObject())
        return invalid(QStringLiteral("(root)"), QStringLiteral("must be a JSON object"));
    const QJsonObject root = document.object();
    if (auto error = checkKeys(root, {kZones, kLines, kEnterAfter, kExitAfter, kWindow, kTransitionGap, kCalibration,
                                      kAudience, kDetector}, {}))
        return *error;

    ZoneConfig config;
    if (!root.contains(kZones))
        return invalid(QString(kZones), QStringLiteral("missing"));
    if (!root.value(kZones).isArray())
        return invalid(QString(kZones), QStringLiteral("must be an array"));
    const QJsonArray zones = root.value(kZones).toArray();
    config.zones.reserve(zones.size());
    for (qsizetype i = 0; i < zones.size(); ++i) {
        auto zone = readZone(zones.at(i), indexed(QString(kZones), i));
        if (!zone)
            return zone.error();
        config.zones.append(std::move(*zone));
    }

    if (root.contains(kLines)) {
        if (!root.value(kLines).isArray())
            return invalid(QString(kLines), QStringLiteral("must be an array"));
        const QJsonArray lines = root.value(kLines).toArray();
        config.lines.reserve(lines.size());
        for (qsizetype i = 0; i < lines.size(); ++i) {
            auto line = readLine(lines.at(i), indexed(QString(kLines), i));
            if (!line)
                return line.error();
            config.lines.append(std::move(*line));
        }
    }

    for (const auto &[key, target] : {std::pair{kEnterAfter, &config.enterAfterS},
                                      std::pair{kExitAfter, &config.exitAfterS},
                                      std::pair{kWindow, &config.windowS},
                                      std::pair{kTransitionGap, &config.transitionMaxGapS}}) {
        if (auto error = readSeconds(root, key, *target))
            return *error;
    }

    if (root.contains(kCalibration)) {
        auto calibration = readCalibration(root.value(kCalibration));
        if (!calibration)
            return calibration.error();
        config.calibration = std::move(*calibration);
    }
    if (root.contains(kAudience)) {
        auto audience = readAudience(root.value(kAudience));
        if (!audience)
            return audience.error();
        config.audience = *audience;
    }
    if (root.contains(kDetector)) {
        auto detector = readDetector(root.value(kDetector));
        if (!detector)
            return detector.error();
        config.detector = std::move(*detector);
    }

    if (auto status = config.validate(); !status)
        return status.error();
    return config;
}

Result<ZoneConfig> ZoneConfig::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxFileBytes)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: larger than %2 bytes").arg(path).arg(kMaxFileBytes));
    const QByteArray data = file.read(kMaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, file.errorString()));
    auto config = fromJson(data);
    if (!config)
        return makeError(config.error().code, path + QStringLiteral(": ") + config.error().message);
    return config;
}

Status ZoneConfig::validate() const
{
    const QString zonesKey(kZones);
    const QString linesKey(kLines);
    if (zones.isEmpty())
        return invalid(zonesKey, QStringLiteral("at least one zone is required"));

    QSet<QString> zoneNames;
    for (qsizetype i = 0; i < zones.size(); ++i) {
        const Zone &zone = zones[i];
        const QString path = indexed(zonesKey, i);
        const QString namePath = child(path, kName);
        if (auto error = checkName(zone.name, namePath))
            return *error;
        if (zoneNames.contains(zone.name))
            return invalid(namePath, QStringLiteral("duplicate zone name '%1'").arg(zone.name));
        zoneNames.insert(zone.name);
        const QString polygonPath = child(path, kPolygon);
        if (zone.polygon.size() < 3)
            return invalid(polygonPath, QStringLiteral("needs at least 3 points, has %1").arg(zone.polygon.size()));
        for (qsizetype p = 0; p < zone.polygon.size(); ++p) {
            if (auto error = checkPoint(zone.polygon[p], indexed(polygonPath, p)))
                return *error;
        }
    }

    QSet<QString> lineNames;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const CountingLine &line = lines[i];
        const QString path = indexed(linesKey, i);
        const QString namePath = child(path, kName);
        if (auto error = checkName(line.name, namePath))
            return *error;
        if (lineNames.contains(line.name))
            return invalid(namePath, QStringLiteral("duplicate line name '%1'").arg(line.name));
        lineNames.insert(line.name);
        if (!zoneNames.contains(line.zone))
            return invalid(child(path, kZone), QStringLiteral("unknown zone '%1'").arg(line.zone));
        if (auto error = checkPoint(line.a, child(path, kFrom)))
            return *error;
        if (auto error = checkPoint(line.b, child(path, kTo)))
            return *error;
        if (line.a == line.b)
            return invalid(path, QStringLiteral("zero-length line ('from' equals 'to')"));
    }

    const auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
    for (const auto &[key, value] : {std::pair{kEnterAfter, enterAfterS}, std::pair{kExitAfter, exitAfterS}}) {
        if (!positive(value))
            return invalid(QString(key), QStringLiteral("must be greater than 0, is %1").arg(seconds(value)));
        if (value > MaxHysteresisS)
            return invalid(QString(key), QStringLiteral("must be at most %1, is %2").arg(seconds(MaxHysteresisS), seconds(value)));
    }
    if (!positive(transitionMaxGapS))
        return invalid(QString(kTransitionGap), QStringLiteral("must be greater than 0, is %1").arg(seconds(transitionMaxGapS)));
    if (transitionMaxGapS > MaxTransitionGapS) {
        return invalid(QString(kTransitionGap),
                       QStringLiteral("must be at most %1, is %2").arg(seconds(MaxTransitionGapS), seconds(transitionMaxGapS)));
    }
    if (!std::isfinite(windowS) || windowS < MinWindowS || windowS > MaxWindowS) {
        return invalid(QString(kWindow), QStringLiteral("must be between %1 and %2, is %3")
                                             .arg(seconds(MinWindowS), seconds(MaxWindowS), seconds(windowS)));
    }
    if (windowS != std::floor(windowS))
        return invalid(QString(kWindow), QStringLiteral("must be a whole number of seconds, is %1").arg(seconds(windowS)));
    if (calibration) {
        if (auto error = checkCalibration(*calibration))
            return *error;
    }
    if (auto error = checkAudience(audience))
        return *error;
    if (auto error = checkDetector(detector))
        return *error;
    return {};
}

QByteArray ZoneConfig::toJson() const
{
    // QJsonObject keeps its keys sorted and QJsonDocument writes doubles in their shortest
    // round-trip form, so equal configs serialise to identical bytes.
    QJsonArray zoneArray;
    for (const Zone &zone : zones) {
        QJsonArray polygonArray;
        for (const QPointF &p : zone.polygon)
            polygonArray.append(pointToJson(p));
        zoneArray.append(QJsonObject{{kName, zone.name}, {kPolygon, polygonArray}});
    }
    QJsonArray lineArray;
    for (const CountingLine &line : lines) {
        lineArray.append(QJsonObject{{kName, line.name},
                                     {kZone, line.zone},
                                     {kFrom, pointToJson(line.a)},
                                     {kTo, pointToJson(line.b)}});
    }
    QJsonObject root{
        {kZones, zoneArray},
        {kLines, lineArray},
        {kEnterAfter, enterAfterS},
        {kExitAfter, exitAfterS},
        {kWindow, windowS},
        {kTransitionGap, transitionMaxGapS},
    };
    if (calibration) {
        QJsonArray points;
        for (const FloorCorrespondence &p : calibration->floorPoints)
            points.append(QJsonObject{{kImage, pointToJson(p.image)}, {kFloorM, pointToJson(p.floorM)}});
        const ScreenGeometry &screen = calibration->screen;
        const CameraPlacement &camera = calibration->camera;
        root.insert(kCalibration, QJsonObject{
            {kFloorPoints, points},
            {kScreen, QJsonObject{{kCentreM, pointToJson(screen.centreM)},
                                  {kCentreHeightM, screen.centreHeightM},
                                  {kWidthM, screen.widthM},
                                  {kHeightM, screen.heightM}}},
            {kCamera, QJsonObject{{kPositionM, pointToJson(camera.positionM)}, {kHeightM, camera.heightM}}},
            {kDistanceBands, numbersToJson(calibration->distanceBandsM)},
        });
    }
    // Written only when it differs from the defaults, so that configs from before the
    // "audience" object existed keep their version.
    if (audience != AudienceSettings{}) {
        root.insert(kAudience, QJsonObject{
            {kConeDeg, audience.attentionConeDeg},
            {kAttentionMin, audience.attentionMinS},
            {kDemographics, audience.demographics},
            {kK, audience.k},
            {kDemographicWindow, audience.demographicWindowS},
        });
    }
    // Likewise for "detector" (then with all its keys; a region's "name" only when set).
    if (detector != DetectorSettings{}) {
        QJsonArray regions;
        for (const IgnoreRegion &region : detector.ignoreRegions) {
            QJsonObject object{{kRect, QJsonArray{region.rect.x(), region.rect.y(), region.rect.width(),
                                                  region.rect.height()}}};
            if (!region.name.isEmpty())
                object.insert(kName, region.name);
            regions.append(object);
        }
        root.insert(kDetector, QJsonObject{
            {kModel, detector.model},
            {kScoreThreshold, detector.scoreThreshold},
            {kIgnoreRegions, regions},
        });
    }
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QString ZoneConfig::version() const
{
    const QByteArray digest = QCryptographicHash::hash(toJson(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex().left(16));
}

qsizetype ZoneConfig::zoneIndex(const QString &name) const
{
    for (qsizetype i = 0; i < zones.size(); ++i) {
        if (zones[i].name == name)
            return i;
    }
    return -1;
}

} // namespace signiq::core
