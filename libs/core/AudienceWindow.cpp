#include "core/AudienceWindow.h"

#include <QJsonArray>

#include <cmath>

namespace signiq::core {

namespace {
const std::array<QLatin1StringView, 8> kQualityNames = {
    QLatin1StringView("low_light"), QLatin1StringView("low_fps"), QLatin1StringView("camera_blocked"),
    QLatin1StringView("uncalibrated"), QLatin1StringView("occlusion"), QLatin1StringView("low_confidence_pose"),
    QLatin1StringView("sync_dropped"), QLatin1StringView("clock_skew")};

QJsonValue optionalNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}
} // namespace

DwellBand dwellBandFor(double seconds)
{
    if (seconds < 5.0)
        return DwellBand::Under5s;
    if (seconds < 15.0)
        return DwellBand::From5To15s;
    if (seconds < 30.0)
        return DwellBand::From15To30s;
    if (seconds < 60.0)
        return DwellBand::From30To60s;
    return DwellBand::Over60s;
}

QString dwellBandName(DwellBand band)
{
    switch (band) {
    case DwellBand::Under5s: return QStringLiteral("0-5");
    case DwellBand::From5To15s: return QStringLiteral("5-15");
    case DwellBand::From15To30s: return QStringLiteral("15-30");
    case DwellBand::From30To60s: return QStringLiteral("30-60");
    case DwellBand::Over60s: return QStringLiteral("60+");
    }
    return {};
}

QStringList qualityFlagNames(quint32 flags)
{
    QStringList names;
    for (size_t i = 0; i < kQualityNames.size(); ++i) {
        if (flags & (1u << i))
            names << QString(kQualityNames[i]);
    }
    return names;
}

Result<quint32> qualityFlagsFromNames(const QStringList &names)
{
    quint32 flags = 0;
    for (const QString &name : names) {
        bool found = false;
        for (size_t i = 0; i < kQualityNames.size(); ++i) {
            if (name == kQualityNames[i]) {
                flags |= 1u << i;
                found = true;
            }
        }
        if (!found)
            return makeError(ErrorCode::Parse, QStringLiteral("unknown quality flag '%1'").arg(name));
    }
    return flags;
}

namespace {

QJsonArray distanceBandsToJson(const QList<DistanceBandMetrics> &bands)
{
    QJsonArray array;
    for (const DistanceBandMetrics &b : bands) {
        array.append(QJsonObject{{QStringLiteral("band"), b.band},
                                 {QStringLiteral("presence_s"), b.presenceS},
                                 {QStringLiteral("attention_events"), b.attentionEvents},
                                 {QStringLiteral("attention_time_s"), b.attentionTimeS}});
    }
    return array;
}

QList<DistanceBandMetrics> distanceBandsFromJson(const QJsonArray &array)
{
    QList<DistanceBandMetrics> bands;
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        bands.append(DistanceBandMetrics{o.value(QStringLiteral("band")).toString(),
                                         o.value(QStringLiteral("presence_s")).toDouble(),
                                         o.value(QStringLiteral("attention_events")).toInt(),
                                         o.value(QStringLiteral("attention_time_s")).toDouble()});
    }
    return bands;
}

QJsonObject walkingDirectionsToJson(const WalkingDirections &d)
{
    return QJsonObject{{QStringLiteral("toward_s"), d.towardS},
                       {QStringLiteral("away_s"), d.awayS},
                       {QStringLiteral("left_s"), d.leftS},
                       {QStringLiteral("right_s"), d.rightS}};
}

WalkingDirections walkingDirectionsFromJson(const QJsonObject &o)
{
    return WalkingDirections{o.value(QStringLiteral("toward_s")).toDouble(), o.value(QStringLiteral("away_s")).toDouble(),
                             o.value(QStringLiteral("left_s")).toDouble(), o.value(QStringLiteral("right_s")).toDouble()};
}

} // namespace

