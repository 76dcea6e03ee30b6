#include "ConsoleTestData.h"
#include "dashboard/DashboardAggregation.h"
#include "dashboard/DashboardRange.h"

#include <QElapsedTimer>
#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

class TestDashboardAggregation : public QObject {
    Q_OBJECT

private:
    static DashboardOptions options(qint64 from, qint64 to, qint64 bucket = 0, const QString &zone = {})
    {
        DashboardOptions o;
        o.fromMs = from;
        o.toMs = to;
        o.bucketMs = bucket;
        o.zone = zone;
        o.timeZone = QTimeZone::utc();
        return o;
    }

private slots:
    void bucketLength_data()
    {
        QTest::addColumn<qint64>("range");
        QTest::addColumn<qint64>("bucket");
        QTest::newRow("1 h") << HourMs << MinuteMs;
        QTest::newRow("2 h") << 2 * HourMs << MinuteMs;
        QTest::newRow("today") << 20 * HourMs << 5 * MinuteMs;
        QTest::newRow("1 day") << DayMs << 5 * MinuteMs;
        QTest::newRow("7 days") << 7 * DayMs << HourMs;
        QTest::newRow("30 days") << 30 * DayMs << 3 * HourMs;
        QTest::newRow("90 days") << 90 * DayMs << DayMs;
    }
    void bucketLength()
    {
        QFETCH(qint64, range);
        QFETCH(qint64, bucket);
        QCOMPARE(chooseBucketMs(range), bucket);
        QVERIFY(range / bucket <= 400);
    }

    void sumsWindowsIntoBuckets()
    {
        QList<core::AudienceWindow> windows;
        for (int m = 0; m < 120; ++m) // two hours of one zone, OTS = 1 each minute
            windows << window(QStringLiteral("a"), Monday + m * MinuteMs, 1);
        const DashboardData data = aggregateDashboard(windows, {}, options(Monday, Monday + 2 * HourMs, HourMs));
        QCOMPARE(data.buckets.size(), 2);
        QCOMPARE(data.buckets.at(0).ots, 60);
        QCOMPARE(data.buckets.at(1).ots, 60);
        QCOMPARE(data.buckets.at(1).startMs, Monday + HourMs);
        QCOMPARE(data.windowCount, 120);
        QCOMPARE(data.totalOts(), 120);
        QCOMPARE(data.dwellBands[0], 120);
        QCOMPARE(data.zones, QStringList{QStringLiteral("a")});
    }

    void emptyBucketsStayInTheSeries()
    {
        const QList<core::AudienceWindow> windows{window(QStringLiteral("a"), Monday + 5 * HourMs, 3)};
        const DashboardData data = aggregateDashboard(windows, {}, options(Monday, Monday + DayMs, HourMs));
        QCOMPARE(data.buckets.size(), 24);
        QCOMPARE(data.buckets.at(4).windows, 0);
        QCOMPARE(data.buckets.at(5).ots, 3);
    }

    void windowsOutsideTheRangeOrZoneAreIgnored()
    {
        const QList<core::AudienceWindow> windows{window(QStringLiteral("a"), Monday - MinuteMs, 5),
                                                  window(QStringLiteral("a"), Monday, 1),
                                                  window(QStringLiteral("b"), Monday, 7),
                                                  window(QStringLiteral("a"), Monday + HourMs, 9)};
        const DashboardData all = aggregateDashboard(windows, {}, options(Monday, Monday + HourMs, HourMs));
        QCOMPARE(all.totalOts(), 8);
        const DashboardData onlyB = aggregateDashboard(windows, {}, options(Monday, Monday + HourMs, HourMs, QStringLiteral("b")));
        QCOMPARE(onlyB.totalOts(), 7);
        QCOMPARE(onlyB.zones, QStringList{QStringLiteral("b")});
    }

