// Demographic windows: straight into the zone histogram, once per track per window, k-suppressed,
// >= 5 minutes only, nothing at all when disabled.
#include "SyntheticScene.h"

#include "analytics/AudienceAggregator.h"

#include <QTest>

using namespace signiq::analytics;
using namespace signiq::analytics::synthetic;
using signiq::core::AgeBand;
using signiq::core::DemographicSample;
using signiq::core::DemographicWindow;
using signiq::core::FrameObservations;
using signiq::core::Gender;
using signiq::core::TrackId;
using signiq::core::TrackObservation;
using signiq::core::ZoneConfig;

namespace {

constexpr qint64 D0 = 1'700'000'100'000; // a multiple of 5 minutes since the epoch
constexpr qint64 FiveMin = 300'000;

ZoneConfig demographicsConfig(bool enabled = true)
{
    ZoneConfig c = standardConfig();
    c.audience.demographics = enabled;
    return c;
}

DemographicSample sample(TrackId id, float age, Gender gender)
{
    return DemographicSample{id, age, gender, 0.9f};
}

// `people` tracks stand in zone a (ids 1..people) and `inB` in zone b (ids 101..) for the whole
// run; at `sampleAtMs` (relative to D0) every one of them gets a sample of the given age/gender,
// repeated `repeats` times on consecutive frames.
struct Crowd {
    int people = 0;
    int inB = 0;
    float age = 30.f;
    Gender gender = Gender::Female;
    qint64 sampleAtMs = 10'000;
    int repeats = 1;
};

void playCrowd(AudienceAggregator &agg, qint64 fromMs, qint64 toMs, const Crowd &crowd, qint64 stepMs = 1000)
{
    for (qint64 t = fromMs; t <= toMs; t += stepMs) {
        FrameObservations f = frame(D0 + t);
        for (int i = 1; i <= crowd.people; ++i)
            f.tracks.append(person(TrackId(i), InA));
        for (int i = 1; i <= crowd.inB; ++i)
            f.tracks.append(person(TrackId(100 + i), InB));
        if (t >= crowd.sampleAtMs && t < crowd.sampleAtMs + crowd.repeats * stepMs) {
            for (int i = 1; i <= crowd.people; ++i)
                f.demographics.append(sample(TrackId(i), crowd.age, crowd.gender));
            for (int i = 1; i <= crowd.inB; ++i)
                f.demographics.append(sample(TrackId(100 + i), crowd.age, crowd.gender));
        }
        agg.observe(f);
    }
}

DemographicWindow ofZone(const QList<DemographicWindow> &windows, const QString &zone, int index = 0)
{
    int seen = 0;
    for (const DemographicWindow &w : windows) {
        if (w.zone == zone && seen++ == index)
            return w;
    }
    return {};
}

constexpr size_t band25 = size_t(AgeBand::From25To34);

} // namespace

class TestDemographics : public QObject {
    Q_OBJECT

private slots:
    void suppression_data();
    void suppression();
    void onlyWindowsOfFiveMinutesOrMore();
    void longerDemographicWindows();
    void disabledAccumulatesNothing();
    void sampledOncePerTrackPerWindow();
    void sampleGoesToTheZoneOfTheMoment();
    void bandsAndGenders();
};

void TestDemographics::suppression_data()
{
    QTest::addColumn<int>("people");
    QTest::addColumn<bool>("shown");
    QTest::newRow("9 people: suppressed") << 9 << false;
    QTest::newRow("10 people: shown") << 10 << true;
}

