#include "core/ZoneConfig.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include "JsonVariant.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <numbers>

using signiq::core::CountingLine;
using signiq::core::ErrorCode;
using signiq::core::Zone;
using signiq::core::ZoneConfig;

namespace {

const QByteArray kValid = R"({"zones":[
      {"name":"entrance","polygon":[[0.0,0.5],[1.0,0.5],[1.0,1.0],[0.0,1.0]]},
      {"name":"shelf","polygon":[[0.1,0.1],[0.4,0.1],[0.25,0.4]]}],
    "lines":[{"name":"door","zone":"entrance","from":[0.2,0.6],"to":[0.8,0.6]}],
    "enter_after_s":0.5,"exit_after_s":1.0,"window_s":60,"transition_max_gap_s":10})";

// kValid with `from` replaced by `to` once.
QByteArray variant(const QByteArray &from, const QByteArray &to)
{
    return signiq::test::replacedOnce(kValid, from, to);
}

} // namespace

class TestZoneConfig : public QObject {
    Q_OBJECT

private slots:
    void parsesValidConfig();
    void optionalKeysTakeDefaults();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void malformedJsonNamesOffset();
    void roundTripIsCanonical();
    void versionIsStable();
    void versionChangesWithAnyChange_data();
    void versionChangesWithAnyChange();
    void validateCatchesCodeBuiltConfigs();
    void containsConvex_data();
    void containsConvex();
    void containsConcave_data();
    void containsConcave();
    void containsSelfIntersectingUsesEvenOdd();
    void fromFile();
};

void TestZoneConfig::parsesValidConfig()
{
    auto config = ZoneConfig::fromJson(kValid);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QCOMPARE(config->zones.size(), 2);
    QCOMPARE(config->zones[0].name, QStringLiteral("entrance"));
    QCOMPARE(config->zones[0].polygon.size(), 4);
    QCOMPARE(config->zones[0].polygon[1], QPointF(1.0, 0.5));
    QCOMPARE(config->zones[1].name, QStringLiteral("shelf"));
    QCOMPARE(config->lines.size(), 1);
    const CountingLine &line = config->lines[0];
    QCOMPARE(line.name, QStringLiteral("door"));
    QCOMPARE(line.zone, QStringLiteral("entrance"));
    QCOMPARE(line.a, QPointF(0.2, 0.6));
    QCOMPARE(line.b, QPointF(0.8, 0.6));
    QCOMPARE(config->enterAfterS, 0.5);
    QCOMPARE(config->exitAfterS, 1.0);
    QCOMPARE(config->windowS, 60.0);
    QCOMPARE(config->transitionMaxGapS, 10.0);
    QCOMPARE(config->zoneIndex(QStringLiteral("shelf")), 1);
    QCOMPARE(config->zoneIndex(QStringLiteral("nope")), -1);
}

void TestZoneConfig::optionalKeysTakeDefaults()
{
    auto config = ZoneConfig::fromJson(R"({"zones":[{"name":"z","polygon":[[0,0],[1,0],[1,1]]}]})");
    QVERIFY(config.ok());
    const ZoneConfig defaults;
    QCOMPARE(config->enterAfterS, defaults.enterAfterS);
    QCOMPARE(config->exitAfterS, defaults.exitAfterS);
    QCOMPARE(config->windowS, defaults.windowS);
    QCOMPARE(config->transitionMaxGapS, defaults.transitionMaxGapS);
    QVERIFY(config->lines.isEmpty());

    // Stating the defaults explicitly is the same configuration, with the same version.
    auto explicitConfig = ZoneConfig::fromJson(
        R"({"zones":[{"name":"z","polygon":[[0,0],[1,0],[1,1]]}],"lines":[],
            "enter_after_s":0.5,"exit_after_s":1,"window_s":60.0,"transition_max_gap_s":10})");
    QVERIFY(explicitConfig.ok());
    QCOMPARE(*explicitConfig, *config);
    QCOMPARE(explicitConfig->version(), config->version());
}

