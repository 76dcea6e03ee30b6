// zones.json: the document (zones, lines, timing) and its sections; the sections' reading and
// checking live in CalibrationSection.cpp, AudienceSection.cpp and DetectorSection.cpp, the
// shared JSON helpers in ConfigJson.cpp.
#include "core/ZoneConfig.h"

#include "core/ConfigJson.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace signiq::core {

using namespace configjson;

namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;
constexpr double kEdgeEpsilon = 1e-12;

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

} // namespace

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
    if (calibration)
        root.insert(kCalibration, calibrationToJson(*calibration));
    // Written only when it differs from the defaults, so that configs from before the
    // "audience" object existed keep their version.
    if (audience != AudienceSettings{})
        root.insert(kAudience, audienceToJson(audience));
    // Likewise for "detector" (then with all its keys; a region's "name" only when set).
    if (detector != DetectorSettings{})
        root.insert(kDetector, detectorToJson(detector));
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
