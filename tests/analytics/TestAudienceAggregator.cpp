// The aggregator on synthetic scenes. Over 600 lines for a reason: one case per metric rule of
// docs/analytics.md (windows, hysteresis, dwell, OTS, lines, flow, occupancy, quality flags),
// each small, sharing the SyntheticScene fixture; split by concern it would only duplicate the
// fixture set-up.
#include "SyntheticScene.h"

#include "analytics/AudienceAggregator.h"

#include <QRegularExpression>
#include <QTest>

#include <string_view>

using namespace signiq::analytics;
using namespace signiq::analytics::synthetic;
using signiq::core::AudienceWindow;
using signiq::core::DwellBand;
using signiq::core::FrameStats;
using signiq::core::TrackObservation;
using signiq::core::ZoneConfig;

namespace {

using Bands = std::array<int, signiq::core::DwellBandCount>;

int band(DwellBand b)
{
    return int(b);
}

struct Leg {
    qint64 fromMs; // relative to T0, inclusive
    qint64 toMs;   // inclusive
    QPointF foot;
};

// One track following `legs` (absent between and after them).
std::function<QList<TrackObservation>(qint64)> script(signiq::core::TrackId id, QList<Leg> legs)
{
    return [=](qint64 t) {
        for (const Leg &leg : legs) {
            if (t >= T0 + leg.fromMs && t <= T0 + leg.toMs)
                return QList<TrackObservation>{person(id, leg.foot)};
        }
        return QList<TrackObservation>{};
    };
}

ZoneConfig configWithZones(QList<signiq::core::Zone> zones)
{
    ZoneConfig c;
    c.zones = std::move(zones);
    return c;
}

} // namespace

Q_DECLARE_METATYPE(Leg)

class TestAudienceAggregator : public QObject {
    Q_OBJECT

private slots:
    void emptyWindowsAreEmitted();
    void singleVisit();
    void unconfirmedTracksAreIgnored();
    void entryHysteresis_data();
    void entryHysteresis();
    void exitHysteresis_data();
    void exitHysteresis();
    void dwellBandEdges_data();
    void dwellBandEdges();
    void visitSpanningThreeWindows();
    void lateDecisionsGoToTheWindowOfTheEvent();
    void occupancyMeanAndPeak();
    void reenteringTrackCountsOnceInOts();
    void lineCrossings_data();
    void lineCrossings();
    void transitions_data();
    void transitions();
    void finishClosesOpenVisitsAndWindows();
    void finishClampsTheLastWindow();
    void finishClosesWindowStillSettling();
    void reusableAfterFinish();
    void qualityFlags();
    void confidenceOrdering();
    void versionsAreCarried();
    void perTrackStateIsForgotten();
    void outOfOrderFramesAreDropped();
    void duplicateIdInOneFrameCountsOnce();
};

