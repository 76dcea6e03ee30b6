// zones.json "detector": model, score threshold, ignore regions.
#include "core/ConfigJson.h"

#include <array>
#include <cmath>

namespace signiq::core {

namespace configjson {

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

QJsonObject detectorToJson(const DetectorSettings &detector)
{
    QJsonArray regions;
    for (const IgnoreRegion &region : detector.ignoreRegions) {
        QJsonObject object{{kRect, QJsonArray{region.rect.x(), region.rect.y(), region.rect.width(), region.rect.height()}}};
        if (!region.name.isEmpty())
            object.insert(kName, region.name);
        regions.append(object);
    }
    return QJsonObject{
        {kModel, detector.model},
        {kScoreThreshold, detector.scoreThreshold},
        {kIgnoreRegions, regions},
    };
}

} // namespace configjson

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

} // namespace signiq::core
