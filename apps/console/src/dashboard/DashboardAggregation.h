#pragma once

#include "core/AudienceWindow.h"

#include <QList>
#include <QStringList>
#include <QTimeZone>

#include <array>

namespace signiq::console {

// What the dashboard shows, reduced to chart resolution. Pure functions on core windows: the
// dashboard runs them off the GUI thread (DashboardViewModel) and builds series from the result,
// never from the raw windows.
struct DashboardOptions {
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    qint64 bucketMs = 0; // 0 = chooseBucketMs(toMs - fromMs)
    QString zone;        // empty = every zone
    QTimeZone timeZone = QTimeZone::systemTimeZone(); // for the weekday x hour heatmap
};

// Sums of every selected zone's windows whose start lies in one bucket.
struct TimeBucket {
    qint64 startMs = 0;
    int windows = 0;
    qint64 ots = 0;     // sum of the windows' OTS (a person present across windows counts in each)
    qint64 viewers = 0; // likewise
    qint64 entries = 0;
    qint64 exits = 0;
    qint64 attentionEvents = 0;
    double attentionTimeS = 0.0;
    double personTimeS = 0.0;    // sum of mean_occupancy x window length
    double meanOccupancy = 0.0;  // people inside the selected zones together, on average
    int peakOccupancy = 0;       // highest peak of one zone in one window

    // attention time / person time (0..1), as the device defines it per window.
    double attentionRate() const { return personTimeS > 0.0 ? attentionTimeS / personTimeS : 0.0; }
};

// One age band x gender cell summed over demographic windows. Suppressed cells are never
// counted as 0: `suppressedWindows` says how many windows hid the cell.
struct DemographicCell {
    qint64 shown = 0;
    int windows = 0;
    int suppressedWindows = 0;
    bool isEmpty() const { return windows == 0; }
    bool isSuppressed() const { return windows > 0 && suppressedWindows == windows; }
    bool isPartlySuppressed() const { return suppressedWindows > 0 && suppressedWindows < windows; }
};

struct DashboardData {
    DashboardOptions options;
    qint64 bucketMs = 0;
    QList<TimeBucket> buckets; // every bucket of the range, also empty ones, in time order
    QStringList zones;         // zones seen in the selected windows, sorted
    int windowCount = 0;
    quint32 qualityFlags = 0;  // union over the selected windows

    std::array<qint64, core::DwellBandCount> dwellBands{};

    // Weekday (0 = Monday) x hour of day in options.timeZone: mean OTS per hour, over the hours
    // of the range that have windows. `heatmapHours` counts those hours.
    std::array<std::array<double, 24>, 7> heatmap{};
    std::array<std::array<int, 24>, 7> heatmapHours{};

    // Zone-to-zone transitions: flow[i][j] = moves from flowZones[i] to flowZones[j].
    QStringList flowZones;
    QList<QList<qint64>> flow;

    std::array<std::array<DemographicCell, core::GenderCount>, core::AgeBandCount> demographics{};
    int demographicWindowCount = 0;

    qint64 totalOts() const;
    qint64 totalViewers() const;
    qint64 totalEntries() const;
    qint64 totalExits() const;
    double attentionRate() const;
    double heatmapMax() const;
    qint64 flowMax() const;
};

// Bucket length for a range: 1 min up to 2 h, 5 min up to 1 day, 1 h up to 8 days, 3 h up to
// 32 days, then 1 day; at most a few hundred points per series.
qint64 chooseBucketMs(qint64 rangeMs);

DashboardData aggregateDashboard(const QList<core::AudienceWindow> &windows,
                                 const QList<core::DemographicWindow> &demographics, const DashboardOptions &options);

} // namespace signiq::console
