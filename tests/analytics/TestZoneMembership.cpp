#include "analytics/ZoneMembership.h"

#include <QTest>

using signiq::analytics::Hysteresis;
using signiq::analytics::Visit;
using signiq::analytics::ZoneMembership;
using State = ZoneMembership::State;

namespace {

// Feeds observations every 100 ms from fromMs to toMs inclusive; returns every transition.
struct Recorder {
    ZoneMembership membership{Hysteresis{500, 1000}};
    QList<std::pair<qint64, ZoneMembership::Transition>> events;

    void feed(qint64 fromMs, qint64 toMs, bool inside, qint64 stepMs = 100)
    {
        for (qint64 t = fromMs; t <= toMs; t += stepMs) {
            const auto tr = membership.observe(t, inside);
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
}

QTEST_GUILESS_MAIN(TestZoneMembership)
#include "TestZoneMembership.moc"