void TestZoneConfig::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    QTest::newRow("root not an object") << QByteArray("[1,2]") << "(root): must be a JSON object";
    QTest::newRow("unknown root key") << variant(R"("window_s":60)", R"("window_s":60,"colour":"red")")
                                      << "colour: unknown key";
    QTest::newRow("unknown zone key") << variant(R"({"name":"shelf",)", R"({"name":"shelf","colour":"red",)")
                                      << "zones[1].colour: unknown key";
    QTest::newRow("unknown line key") << variant(R"("name":"door",)", R"("name":"door","width":2,)")
                                      << "lines[0].width: unknown key";
    QTest::newRow("zones missing") << QByteArray(R"({"window_s":60})") << "zones: missing";
    QTest::newRow("zones not array") << QByteArray(R"({"zones":{}})") << "zones: must be an array";
    QTest::newRow("no zones") << QByteArray(R"({"zones":[]})") << "zones: at least one zone is required";
    QTest::newRow("zone not object") << QByteArray(R"({"zones":[3]})") << "zones[0]: must be an object";
    QTest::newRow("zone name missing") << variant(R"("name":"shelf",)", "") << "zones[1].name: missing";
    QTest::newRow("zone name not string") << variant(R"("name":"shelf")", R"("name":7)")
                                          << "zones[1].name: must be a string";
    QTest::newRow("zone name empty") << variant(R"("name":"shelf")", R"("name":"  ")")
                                     << "zones[1].name: must not be empty";
    QTest::newRow("zone name padded") << variant(R"("name":"shelf")", R"("name":" shelf")")
                                      << "zones[1].name: must not start or end with white space";
    QTest::newRow("zone name too long") << variant(R"("name":"shelf")", QByteArray("\"name\":\"" + QByteArray(65, 'x') + "\""))
                                        << "zones[1].name: longer than 64 characters";
    QTest::newRow("duplicate zone name") << variant(R"("name":"shelf")", R"("name":"entrance")")
                                         << "zones[1].name: duplicate zone name 'entrance'";
    QTest::newRow("polygon missing") << variant(R"(,"polygon":[[0.1,0.1],[0.4,0.1],[0.25,0.4]])", "")
                                     << "zones[1].polygon: missing";
    QTest::newRow("polygon not array") << variant(R"([[0.1,0.1],[0.4,0.1],[0.25,0.4]])", R"("square")")
                                       << "zones[1].polygon: must be an array of points [x, y]";
    QTest::newRow("polygon two points") << variant(R"([[0.1,0.1],[0.4,0.1],[0.25,0.4]])", R"([[0.1,0.1],[0.4,0.1]])")
                                        << "zones[1].polygon: needs at least 3 points, has 2";
    QTest::newRow("point three numbers") << variant(R"([0.4,0.1])", R"([0.4,0.1,0.3])")
                                         << "zones[1].polygon[1]: must be a point [x, y]";
    QTest::newRow("point not array") << variant(R"([0.4,0.1])", R"({"x":0.4})")
                                     << "zones[1].polygon[1]: must be a point [x, y]";
    QTest::newRow("coordinate not number") << variant(R"([0.4,0.1])", R"(["0.4",0.1])")
                                           << "zones[1].polygon[1][0]: must be a number";
    QTest::newRow("coordinate null") << variant(R"([0.4,0.1])", R"([0.4,null])")
                                     << "zones[1].polygon[1][1]: must be a number";
    QTest::newRow("coordinate above 1") << variant(R"([0.4,0.1])", R"([0.4,1.5])")
                                        << "zones[1].polygon[1][1]: 1.5 is outside 0..1";
    QTest::newRow("coordinate negative") << variant(R"([0.4,0.1])", R"([-0.01,0.1])")
                                         << "zones[1].polygon[1][0]: -0.01 is outside 0..1";
    QTest::newRow("lines not array") << variant(R"("lines":[{"name":"door","zone":"entrance","from":[0.2,0.6],"to":[0.8,0.6]}])",
                                                R"("lines":"door")")
                                     << "lines: must be an array";
    QTest::newRow("line name missing") << variant(R"("name":"door",)", "") << "lines[0].name: missing";
    QTest::newRow("line zone missing") << variant(R"("zone":"entrance",)", "") << "lines[0].zone: missing";
    QTest::newRow("line unknown zone") << variant(R"("zone":"entrance")", R"("zone":"exit")")
                                       << "lines[0].zone: unknown zone 'exit'";
    QTest::newRow("line from missing") << variant(R"("from":[0.2,0.6],)", "") << "lines[0].from: missing";
    QTest::newRow("line to outside") << variant(R"("to":[0.8,0.6])", R"("to":[0.8,2])")
                                     << "lines[0].to[1]: 2 is outside 0..1";
    QTest::newRow("zero-length line") << variant(R"("to":[0.8,0.6])", R"("to":[0.2,0.6])")
                                      << "lines[0]: zero-length line ('from' equals 'to')";
    QTest::newRow("duplicate line name")
        << variant(R"("to":[0.8,0.6]})", R"("to":[0.8,0.6]},{"name":"door","zone":"shelf","from":[0,0],"to":[1,1]})")
        << "lines[1].name: duplicate line name 'door'";
    QTest::newRow("enter zero") << variant(R"("enter_after_s":0.5)", R"("enter_after_s":0)")
                                << "enter_after_s: must be greater than 0, is 0";
    QTest::newRow("exit negative") << variant(R"("exit_after_s":1.0)", R"("exit_after_s":-1)")
                                   << "exit_after_s: must be greater than 0, is -1";
    QTest::newRow("exit too long") << variant(R"("exit_after_s":1.0)", R"("exit_after_s":61)")
                                   << "exit_after_s: must be at most 60, is 61";
    QTest::newRow("enter not number") << variant(R"("enter_after_s":0.5)", R"("enter_after_s":"0.5")")
                                      << "enter_after_s: must be a number of seconds";
    QTest::newRow("gap zero") << variant(R"("transition_max_gap_s":10)", R"("transition_max_gap_s":0)")
                              << "transition_max_gap_s: must be greater than 0, is 0";
    QTest::newRow("window too short") << variant(R"("window_s":60)", R"("window_s":9.5)")
                                      << "window_s: must be between 10 and 86400, is 9.5";
    QTest::newRow("window negative") << variant(R"("window_s":60)", R"("window_s":-60)")
                                     << "window_s: must be between 10 and 86400, is -60";
    QTest::newRow("window fractional") << variant(R"("window_s":60)", R"("window_s":60.5)")
                                       << "window_s: must be a whole number of seconds, is 60.5";
}