    void attentionRateIsWeightedByPersonTime()
    {
        // 10 person-minutes with 25 % attention and 1 person-minute with 100 %: 3.5 / 11, not the
        // mean of the two rates.
        core::AudienceWindow busy = window(QStringLiteral("a"), Monday, 10, 10.0);
        core::AudienceWindow quiet = window(QStringLiteral("a"), Monday + MinuteMs, 1, 1.0);
        quiet.attentionTimeS = 60.0;
        const DashboardData data = aggregateDashboard({busy, quiet}, {}, options(Monday, Monday + HourMs, HourMs));
        QCOMPARE(data.buckets.at(0).personTimeS, 660.0);
        QCOMPARE(data.buckets.at(0).attentionTimeS, 210.0);
        QVERIFY(qFuzzyCompare(data.buckets.at(0).attentionRate(), 210.0 / 660.0));
        QVERIFY(qFuzzyCompare(data.attentionRate(), 210.0 / 660.0));
    }

    void occupancyAddsZonesAndAveragesTime()
    {
        // Zone a: 2 people for the first 30 minutes, 0 after; zone b: 1 person throughout.
        QList<core::AudienceWindow> windows;
        for (int m = 0; m < 60; ++m) {
            windows << window(QStringLiteral("a"), Monday + m * MinuteMs, 0, m < 30 ? 2.0 : 0.0);
            windows << window(QStringLiteral("b"), Monday + m * MinuteMs, 0, 1.0);
        }
        const DashboardData data = aggregateDashboard(windows, {}, options(Monday, Monday + HourMs, HourMs));
        QVERIFY(qFuzzyCompare(data.buckets.at(0).meanOccupancy, 2.0));
        QCOMPARE(data.buckets.at(0).peakOccupancy, 2);
    }

    void heatmapAveragesPerHourOfData()
    {
        // Two Mondays at 09:00 UTC with OTS 10 and 30 per hour: mean 20.
        QList<core::AudienceWindow> windows;
        for (int week = 0; week < 2; ++week)
            for (int m = 0; m < 60; ++m)
                windows << window(QStringLiteral("a"), Monday + week * 7 * DayMs + 9 * HourMs + m * MinuteMs, m == 0 ? (week ? 30 : 10) : 0);
        // Plus a Sunday 23:00 window.
        windows << window(QStringLiteral("a"), Monday + 6 * DayMs + 23 * HourMs, 4);
        const DashboardData data = aggregateDashboard(windows, {}, options(Monday, Monday + 14 * DayMs));
        QCOMPARE(data.heatmapHours[0][9], 2);
        QCOMPARE(data.heatmap[0][9], 20.0);
        QCOMPARE(data.heatmap[6][23], 4.0);
        QCOMPARE(data.heatmapHours[0][10], 0);
        QCOMPARE(data.heatmapMax(), 20.0);
    }

    void heatmapFollowsTheTimeZone()
    {
        const QList<core::AudienceWindow> windows{window(QStringLiteral("a"), Monday + 9 * HourMs, 5)};
        DashboardOptions o = options(Monday, Monday + DayMs);
        o.timeZone = QTimeZone(QByteArrayLiteral("Europe/Berlin")); // UTC+1 in January
        const DashboardData data = aggregateDashboard(windows, {}, o);
        QCOMPARE(data.heatmap[0][10], 5.0);
    }

    void flowMatrix()
    {
        core::AudienceWindow a = window(QStringLiteral("entrance"), Monday, 5);
        a.transitionsTo = {{QStringLiteral("shelf"), 3}, {QStringLiteral("exit"), 1}};
        core::AudienceWindow b = window(QStringLiteral("shelf"), Monday + MinuteMs, 2);
        b.transitionsTo = {{QStringLiteral("exit"), 2}};
        const DashboardData data = aggregateDashboard({a, b}, {}, options(Monday, Monday + HourMs));
        QCOMPARE(data.flowZones, (QStringList{QStringLiteral("entrance"), QStringLiteral("exit"), QStringLiteral("shelf")}));
        QCOMPARE(data.flow[0][2], 3); // entrance -> shelf
        QCOMPARE(data.flow[0][1], 1); // entrance -> exit
        QCOMPARE(data.flow[2][1], 2); // shelf -> exit
        QCOMPARE(data.flow[1][0], 0);
        QCOMPARE(data.flowMax(), 3);
    }

