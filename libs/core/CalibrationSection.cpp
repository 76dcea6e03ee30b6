// zones.json "calibration": floor points (image <-> floor correspondences), screen and camera
// placement, distance bands.
#include "core/ConfigJson.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace signiq::core::configjson {

namespace {

// A triangle whose area is below this share of the square of its longest side is a line.
constexpr double kCollinearRatio = 1e-3;

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

} // namespace

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

QJsonObject calibrationToJson(const Calibration &calibration)
{
    QJsonArray points;
    for (const FloorCorrespondence &p : calibration.floorPoints)
        points.append(QJsonObject{{kImage, pointToJson(p.image)}, {kFloorM, pointToJson(p.floorM)}});
    const ScreenGeometry &screen = calibration.screen;
    const CameraPlacement &camera = calibration.camera;
    return QJsonObject{
        {kFloorPoints, points},
        {kScreen, QJsonObject{{kCentreM, pointToJson(screen.centreM)},
                              {kCentreHeightM, screen.centreHeightM},
                              {kWidthM, screen.widthM},
                              {kHeightM, screen.heightM}}},
        {kCamera, QJsonObject{{kPositionM, pointToJson(camera.positionM)}, {kHeightM, camera.heightM}}},
        {kDistanceBands, numbersToJson(calibration.distanceBandsM)},
    };
}

} // namespace signiq::core::configjson