void TestZoneConfig::rejectsBadInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto config = ZoneConfig::fromJson(json);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().message, message);
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY(!config.error().message.contains(QLatin1Char('\n')));
}

void TestZoneConfig::malformedJsonNamesOffset()
{
    auto config = ZoneConfig::fromJson(R"({"zones":[}")");
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::Parse);
    QVERIFY2(config.error().message.startsWith(QStringLiteral("malformed JSON at offset 11: ")),
             qPrintable(config.error().message));

    auto empty = ZoneConfig::fromJson({});
    QVERIFY(!empty.ok());
    QCOMPARE(empty.error().code, ErrorCode::Parse);
}

void TestZoneConfig::roundTripIsCanonical()
{
    auto config = ZoneConfig::fromJson(kValid);
    QVERIFY(config.ok());
    const QByteArray canonical = config->toJson();
    QVERIFY(!canonical.contains('\n'));
    QVERIFY(!canonical.contains(' '));
    auto again = ZoneConfig::fromJson(canonical);
    QVERIFY(again.ok());
    QCOMPARE(*again, *config);
    QCOMPARE(again->toJson(), canonical);

    // Exact round trip of awkward doubles.
    ZoneConfig odd = *config;
    odd.zones[1].polygon[2] = QPointF(1.0 / 3.0, 0.1 + 0.2);
    odd.enterAfterS = 0.7;
    auto oddAgain = ZoneConfig::fromJson(odd.toJson());
    QVERIFY(oddAgain.ok());
    QCOMPARE(*oddAgain, odd);

    // Stable key order, independent of the input's key order.
    auto shuffled = ZoneConfig::fromJson(
        R"({"window_s":60,"transition_max_gap_s":10,"exit_after_s":1.0,"enter_after_s":0.5,
            "lines":[{"to":[0.8,0.6],"from":[0.2,0.6],"zone":"entrance","name":"door"}],
            "zones":[{"polygon":[[0.0,0.5],[1.0,0.5],[1.0,1.0],[0.0,1.0]],"name":"entrance"},
                     {"polygon":[[0.1,0.1],[0.4,0.1],[0.25,0.4]],"name":"shelf"}]})");
    QVERIFY(shuffled.ok());
    QCOMPARE(shuffled->toJson(), canonical);
    QVERIFY(canonical.startsWith(R"({"enter_after_s":0.5,"exit_after_s":1,"lines":[{"from":[0.2,0.6],"name":"door")"));
}

