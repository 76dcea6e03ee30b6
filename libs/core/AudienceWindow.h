#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

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
    QualityLowConfidencePose = 1u << 5, // most head poses of the window were landmark estimates
    QualitySyncDropped = 1u << 6,       // dropped from the full sync outbox: never sent to the hub (docs/sync.md)
    QualityClockSkew = 1u << 7,         // set by the hub: the device clock was off by more than its threshold
};
QStringList qualityFlagNames(quint32 flags); // e.g. {"low_light","uncalibrated"}
Result<quint32> qualityFlagsFromNames(const QStringList &names);

// Presence and attention of one zone's window at one distance from the screen (calibrated only).
struct DistanceBandMetrics {
    QString band;              // "<2 m", "2-4 m", ... (core::Calibration::distanceBandName)
    double presenceS = 0.0;    // person-time in the zone at this distance
    int attentionEvents = 0;   // attention events that began at this distance
    double attentionTimeS = 0.0;
    bool operator==(const DistanceBandMetrics &) const = default;
};

// Walking movement of one zone's window by direction relative to the screen (calibrated only;
// docs/metrics.md §5): person-seconds of walking-speed segments (>= 0.3 m/s), by the sector of
// their floor displacement. Floor coordinates as in core/Calibration.h (+y into the room).
//   toward — to smaller y, within ±45° of straight at the screen (exactly 45° included)
//   away   — to larger y, within ±45°
//   left   — the screen's left: +x (the right of someone facing the screen; the image's left
//            for a camera at the screen looking into the room), more than 45° off the y axis
//   right  — the screen's right: -x
struct WalkingDirections {
    double towardS = 0.0;
    double awayS = 0.0;
    double leftS = 0.0;
    double rightS = 0.0;
    double totalS() const { return towardS + awayS + leftS + rightS; }
    bool operator==(const WalkingDirections &) const = default;
};

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

    // Attention (docs/metrics.md): head direction within the cone around the screen centre.
    int viewers = 0;             // distinct tracks with attention time in the zone in this window
    int attentionEvents = 0;     // attention events whose time in the zone began in this window
    double attentionTimeS = 0.0; // attention time inside the zone's visits, within the window
    double meanAttentionS = 0.0; // attentionTimeS / viewers; 0 without viewers
    double attentionRate = 0.0;  // attentionTimeS / person-time in the zone (0..1)
    // Calibrated only: mean walking speed on the floor (m/s); empty when nothing was measured.
    std::optional<double> meanSpeedMps;
    QList<DistanceBandMetrics> distanceBands; // calibrated only, in band order
    // Calibrated only (then always set, zeros when nobody walked); empty when uncalibrated.
    std::optional<WalkingDirections> walkingDirections;

    double confidence = 0.0; // 0..1
    quint32 qualityFlags = 0;
    QString modelVersion;       // "<model name>@<sha256 prefix>"
    QString calibrationVersion; // hash of the zone/calibration config

    QJsonObject toJson() const;
    static Result<AudienceWindow> fromJson(const QJsonObject &object);
    bool operator==(const AudienceWindow &other) const = default;
};

// Age bands of the demographic histograms: 0-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+.
enum class AgeBand { Under18 = 0, From18To24, From25To34, From35To44, From45To54, From55To64, Over65 };
inline constexpr int AgeBandCount = 7;
inline constexpr int GenderCount = 2; // index 0 = female, 1 = male (core::Gender)
std::optional<AgeBand> ageBandFor(double ageYears); // empty for a negative or non-finite age
QString ageBandName(AgeBand band);                   // "0-17", "18-24", ..., "65+"
QString genderName(int gender);                      // "female", "male"

// An age band x gender histogram of one zone over one demographic window (>= 5 minutes), after
// k-anonymity suppression: a cell counted from fewer than k samples is suppressed — its count
// is 0 here and `suppressed` is set; the real value never leaves the aggregator.
struct DemographicWindow {
    QString zone;
    qint64 startMs = 0; // inclusive
    qint64 endMs = 0;   // exclusive
    int k = 10;
    std::array<std::array<int, GenderCount>, AgeBandCount> counts{};
    std::array<std::array<bool, GenderCount>, AgeBandCount> suppressed{};
    QString modelVersion;       // age/gender model, "<model name>@<sha256 prefix>"
    QString calibrationVersion; // hash of the zone/calibration config

    // {"zone","start_ms","end_ms","k","cells":{"0-17":{"female":12,"male":null},...},...};
    // a suppressed cell is null.
    QJsonObject toJson() const;
    static Result<DemographicWindow> fromJson(const QJsonObject &object);
    bool operator==(const DemographicWindow &other) const = default;
};

} // namespace signiq::core
