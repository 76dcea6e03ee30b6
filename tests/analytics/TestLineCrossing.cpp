#include "analytics/LineCrossing.h"

#include <QTest>

using signiq::analytics::Crossing;
using signiq::analytics::LineCrossingTracker;
using signiq::core::CountingLine;

Q_DECLARE_METATYPE(signiq::analytics::Crossing)

namespace {
// Horizontal, drawn left to right at y = 0.5 from x 0.2 to 0.8. Its right-hand side (as seen
// on the image, y down) is below it: y > 0.5.
const CountingLine kLine{QStringLiteral("door"), QStringLiteral("z"), QPointF(0.2, 0.5), QPointF(0.8, 0.5)};
} // namespace

class TestLineCrossing : public QObject {
    Q_OBJECT

private slots:
    void sides();
    void crossingOf_data();
    void crossingOf();
    void trackerTrajectories_data();
    void trackerTrajectories();
};

void TestLineCrossing::sides()
{
    QVERIFY(signiq::analytics::sideOf(kLine, QPointF(0.5, 0.7)) > 0); // below: right-hand side
    QVERIFY(signiq::analytics::sideOf(kLine, QPointF(0.5, 0.3)) < 0); // above: left-hand side
    QCOMPARE(signiq::analytics::sideOf(kLine, QPointF(0.9, 0.5)), 0.0);
}

void TestLineCrossing::crossingOf_data()
{
    QTest::addColumn<QPointF>("from");
    QTest::addColumn<QPointF>("to");
    QTest::addColumn<Crossing>("expected");
    QTest::newRow("up through the middle: in") << QPointF(0.5, 0.7) << QPointF(0.5, 0.3) << Crossing::In;
    QTest::newRow("down through the middle: out") << QPointF(0.5, 0.3) << QPointF(0.5, 0.7) << Crossing::Out;
    QTest::newRow("diagonal in") << QPointF(0.3, 0.9) << QPointF(0.7, 0.1) << Crossing::In;
    QTest::newRow("beside the end") << QPointF(0.85, 0.7) << QPointF(0.85, 0.3) << Crossing::None;
    QTest::newRow("beside the start") << QPointF(0.1, 0.3) << QPointF(0.15, 0.7) << Crossing::None;
    QTest::newRow("diagonal passing beside the end") << QPointF(0.7, 0.9) << QPointF(0.95, 0.4) << Crossing::None;
    QTest::newRow("through the end point") << QPointF(0.8, 0.7) << QPointF(0.8, 0.3) << Crossing::In;
    QTest::newRow("same side") << QPointF(0.3, 0.7) << QPointF(0.7, 0.6) << Crossing::None;
    QTest::newRow("ending on the line") << QPointF(0.5, 0.7) << QPointF(0.5, 0.5) << Crossing::None;
    QTest::newRow("along the line") << QPointF(0.3, 0.5) << QPointF(0.6, 0.5) << Crossing::None;
    QTest::newRow("standing still") << QPointF(0.5, 0.7) << QPointF(0.5, 0.7) << Crossing::None;
}

void TestLineCrossing::crossingOf()
{
    QFETCH(QPointF, from);
    QFETCH(QPointF, to);
    QFETCH(Crossing, expected);
    QCOMPARE(signiq::analytics::crossingOf(kLine, from, to), expected);
}

void TestLineCrossing::trackerTrajectories_data()
{
    QTest::addColumn<QList<QPointF>>("path");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    const QPointF below(0.5, 0.75), above(0.5, 0.25), on(0.5, 0.5);
    QTest::newRow("in") << QList<QPointF>{below, QPointF(0.5, 0.6), above} << 1 << 0;
    QTest::newRow("out") << QList<QPointF>{above, below} << 0 << 1;
    QTest::newRow("in out in") << QList<QPointF>{below, above, below, above} << 2 << 1;
    QTest::newRow("touch and return") << QList<QPointF>{below, on, on, below} << 0 << 0;
    QTest::newRow("step over via the line") << QList<QPointF>{below, on, above} << 1 << 0;
    QTest::newRow("walk around the end") << QList<QPointF>{QPointF(0.7, 0.75), QPointF(0.9, 0.6), QPointF(0.9, 0.4),
                                                          QPointF(0.7, 0.25)}
                                         << 0 << 0;
    QTest::newRow("first point only") << QList<QPointF>{above} << 0 << 0;
}

void TestLineCrossing::trackerTrajectories()
{
    QFETCH(QList<QPointF>, path);
    QFETCH(int, in);
    QFETCH(int, out);
    LineCrossingTracker tracker;
    int ins = 0, outs = 0;
    for (const QPointF &p : path) {
        const Crossing c = tracker.move(kLine, p);
        ins += c == Crossing::In;
        outs += c == Crossing::Out;
    }
    QCOMPARE(ins, in);
    QCOMPARE(outs, out);
}

QTEST_GUILESS_MAIN(TestLineCrossing)
#include "TestLineCrossing.moc"