    void demographicsKeepSuppressionVisible()
    {
        core::DemographicWindow shown;
        shown.zone = QStringLiteral("a");
        shown.startMs = Monday;
        shown.endMs = Monday + 5 * MinuteMs;
        shown.counts[2][0] = 12;
        shown.suppressed[2][1] = true; // 25-34 male hidden here
        shown.suppressed[0][0] = true;
        core::DemographicWindow second = shown;
        second.startMs += 5 * MinuteMs;
        second.endMs += 5 * MinuteMs;
        second.counts[2][1] = 15; // shown in the second window
        second.suppressed[2][1] = false;
        const DashboardData data = aggregateDashboard({}, {shown, second}, options(Monday, Monday + HourMs));
        QCOMPARE(data.demographicWindowCount, 2);
        const DemographicCell &female2534 = data.demographics[2][0];
        QCOMPARE(female2534.shown, 24);
        QVERIFY(!female2534.isSuppressed());
        QVERIFY(!female2534.isPartlySuppressed());
        const DemographicCell &male2534 = data.demographics[2][1];
        QVERIFY(male2534.isPartlySuppressed());
        QCOMPARE(male2534.shown, 15);
        const DemographicCell &female017 = data.demographics[0][0];
        QVERIFY(female017.isSuppressed()); // never a 0
        QCOMPARE(female017.suppressedWindows, 2);
    }

    void rangePresets()
    {
        const QTimeZone utc = QTimeZone::utc();
        const qint64 now = Monday + 2 * DayMs + 15 * HourMs; // Wednesday 15:00
        QCOMPARE(resolveRange(RangePreset::Today, now, utc), (TimeRange{Monday + 2 * DayMs, now}));
        QCOMPARE(resolveRange(RangePreset::Last7Days, now, utc), (TimeRange{now - 7 * DayMs, now}));
        QCOMPARE(resolveRange(RangePreset::Last30Days, now, utc), (TimeRange{now - 30 * DayMs, now}));
        QCOMPARE(resolveRange(RangePreset::Custom, now, utc, {Monday, Monday + DayMs}), (TimeRange{Monday, Monday + DayMs}));
        const TimeRange inverted = resolveRange(RangePreset::Custom, now, utc, {Monday + DayMs, Monday});
        QCOMPARE(inverted.fromMs, inverted.toMs);
    }

    // 30 days of 1-minute windows for 10 zones: reduced to chart resolution (<= 400 points)
    // with every count preserved. Prints the time; never fails on it.
    void thirtyDaysTenZones()
    {
        constexpr int Zones = 10;
        const qint64 from = Monday;
        const qint64 to = Monday + 30 * DayMs;
        QList<core::AudienceWindow> windows;
        windows.reserve(30 * 1440 * Zones);
        QStringList names;
        for (int z = 0; z < Zones; ++z)
            names << QStringLiteral("zone %1").arg(z);
        qint64 expectedOts = 0;
        for (qint64 t = from; t < to; t += MinuteMs)
            for (int z = 0; z < Zones; ++z) {
                core::AudienceWindow w = window(names.at(z), t, int((t / MinuteMs + z) % 7), 0.5);
                w.transitionsTo = {{names.at((z + 1) % Zones), 1}};
                expectedOts += w.ots;
                windows.append(std::move(w));
            }
        QCOMPARE(windows.size(), 432'000);
        QElapsedTimer timer;
        timer.start();
        const DashboardData data = aggregateDashboard(windows, {}, options(from, to));
        qInfo("aggregated %lld windows into %lld buckets in %lld ms", qint64(windows.size()), qint64(data.buckets.size()),
              timer.elapsed());
        QCOMPARE(data.bucketMs, 3 * HourMs);
        QCOMPARE(data.buckets.size(), 240);
        QCOMPARE(data.totalOts(), expectedOts);
        QCOMPARE(data.windowCount, 432'000);
        QCOMPARE(data.zones.size(), Zones);
        QCOMPARE(data.flow[0][1], 30 * 1440);
        QVERIFY(qFuzzyCompare(data.buckets.at(10).meanOccupancy, 0.5 * Zones));
    }
};

QTEST_GUILESS_MAIN(TestDashboardAggregation)
#include "TestDashboardAggregation.moc"
