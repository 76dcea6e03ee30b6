#include "dashboard/DashboardRange.h"

#include <QDateTime>

namespace signiq::console {

TimeRange resolveRange(RangePreset preset, qint64 nowMs, const QTimeZone &zone, TimeRange custom)
{
    constexpr qint64 DayMs = 24LL * 3600 * 1000;
    switch (preset) {
    case RangePreset::Today: {
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, zone);
        const QDateTime midnight(now.date(), QTime(0, 0), zone);
        return {midnight.toMSecsSinceEpoch(), nowMs};
    }
    case RangePreset::Last7Days:
        return {nowMs - 7 * DayMs, nowMs};
    case RangePreset::Last30Days:
        return {nowMs - 30 * DayMs, nowMs};
    case RangePreset::Custom:
        if (custom.fromMs < custom.toMs)
            return custom;
        return {custom.fromMs, custom.fromMs};
    }
    return {};
}

} // namespace signiq::console