void TestAudienceAggregator::emptyWindowsAreEmitted()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 60'900, {});
    QVERIFY(!agg.hasClosedWindows()); // still settling
    run(agg, T0 + 61'000, T0 + 121'000, {});
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 4);
    QCOMPARE(windows[0].zone, QStringLiteral("a"));
    QCOMPARE(windows[1].zone, QStringLiteral("b"));
    QCOMPARE(windows[0].startMs, T0);
    QCOMPARE(windows[0].endMs, T0 + 60'000);
    QCOMPARE(windows[2].startMs, T0 + 60'000);
    QCOMPARE(windows[3].endMs, T0 + 120'000);
    for (const AudienceWindow &w : windows) {
        QCOMPARE(w.ots, 0);
        QCOMPARE(w.entries, 0);
        QCOMPARE(w.exits, 0);
        QCOMPARE(w.meanOccupancy, 0.0);
        QCOMPARE(w.peakOccupancy, 0);
        QCOMPARE(w.dwellBands, Bands{});
        QCOMPARE(w.lineIn + w.lineOut, 0);
        QVERIFY(w.transitionsTo.isEmpty());
        QCOMPARE(w.qualityFlags, quint32(signiq::core::QualityUncalibrated));
        QCOMPARE(w.confidence, 1.0);
    }
    QVERIFY(agg.takeClosedWindows().isEmpty());

    agg.finish(T0 + 125'000);
    const auto last = agg.takeClosedWindows();
    QCOMPARE(last.size(), 2);
    QCOMPARE(last[0].startMs, T0 + 120'000);
    QCOMPARE(last[0].endMs, T0 + 125'000);
}

void TestAudienceAggregator::singleVisit()
{
    AudienceAggregator agg(standardConfig());
    const auto tracks = presence(1, InA, T0 + 10'000, T0 + 20'000);
    run(agg, T0, T0 + 15'000, tracks);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 1);
    QCOMPARE(agg.occupancy(QStringLiteral("b")), 0);
    QCOMPARE(agg.occupancy(QStringLiteral("nope")), 0);
    run(agg, T0 + 15'100, T0 + 61'000, tracks);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 0);

    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 2);
    const AudienceWindow &a = windows[0];
    QCOMPARE(a.zone, QStringLiteral("a"));
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 1);
    QCOMPARE(a.exits, 1);
    Bands expected{};
    expected[band(DwellBand::From5To15s)] = 1;
    QCOMPARE(a.dwellBands, expected);
    QCOMPARE(a.meanDwellS, 10.0);
    QCOMPARE(a.meanOccupancy, 10.0 / 60.0);
    QCOMPARE(a.peakOccupancy, 1);
    QVERIFY(qAbs(a.confidence - 0.95) < 1e-6);
    const AudienceWindow &b = windows[1];
    QCOMPARE(b.zone, QStringLiteral("b"));
    QCOMPARE(b.ots, 0);
    QCOMPARE(b.entries, 0);
}

void TestAudienceAggregator::unconfirmedTracksAreIgnored()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 61'000, [](qint64 t) {
        return t <= T0 + 30'000 ? QList<TrackObservation>{person(7, InA, 0.9f, /*confirmed*/ false)}
                                : QList<TrackObservation>{};
    });
    QCOMPARE(agg.trackStateCount(), 0);
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 2);
    QCOMPARE(windows[0].ots, 0);
    QCOMPARE(windows[0].entries, 0);
    QCOMPARE(windows[0].meanOccupancy, 0.0);
    QCOMPARE(windows[0].confidence, 1.0); // nothing confirmed was seen in the zone
}

void TestAudienceAggregator::entryHysteresis_data()
{
    QTest::addColumn<qint64>("insideForMs");
    QTest::addColumn<int>("entries");
    QTest::newRow("blip of 0.4 s") << qint64(400) << 0;
    QTest::newRow("exactly 0.5 s") << qint64(500) << 1;
}

void TestAudienceAggregator::entryHysteresis()
{
    QFETCH(qint64, insideForMs);
    QFETCH(int, entries);
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 61'000, presence(1, InA, T0 + 10'000, T0 + 10'000 + insideForMs));
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.entries, entries);
    QCOMPARE(a.exits, entries);
    QCOMPARE(a.ots, entries);
    if (entries) {
        QCOMPARE(a.meanDwellS, 0.5); // from first sight, not from when the hysteresis expired
        QCOMPARE(a.dwellBands[band(DwellBand::Under5s)], 1);
    } else {
        QCOMPARE(totalDwellVisits(a), 0);
        QCOMPARE(a.peakOccupancy, 0);
    }
}