void TestZoneConfig::versionIsStable()
{
    auto a = ZoneConfig::fromJson(kValid);
    auto b = ZoneConfig::fromJson(kValid);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->version().size(), 16);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(a->version()).hasMatch());
    QCOMPARE(a->version(), b->version());
    QCOMPARE(a->version(), a->version());
}

void TestZoneConfig::versionChangesWithAnyChange_data()
{
    QTest::addColumn<int>("change");
    QTest::newRow("zone name") << 0;
    QTest::newRow("polygon point") << 1;
    QTest::newRow("extra point") << 2;
    QTest::newRow("line direction") << 3;
    QTest::newRow("line zone") << 4;
    QTest::newRow("enter_after_s") << 5;
    QTest::newRow("exit_after_s") << 6;
    QTest::newRow("window_s") << 7;
    QTest::newRow("transition_max_gap_s") << 8;
    QTest::newRow("zone order") << 9;
    QTest::newRow("line removed") << 10;
}

void TestZoneConfig::versionChangesWithAnyChange()
{
    QFETCH(int, change);
    auto base = ZoneConfig::fromJson(kValid);
    QVERIFY(base.ok());
    ZoneConfig c = *base;
    switch (change) {
    case 0: c.zones[0].name = QStringLiteral("entry"); c.lines[0].zone = QStringLiteral("entry"); break;
    case 1: c.zones[0].polygon[0].setX(0.000001); break;
    case 2: c.zones[1].polygon.append(QPointF(0.1, 0.3)); break;
    case 3: std::swap(c.lines[0].a, c.lines[0].b); break;
    case 4: c.lines[0].zone = QStringLiteral("shelf"); break;
    case 5: c.enterAfterS = 0.6; break;
    case 6: c.exitAfterS = 2.0; break;
    case 7: c.windowS = 300; break;
    case 8: c.transitionMaxGapS = 5; break;
    case 9: std::swap(c.zones[0], c.zones[1]); break;
    case 10: c.lines.clear(); break;
    }
    QVERIFY(c.validate().ok());
    QVERIFY(c != *base);
    QVERIFY(c.version() != base->version());
}

void TestZoneConfig::validateCatchesCodeBuiltConfigs()
{
    ZoneConfig c;
    QCOMPARE(c.validate().error().message, QStringLiteral("zones: at least one zone is required"));
    c.zones.append(Zone{QStringLiteral("a"), {QPointF(0, 0), QPointF(1, 0), QPointF(1, 1)}});
    QVERIFY(c.validate().ok());
    c.windowS = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(!c.validate().ok());
    c.windowS = 60;
    c.zones[0].polygon[0].setY(std::numeric_limits<double>::infinity());
    QCOMPARE(c.validate().error().message, QStringLiteral("zones[0].polygon[0][1]: inf is outside 0..1"));
}