QJsonObject AudienceWindow::toJson() const
{
    QJsonObject bands;
    for (int i = 0; i < DwellBandCount; ++i)
        bands.insert(dwellBandName(static_cast<DwellBand>(i)), dwellBands[size_t(i)]);
    QJsonObject transitions;
    for (auto it = transitionsTo.cbegin(); it != transitionsTo.cend(); ++it)
        transitions.insert(it.key(), it.value());
    QJsonObject json{
        {QStringLiteral("zone"), zone},
        {QStringLiteral("start_ms"), startMs},
        {QStringLiteral("end_ms"), endMs},
        {QStringLiteral("ots"), ots},
        {QStringLiteral("entries"), entries},
        {QStringLiteral("exits"), exits},
        {QStringLiteral("mean_occupancy"), meanOccupancy},
        {QStringLiteral("peak_occupancy"), peakOccupancy},
        {QStringLiteral("dwell_bands"), bands},
        {QStringLiteral("mean_dwell_s"), meanDwellS},
        {QStringLiteral("line_in"), lineIn},
        {QStringLiteral("line_out"), lineOut},
        {QStringLiteral("transitions_to"), transitions},
        {QStringLiteral("viewers"), viewers},
        {QStringLiteral("attention_events"), attentionEvents},
        {QStringLiteral("attention_time_s"), attentionTimeS},
        {QStringLiteral("mean_attention_s"), meanAttentionS},
        {QStringLiteral("attention_rate"), attentionRate},
        {QStringLiteral("mean_speed_mps"), optionalNumber(meanSpeedMps)},
        {QStringLiteral("distance_bands"), distanceBandsToJson(distanceBands)},
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("quality_flags"), QJsonArray::fromStringList(qualityFlagNames(qualityFlags))},
        {QStringLiteral("model_version"), modelVersion},
        {QStringLiteral("calibration_version"), calibrationVersion},
    };
    // Absent (not null) when uncalibrated, so that older readers see nothing new.
    if (walkingDirections)
        json.insert(QStringLiteral("walking_directions"), walkingDirectionsToJson(*walkingDirections));
    return json;
}

Result<AudienceWindow> AudienceWindow::fromJson(const QJsonObject &o)
{
    AudienceWindow w;
    const auto need = [&](const char *key) { return o.contains(QLatin1StringView(key)); };
    for (const char *key : {"zone", "start_ms", "end_ms"}) {
        if (!need(key))
            return makeError(ErrorCode::Parse, QStringLiteral("audience window: missing '%1'").arg(QLatin1StringView(key)));
    }
    w.zone = o.value(QStringLiteral("zone")).toString();
    w.startMs = o.value(QStringLiteral("start_ms")).toInteger();
    w.endMs = o.value(QStringLiteral("end_ms")).toInteger();
    w.ots = o.value(QStringLiteral("ots")).toInt();
    w.entries = o.value(QStringLiteral("entries")).toInt();
    w.exits = o.value(QStringLiteral("exits")).toInt();
    w.meanOccupancy = o.value(QStringLiteral("mean_occupancy")).toDouble();
    w.peakOccupancy = o.value(QStringLiteral("peak_occupancy")).toInt();
    const QJsonObject bands = o.value(QStringLiteral("dwell_bands")).toObject();
    for (int i = 0; i < DwellBandCount; ++i)
        w.dwellBands[size_t(i)] = bands.value(dwellBandName(static_cast<DwellBand>(i))).toInt();
    w.meanDwellS = o.value(QStringLiteral("mean_dwell_s")).toDouble();
    w.lineIn = o.value(QStringLiteral("line_in")).toInt();
    w.lineOut = o.value(QStringLiteral("line_out")).toInt();
    const QJsonObject transitions = o.value(QStringLiteral("transitions_to")).toObject();
    for (auto it = transitions.begin(); it != transitions.end(); ++it)
        w.transitionsTo.insert(it.key(), it.value().toInt());
    // Attention fields are absent in windows written before they existed: zero.
    w.viewers = o.value(QStringLiteral("viewers")).toInt();
    w.attentionEvents = o.value(QStringLiteral("attention_events")).toInt();
    w.attentionTimeS = o.value(QStringLiteral("attention_time_s")).toDouble();
    w.meanAttentionS = o.value(QStringLiteral("mean_attention_s")).toDouble();
    w.attentionRate = o.value(QStringLiteral("attention_rate")).toDouble();
    if (o.value(QStringLiteral("mean_speed_mps")).isDouble())
        w.meanSpeedMps = o.value(QStringLiteral("mean_speed_mps")).toDouble();
    w.distanceBands = distanceBandsFromJson(o.value(QStringLiteral("distance_bands")).toArray());
    // Absent (older windows, uncalibrated) or null: not measured.
    if (const QJsonValue directions = o.value(QStringLiteral("walking_directions")); directions.isObject())
        w.walkingDirections = walkingDirectionsFromJson(directions.toObject());
    w.confidence = o.value(QStringLiteral("confidence")).toDouble();
    QStringList flagNames;
    for (const auto &v : o.value(QStringLiteral("quality_flags")).toArray())
        flagNames << v.toString();
    auto flags = qualityFlagsFromNames(flagNames);
    if (!flags)
        return flags.error();
    w.qualityFlags = *flags;
    w.modelVersion = o.value(QStringLiteral("model_version")).toString();
    w.calibrationVersion = o.value(QStringLiteral("calibration_version")).toString();
    return w;
}

