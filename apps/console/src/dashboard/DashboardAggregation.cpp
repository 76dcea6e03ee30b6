#include "dashboard/DashboardAggregation.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <vector>

namespace signiq::console {

namespace {
constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;

// Local weekday/hour of an instant, cached per UTC hour (offsets change on whole hours or
// half hours at most; the cache key is the quarter hour to be safe).
class LocalHourCache {
public:
    explicit LocalHourCache(const QTimeZone &zone) : m_zone(zone) {}

    // {weekday 0..6, hour 0..23}
    std::pair<int, int> at(qint64 ms)
    {
        const qint64 key = ms / (15 * MinuteMs);
        if (key != m_key) {
            m_key = key;
            const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms, m_zone);
            m_value = {local.date().dayOfWeek() - 1, local.time().hour()};
            m_localHourKey = (ms + qint64(local.offsetFromUtc()) * 1000) / HourMs;
        }
        return m_value;
    }
    qint64 localHourKey() const { return m_localHourKey; }

private:
    QTimeZone m_zone;
    qint64 m_key = std::numeric_limits<qint64>::min();
    std::pair<int, int> m_value{0, 0};
    qint64 m_localHourKey = 0;
};
} // namespace

qint64 DashboardData::totalOts() const
{
    qint64 sum = 0;
    for (const TimeBucket &b : buckets)
        sum += b.ots;
    return sum;
}

qint64 DashboardData::totalViewers() const
{
    qint64 sum = 0;
    for (const TimeBucket &b : buckets)
        sum += b.viewers;
    return sum;
}

qint64 DashboardData::totalEntries() const
{
    qint64 sum = 0;
    for (const TimeBucket &b : buckets)
        sum += b.entries;
    return sum;
}

qint64 DashboardData::totalExits() const
{
    qint64 sum = 0;
    for (const TimeBucket &b : buckets)
        sum += b.exits;
    return sum;
}

double DashboardData::attentionRate() const
{
    double attention = 0.0;
    double person = 0.0;
    for (const TimeBucket &b : buckets) {
        attention += b.attentionTimeS;
        person += b.personTimeS;
    }
    return person > 0.0 ? attention / person : 0.0;
}

double DashboardData::heatmapMax() const
{
    double max = 0.0;
    for (const auto &row : heatmap)
        for (double v : row)
            max = std::max(max, v);
    return max;
}

qint64 DashboardData::flowMax() const
{
    qint64 max = 0;
    for (const QList<qint64> &row : flow)
        for (qint64 v : row)
            max = std::max(max, v);
    return max;
}

qint64 chooseBucketMs(qint64 rangeMs)
{
    if (rangeMs <= 2 * HourMs)
        return MinuteMs;
    if (rangeMs <= DayMs)
        return 5 * MinuteMs;
    if (rangeMs <= 8 * DayMs)
        return HourMs;
    if (rangeMs <= 32 * DayMs)
        return 3 * HourMs;
    return DayMs;
}

