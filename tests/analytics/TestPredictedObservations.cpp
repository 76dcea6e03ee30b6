// Predicted observations (a coasting lost track, or a frame on which detection did not run) in
// the aggregator: presence for continuity, never a longer visit, a new visit or a line crossing.
#include "SyntheticScene.h"

#include "analytics/AudienceAggregator.h"

#include <QTest>

using namespace signiq::analytics;
using namespace signiq::analytics::synthetic;
using signiq::core::AudienceWindow;
using signiq::core::DwellBand;
using signiq::core::TrackObservation;

namespace {

struct Leg {
    qint64 fromMs; // relative to T0, inclusive
    qint64 toMs;   // inclusive
    QPointF foot;
    bool predicted = false;
};

// One track following `legs` (absent between and after them).
std::function<QList<TrackObservation>(qint64)> script(signiq::core::TrackId id, QList<Leg> legs)
{
    return [=](qint64 t) {
        for (const Leg &leg : legs) {
            if (t >= T0 + leg.fromMs && t <= T0 + leg.toMs)
                return QList<TrackObservation>{person(id, leg.foot, 0.9f, true, leg.predicted)};
        }
        return QList<TrackObservation>{};
    };
}

// The counts that must not depend on how a visit's last seconds were reported.
void compareCounts(const AudienceWindow &actual, const AudienceWindow &expected)
{
    QCOMPARE(actual.zone, expected.zone);
    QCOMPARE(actual.ots, expected.ots);
    QCOMPARE(actual.entries, expected.entries);
    QCOMPARE(actual.exits, expected.exits);
    QCOMPARE(actual.dwellBands, expected.dwellBands);
    QCOMPARE(actual.meanDwellS, expected.meanDwellS);
    QCOMPARE(actual.meanOccupancy, expected.meanOccupancy);
    QCOMPARE(actual.peakOccupancy, expected.peakOccupancy);
    QCOMPARE(actual.lineIn, expected.lineIn);
    QCOMPARE(actual.lineOut, expected.lineOut);
}

} // namespace

class TestPredictedObservations : public QObject {
    Q_OBJECT

private slots:
    void coastingAfterLeavingDoesNotExtendDwell();
    void occlusionKeepsOneVisit();
    void longerOcclusionBridgedUpToCoastPlusExit();
    void predictionsNeverStartAVisit();
    void predictedOnlyCrossingIsNotCounted();
    void crossingWhileOccludedCountsOnceRedetected();
    void skippedDetectionFramesKeepTheVisit();
    void settleGrowsWithPredictions();
    void coastingAcrossAWindowEndIsAttributedCorrectly();
    void finishWhileCoastingEndsAtTheLastDetection();
    void coastOptionZero();
};

void TestPredictedObservations::coastingAfterLeavingDoesNotExtendDwell()
{
    // Detected in a from 2 s to 10 s, then coasting for 1.5 s, then gone.
    AudienceAggregator coasting(standardConfig());
    const auto tracks = script(1, {{2'000, 10'000, InA}, {10'100, 11'500, InA, true}});
    run(coasting, T0, T0 + 12'000, tracks);
    QCOMPARE(coasting.occupancy(QStringLiteral("a")), 1); // still present where predicted
    run(coasting, T0 + 12'100, T0 + 12'400, tracks);
    QCOMPARE(coasting.occupancy(QStringLiteral("a")), 1);
    run(coasting, T0 + 12'500, T0 + 63'000, tracks); // exit 1 s after the last prediction
    QCOMPARE(coasting.occupancy(QStringLiteral("a")), 0);
    QCOMPARE(coasting.trackStateCount(), 0);

    AudienceAggregator detectedOnly(standardConfig());
    run(detectedOnly, T0, T0 + 63'000, presence(1, InA, T0 + 2'000, T0 + 10'000));

    const auto windows = coasting.takeClosedWindows();
    const auto reference = detectedOnly.takeClosedWindows();
    QCOMPARE(windows.size(), 2);
    QCOMPARE(reference.size(), 2);
    const AudienceWindow &a = windows[0];
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 1);
    QCOMPARE(a.exits, 1);
    QCOMPARE(a.meanDwellS, 8.0); // ends at the last detection, 10 s
    QCOMPARE(a.dwellBands[int(DwellBand::From5To15s)], 1);
    QCOMPARE(a.meanOccupancy, 8.0 / 60.0);
    for (qsizetype i = 0; i < windows.size(); ++i)
        compareCounts(windows[i], reference[i]);
    // The predicted observations do lower the confidence (stability).
    QVERIFY(a.confidence < reference[0].confidence);
}

void TestPredictedObservations::occlusionKeepsOneVisit()
{
    // Detected 2-10 s, occluded (coasting) for 0.8 s, re-detected until 20 s.
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 63'000, script(1, {{2'000, 10'000, InA}, {10'100, 10'800, InA, true}, {10'900, 20'000, InA}}));
    const auto windows = agg.takeClosedWindows();
    const AudienceWindow &a = windows[0];
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 1);
    QCOMPARE(a.exits, 1);
    QCOMPARE(a.meanDwellS, 18.0);
    QCOMPARE(a.dwellBands[int(DwellBand::From15To30s)], 1);
    QCOMPARE(a.meanOccupancy, 18.0 / 60.0);
}