void TestZoneConfig::containsConvex_data()
{
    QTest::addColumn<QPointF>("point");
    QTest::addColumn<bool>("inside");
    QTest::newRow("centre") << QPointF(0.5, 0.75) << true;
    QTest::newRow("above") << QPointF(0.5, 0.49) << false;
    QTest::newRow("left of") << QPointF(-0.1, 0.75) << false;
    QTest::newRow("top edge") << QPointF(0.5, 0.5) << true;
    QTest::newRow("right edge") << QPointF(1.0, 0.7) << true;
    QTest::newRow("bottom edge") << QPointF(0.3, 1.0) << true;
    QTest::newRow("corner") << QPointF(0.0, 0.5) << true;
    QTest::newRow("just outside right") << QPointF(1.0000001, 0.7) << false;
}

void TestZoneConfig::containsConvex()
{
    QFETCH(QPointF, point);
    QFETCH(bool, inside);
    const Zone zone{QStringLiteral("z"), {QPointF(0, 0.5), QPointF(1, 0.5), QPointF(1, 1), QPointF(0, 1)}};
    QCOMPARE(zone.contains(point), inside);
}

void TestZoneConfig::containsConcave_data()
{
    // A "U": two legs joined at the bottom, with a notch from the top in the middle.
    QTest::addColumn<QPointF>("point");
    QTest::addColumn<bool>("inside");
    QTest::newRow("left leg") << QPointF(0.2, 0.3) << true;
    QTest::newRow("right leg") << QPointF(0.8, 0.3) << true;
    QTest::newRow("notch") << QPointF(0.5, 0.3) << false;
    QTest::newRow("notch at vertex height") << QPointF(0.5, 0.1) << false;
    QTest::newRow("bottom bar") << QPointF(0.5, 0.8) << true;
    QTest::newRow("notch floor edge") << QPointF(0.5, 0.6) << true;
    QTest::newRow("level with inner vertices") << QPointF(0.2, 0.6) << true;
    QTest::newRow("outside right") << QPointF(0.95, 0.5) << false;
}

void TestZoneConfig::containsConcave()
{
    QFETCH(QPointF, point);
    QFETCH(bool, inside);
    const Zone u{QStringLiteral("u"),
                 {QPointF(0.1, 0.1), QPointF(0.3, 0.1), QPointF(0.3, 0.6), QPointF(0.7, 0.6), QPointF(0.7, 0.1),
                  QPointF(0.9, 0.1), QPointF(0.9, 0.9), QPointF(0.1, 0.9)}};
    QCOMPARE(u.contains(point), inside);
}

void TestZoneConfig::containsSelfIntersectingUsesEvenOdd()
{
    // A pentagram: the central pentagon is covered twice, so even-odd leaves it outside.
    QList<QPointF> star;
    for (int i = 0; i < 5; ++i) {
        const double angle = -std::numbers::pi / 2 + i * 4 * std::numbers::pi / 5;
        star.append(QPointF(0.5 + 0.4 * std::cos(angle), 0.5 + 0.4 * std::sin(angle)));
    }
    const Zone zone{QStringLiteral("star"), star};
    QVERIFY(!zone.contains(QPointF(0.5, 0.5)));
    QVERIFY(zone.contains(QPointF(0.5, 0.15))); // in the top spike
    QVERIFY(!zone.contains(QPointF(0.05, 0.05)));
    QVERIFY(!Zone{}.contains(QPointF(0.5, 0.5)));
}

void TestZoneConfig::fromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("zones.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kValid);
    }
    auto config = ZoneConfig::fromFile(path);
    QVERIFY(config.ok());
    QCOMPARE(config->zones.size(), 2);

    auto missing = ZoneConfig::fromFile(dir.filePath(QStringLiteral("nope.json")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);

    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"zones":[{"name":"z","polygon":[[0,0],[1,0]]}]})");
    }
    auto bad = ZoneConfig::fromFile(path);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, path + QStringLiteral(": zones[0].polygon: needs at least 3 points, has 2"));
}

QTEST_GUILESS_MAIN(TestZoneConfig)
#include "TestZoneConfig.moc"