void TestAudienceAggregator::exitHysteresis_data()
{
    QTest::addColumn<qint64>("outsideUntilMs"); // in the corridor from 20.1 s to this
    QTest::addColumn<int>("visits");
    QTest::addColumn<double>("meanDwellS");
    QTest::addColumn<double>("meanOccupancy");
    // 0.9 s since the last inside observation: a blip, one visit 10 s .. 30 s.
    QTest::newRow("blip outside 0.9 s") << qint64(20'900) << 1 << 20.0 << 20.0 / 60.0;
    // 1.0 s: an exit at 20 s, then a new visit 21.1 s .. 30 s.
    QTest::newRow("outside 1.0 s") << qint64(21'000) << 2 << (10.0 + 8.9) / 2 << 18.9 / 60.0;
}

void TestAudienceAggregator::exitHysteresis()
{
    QFETCH(qint64, outsideUntilMs);
    QFETCH(int, visits);
    QFETCH(double, meanDwellS);
    QFETCH(double, meanOccupancy);
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 61'000,
        script(1, {{10'000, 20'000, InA}, {20'100, outsideUntilMs, Corridor}, {outsideUntilMs + 100, 30'000, InA}}));
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.ots, 1); // one person, however many visits
    QCOMPARE(a.entries, visits);
    QCOMPARE(a.exits, visits);
    QCOMPARE(totalDwellVisits(a), visits);
    QVERIFY(qAbs(a.meanDwellS - meanDwellS) < 1e-9);
    QVERIFY(qAbs(a.meanOccupancy - meanOccupancy) < 1e-9);
    QCOMPARE(a.peakOccupancy, 1);
}

