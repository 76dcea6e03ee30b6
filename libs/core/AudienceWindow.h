#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>

namespace signiq::core {

// Dwell-time bands, in seconds: [0,5) [5,15) [15,30) [30,60) [60,inf).
enum class DwellBand { Under5s = 0, From5To15s, From15To30s, From30To60s, Over60s };
inline constexpr int DwellBandCount = 5;
DwellBand dwellBandFor(double seconds);
QString dwellBandName(DwellBand band); // "0-5", "5-15", "15-30", "30-60", "60+"

enum QualityFlag : quint32 {
    QualityLowLight = 1u << 0,
    QualityLowFps = 1u << 1,
    QualityCameraBlocked = 1u << 2,
    QualityUncalibrated = 1u << 3,
    QualityOcclusion = 1u << 4,
};
QStringList qualityFlagNames(quint32 flags); // e.g. {"low_light","uncalibrated"}
Result<quint32> qualityFlagsFromNames(const QStringList &names);

// Aggregate metrics for one zone over one interval. This is all that ever leaves the device.
struct AudienceWindow {
    QString zone;
    qint64 startMs = 0; // inclusive, ms since epoch
    qint64 endMs = 0;   // exclusive

    int ots = 0;        // distinct confirmed tracks inside the zone during the window
    int entries = 0;
    int exits = 0;
    double meanOccupancy = 0.0;
    int peakOccupancy = 0;
    std::array<int, DwellBandCount> dwellBands{}; // visits that ended in this window, by dwell
    double meanDwellS = 0.0;                      // mean dwell of those visits
    int lineIn = 0;     // crossings of this zone's counting lines, "in" direction
    int lineOut = 0;
    QMap<QString, int> transitionsTo; // zone-to-zone moves that started in this zone

    double confidence = 0.0; // 0..1
    quint32 qualityFlags = 0;
    QString modelVersion;       // "<model name>@<sha256 prefix>"
    QString calibrationVersion; // hash of the zone/calibration config

    QJsonObject toJson() const;
    static Result<AudienceWindow> fromJson(const QJsonObject &object);
    bool operator==(const AudienceWindow &other) const = default;
};

} // namespace signiq::core
