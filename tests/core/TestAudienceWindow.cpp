// JSON of audience windows (attention fields) and demographic windows; age bands.
#include "core/AudienceWindow.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace signiq::core;

class TestAudienceWindow : public QObject {
    Q_OBJECT

private slots:
    void attentionFieldsRoundTrip();
    void olderJsonWithoutAttentionFields();
    void walkingDirectionsOptional();
    void lowConfidencePoseFlag();
    void ageBands_data();
    void ageBands();
    void demographicJsonHidesSuppressedCells();
};

void TestAudienceWindow::attentionFieldsRoundTrip()
{
    AudienceWindow w;
    w.zone = QStringLiteral("front");
    w.startMs = 60'000;
    w.endMs = 120'000;
    w.viewers = 3;
    w.attentionEvents = 5;
    w.attentionTimeS = 12.5;
    w.meanAttentionS = 12.5 / 3;
    w.attentionRate = 0.125;
    w.meanSpeedMps = 0.9;
    w.distanceBands = {{QStringLiteral("<2 m"), 40.0, 2, 7.5}, {QStringLiteral(">2 m"), 60.0, 3, 5.0}};
    const QJsonObject json = w.toJson();
    QCOMPARE(json.value(QStringLiteral("viewers")).toInt(), 3);
    QCOMPARE(json.value(QStringLiteral("attention_rate")).toDouble(), 0.125);
    QCOMPARE(json.value(QStringLiteral("distance_bands")).toArray().size(), 2);
    QCOMPARE(json.value(QStringLiteral("distance_bands")).toArray().at(0).toObject().value(QStringLiteral("band")).toString(),
             QStringLiteral("<2 m"));
    auto back = AudienceWindow::fromJson(json);
    QVERIFY(back.ok());
    QCOMPARE(*back, w);

    w.meanSpeedMps.reset();
    QVERIFY(w.toJson().value(QStringLiteral("mean_speed_mps")).isNull());
    QCOMPARE(*AudienceWindow::fromJson(w.toJson()), w);
}

void TestAudienceWindow::olderJsonWithoutAttentionFields()
{
    const QJsonObject old{{QStringLiteral("zone"), QStringLiteral("a")}, {QStringLiteral("start_ms"), 0}, {QStringLiteral("end_ms"), 60'000}};
    auto w = AudienceWindow::fromJson(old);
    QVERIFY(w.ok());
    QCOMPARE(w->viewers, 0);
    QCOMPARE(w->attentionTimeS, 0.0);
    QVERIFY(!w->meanSpeedMps.has_value());
    QVERIFY(w->distanceBands.isEmpty());
    QVERIFY(!w->walkingDirections.has_value());
}

void TestAudienceWindow::walkingDirectionsOptional()
{
    AudienceWindow w;
    w.zone = QStringLiteral("front");
    w.startMs = 0;
    w.endMs = 60'000;
    // Uncalibrated: the key is absent (not null), and it parses back as absent.
    QVERIFY(!w.toJson().contains(QStringLiteral("walking_directions")));
    QVERIFY(!AudienceWindow::fromJson(w.toJson())->walkingDirections.has_value());

    w.walkingDirections = WalkingDirections{12.5, 3.0, 0.0, 4.25};
    const QJsonObject json = w.toJson();
    const QJsonObject walk = json.value(QStringLiteral("walking_directions")).toObject();
    QCOMPARE(walk.size(), 4);
    QCOMPARE(walk.value(QStringLiteral("toward_s")).toDouble(), 12.5);
    QCOMPARE(walk.value(QStringLiteral("away_s")).toDouble(), 3.0);
    QCOMPARE(walk.value(QStringLiteral("left_s")).toDouble(), 0.0);
    QCOMPARE(walk.value(QStringLiteral("right_s")).toDouble(), 4.25);
    QCOMPARE(w.walkingDirections->totalS(), 19.75);
    auto back = AudienceWindow::fromJson(json);
    QVERIFY(back.ok());
    QCOMPARE(*back, w);

    // Calibrated but nobody walked: present, all zero.
    w.walkingDirections = WalkingDirections{};
    QVERIFY(w.toJson().value(QStringLiteral("walking_directions")).isObject());
    QVERIFY(AudienceWindow::fromJson(w.toJson())->walkingDirections == std::optional(WalkingDirections{}));

    // null reads as not measured.
    QJsonObject withNull = w.toJson();
    withNull.insert(QStringLiteral("walking_directions"), QJsonValue(QJsonValue::Null));
    QVERIFY(!AudienceWindow::fromJson(withNull)->walkingDirections.has_value());
}

void TestAudienceWindow::lowConfidencePoseFlag()
{
    QCOMPARE(qualityFlagNames(QualityLowConfidencePose | QualityUncalibrated),
             (QStringList{QStringLiteral("uncalibrated"), QStringLiteral("low_confidence_pose")}));
    QCOMPARE(*qualityFlagsFromNames({QStringLiteral("low_confidence_pose")}), quint32(QualityLowConfidencePose));
}

void TestAudienceWindow::ageBands_data()
{
    QTest::addColumn<double>("age");
    QTest::addColumn<QString>("band");
    QTest::newRow("0") << 0.0 << "0-17";
    QTest::newRow("17.99") << 17.99 << "0-17";
    QTest::newRow("18") << 18.0 << "18-24";
    QTest::newRow("24.9") << 24.9 << "18-24";
    QTest::newRow("25") << 25.0 << "25-34";
    QTest::newRow("35") << 35.0 << "35-44";
    QTest::newRow("45") << 45.0 << "45-54";
    QTest::newRow("55") << 55.0 << "55-64";
    QTest::newRow("64.99") << 64.99 << "55-64";
    QTest::newRow("65") << 65.0 << "65+";
    QTest::newRow("101") << 101.0 << "65+";
}

void TestAudienceWindow::ageBands()
{
    QFETCH(double, age);
    QFETCH(QString, band);
    QCOMPARE(ageBandName(*ageBandFor(age)), band);
    QVERIFY(!ageBandFor(-1.0).has_value());
    QVERIFY(!ageBandFor(std::numeric_limits<double>::quiet_NaN()).has_value());
}

void TestAudienceWindow::demographicJsonHidesSuppressedCells()
{
    DemographicWindow w;
    w.zone = QStringLiteral("front");
    w.startMs = 0;
    w.endMs = 300'000;
    w.k = 10;
    for (auto &row : w.suppressed)
        row = {true, true};
    w.counts[1][1] = 14;
    w.suppressed[1][1] = false;
    const QJsonObject json = w.toJson();
    const QJsonObject cells = json.value(QStringLiteral("cells")).toObject();
    QCOMPARE(cells.size(), AgeBandCount);
    QVERIFY(cells.value(QStringLiteral("18-24")).toObject().value(QStringLiteral("female")).isNull());
    QCOMPARE(cells.value(QStringLiteral("18-24")).toObject().value(QStringLiteral("male")).toInt(), 14);
    QVERIFY(cells.value(QStringLiteral("65+")).toObject().value(QStringLiteral("male")).isNull());
    QCOMPARE(json.value(QStringLiteral("k")).toInt(), 10);
    auto back = DemographicWindow::fromJson(json);
    QVERIFY(back.ok());
    QCOMPARE(*back, w);
}

QTEST_GUILESS_MAIN(TestAudienceWindow)
#include "TestAudienceWindow.moc"
