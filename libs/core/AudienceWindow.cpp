#include "core/AudienceWindow.h"

#include <QJsonArray>

namespace signiq::core {

namespace {
const std::array<QLatin1StringView, 5> kQualityNames = {
    QLatin1StringView("low_light"), QLatin1StringView("low_fps"), QLatin1StringView("camera_blocked"),
    QLatin1StringView("uncalibrated"), QLatin1StringView("occlusion")};
}

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

QJsonObject AudienceWindow::toJson() const
{
    QJsonObject bands;
    for (int i = 0; i < DwellBandCount; ++i)
        bands.insert(dwellBandName(static_cast<DwellBand>(i)), dwellBands[size_t(i)]);
    QJsonObject transitions;
    for (auto it = transitionsTo.cbegin(); it != transitionsTo.cend(); ++it)
        transitions.insert(it.key(), it.value());
    return QJsonObject{
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
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("quality_flags"), QJsonArray::fromStringList(qualityFlagNames(qualityFlags))},
        {QStringLiteral("model_version"), modelVersion},
        {QStringLiteral("calibration_version"), calibrationVersion},
    };
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

} // namespace signiq::core
