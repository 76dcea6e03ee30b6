#include "analytics/ZoneMembership.h"

#include <QTest>

using signiq::analytics::Hysteresis;
using signiq::analytics::Visit;
using signiq::analytics::ZoneMembership;
using State = ZoneMembership::State;
using Sighting = ZoneMembership::Sighting;

namespace {

// Feeds observations every 100 ms from fromMs to toMs inclusive; returns every transition.
struct Recorder {
    ZoneMembership membership{Hysteresis{500, 1000}};
    QList<std::pair<qint64, ZoneMembership::Transition>> events;

    void feed(qint64 fromMs, qint64 toMs, bool inside, qint64 stepMs = 100)
    {
        feed(fromMs, toMs, inside ? Sighting::Inside : Sighting::Outside, stepMs);
    }

    void feed(qint64 fromMs, qint64 toMs, Sighting sighting, qint64 stepMs = 100)
    {
        for (qint64 t = fromMs; t <= toMs; t += stepMs) {
            const auto tr = membership.observe(t, sighting);
            if (tr.entered || tr.exited)
                events.append({t, tr});
        }
    }
};

} // namespace

class TestZoneMembership : public QObject {
    Q_OBJECT

private slots:
    void startsOutside();
    void entryAfterHysteresis_data();
    void entryAfterHysteresis();
    void blipInsideIsNoEntry();
    void exitAfterHysteresis_data();
    void exitAfterHysteresis();
    void blipOutsideIsNoExit();
    void missingCountsAsOutside();
    void endClosesOpenVisit();
    void endAfterLeavingUsesLastInside();
    void endDropsCandidate();
    void fromSecondsRounds();
    void predictionsAloneStartNoVisit();
    void predictionsKeepCandidateOnlyDetectionConfirms();
    void coastingDoesNotExtendVisit();
    void shortOcclusionKeepsVisit();
    void occlusionBridgedUpToCoastPlusExit();
    void predictionsBeyondCoastCountAsAbsent();
    void zeroCoastIgnoresPredictions();
    void endAfterPredictionUsesLastDetection();
};

void TestZoneMembership::startsOutside()
{
    ZoneMembership m{Hysteresis{500, 1000}};
    QCOMPARE(m.state(), State::Outside);
    QVERIFY(!m.visiting());
    const auto tr = m.observe(0, false);
    QVERIFY(!tr.entered && !tr.exited);
}

void TestZoneMembership::entryAfterHysteresis_data()
{
    QTest::addColumn<qint64>("insideForMs");
    QTest::addColumn<bool>("entered");
    QTest::newRow("0.4 s") << qint64(400) << false;
    QTest::newRow("0.5 s exactly") << qint64(500) << true;
    QTest::newRow("3 s") << qint64(3000) << true;
}

