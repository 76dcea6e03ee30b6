#include "ConsoleTestData.h"
#include "dashboard/ChartTable.h"

#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

class TestChartTables : public QObject {
    Q_OBJECT

private slots:
    void csvQuotesWhereNeeded()
    {
        ChartTable t{{QStringLiteral("from_zone"), QStringLiteral("n")},
                     {{QStringLiteral("window, left"), QStringLiteral("1")}, {QStringLiteral("say \"hi\""), QStringLiteral("2")}}};
        QCOMPARE(t.toCsv(), QByteArray("from_zone,n\r\n\"window, left\",1\r\n\"say \"\"hi\"\"\",2\r\n"));
    }

    void csvCellsCannotBeFormulas()
    {
        // Zone names come from zones.json, which an installer types: a spreadsheet must show
        // them as text (CSV injection, protocol/Csv.h).
        ChartTable t{{QStringLiteral("from_zone"), QStringLiteral("n")},
                     {{QStringLiteral("=HYPERLINK(\"http://evil\")"), QStringLiteral("1")}, {QStringLiteral("@A1"), QStringLiteral("2")}}};
        QCOMPARE(t.toCsv(), QByteArray("from_zone,n\r\n\"'=HYPERLINK(\"\"http://evil\"\")\",1\r\n'@A1,2\r\n"));
    }

    void everyChartHasATable()
    {
        DashboardOptions o;
        o.fromMs = Monday;
        o.toMs = Monday + 2 * HourMs;
        o.bucketMs = HourMs;
        o.timeZone = QTimeZone::utc();
        core::AudienceWindow w = window(QStringLiteral("a"), Monday, 4, 1.0);
        w.transitionsTo = {{QStringLiteral("b"), 2}};
        const DashboardData data = aggregateDashboard({w}, {}, o);
        const ChartTable ots = ChartTables::otsAndViewers(data);
        QCOMPARE(ots.rows.size(), 2);
        QCOMPARE(ots.rows.at(0), (QStringList{QStringLiteral("2024-01-01T00:00:00Z"), QStringLiteral("4"), QStringLiteral("2")}));
        QCOMPARE(ChartTables::dwellBands(data).rows.size(), core::DwellBandCount);
        QCOMPARE(ChartTables::attentionRate(data).rows.at(0).at(1), QStringLiteral("0.2500"));
        QCOMPARE(ChartTables::occupancy(data).rows.at(0).at(1), QStringLiteral("1.000"));
        QCOMPARE(ChartTables::entriesExits(data).rows.at(0).at(1), QStringLiteral("4"));
        QCOMPARE(ChartTables::heatmap(data).rows.size(), 7 * 24);
        QCOMPARE(ChartTables::flow(data).rows,
                 QList<QStringList>{(QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("2")})});
    }

    void suppressedCellsAreNeverZero()
    {
        core::DemographicWindow d;
        d.zone = QStringLiteral("a");
        d.startMs = Monday;
        d.endMs = Monday + 5 * MinuteMs;
        d.suppressed[0][0] = true;
        d.counts[1][1] = 11;
        DashboardOptions o;
        o.fromMs = Monday;
        o.toMs = Monday + HourMs;
        const ChartTable t = ChartTables::demographics(aggregateDashboard({}, {d}, o));
        QCOMPARE(t.rows.at(0), (QStringList{QStringLiteral("0-17"), QStringLiteral("female"), QStringLiteral("suppressed"),
                                            QStringLiteral("1"), QStringLiteral("1")}));
        QCOMPARE(t.rows.at(3).at(2), QStringLiteral("11")); // 18-24 male
        QVERIFY(t.toCsv().contains("0-17,female,suppressed,1,1"));
    }
};

QTEST_GUILESS_MAIN(TestChartTables)
#include "TestChartTables.moc"