std::optional<AgeBand> ageBandFor(double ageYears)
{
    if (!std::isfinite(ageYears) || ageYears < 0.0)
        return std::nullopt;
    static constexpr std::array<double, AgeBandCount - 1> kUpper = {18, 25, 35, 45, 55, 65};
    for (size_t i = 0; i < kUpper.size(); ++i) {
        if (ageYears < kUpper[i])
            return static_cast<AgeBand>(i);
    }
    return AgeBand::Over65;
}

QString ageBandName(AgeBand band)
{
    switch (band) {
    case AgeBand::Under18: return QStringLiteral("0-17");
    case AgeBand::From18To24: return QStringLiteral("18-24");
    case AgeBand::From25To34: return QStringLiteral("25-34");
    case AgeBand::From35To44: return QStringLiteral("35-44");
    case AgeBand::From45To54: return QStringLiteral("45-54");
    case AgeBand::From55To64: return QStringLiteral("55-64");
    case AgeBand::Over65: return QStringLiteral("65+");
    }
    return {};
}

QString genderName(int gender)
{
    return gender == 0 ? QStringLiteral("female") : QStringLiteral("male");
}

QJsonObject DemographicWindow::toJson() const
{
    QJsonObject cells;
    for (int a = 0; a < AgeBandCount; ++a) {
        QJsonObject row;
        for (int g = 0; g < GenderCount; ++g) {
            row.insert(genderName(g), suppressed[size_t(a)][size_t(g)] ? QJsonValue(QJsonValue::Null)
                                                                         : QJsonValue(counts[size_t(a)][size_t(g)]));
        }
        cells.insert(ageBandName(static_cast<AgeBand>(a)), row);
    }
    return QJsonObject{
        {QStringLiteral("zone"), zone},
        {QStringLiteral("start_ms"), startMs},
        {QStringLiteral("end_ms"), endMs},
        {QStringLiteral("k"), k},
        {QStringLiteral("cells"), cells},
        {QStringLiteral("model_version"), modelVersion},
        {QStringLiteral("calibration_version"), calibrationVersion},
    };
}

Result<DemographicWindow> DemographicWindow::fromJson(const QJsonObject &o)
{
    for (const char *key : {"zone", "start_ms", "end_ms", "k", "cells"}) {
        if (!o.contains(QLatin1StringView(key)))
            return makeError(ErrorCode::Parse, QStringLiteral("demographic window: missing '%1'").arg(QLatin1StringView(key)));
    }
    DemographicWindow w;
    w.zone = o.value(QStringLiteral("zone")).toString();
    w.startMs = o.value(QStringLiteral("start_ms")).toInteger();
    w.endMs = o.value(QStringLiteral("end_ms")).toInteger();
    w.k = o.value(QStringLiteral("k")).toInt();
    const QJsonObject cells = o.value(QStringLiteral("cells")).toObject();
    for (int a = 0; a < AgeBandCount; ++a) {
        const QString bandName = ageBandName(static_cast<AgeBand>(a));
        const QJsonObject row = cells.value(bandName).toObject();
        for (int g = 0; g < GenderCount; ++g) {
            const QJsonValue cell = row.value(genderName(g));
            if (cell.isNull() || cell.isUndefined()) {
                w.suppressed[size_t(a)][size_t(g)] = true;
                continue;
            }
            if (!cell.isDouble())
                return makeError(ErrorCode::Parse, QStringLiteral("demographic window: cells.%1.%2 must be a number or null")
                                                       .arg(bandName, genderName(g)));
            w.counts[size_t(a)][size_t(g)] = cell.toInt();
        }
    }
    w.modelVersion = o.value(QStringLiteral("model_version")).toString();
    w.calibrationVersion = o.value(QStringLiteral("calibration_version")).toString();
    return w;
}

} // namespace signiq::core