void TestPredictedObservations::longerOcclusionBridgedUpToCoastPlusExit()
{
    // Coasting 1.5 s, then 0.9 s not reported, re-found: still one visit.
    {
        AudienceAggregator agg(standardConfig());
        run(agg, T0, T0 + 63'000, script(1, {{2'000, 10'000, InA}, {10'100, 11'500, InA, true}, {12'400, 20'000, InA}}));
        const AudienceWindow a = agg.takeClosedWindows().first();
        QCOMPARE(a.entries, 1);
        QCOMPARE(a.exits, 1);
        QCOMPARE(a.meanDwellS, 18.0);
    }
    // Re-found 1 s after the coasting ended: exit + re-entry, and the first visit ends at the
    // last detection.
    {
        AudienceAggregator agg(standardConfig());
        run(agg, T0, T0 + 63'000, script(1, {{2'000, 10'000, InA}, {10'100, 11'500, InA, true}, {12'600, 20'000, InA}}));
        const AudienceWindow a = agg.takeClosedWindows().first();
        QCOMPARE(a.ots, 1);
        QCOMPARE(a.entries, 2);
        QCOMPARE(a.exits, 2);
        QCOMPARE(a.meanDwellS, (8.0 + 7.4) / 2.0);
        QCOMPARE(a.meanOccupancy, (8.0 + 7.4) / 60.0);
    }
}

void TestPredictedObservations::predictionsNeverStartAVisit()
{
    AudienceAggregator agg(standardConfig());
    // Track 1: detected in the corridor, then coasting into b for 1.5 s.
    // Track 2: reported in b only as predictions (e.g. a lost track drifting in).
    run(agg, T0, T0 + 63'000, [](qint64 t) {
        QList<TrackObservation> tracks = script(1, {{2'000, 5'000, Corridor}, {5'100, 6'600, InB, true}})(t);
        tracks += script(2, {{20'000, 23'000, InB, true}})(t);
        return tracks;
    });
    const auto windows = agg.takeClosedWindows();
    const AudienceWindow &b = windows[1];
    QCOMPARE(b.zone, QStringLiteral("b"));
    QCOMPARE(b.ots, 0);
    QCOMPARE(b.entries, 0);
    QCOMPARE(b.exits, 0);
    QCOMPARE(b.meanOccupancy, 0.0);
    QCOMPARE(b.peakOccupancy, 0);
    QCOMPARE(agg.trackStateCount(), 0);
}

void TestPredictedObservations::predictedOnlyCrossingIsNotCounted()
{
    // "door" of zone a: y = 0.5 from x 0 to 0.4; walking up the image is "in".
    const auto crossing = [](bool predictedCrossing) {
        AudienceAggregator agg(standardConfig());
        qint64 t = T0;
        const auto step = [&](double y, bool predicted) {
            agg.observe(frame(t, {person(9, QPointF(0.2, y), 0.9f, true, predicted)}));
            t += StepMs;
        };
        for (int i = 0; i < 10; ++i)
            step(0.9 - 0.02 * i, false); // detected, walking up towards the line
        for (int i = 0; i < 10; ++i)
            step(0.7 - 0.05 * i, predictedCrossing); // across the line to y = 0.25
        run(agg, t, T0 + 63'000, {}); // then gone
        return agg.takeClosedWindows().first();
    };
    const AudienceWindow predicted = crossing(true);
    QCOMPARE(predicted.lineIn, 0);
    QCOMPARE(predicted.lineOut, 0);
    const AudienceWindow detected = crossing(false);
    QCOMPARE(detected.lineIn, 1);
    QCOMPARE(detected.lineOut, 0);
}

void TestPredictedObservations::crossingWhileOccludedCountsOnceRedetected()
{
    // Detected below the line, predicted across it, predicted back, re-detected below: the
    // detected positions never changed sides, so nothing counts. Re-detected above: one "in",
    // counted when it is detected there.
    const auto run3 = [](QPointF redetectedAt) {
        AudienceAggregator agg(standardConfig());
        const QPointF below(0.2, 0.75), above(0.2, 0.25);
        run(agg, T0, T0 + 63'000, script(9, {{0, 1'000, below}, {1'100, 1'500, above, true}, {1'600, 1'800, below, true},
                                             {1'900, 3'000, redetectedAt}}));
        return agg.takeClosedWindows().first();
    };
    const AudienceWindow back = run3(QPointF(0.2, 0.75));
    QCOMPARE(back.lineIn + back.lineOut, 0);
    const AudienceWindow over = run3(QPointF(0.2, 0.25));
    QCOMPARE(over.lineIn, 1);
    QCOMPARE(over.lineOut, 0);
}