DashboardData aggregateDashboard(const QList<core::AudienceWindow> &windows,
                                 const QList<core::DemographicWindow> &demographics, const DashboardOptions &options)
{
    DashboardData data;
    data.options = options;
    const qint64 range = std::max<qint64>(0, options.toMs - options.fromMs);
    data.bucketMs = options.bucketMs > 0 ? options.bucketMs : chooseBucketMs(range);
    const qint64 bucketCount = range > 0 ? (range + data.bucketMs - 1) / data.bucketMs : 0;
    data.buckets.resize(bucketCount);
    for (qint64 i = 0; i < bucketCount; ++i)
        data.buckets[i].startMs = options.fromMs + i * data.bucketMs;

    // Zone indices, for per-zone occupancy accumulators per bucket.
    QHash<QString, int> zoneIndex;
    QStringList zoneList;
    std::vector<double> personTime;   // [bucket * zones + zone]
    std::vector<double> coveredTime;
    auto ensureZone = [&](const QString &zone) {
        auto it = zoneIndex.constFind(zone);
        if (it != zoneIndex.constEnd())
            return it.value();
        const int index = int(zoneList.size());
        zoneIndex.insert(zone, index);
        zoneList.append(zone);
        return index;
    };

    struct Piece {
        qint64 bucket;
        int zone;
        double personTimeS;
        double lengthS;
    };
    std::vector<Piece> pieces;
    pieces.reserve(std::size_t(windows.size()));

    LocalHourCache hours(options.timeZone);
    std::array<std::array<qint64, 24>, 7> heatmapOts{};
    QSet<qint64> seenLocalHours;
    qint64 lastLocalHour = std::numeric_limits<qint64>::min();
    QHash<QString, QHash<QString, qint64>> flows;

    for (const core::AudienceWindow &w : windows) {
        if (w.startMs < options.fromMs || w.startMs >= options.toMs)
            continue;
        if (!options.zone.isEmpty() && w.zone != options.zone)
            continue;
        const qint64 b = (w.startMs - options.fromMs) / data.bucketMs;
        TimeBucket &bucket = data.buckets[b];
        const double lengthS = double(std::max<qint64>(0, w.endMs - w.startMs)) / 1000.0;
        bucket.windows += 1;
        bucket.ots += w.ots;
        bucket.viewers += w.viewers;
        bucket.entries += w.entries;
        bucket.exits += w.exits;
        bucket.attentionEvents += w.attentionEvents;
        bucket.attentionTimeS += w.attentionTimeS;
        const double personTimeS = w.meanOccupancy * lengthS;
        bucket.personTimeS += personTimeS;
        bucket.peakOccupancy = std::max(bucket.peakOccupancy, w.peakOccupancy);
        pieces.push_back(Piece{b, ensureZone(w.zone), personTimeS, lengthS});

        for (int band = 0; band < core::DwellBandCount; ++band)
            data.dwellBands[std::size_t(band)] += w.dwellBands[std::size_t(band)];

        const auto [weekday, hour] = hours.at(w.startMs);
        heatmapOts[std::size_t(weekday)][std::size_t(hour)] += w.ots;
        if (hours.localHourKey() != lastLocalHour) {
            lastLocalHour = hours.localHourKey();
            if (!seenLocalHours.contains(lastLocalHour)) {
                seenLocalHours.insert(lastLocalHour);
                data.heatmapHours[std::size_t(weekday)][std::size_t(hour)] += 1;
            }
        }

        for (auto it = w.transitionsTo.constBegin(); it != w.transitionsTo.constEnd(); ++it)
            if (it.value() > 0)
                flows[w.zone][it.key()] += it.value();

        data.windowCount += 1;
        data.qualityFlags |= w.qualityFlags;
    }

    // Mean occupancy of a bucket: per zone, person time over the time its windows cover; the
    // zones added up (people inside any selected zone, counted once per zone).
    const std::size_t zoneCount = std::size_t(zoneList.size());
    personTime.assign(std::size_t(bucketCount) * zoneCount, 0.0);
    coveredTime.assign(std::size_t(bucketCount) * zoneCount, 0.0);
    for (const Piece &p : pieces) {
        const std::size_t i = std::size_t(p.bucket) * zoneCount + std::size_t(p.zone);
        personTime[i] += p.personTimeS;
        coveredTime[i] += p.lengthS;
    }
    for (qint64 b = 0; b < bucketCount; ++b) {
        double occupancy = 0.0;
        for (std::size_t z = 0; z < zoneCount; ++z) {
            const std::size_t i = std::size_t(b) * zoneCount + z;
            if (coveredTime[i] > 0.0)
                occupancy += personTime[i] / coveredTime[i];
        }
        data.buckets[b].meanOccupancy = occupancy;
    }

    for (int d = 0; d < 7; ++d)
        for (int h = 0; h < 24; ++h) {
            const int n = data.heatmapHours[std::size_t(d)][std::size_t(h)];
            data.heatmap[std::size_t(d)][std::size_t(h)] = n > 0 ? double(heatmapOts[std::size_t(d)][std::size_t(h)]) / n : 0.0;
        }

    data.zones = zoneList;
    data.zones.sort();

    // Flow matrix over every zone that appears as a source or a destination.
    QStringList flowZones = data.zones;
    for (auto from = flows.constBegin(); from != flows.constEnd(); ++from)
        for (auto to = from.value().constBegin(); to != from.value().constEnd(); ++to)
            if (!flowZones.contains(to.key()))
                flowZones.append(to.key());
    flowZones.sort();
    data.flowZones = flowZones;
    data.flow = QList<QList<qint64>>(flowZones.size(), QList<qint64>(flowZones.size(), 0));
    for (auto from = flows.constBegin(); from != flows.constEnd(); ++from) {
        const qsizetype i = flowZones.indexOf(from.key());
        for (auto to = from.value().constBegin(); to != from.value().constEnd(); ++to)
            data.flow[i][flowZones.indexOf(to.key())] += to.value();
    }

    for (const core::DemographicWindow &w : demographics) {
        if (w.startMs < options.fromMs || w.startMs >= options.toMs)
            continue;
        if (!options.zone.isEmpty() && w.zone != options.zone)
            continue;
        data.demographicWindowCount += 1;
        for (int a = 0; a < core::AgeBandCount; ++a)
            for (int g = 0; g < core::GenderCount; ++g) {
                DemographicCell &cell = data.demographics[std::size_t(a)][std::size_t(g)];
                cell.windows += 1;
                if (w.suppressed[std::size_t(a)][std::size_t(g)])
                    cell.suppressedWindows += 1;
                else
                    cell.shown += w.counts[std::size_t(a)][std::size_t(g)];
            }
    }
    return data;
}

} // namespace signiq::console
