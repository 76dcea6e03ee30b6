#pragma once

#include <QTimeZone>

namespace signiq::console {

enum class RangePreset { Today, Last7Days, Last30Days, Custom };

struct TimeRange {
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    bool operator==(const TimeRange &) const = default;
};

// Today = local midnight (in `zone`) until now; 7/30 days = the last 7/30 x 24 hours until
// now; Custom = `custom` as given (from < to required, else an empty range).
TimeRange resolveRange(RangePreset preset, qint64 nowMs, const QTimeZone &zone, TimeRange custom = {});

} // namespace signiq::console