void TestPredictedObservations::skippedDetectionFramesKeepTheVisit()
{
    // Detection on every third frame only; the frames between carry predictions for every track.
    AudienceAggregator agg(standardConfig());
    for (qint64 t = T0; t <= T0 + 63'000; t += StepMs) {
        const bool detect = ((t - T0) / StepMs) % 3 == 0;
        QList<TrackObservation> tracks;
        if (t >= T0 + 3'000 && t <= T0 + 15'000)
            tracks.append(person(4, InA, 0.9f, true, !detect));
        auto f = frame(t, tracks);
        f.detectionRan = detect;
        agg.observe(f);
    }
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.ots, 1);
    QCOMPARE(a.entries, 1);
    QCOMPARE(a.exits, 1);
    // Detected at 3.0, 3.3, ... 15.0 s (every 300 ms from T0): the visit spans the detections.
    QCOMPARE(a.meanDwellS, 12.0);
    QCOMPARE(a.meanOccupancy, 12.0 / 60.0);
}

void TestPredictedObservations::settleGrowsWithPredictions()
{
    AudienceAggregator agg(standardConfig());
    QCOMPARE(agg.settleMs(), qint64(1000));
    agg.observe(frame(T0, {person(1, InA)}));
    QCOMPARE(agg.settleMs(), qint64(1000));
    agg.observe(frame(T0 + 100, {person(1, InA, 0.9f, /*confirmed*/ false, /*predicted*/ true)}));
    QCOMPARE(agg.settleMs(), qint64(1000)); // unconfirmed: not seen at all
    agg.observe(frame(T0 + 200, {person(1, InA, 0.9f, true, true)}));
    QCOMPARE(agg.settleMs(), qint64(2500)); // max(enter, exit) + coastMs
    agg.observe(frame(T0 + 300, {}, 15.0));
    agg.finish(T0 + 400);
    QCOMPARE(agg.settleMs(), qint64(1000)); // per run

    // With face analysis as well, the larger of the two.
    AggregatorOptions options;
    options.coastMs = 500;
    AudienceAggregator withFaces(standardConfig(), options);
    auto faces = frame(T0, {person(1, InA, 0.9f, true, true)});
    faces.facesRan = true;
    withFaces.observe(faces);
    QCOMPARE(withFaces.settleMs(), qint64(2000)); // attention_min_s + 1 s > 1 s + 0.5 s
}

void TestPredictedObservations::coastingAcrossAWindowEndIsAttributedCorrectly()
{
    // Detected in a 50-59.5 s, coasting until 61 s: the exit is decided at 62 s, after the
    // first window's end + 1 s. The window waits for it.
    AudienceAggregator agg(standardConfig());
    const auto tracks = script(1, {{50'000, 59'500, InA}, {59'600, 61'000, InA, true}});
    run(agg, T0, T0 + 62'400, tracks);
    QVERIFY(!agg.hasClosedWindows());
    run(agg, T0 + 62'500, T0 + 125'000, tracks);
    const auto windows = ofZone(agg.takeClosedWindows(), QStringLiteral("a"));
    QCOMPARE(windows.size(), 2);
    QCOMPARE(windows[0].entries, 1);
    QCOMPARE(windows[0].exits, 1);
    QCOMPARE(windows[0].meanDwellS, 9.5);
    QCOMPARE(windows[0].meanOccupancy, 9.5 / 60.0);
    QCOMPARE(windows[1].ots, 0);
    QCOMPARE(windows[1].exits, 0);
    QCOMPARE(windows[1].meanOccupancy, 0.0);
}

void TestPredictedObservations::finishWhileCoastingEndsAtTheLastDetection()
{
    AudienceAggregator agg(standardConfig());
    run(agg, T0, T0 + 10'500, script(1, {{2'000, 10'000, InA}, {10'100, 10'500, InA, true}}));
    agg.finish(T0 + 30'000);
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.endMs, T0 + 30'000);
    QCOMPARE(a.exits, 1);
    QCOMPARE(a.meanDwellS, 8.0);
    QCOMPARE(a.meanOccupancy, 8.0 / 30.0);
}

void TestPredictedObservations::coastOptionZero()
{
    // coastMs = 0: predictions are absence, so the 1.5 s coasting after 10 s is an exit at 11 s.
    AggregatorOptions options;
    options.coastMs = 0;
    AudienceAggregator agg(standardConfig(), options);
    const auto tracks = script(1, {{2'000, 10'000, InA}, {10'100, 11'500, InA, true}});
    run(agg, T0, T0 + 10'900, tracks);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 1);
    run(agg, T0 + 11'000, T0 + 11'000, tracks);
    QCOMPARE(agg.occupancy(QStringLiteral("a")), 0);
    QCOMPARE(agg.settleMs(), qint64(1000));
    run(agg, T0 + 11'100, T0 + 62'000, tracks);
    const AudienceWindow a = agg.takeClosedWindows().first();
    QCOMPARE(a.exits, 1);
    QCOMPARE(a.meanDwellS, 8.0);
}

QTEST_GUILESS_MAIN(TestPredictedObservations)
#include "TestPredictedObservations.moc"
