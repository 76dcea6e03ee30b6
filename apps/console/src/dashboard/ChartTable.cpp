#include "dashboard/ChartTable.h"

#include "protocol/Csv.h"

#include <QDateTime>

namespace signiq::console {

namespace {
QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODate);
}

QString number(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}


const char *const Weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
} // namespace

QByteArray ChartTable::toCsv() const
{
    QByteArray out;
    auto line = [&out](const QStringList &fields) {
        out += protocol::csvRow(fields).toUtf8() + "\r\n";
    };
    line(headers);
    for (const QStringList &row : rows)
        line(row);
    return out;
}

ChartTable ChartTables::otsAndViewers(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("bucket_start_utc"), QStringLiteral("ots"), QStringLiteral("viewers")}, {}};
    for (const TimeBucket &b : data.buckets)
        t.rows.append({iso(b.startMs), QString::number(b.ots), QString::number(b.viewers)});
    return t;
}

ChartTable ChartTables::dwellBands(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("dwell_band_s"), QStringLiteral("visits")}, {}};
    for (int band = 0; band < core::DwellBandCount; ++band)
        t.rows.append({core::dwellBandName(core::DwellBand(band)), QString::number(data.dwellBands[std::size_t(band)])});
    return t;
}

ChartTable ChartTables::attentionRate(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("bucket_start_utc"), QStringLiteral("attention_rate"), QStringLiteral("attention_time_s"),
                  QStringLiteral("person_time_s")},
                 {}};
    for (const TimeBucket &b : data.buckets)
        t.rows.append({iso(b.startMs), number(b.attentionRate(), 4), number(b.attentionTimeS, 1), number(b.personTimeS, 1)});
    return t;
}

ChartTable ChartTables::occupancy(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("bucket_start_utc"), QStringLiteral("mean_occupancy"), QStringLiteral("peak_occupancy")}, {}};
    for (const TimeBucket &b : data.buckets)
        t.rows.append({iso(b.startMs), number(b.meanOccupancy, 3), QString::number(b.peakOccupancy)});
    return t;
}

ChartTable ChartTables::entriesExits(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("bucket_start_utc"), QStringLiteral("entries"), QStringLiteral("exits")}, {}};
    for (const TimeBucket &b : data.buckets)
        t.rows.append({iso(b.startMs), QString::number(b.entries), QString::number(b.exits)});
    return t;
}

ChartTable ChartTables::heatmap(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("weekday"), QStringLiteral("hour"), QStringLiteral("mean_ots_per_hour"), QStringLiteral("hours_with_data")}, {}};
    for (int d = 0; d < 7; ++d)
        for (int h = 0; h < 24; ++h)
            t.rows.append({QString::fromLatin1(Weekdays[d]), QString::number(h),
                           number(data.heatmap[std::size_t(d)][std::size_t(h)], 2),
                           QString::number(data.heatmapHours[std::size_t(d)][std::size_t(h)])});
    return t;
}

ChartTable ChartTables::flow(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("from_zone"), QStringLiteral("to_zone"), QStringLiteral("transitions")}, {}};
    for (qsizetype i = 0; i < data.flowZones.size(); ++i)
        for (qsizetype j = 0; j < data.flowZones.size(); ++j)
            if (data.flow[i][j] > 0)
                t.rows.append({data.flowZones.at(i), data.flowZones.at(j), QString::number(data.flow[i][j])});
    return t;
}

ChartTable ChartTables::demographics(const DashboardData &data)
{
    ChartTable t{{QStringLiteral("age_band"), QStringLiteral("gender"), QStringLiteral("count"), QStringLiteral("windows"),
                  QStringLiteral("suppressed_windows")},
                 {}};
    for (int a = 0; a < core::AgeBandCount; ++a)
        for (int g = 0; g < core::GenderCount; ++g) {
            const DemographicCell &cell = data.demographics[std::size_t(a)][std::size_t(g)];
            QString count;
            if (cell.isEmpty())
                count = QString();
            else if (cell.isSuppressed())
                count = QStringLiteral("suppressed");
            else if (cell.isPartlySuppressed())
                count = QStringLiteral(">=") + QString::number(cell.shown);
            else
                count = QString::number(cell.shown);
            t.rows.append({core::ageBandName(core::AgeBand(a)), core::genderName(g), count, QString::number(cell.windows),
                           QString::number(cell.suppressedWindows)});
        }
    return t;
}

} // namespace signiq::console