void TestDemographics::suppression()
{
    QFETCH(int, people);
    QFETCH(bool, shown);
    AggregatorOptions options;
    options.demographicModelVersion = QStringLiteral("agegender@1234");
    AudienceAggregator agg(demographicsConfig(), options);
    playCrowd(agg, 0, FiveMin, Crowd{people, 0, 30.f, Gender::Female});
    QVERIFY(agg.hasClosedDemographicWindows()); // closed by the first frame at its end
    const auto windows = agg.takeClosedDemographicWindows();
    QCOMPARE(windows.size(), 2); // zones a and b
    const DemographicWindow a = ofZone(windows, QStringLiteral("a"));
    QCOMPARE(a.startMs, D0);
    QCOMPARE(a.endMs, D0 + FiveMin);
    QCOMPARE(a.k, 10);
    QCOMPARE(a.modelVersion, QStringLiteral("agegender@1234"));
    QCOMPARE(a.calibrationVersion, demographicsConfig().version());
    QCOMPARE(a.suppressed[band25][0], !shown);
    QCOMPARE(a.counts[band25][0], shown ? people : 0); // the hidden value is not in the output
    for (size_t band = 0; band < size_t(signiq::core::AgeBandCount); ++band) {
        QVERIFY(a.suppressed[band][1]); // 0 < k
        QCOMPARE(a.counts[band][1], 0);
    }
    const DemographicWindow b = ofZone(windows, QStringLiteral("b"));
    QVERIFY(b.suppressed[band25][0]);
    QVERIFY(!agg.hasClosedDemographicWindows());
}