void TestZoneMembership::entryAfterHysteresis()
{
    QFETCH(qint64, insideForMs);
    QFETCH(bool, entered);
    Recorder r;
    r.feed(10'000, 10'000 + insideForMs, true);
    QCOMPARE(r.membership.visiting(), entered);
    if (!entered) {
        QCOMPARE(r.membership.state(), State::Entering);
        QVERIFY(r.events.isEmpty());
        return;
    }
    QCOMPARE(r.events.size(), 1);
    QCOMPARE(r.events[0].first, 10'500); // decided when the hysteresis expired ...
    QVERIFY(r.events[0].second.entered);
    QCOMPARE(r.events[0].second.visit.startMs, 10'000); // ... but the visit starts at first sight
    QCOMPARE(r.membership.visitStartMs(), 10'000);
}

void TestZoneMembership::blipInsideIsNoEntry()
{
    Recorder r;
    r.feed(0, 1000, false);
    r.feed(1100, 1500, true); // 0.4 s
    r.feed(1600, 3000, false);
    QVERIFY(r.events.isEmpty());
    QCOMPARE(r.membership.state(), State::Outside);

    // A later, long enough stay starts its own candidate from scratch.
    r.feed(3100, 3600, true);
    QCOMPARE(r.events.size(), 1);
    QCOMPARE(r.events[0].second.visit.startMs, 3100);
}

void TestZoneMembership::exitAfterHysteresis_data()
{
    QTest::addColumn<qint64>("outsideUntilMs"); // outside observations from 20.1 s to this
    QTest::addColumn<bool>("exited");
    QTest::newRow("0.9 s after last inside") << qint64(20'900) << false;
    QTest::newRow("1.0 s after last inside") << qint64(21'000) << true;
}

void TestZoneMembership::exitAfterHysteresis()
{
    QFETCH(qint64, outsideUntilMs);
    QFETCH(bool, exited);
    Recorder r;
    r.feed(10'000, 20'000, true);
    r.feed(20'100, outsideUntilMs, false);
    const bool sawExit = !r.events.isEmpty() && r.events.last().second.exited;
    QCOMPARE(sawExit, exited);
    if (exited) {
        QCOMPARE(r.events.last().first, 21'000);
        QCOMPARE(r.events.last().second.visit, (Visit{10'000, 20'000}));
        QCOMPARE(r.events.last().second.visit.dwellS(), 10.0);
        QCOMPARE(r.membership.state(), State::Outside);
    } else {
        QCOMPARE(r.membership.state(), State::Leaving);
        QVERIFY(r.membership.visiting());
    }
}

void TestZoneMembership::blipOutsideIsNoExit()
{
    Recorder r;
    r.feed(10'000, 20'000, true);
    r.feed(20'100, 20'900, false); // 0.9 s since the last inside observation at most
    r.feed(21'000, 30'000, true);
    r.feed(30'100, 32'000, false);
    QCOMPARE(r.events.size(), 2);
    QVERIFY(r.events[0].second.entered);
    QVERIFY(r.events[1].second.exited);
    QCOMPARE(r.events[1].second.visit, (Visit{10'000, 30'000}));
}

void TestZoneMembership::missingCountsAsOutside()
{
    // Sparse observations: a long gap since the last inside observation ends the visit at
    // the next observation that is not inside, at the last inside time.
    ZoneMembership m{Hysteresis{500, 1000}};
    QVERIFY(!m.observe(0, true).entered);
    QVERIFY(m.observe(600, true).entered);
    const auto tr = m.observe(5000, false);
    QVERIFY(tr.exited);
    QCOMPARE(tr.visit, (Visit{0, 600}));
}

void TestZoneMembership::endClosesOpenVisit()
{
    Recorder r;
    r.feed(0, 2000, true);
    const auto tr = r.membership.end(2500);
    QVERIFY(tr.exited);
    QCOMPARE(tr.visit, (Visit{0, 2500}));
    QCOMPARE(r.membership.state(), State::Outside);
}

void TestZoneMembership::endAfterLeavingUsesLastInside()
{
    Recorder r;
    r.feed(0, 2000, true);
    r.feed(2100, 2500, false);
    const auto tr = r.membership.end(2600);
    QVERIFY(tr.exited);
    QCOMPARE(tr.visit, (Visit{0, 2000}));
}

void TestZoneMembership::endDropsCandidate()
{
    Recorder r;
    r.feed(0, 300, true);
    const auto tr = r.membership.end(400);
    QVERIFY(!tr.exited && !tr.entered);
    QCOMPARE(r.membership.state(), State::Outside);
}

void TestZoneMembership::fromSecondsRounds()
{
    const Hysteresis h = Hysteresis::fromSeconds(0.5, 1.0004);
    QCOMPARE(h.enterAfterMs, 500);
    QCOMPARE(h.exitAfterMs, 1000);
    QCOMPARE(h.coastMs, Hysteresis::DefaultCoastMs);
    QCOMPARE(Hysteresis::fromSeconds(0.5, 1.0, 800).coastMs, 800);
    QCOMPARE(Hysteresis::fromSeconds(0.5, 1.0, -5).coastMs, 0);
}

void TestZoneMembership::predictionsAloneStartNoVisit()
{
    Recorder r;
    r.feed(0, 5000, Sighting::PredictedInside);
    QVERIFY(r.events.isEmpty());
    QCOMPARE(r.membership.state(), State::Outside);
}

void TestZoneMembership::predictionsKeepCandidateOnlyDetectionConfirms()
{
    Recorder r;
    r.feed(0, 0, Sighting::Inside);
    r.feed(100, 900, Sighting::PredictedInside); // 0.9 s since first sight, but predicted
    QVERIFY(r.events.isEmpty());
    QCOMPARE(r.membership.state(), State::Entering);
    r.feed(1000, 1000, Sighting::Inside); // the next detection confirms the entry
    QCOMPARE(r.events.size(), 1);
    QCOMPARE(r.events[0].first, 1000);
    QCOMPARE(r.events[0].second.visit, (Visit{0, 1000}));

    // A prediction outside cancels a candidate like a detection outside.
    Recorder c;
    c.feed(0, 200, Sighting::Inside);
    c.feed(300, 300, Sighting::Outside);
    c.feed(400, 600, Sighting::PredictedInside);
    c.feed(700, 700, Sighting::Inside);
    QVERIFY(c.events.isEmpty());
    QCOMPARE(c.membership.visitStartMs(), 700);
}

void TestZoneMembership::coastingDoesNotExtendVisit()
{
    // Detected inside until 10 s, then the tracker coasts for 1.5 s and the track disappears.
    Recorder r;
    r.feed(0, 10'000, Sighting::Inside);
    r.feed(10'100, 11'500, Sighting::PredictedInside);
    QCOMPARE(r.membership.state(), State::Inside); // still present where predicted
    QCOMPARE(r.membership.lastInsideMs(), 10'000);
    QCOMPARE(r.membership.lastPresentMs(), 11'500);
    r.feed(11'600, 13'000, false);
    QCOMPARE(r.events.size(), 2);
    QCOMPARE(r.events[1].first, 12'500); // exit hysteresis from the last presence ...
    QCOMPARE(r.events[1].second.visit, (Visit{0, 10'000})); // ... but the visit ends at the last detection
    QCOMPARE(r.events[1].second.visit.dwellS(), 10.0);
}

void TestZoneMembership::shortOcclusionKeepsVisit()
{
    Recorder r;
    r.feed(0, 5000, Sighting::Inside);
    r.feed(5100, 5800, Sighting::PredictedInside); // 0.8 s occlusion
    r.feed(5900, 8000, Sighting::Inside);
    QCOMPARE(r.events.size(), 1); // the entry only
    r.feed(8100, 9500, false);
    QCOMPARE(r.events.size(), 2);
    QCOMPARE(r.events[1].second.visit, (Visit{0, 8000}));
}

void TestZoneMembership::occlusionBridgedUpToCoastPlusExit()
{
    // Coasting for 1.5 s, then 0.9 s without the track: re-found 2.4 s after the last detection.
    Recorder r;
    r.feed(0, 5000, Sighting::Inside);
    r.feed(5100, 6500, Sighting::PredictedInside);
    r.feed(6600, 7400, false);
    QCOMPARE(r.membership.state(), State::Leaving);
    r.feed(7500, 9000, Sighting::Inside);
    QCOMPARE(r.events.size(), 1);
    QCOMPARE(r.membership.state(), State::Inside);
    QCOMPARE(r.membership.visitStartMs(), 0);

    // 1.0 s without the track after the coasting is an exit.
    Recorder gone;
    gone.feed(0, 5000, Sighting::Inside);
    gone.feed(5100, 6500, Sighting::PredictedInside);
    gone.feed(6600, 7500, false);
    QCOMPARE(gone.events.size(), 2);
    QCOMPARE(gone.events[1].first, 7500);
    QCOMPARE(gone.events[1].second.visit, (Visit{0, 5000}));
}

void TestZoneMembership::predictionsBeyondCoastCountAsAbsent()
{
    // Predictions more than coastMs (1.5 s) after the last detection inside are no presence:
    // the exit comes 1 s after the last prediction that still counted.
    Recorder r;
    r.feed(0, 1000, Sighting::Inside);
    r.feed(1100, 6000, Sighting::PredictedInside);
    QCOMPARE(r.events.size(), 2);
    QCOMPARE(r.events[1].first, 3500);
    QCOMPARE(r.membership.lastPresentMs(), 2500);
    QCOMPARE(r.events[1].second.visit, (Visit{0, 1000}));

    // The same limit applies to a candidate.
    Recorder c;
    c.feed(0, 0, Sighting::Inside);
    c.feed(100, 1500, Sighting::PredictedInside);
    QCOMPARE(c.membership.state(), State::Entering);
    c.feed(1600, 1600, Sighting::PredictedInside);
    QCOMPARE(c.membership.state(), State::Outside);
    QVERIFY(c.events.isEmpty());
}

void TestZoneMembership::zeroCoastIgnoresPredictions()
{
    ZoneMembership m{Hysteresis{500, 1000, 0}};
    QVERIFY(!m.observe(0, Sighting::Inside).entered);
    QVERIFY(m.observe(500, Sighting::Inside).entered);
    QVERIFY(!m.observe(600, Sighting::PredictedInside).exited);
    QCOMPARE(m.state(), State::Leaving);
    const auto tr = m.observe(1500, Sighting::PredictedInside);
    QVERIFY(tr.exited);
    QCOMPARE(tr.visit, (Visit{0, 500}));
}

void TestZoneMembership::endAfterPredictionUsesLastDetection()
{
    Recorder r;
    r.feed(0, 2000, Sighting::Inside);
    r.feed(2100, 2500, Sighting::PredictedInside);
    const auto tr = r.membership.end(10'000);
    QVERIFY(tr.exited);
    QCOMPARE(tr.visit, (Visit{0, 2000})); // not the shutdown time: the track was only predicted

    // Detected again after the predictions: ends at the shutdown as usual.
    Recorder d;
    d.feed(0, 2000, Sighting::Inside);
    d.feed(2100, 2500, Sighting::PredictedInside);
    d.feed(2600, 2600, Sighting::Inside);
    QCOMPARE(d.membership.end(10'000).visit, (Visit{0, 10'000}));
}

QTEST_GUILESS_MAIN(TestZoneMembership)
#include "TestZoneMembership.moc"
