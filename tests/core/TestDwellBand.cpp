#include "core/AudienceWindow.h"

#include <QTest>

using signiq::core::DwellBand;

class TestDwellBand : public QObject {
    Q_OBJECT

private slots:
    void bandEdges_data();
    void bandEdges();
};

void TestDwellBand::bandEdges_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("band");
    QTest::newRow("0") << 0.0 << "0-5";
    QTest::newRow("4.99") << 4.99 << "0-5";
    QTest::newRow("5.0") << 5.0 << "5-15";
    QTest::newRow("14.99") << 14.99 << "5-15";
    QTest::newRow("15.0") << 15.0 << "15-30";
    QTest::newRow("29.99") << 29.99 << "15-30";
    QTest::newRow("30") << 30.0 << "30-60";
    QTest::newRow("59.99") << 59.99 << "30-60";
    QTest::newRow("60") << 60.0 << "60+";
    QTest::newRow("600") << 600.0 << "60+";
}

void TestDwellBand::bandEdges()
{
    QFETCH(double, seconds);
    QFETCH(QString, band);
    QCOMPARE(signiq::core::dwellBandName(signiq::core::dwellBandFor(seconds)), band);
}

QTEST_GUILESS_MAIN(TestDwellBand)
#include "TestDwellBand.moc"