void TestDemographics::onlyWindowsOfFiveMinutesOrMore()
{
    AudienceAggregator agg(demographicsConfig());
    // Starts 1 minute into a demographic window: the first one lasts 4 minutes.
    playCrowd(agg, 60'000, FiveMin - 1'000, Crowd{12, 0, 30.f, Gender::Female, 70'000});
    playCrowd(agg, FiveMin, FiveMin + 200'000, Crowd{12, 0, 30.f, Gender::Male, FiveMin + 10'000});
    QVERIFY(!agg.hasClosedDemographicWindows()); // the 4-minute window produced nothing
    agg.finish(D0 + FiveMin + 200'000);          // the last one lasted 200 s: nothing either
    QVERIFY(agg.takeClosedDemographicWindows().isEmpty());
    QVERIFY(!agg.takeClosedWindows().isEmpty()); // the 1-minute windows are unaffected

    // finish() exactly at a full window's end emits it.
    playCrowd(agg, 0, FiveMin - 1'000, Crowd{12, 0, 30.f, Gender::Male});
    agg.finish(D0 + FiveMin);
    const auto windows = agg.takeClosedDemographicWindows();
    QCOMPARE(windows.size(), 2);
    QCOMPARE(ofZone(windows, QStringLiteral("a")).counts[band25][1], 12);
}

void TestDemographics::longerDemographicWindows()
{
    ZoneConfig config = demographicsConfig();
    config.audience.demographicWindowS = 600;
    AudienceAggregator agg(config);
    // D0 + 300 000 is a multiple of 10 minutes. A run starting 4 minutes into a 10-minute
    // window: its first window lasts 6 minutes (>= 5).
    playCrowd(agg, 540'000, 900'000, Crowd{10, 0, 30.f, Gender::Female, 550'000});
    const auto windows = agg.takeClosedDemographicWindows();
    QCOMPARE(windows.size(), 2);
    QCOMPARE(ofZone(windows, QStringLiteral("a")).startMs, D0 + 540'000);
    QCOMPARE(ofZone(windows, QStringLiteral("a")).endMs, D0 + 900'000);
    QCOMPARE(ofZone(windows, QStringLiteral("a")).counts[band25][0], 10);
}

void TestDemographics::disabledAccumulatesNothing()
{
    AudienceAggregator agg(demographicsConfig(false));
    playCrowd(agg, 0, 60'000, Crowd{12, 0, 30.f, Gender::Female, 1'000});
    QVERIFY(!agg.wantsDemographicSample(1));
    playCrowd(agg, 61'000, 2 * FiveMin, Crowd{12, 0, 30.f, Gender::Female, 70'000, 5});
    agg.finish(D0 + 2 * FiveMin);
    QVERIFY(agg.takeClosedDemographicWindows().isEmpty());
}

void TestDemographics::sampledOncePerTrackPerWindow()
{
    AudienceAggregator agg(demographicsConfig());
    // 9 people, each sampled on 3 frames: still 9, suppressed.
    playCrowd(agg, 0, 5'000, Crowd{9, 0, 30.f, Gender::Female, 100'000});
    QVERIFY(agg.wantsDemographicSample(1));
    QVERIFY(!agg.wantsDemographicSample(999)); // unknown track
    playCrowd(agg, 6'000, FiveMin - 1'000, Crowd{9, 0, 30.f, Gender::Female, 10'000, 3});
    QVERIFY(!agg.wantsDemographicSample(1)); // sampled in this window
    playCrowd(agg, FiveMin, FiveMin, Crowd{9, 0, 30.f, Gender::Female, 10'000});
    QVERIFY(agg.wantsDemographicSample(1)); // a new window: may be sampled again
    const auto windows = agg.takeClosedDemographicWindows();
    QVERIFY(ofZone(windows, QStringLiteral("a")).suppressed[band25][0]);

    // In the next window the same people are sampled again (once each).
    playCrowd(agg, FiveMin + 1'000, 2 * FiveMin, Crowd{10, 0, 30.f, Gender::Female, FiveMin + 5'000, 4});
    const auto next = agg.takeClosedDemographicWindows();
    QCOMPARE(ofZone(next, QStringLiteral("a")).counts[band25][0], 10);
}

void TestDemographics::sampleGoesToTheZoneOfTheMoment()
{
    AudienceAggregator agg(demographicsConfig());
    // 10 in a and 10 in b; then 10 more standing in the corridor (no zone) get samples too.
    for (qint64 t = 0; t <= FiveMin; t += 1000) {
        FrameObservations f = frame(D0 + t);
        for (int i = 1; i <= 10; ++i) {
            f.tracks << person(TrackId(i), InA) << person(TrackId(100 + i), InB) << person(TrackId(200 + i), Corridor);
            if (t == 10'000) {
                f.demographics << sample(TrackId(i), 40.f, Gender::Male) << sample(TrackId(100 + i), 20.f, Gender::Female)
                               << sample(TrackId(200 + i), 40.f, Gender::Male) << sample(TrackId(300 + i), 40.f, Gender::Male);
            }
        }
        if (t == 5'000) {
            QVERIFY(agg.wantsDemographicSample(1));
            QVERIFY(agg.wantsDemographicSample(101));
            QVERIFY(!agg.wantsDemographicSample(201)); // in no zone: no estimate wanted
        }
        agg.observe(f);
    }
    const auto windows = agg.takeClosedDemographicWindows();
    const DemographicWindow a = ofZone(windows, QStringLiteral("a"));
    const DemographicWindow b = ofZone(windows, QStringLiteral("b"));
    QCOMPARE(a.counts[size_t(AgeBand::From35To44)][1], 10); // the corridor samples went nowhere
    QVERIFY(a.suppressed[size_t(AgeBand::From18To24)][0]);
    QCOMPARE(b.counts[size_t(AgeBand::From18To24)][0], 10);
    QVERIFY(b.suppressed[size_t(AgeBand::From35To44)][1]);
}

void TestDemographics::bandsAndGenders()
{
    ZoneConfig config = demographicsConfig();
    config.audience.k = 5;
    AudienceAggregator agg(config);
    const QList<std::pair<float, size_t>> ages = {{17.9f, 0}, {18.f, 1}, {34.9f, 2}, {64.9f, 5}, {65.f, 6}, {-1.f, 99}};
    qint64 t = 0;
    TrackId next = 1;
    for (const auto &[age, band] : ages) {
        Q_UNUSED(band);
        // 5 people of this age, females then 5 males.
        for (const Gender gender : {Gender::Female, Gender::Male}) {
            FrameObservations f = frame(D0 + t);
            for (int i = 0; i < 5; ++i) {
                const TrackId id = next++;
                f.tracks << person(id, InA);
                f.demographics << sample(id, age, gender);
            }
            agg.observe(f);
            t += 100;
        }
    }
    agg.finish(D0 + FiveMin);
    const DemographicWindow a = ofZone(agg.takeClosedDemographicWindows(), QStringLiteral("a"));
    int shown = 0;
    for (size_t band = 0; band < size_t(signiq::core::AgeBandCount); ++band) {
        for (size_t g = 0; g < 2; ++g) {
            if (!a.suppressed[band][g]) {
                ++shown;
                QCOMPARE(a.counts[band][g], 5);
            }
        }
    }
    QCOMPARE(shown, 10); // the negative age was dropped
    for (size_t band : {0, 1, 2, 5, 6}) {
        QVERIFY(!a.suppressed[band][0]);
        QVERIFY(!a.suppressed[band][1]);
    }
}

QTEST_GUILESS_MAIN(TestDemographics)
#include "TestDemographics.moc"