void TestAudienceAggregator::dwellBandEdges_data()
{
    QTest::addColumn<qint64>("dwellMs");
    QTest::addColumn<int>("band");
    QTest::newRow("4.99 s") << qint64(4'990) << band(DwellBand::Under5s);
    QTest::newRow("5.0 s") << qint64(5'000) << band(DwellBand::From5To15s);
    QTest::newRow("14.99 s") << qint64(14'990) << band(DwellBand::From5To15s);
    QTest::newRow("15.0 s") << qint64(15'000) << band(DwellBand::From15To30s);
    QTest::newRow("29.99 s") << qint64(29'990) << band(DwellBand::From15To30s);
    QTest::newRow("30 s") << qint64(30'000) << band(DwellBand::From30To60s);
    QTest::newRow("59.99 s") << qint64(59'990) << band(DwellBand::From30To60s);
    QTest::newRow("60 s") << qint64(60'000) << band(DwellBand::Over60s);
    QTest::newRow("600 s") << qint64(600'000) << band(DwellBand::Over60s);
}

void TestAudienceAggregator::dwellBandEdges()
{
    QFETCH(qint64, dwellMs);
    QFETCH(int, band);
    AudienceAggregator agg(standardConfig());
    const qint64 start = T0 + 1'000;
    const qint64 end = start + dwellMs;
    run(agg, T0, end + 2'000, presence(1, InA, start, end), /*stepMs*/ 10);
    agg.finish(end + 2'000);
    const auto windows = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    int visits = 0;
    for (const AudienceWindow &w : windows) {
        visits += totalDwellVisits(w);
        if (end >= w.startMs && end < w.endMs) { // the window where the visit ended
            QCOMPARE(w.dwellBands[size_t(band)], 1);
            QCOMPARE(w.exits, 1);
            QVERIFY(qAbs(w.meanDwellS - double(dwellMs) / 1000.0) < 1e-9);
        } else {
            QCOMPARE(w.exits, 0);
        }
        QCOMPARE(w.ots, 1); // every window of a visit counts the person
    }
    QCOMPARE(visits, 1);
    QCOMPARE(windows.size(), int(end / 60'000 - T0 / 60'000) + 1);
}

void TestAudienceAggregator::visitSpanningThreeWindows()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 181'000, presence(1, InA, T0 + 50'000, T0 + 130'000));
    const auto windows = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    QCOMPARE(windows.size(), 3);
    for (const AudienceWindow &w : windows) {
        QCOMPARE(w.ots, 1);
        QCOMPARE(w.peakOccupancy, 1);
    }
    QCOMPARE(windows[0].entries, 1);
    QCOMPARE(windows[1].entries, 0);
    QCOMPARE(windows[2].entries, 0);
    QCOMPARE(windows[0].exits, 0);
    QCOMPARE(windows[1].exits, 0);
    QCOMPARE(windows[2].exits, 1);
    QCOMPARE(totalDwellVisits(windows[0]), 0);
    QCOMPARE(totalDwellVisits(windows[1]), 0);
    QCOMPARE(windows[2].dwellBands[band(DwellBand::Over60s)], 1);
    QCOMPARE(windows[2].meanDwellS, 80.0);
    QCOMPARE(windows[0].meanDwellS, 0.0);
    QCOMPARE(windows[0].meanOccupancy, 10.0 / 60.0);
    QCOMPARE(windows[1].meanOccupancy, 1.0);
    QCOMPARE(windows[2].meanOccupancy, 10.0 / 60.0);
}

void TestAudienceAggregator::lateDecisionsGoToTheWindowOfTheEvent()
{
    AudienceAggregator agg(standardConfig());
    // Track 1 appears in a at 59.8 s: the entry is decided at 60.3 s but happened in window 1.
    // Track 2 is last seen in b at 59.9 s: the exit is decided at 60.9 s, in window 1 too.
    const auto one = presence(1, InA, T0 + 59'800, T0 + 75'000);
    const auto two = presence(2, InB, T0 + 30'000, T0 + 59'900);
    run(agg, T0, T0 + 121'000, [&](qint64 t) { return one(t) + two(t); });
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 4);
    const AudienceWindow &a1 = windows[0], &b1 = windows[1], &a2 = windows[2], &b2 = windows[3];
    QCOMPARE(a1.entries, 1);
    QCOMPARE(a1.ots, 1);
    QCOMPARE(a2.entries, 0);
    QCOMPARE(a2.ots, 1);
    QCOMPARE(a2.exits, 1);
    QCOMPARE(b1.exits, 1);
    QCOMPARE(b1.ots, 1);
    QCOMPARE(b1.dwellBands[band(DwellBand::From15To30s)], 1);
    QCOMPARE(b2.exits, 0);
    QCOMPARE(b2.ots, 0);
    QCOMPARE(b2.meanOccupancy, 0.0);
}

void TestAudienceAggregator::occupancyMeanAndPeak()
{
    AudienceAggregator agg(standardConfig());
    const auto one = presence(1, InA, T0, T0 + 30'000);
    const auto two = presence(2, QPointF(0.1, 0.8), T0 + 10'000, T0 + 40'000);
    const auto three = presence(3, QPointF(0.3, 0.8), T0 + 20'000, T0 + 25'000);
    const auto all = [&](qint64 t) { return one(t) + two(t) + three(t); };
    run(agg, T0, T0 + 22'000, all);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 3);
    run(agg, T0 + 22'100, T0 + 35'000, all);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 1);
    run(agg, T0 + 35'100, T0 + 61'000, all);
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.ots, 3);
    QCOMPARE(a.entries, 3);
    QCOMPARE(a.exits, 3);
    QCOMPARE(a.peakOccupancy, 3);
    QVERIFY(qAbs(a.meanOccupancy - 65.0 / 60.0) < 1e-12);
    Bands expected{};
    expected[band(DwellBand::From5To15s)] = 1;  // 5.0 s
    expected[band(DwellBand::From30To60s)] = 2; // 30.0 s twice
    QCOMPARE(a.dwellBands, expected);
    QVERIFY(qAbs(a.meanDwellS - 65.0 / 3.0) < 1e-12);
}

void TestAudienceAggregator::reenteringTrackCountsOnceInOts()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 61'000,
        script(4, {{5'000, 10'000, InA}, {10'100, 15'000, Corridor}, {15'100, 20'000, InA}, {20'100, 25'000, Corridor},
                   {25'100, 30'000, InA}}));
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 3);
    QCOMPARE(a.exits, 3);
    QCOMPARE(a.peakOccupancy, 1);
}

void TestAudienceAggregator::lineCrossings_data()
{
    // "door" runs left to right along y = 0.5 from x 0 to 0.4: walking up the image
    // (from its right-hand side to its left-hand side) is "in".
    QTest::addColumn<QList<QPointF>>("path");
    QTest::addColumn<bool>("confirmed");
    QTest::addColumn<int>("in");
    QTest::addColumn<int>("out");
    const QPointF below(0.2, 0.75), above(0.2, 0.25), on(0.2, 0.5);
    QTest::newRow("in") << QList<QPointF>{below, QPointF(0.2, 0.6), QPointF(0.2, 0.4), above} << true << 1 << 0;
    QTest::newRow("out") << QList<QPointF>{above, below} << true << 0 << 1;
    QTest::newRow("in out in") << QList<QPointF>{below, above, below, above} << true << 2 << 1;
    QTest::newRow("beside the end") << QList<QPointF>{QPointF(0.45, 0.75), QPointF(0.45, 0.25)} << true << 0 << 0;
    QTest::newRow("touch and back") << QList<QPointF>{below, on, on, below} << true << 0 << 0;
    QTest::newRow("over the line via a point on it") << QList<QPointF>{below, on, above} << true << 1 << 0;
    QTest::newRow("unconfirmed") << QList<QPointF>{below, above, below} << false << 0 << 0;
}

void TestAudienceAggregator::lineCrossings()
{
    QFETCH(QList<QPointF>, path);
    QFETCH(bool, confirmed);
    QFETCH(int, in);
    QFETCH(int, out);
    AudienceAggregator agg(standardConfig());
    qint64 t = T0;
    for (const QPointF &p : path) {
        agg.observe(frame(t, {person(9, p, 0.9f, confirmed)}));
        t += StepMs;
    }
    run(agg, t, T0 + 61'000, {});
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows[0].zone, QStringLiteral("a"));
    QCOMPARE(windows[0].lineIn, in);
    QCOMPARE(windows[0].lineOut, out);
    QCOMPARE(windows[1].lineIn + windows[1].lineOut, 0); // b has no lines
}

void TestAudienceAggregator::transitions_data()
{
    QTest::addColumn<int>("layout"); // 0 side by side, 1 overlapping, 2 b nested in a
    QTest::addColumn<QList<Leg>>("legs");
    QTest::addColumn<int>("aToB");
    QTest::addColumn<int>("bToA");
    QTest::newRow("a then b, 2 s apart")
        << 0 << QList<Leg>{{10'000, 20'000, InA}, {20'100, 22'000, Corridor}, {22'100, 30'000, InB}} << 1 << 0;
    QTest::newRow("a then b, exactly 10 s apart")
        << 0 << QList<Leg>{{10'000, 20'000, InA}, {20'100, 29'900, Corridor}, {30'000, 40'000, InB}} << 1 << 0;
    QTest::newRow("a then b, 10.1 s apart: too long")
        << 0 << QList<Leg>{{10'000, 20'000, InA}, {20'100, 30'000, Corridor}, {30'100, 40'000, InB}} << 0 << 0;
    QTest::newRow("a then b, unseen in between")
        << 0 << QList<Leg>{{10'000, 20'000, InA}, {22'100, 30'000, InB}} << 1 << 0;
    QTest::newRow("b then a") << 0 << QList<Leg>{{10'000, 20'000, InB}, {20'100, 30'000, InA}} << 0 << 1;
    QTest::newRow("a, b, a") << 0 << QList<Leg>{{5'000, 10'000, InA}, {10'100, 20'000, InB}, {20'100, 30'000, InA}} << 1
                             << 1;
    QTest::newRow("a, blip in b, a")
        << 0 << QList<Leg>{{5'000, 10'000, InA}, {10'100, 10'400, InB}, {10'500, 30'000, InA}} << 0 << 0;
    QTest::newRow("overlap: enter b while in a, then leave a")
        << 1 << QList<Leg>{{10'000, 20'000, QPointF(0.2, 0.8)}, {20'100, 25'000, QPointF(0.5, 0.8)},
                           {25'100, 35'000, QPointF(0.8, 0.8)}}
        << 1 << 0;
    QTest::newRow("nested: into b and back out, never left a")
        << 2 << QList<Leg>{{10'000, 15'000, QPointF(0.2, 0.8)}, {15'100, 25'000, QPointF(0.5, 0.8)},
                           {25'100, 35'000, QPointF(0.2, 0.8)}}
        << 0 << 0;
}

void TestAudienceAggregator::transitions()
{
    QFETCH(int, layout);
    QFETCH(QList<Leg>, legs);
    QFETCH(int, aToB);
    QFETCH(int, bToA);
    using signiq::core::Zone;
    ZoneConfig config = standardConfig();
    if (layout == 1) {
        config = configWithZones({Zone{QStringLiteral("a"), {QPointF(0, 0), QPointF(0.6, 0), QPointF(0.6, 1), QPointF(0, 1)}},
                                  Zone{QStringLiteral("b"), {QPointF(0.4, 0), QPointF(1, 0), QPointF(1, 1), QPointF(0.4, 1)}}});
    } else if (layout == 2) {
        config = configWithZones({Zone{QStringLiteral("a"), {QPointF(0, 0), QPointF(1, 0), QPointF(1, 1), QPointF(0, 1)}},
                                  Zone{QStringLiteral("b"), {QPointF(0.4, 0.6), QPointF(0.6, 0.6), QPointF(0.6, 1), QPointF(0.4, 1)}}});
    }
    QVERIFY(config.validate().ok());
    AudienceAggregator agg(config);
    run(agg, T0, T0 + 61'000, script(5, legs));
    agg.finish(T0 + 61'000);
    int ab = 0, ba = 0;
    for (const AudienceWindow &w : agg.takeClosedWindows()) {
        if (w.zone == QStringLiteral("a")) {
            ab += w.transitionsTo.value(QStringLiteral("b"));
            QVERIFY(!w.transitionsTo.contains(QStringLiteral("a")));
        } else {
            ba += w.transitionsTo.value(QStringLiteral("a"));
            QVERIFY(!w.transitionsTo.contains(QStringLiteral("b")));
        }
    }
    QCOMPARE(ab, aToB);
    QCOMPARE(ba, bToA);
}

void TestAudienceAggregator::finishClosesOpenVisitsAndWindows()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 30'000, presence(1, InA, T0 + 10'000, T0 + 30'000));
    QVERIFY(!agg.hasClosedWindows());
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 1);
    agg.finish(T0 + 30'500);
    QCOMPARE(agg.trackStateCount(), 0);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 0);
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 2);
    const AudienceWindow &a = windows[0];
    QCOMPARE(a.startMs, T0);
    QCOMPARE(a.endMs, T0 + 30'500);
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 1);
    QCOMPARE(a.exits, 1);
    QCOMPARE(a.dwellBands[band(DwellBand::From15To30s)], 1);
    QCOMPARE(a.meanDwellS, 20.5);
    QVERIFY(qAbs(a.meanOccupancy - 20.5 / 30.5) < 1e-12);
    QCOMPARE(windows[1].endMs, T0 + 30'500);
    QVERIFY(windows[1].transitionsTo.isEmpty());
}

void TestAudienceAggregator::finishClampsTheLastWindow()
{
    {
        AudienceAggregator agg(standardConfig());
        run(agg, T0, T0 + 30'000, {});
        agg.finish(T0 + 500'000); // long after: the window still ends at its aligned end
        QCOMPARE(agg.takeClosedWindows().first().endMs, T0 + 60'000);
    }
    {
        AudienceAggregator agg(standardConfig());
        run(agg, T0, T0 + 30'000, {});
        agg.finish(T0 + 10'000); // before the last frame: the window still covers it
        QCOMPARE(agg.takeClosedWindows().first().endMs, T0 + 30'001);
    }
    {
        AudienceAggregator agg(standardConfig());
        agg.finish(T0); // nothing observed: nothing to report
        QVERIFY(agg.takeClosedWindows().isEmpty());
    }
}

void TestAudienceAggregator::finishClosesWindowStillSettling()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 60'500, presence(1, InA, T0 + 55'000, T0 + 60'300));
    QVERIFY(!agg.hasClosedWindows());
    agg.finish(T0 + 60'600);
    const auto windows = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    QCOMPARE(windows.size(), 2);
    QCOMPARE(windows[0].entries, 1);
    QCOMPARE(windows[0].exits, 0);
    QCOMPARE(windows[0].ots, 1);
    QCOMPARE(windows[1].startMs, T0 + 60'000);
    QCOMPARE(windows[1].endMs, T0 + 60'600);
    QCOMPARE(windows[1].ots, 1);
    QCOMPARE(windows[1].exits, 1);
    QCOMPARE(windows[1].meanDwellS, 5.3); // already outside: ends at its last inside sighting
    QCOMPARE(windows[1].dwellBands[band(DwellBand::From5To15s)], 1);
}

void TestAudienceAggregator::reusableAfterFinish()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 5'000, presence(1, InA, T0, T0 + 5'000));
    agg.finish(T0 + 5'000);
    QCOMPARE(agg.takeClosedWindows().size(), 2);
    const qint64 restart = T0 + 90'250;
    run(agg, restart, restart + 5'000, presence(2, InB, restart, restart + 5'000));
    agg.finish(restart + 5'000);
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows.size(), 2);
    QCOMPARE(windows[0].startMs, restart); // a run's first window starts with its first frame
    QCOMPARE(windows[1].ots, 1);
    QCOMPARE(windows[0].ots, 0);
}

void TestAudienceAggregator::qualityFlags()
{
    struct Case {
        const char *name;
        std::function<FrameStats(qint64)> stats;
        double fps;
        bool uncalibrated;
        QStringList expected;
    };
    const auto dark = [](qint64 t) { return FrameStats{t < T0 + 36'000 ? 20.0 : 120.0, 50.0}; };  // 60% dark
    const auto dim = [](qint64 t) { return FrameStats{t < T0 + 24'000 ? 20.0 : 120.0, 50.0}; };   // 40% dark
    const auto covered = [](qint64) { return FrameStats{90.0, 2.0}; };
    const QList<Case> cases = {
        {"healthy", {}, 15.0, true, {QStringLiteral("uncalibrated")}},
        {"calibrated", {}, 15.0, false, {}},
        {"dark", dark, 15.0, true, {QStringLiteral("low_light"), QStringLiteral("uncalibrated")}},
        {"dim", dim, 15.0, false, {}},
        {"covered", covered, 15.0, false, {QStringLiteral("camera_blocked")}},
        {"slow", {}, 3.0, false, {QStringLiteral("low_fps")}},
    };
    for (const Case &c : cases) {
        // Uncalibrated: no calibration in the zone config, or one the pipeline could not use.
        AggregatorOptions options;
        options.uncalibrated = c.uncalibrated;
        AudienceAggregator agg(c.uncalibrated && std::string_view(c.name) == "healthy" ? standardConfig() : calibratedConfig(),
                               options);
        run(agg, T0, T0 + 61'000, presence(1, InA, T0 + 1'000, T0 + 50'000), StepMs, c.fps, c.stats);
        const auto windows = agg.takeClosedWindows();
        QCOMPARE(windows.size(), 2);
        for (const AudienceWindow &w : windows)
            QVERIFY2(signiq::core::qualityFlagNames(w.qualityFlags) == c.expected, c.name);
    }
}

void TestAudienceAggregator::confidenceOrdering()
{
    struct Input {
        float score = 0.9f;
        int predictedEvery = 0; // every n-th observation is a prediction (0: none)
        double fps = 15.0;
        double meanLuma = 120.0;
    };
    const auto confidenceOf = [](Input in) {
        AudienceAggregator agg(standardConfig());
        int n = 0;
        // Up to 62.5 s: with predictions the first window settles for 2.5 s (coasting).
        run(agg, T0, T0 + 62'500,
            [&](qint64 t) {
                if (t < T0 + 5'000 || t > T0 + 50'000)
                    return QList<TrackObservation>{};
                const bool predicted = in.predictedEvery > 0 && ++n % in.predictedEvery == 0;
                return QList<TrackObservation>{person(1, InA, in.score, true, predicted)};
            },
            StepMs, in.fps, [&](qint64) { return FrameStats{in.meanLuma, 50.0}; });
        return agg.takeClosedWindows().first().confidence;
    };
    const double best = confidenceOf({});
    QVERIFY(best > 0.9 && best <= 1.0);
    QVERIFY(confidenceOf({.score = 0.5f}) < best);
    QVERIFY(confidenceOf({.predictedEvery = 4}) < best);
    QVERIFY(confidenceOf({.predictedEvery = 2}) < confidenceOf({.predictedEvery = 4}));
    QVERIFY(confidenceOf({.fps = 7.5}) < best);
    QVERIFY(confidenceOf({.fps = 4.0}) < confidenceOf({.fps = 7.5}));
    QVERIFY(confidenceOf({.meanLuma = 20.0}) < best);
    QVERIFY(confidenceOf({.score = 0.5f, .fps = 7.5}) < confidenceOf({.score = 0.5f}));
}

void TestAudienceAggregator::versionsAreCarried()
{
    const ZoneConfig config = standardConfig();
    {
        AggregatorOptions options;
        options.modelVersion = QStringLiteral("person-yolo@0123abcd");
        AudienceAggregator agg(config, options);
        QCOMPARE(agg.calibrationVersion(), config.version());
        run(agg, T0, T0 + 61'000, {});
        for (const AudienceWindow &w : agg.takeClosedWindows()) {
            QCOMPARE(w.modelVersion, QStringLiteral("person-yolo@0123abcd"));
            QCOMPARE(w.calibrationVersion, config.version());
        }
    }
    {
        AggregatorOptions options;
        options.calibrationVersion = QStringLiteral("cal-7");
        AudienceAggregator agg(config, options);
        run(agg, T0, T0 + 1'000, {});
        agg.finish(T0 + 1'000);
        for (const AudienceWindow &w : agg.takeClosedWindows())
            QCOMPARE(w.calibrationVersion, QStringLiteral("cal-7"));
    }
}

void TestAudienceAggregator::perTrackStateIsForgotten()
{
    // 300 people walk through a one after the other, 2 s each, 3 at a time at most.
    AudienceAggregator agg(standardConfig());
    qsizetype maxStates = 0;
    for (qint64 t = T0; t <= T0 + 650'000; t += StepMs) {
        QList<TrackObservation> tracks;
        const qint64 slot = (t - T0) / 2'000;
        if (slot < 300) {
            for (qint64 k = std::max<qint64>(0, slot - 2); k <= slot; ++k)
                tracks.append(person(signiq::core::TrackId(1000 + k), InA));
        }
        agg.observe(frame(t, tracks));
        maxStates = std::max(maxStates, agg.trackStateCount());
    }
    QVERIFY2(maxStates <= 3 + 11, qPrintable(QString::number(maxStates)));
    QCOMPARE(agg.trackStateCount(), 0);
    int ots = 0;
    for (const AudienceWindow &w : ofZone(agg.takeClosedWindows(), QStringLiteral("a")))
        ots += w.entries;
    QCOMPARE(ots, 300);
}

void TestAudienceAggregator::outOfOrderFramesAreDropped()
{
    AudienceAggregator agg(standardConfig());
    agg.observe(frame(T0 + 1'000));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("is older than the previous frame")));
    agg.observe(frame(T0 + 500, {person(1, InA)}));
    agg.observe(frame(T0 + 400, {person(1, InA)}));
    QCOMPARE(agg.droppedFrames(), 2);
    QCOMPARE(agg.trackStateCount(), 0);
    agg.observe(frame(T0 + 1'000)); // equal timestamps are accepted
    QCOMPARE(agg.droppedFrames(), 2);
}

void TestAudienceAggregator::duplicateIdInOneFrameCountsOnce()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 61'000, [](qint64 t) {
        if (t < T0 + 10'000 || t > T0 + 20'000)
            return QList<TrackObservation>{};
        return QList<TrackObservation>{person(3, InA), person(3, InB)};
    });
    const auto windows = agg.takeClosedWindows();
    QCOMPARE(windows[0].ots, 1);
    QCOMPARE(windows[1].ots, 0);
}

QTEST_GUILESS_MAIN(TestAudienceAggregator)
#include "TestAudienceAggregator.moc"
