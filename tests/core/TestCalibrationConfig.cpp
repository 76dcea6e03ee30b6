// The "calibration" and "audience" objects of zones.json: parsing, defaults, validation, version.
#include "core/ZoneConfig.h"

#include "JsonVariant.h"

#include <QTest>

using signiq::core::AudienceSettings;
using signiq::core::Calibration;
using signiq::core::ErrorCode;
using signiq::core::ZoneConfig;

namespace {

const QByteArray kZonesOnly = R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}]})";

const QByteArray kFull = R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],
  "calibration":{
    "floor_points":[{"image":[0.1,0.9],"floor_m":[-2,1]},{"image":[0.9,0.9],"floor_m":[2,1]},
                    {"image":[0.7,0.5],"floor_m":[2,6]},{"image":[0.3,0.5],"floor_m":[-2,6]}],
    "screen":{"centre_m":[0,0],"centre_height_m":1.6,"width_m":1.2,"height_m":0.7},
    "camera":{"position_m":[0.5,0],"height_m":2.2},
    "distance_bands_m":[1.5,3,6]},
  "audience":{"attention_cone_deg":15,"attention_min_s":0.5,"demographics":true,"k":12,"demographic_window_s":600}})";

QByteArray variant(const QByteArray &from, const QByteArray &to)
{
    return signiq::test::replacedOnce(kFull, from, to);
}

} // namespace

class TestCalibrationConfig : public QObject {
    Q_OBJECT

private slots:
    void parsesCalibrationAndAudience();
    void defaults();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void canonicalRoundTrip();
    void versionCoversCalibrationAndAudience();
    void distanceBands_data();
    void distanceBands();
};

void TestCalibrationConfig::parsesCalibrationAndAudience()
{
    auto config = ZoneConfig::fromJson(kFull);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    QVERIFY(config->calibration.has_value());
    const Calibration &c = *config->calibration;
    QCOMPARE(c.floorPoints.size(), 4);
    QCOMPARE(c.floorPoints[2].image, QPointF(0.7, 0.5));
    QCOMPARE(c.floorPoints[2].floorM, QPointF(2, 6));
    QCOMPARE(c.screen.centreM, QPointF(0, 0));
    QCOMPARE(c.screen.centreHeightM, 1.6);
    QCOMPARE(c.screen.widthM, 1.2);
    QCOMPARE(c.screen.heightM, 0.7);
    QCOMPARE(c.camera.positionM, QPointF(0.5, 0));
    QCOMPARE(c.camera.heightM, 2.2);
    QCOMPARE(c.distanceBandsM, (QList<double>{1.5, 3, 6}));
    QCOMPARE(config->audience.attentionConeDeg, 15.0);
    QCOMPARE(config->audience.attentionMinS, 0.5);
    QCOMPARE(config->audience.demographics, true);
    QCOMPARE(config->audience.k, 12);
    QCOMPARE(config->audience.demographicWindowS, 600.0);
}

void TestCalibrationConfig::defaults()
{
    auto config = ZoneConfig::fromJson(kZonesOnly);
    QVERIFY(config.ok());
    QVERIFY(!config->calibration.has_value());
    QCOMPARE(config->audience, AudienceSettings{});
    QCOMPARE(config->audience.attentionConeDeg, 20.0);
    QCOMPARE(config->audience.attentionMinS, 1.0);
    QCOMPARE(config->audience.demographics, false);
    QCOMPARE(config->audience.k, 10);
    QCOMPARE(config->audience.demographicWindowS, 300.0);

    // Optional calibration keys: screen centre at the origin, bands 2/4/6 m.
    auto minimal = ZoneConfig::fromJson(
        variant(R"("screen":{"centre_m":[0,0],)", R"("screen":{)").replace(R"(,
    "distance_bands_m":[1.5,3,6])", ""));
    QVERIFY2(minimal.ok(), qPrintable(minimal.ok() ? QString() : minimal.error().message));
    QCOMPARE(minimal->calibration->screen.centreM, QPointF(0, 0));
    QCOMPARE(minimal->calibration->distanceBandsM, (QList<double>{2, 4, 6}));

    // An empty "audience" object is the defaults.
    auto emptyAudience = ZoneConfig::fromJson(R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],"audience":{}})");
    QVERIFY(emptyAudience.ok());
    QCOMPARE(emptyAudience->audience, AudienceSettings{});
}

void TestCalibrationConfig::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    QTest::newRow("calibration not object") << QByteArray(R"({"zones":[{"name":"z","polygon":[[0,0],[1,0],[1,1]]}],"calibration":3})")
                                            << "calibration: must be an object";
    QTest::newRow("unknown calibration key") << variant(R"("screen":{)", R"("lens":1,"screen":{)")
                                             << "calibration.lens: unknown key";
    QTest::newRow("floor_points missing")
        << variant(R"("floor_points":[{"image":[0.1,0.9],"floor_m":[-2,1]},{"image":[0.9,0.9],"floor_m":[2,1]},
                    {"image":[0.7,0.5],"floor_m":[2,6]},{"image":[0.3,0.5],"floor_m":[-2,6]}],)", "")
        << "calibration.floor_points: missing";
    QTest::newRow("three floor points") << variant(R"(,{"image":[0.3,0.5],"floor_m":[-2,6]})", "")
                                        << "calibration.floor_points: needs at least 4 points, has 3";
    QTest::newRow("floor point not object") << variant(R"({"image":[0.1,0.9],"floor_m":[-2,1]})", "[0.1,0.9]")
                                            << "calibration.floor_points[0]: must be an object";
    QTest::newRow("floor point unknown key") << variant(R"({"image":[0.1,0.9],)", R"({"image":[0.1,0.9],"z":0,)")
                                             << "calibration.floor_points[0].z: unknown key";
    QTest::newRow("image missing") << variant(R"({"image":[0.1,0.9],)", "{")
                                   << "calibration.floor_points[0].image: missing";
    QTest::newRow("image outside") << variant(R"("image":[0.9,0.9])", R"("image":[1.5,0.9])")
                                   << "calibration.floor_points[1].image[0]: 1.5 is outside 0..1";
    QTest::newRow("floor not a point") << variant(R"("floor_m":[-2,1])", R"("floor_m":[-2,1,0])")
                                       << "calibration.floor_points[0].floor_m: must be a point [x, y]";
    QTest::newRow("floor too far") << variant(R"("floor_m":[2,6])", R"("floor_m":[2,6000])")
                                   << "calibration.floor_points[2].floor_m[1]: must be between -1000 and 1000 metres, is 6000";
    QTest::newRow("image points collinear") << variant(R"("image":[0.7,0.5])", R"("image":[0.5,0.9])")
                                            << "calibration.floor_points: degenerate: needs 4 points of which no three are "
                                               "collinear, both in the image and on the floor";
    QTest::newRow("floor points collinear") << variant(R"("floor_m":[2,6])", R"("floor_m":[0,1])")
                                            << "calibration.floor_points: degenerate: needs 4 points of which no three are "
                                               "collinear, both in the image and on the floor";
    QTest::newRow("duplicate point") << variant(R"("image":[0.3,0.5])", R"("image":[0.7,0.5])")
                                     << "calibration.floor_points: degenerate: needs 4 points of which no three are "
                                        "collinear, both in the image and on the floor";
    QTest::newRow("screen missing") << variant(R"("screen":{"centre_m":[0,0],"centre_height_m":1.6,"width_m":1.2,"height_m":0.7},)", "")
                                    << "calibration.screen: missing";
    QTest::newRow("screen not object") << variant(R"("screen":{"centre_m":[0,0],"centre_height_m":1.6,"width_m":1.2,"height_m":0.7})",
                                                  R"("screen":[])")
                                       << "calibration.screen: must be an object";
    QTest::newRow("screen width missing") << variant(R"("width_m":1.2,)", "") << "calibration.screen.width_m: missing";
    QTest::newRow("screen width zero") << variant(R"("width_m":1.2)", R"("width_m":0)")
                                       << "calibration.screen.width_m: must be greater than 0, is 0";
    QTest::newRow("screen too big") << variant(R"("width_m":1.2)", R"("width_m":51)")
                                    << "calibration.screen.width_m: must be at most 50, is 51";
    QTest::newRow("screen below floor") << variant(R"("centre_height_m":1.6)", R"("centre_height_m":0.3)")
                                        << "calibration.screen.height_m: the screen would reach below the floor "
                                           "(centre_height_m - height_m / 2 < 0)";
    QTest::newRow("camera height text") << variant(R"("height_m":2.2)", R"("height_m":"2.2")")
                                        << "calibration.camera.height_m: must be a number of metres";
    QTest::newRow("camera height negative") << variant(R"("height_m":2.2)", R"("height_m":-1)")
                                            << "calibration.camera.height_m: must be greater than 0, is -1";
    QTest::newRow("camera position missing") << variant(R"("position_m":[0.5,0],)", "")
                                             << "calibration.camera.position_m: missing";
    QTest::newRow("camera unknown key") << variant(R"("position_m":[0.5,0],)", R"("position_m":[0.5,0],"tilt_deg":10,)")
                                        << "calibration.camera.tilt_deg: unknown key";
    QTest::newRow("bands not array") << variant(R"([1.5,3,6])", "3") << "calibration.distance_bands_m: must be an array of distances in metres";
    QTest::newRow("bands empty") << variant(R"([1.5,3,6])", "[]") << "calibration.distance_bands_m: needs 1 to 8 band edges, has 0";
    QTest::newRow("band not number") << variant(R"([1.5,3,6])", R"([1.5,"3",6])") << "calibration.distance_bands_m[1]: must be a number";
    QTest::newRow("bands not increasing") << variant(R"([1.5,3,6])", "[1.5,1.5,6]")
                                          << "calibration.distance_bands_m[1]: must be greater than the previous edge (1.5), is 1.5";
    QTest::newRow("band zero") << variant(R"([1.5,3,6])", "[0,3,6]")
                               << "calibration.distance_bands_m[0]: must be greater than 0, is 0";
    QTest::newRow("audience not object") << variant(R"("audience":{"attention_cone_deg":15,"attention_min_s":0.5,"demographics":true,"k":12,"demographic_window_s":600})",
                                                    R"("audience":true)")
                                         << "audience: must be an object";
    QTest::newRow("audience unknown key") << variant(R"("k":12,)", R"("k":12,"l":1,)") << "audience.l: unknown key";
    QTest::newRow("cone zero") << variant(R"("attention_cone_deg":15)", R"("attention_cone_deg":0)")
                               << "audience.attention_cone_deg: must be greater than 0 and less than 90, is 0";
    QTest::newRow("cone 90") << variant(R"("attention_cone_deg":15)", R"("attention_cone_deg":90)")
                             << "audience.attention_cone_deg: must be greater than 0 and less than 90, is 90";
    QTest::newRow("cone text") << variant(R"("attention_cone_deg":15)", R"("attention_cone_deg":"15")")
                               << "audience.attention_cone_deg: must be a number of degrees";
    QTest::newRow("min duration zero") << variant(R"("attention_min_s":0.5)", R"("attention_min_s":0)")
                                       << "audience.attention_min_s: must be greater than 0, is 0";
    QTest::newRow("min duration long") << variant(R"("attention_min_s":0.5)", R"("attention_min_s":61)")
                                       << "audience.attention_min_s: must be at most 60, is 61";
    QTest::newRow("demographics text") << variant(R"("demographics":true)", R"("demographics":"yes")")
                                       << "audience.demographics: must be true or false";
    QTest::newRow("k fractional") << variant(R"("k":12)", R"("k":9.5)") << "audience.k: must be a whole number between 5 and 1000, is 9.5";
    QTest::newRow("k too small") << variant(R"("k":12)", R"("k":4)") << "audience.k: must be a whole number between 5 and 1000, is 4";
    QTest::newRow("k text") << variant(R"("k":12)", R"("k":"10")") << "audience.k: must be a whole number between 5 and 1000";
    QTest::newRow("demographic window short") << variant(R"("demographic_window_s":600)", R"("demographic_window_s":299)")
                                              << "audience.demographic_window_s: must be between 300 and 86400, is 299";
    QTest::newRow("demographic window fractional") << variant(R"("demographic_window_s":600)", R"("demographic_window_s":300.5)")
                                                   << "audience.demographic_window_s: must be a whole number of seconds, is 300.5";
}

void TestCalibrationConfig::rejectsBadInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto config = ZoneConfig::fromJson(json);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().message, message);
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
}

void TestCalibrationConfig::canonicalRoundTrip()
{
    auto config = ZoneConfig::fromJson(kFull);
    QVERIFY(config.ok());
    const QByteArray canonical = config->toJson();
    QVERIFY(canonical.startsWith(R"({"audience":{"attention_cone_deg":15,"attention_min_s":0.5,"demographic_window_s":600,)"
                                 R"("demographics":true,"k":12},"calibration":{"camera":{"height_m":2.2,"position_m":[0.5,0]},)"));
    auto again = ZoneConfig::fromJson(canonical);
    QVERIFY(again.ok());
    QCOMPARE(*again, *config);
    QCOMPARE(again->toJson(), canonical);
    QVERIFY(config->validate().ok());

    // Code-built configs are validated the same way.
    ZoneConfig built = *config;
    built.calibration->floorPoints.removeLast();
    QCOMPARE(built.validate().error().message, QStringLiteral("calibration.floor_points: needs at least 4 points, has 3"));
    built = *config;
    built.audience.k = 3;
    QCOMPARE(built.validate().error().message, QStringLiteral("audience.k: must be a whole number between 5 and 1000, is 3"));
}

void TestCalibrationConfig::versionCoversCalibrationAndAudience()
{
    auto base = ZoneConfig::fromJson(kFull);
    QVERIFY(base.ok());
    const auto changed = [&](auto change) {
        ZoneConfig c = *base;
        change(c);
        return c.validate().ok() && c.version() != base->version();
    };
    QVERIFY(changed([](ZoneConfig &c) { c.calibration.reset(); }));
    QVERIFY(changed([](ZoneConfig &c) { c.calibration->floorPoints[0].floorM.setX(-2.01); }));
    QVERIFY(changed([](ZoneConfig &c) { c.calibration->screen.centreM.setX(0.5); }));
    QVERIFY(changed([](ZoneConfig &c) { c.calibration->camera.heightM = 2.3; }));
    QVERIFY(changed([](ZoneConfig &c) { c.calibration->distanceBandsM = signiq::core::defaultDistanceBandsM(); }));
    QVERIFY(changed([](ZoneConfig &c) { c.audience.attentionConeDeg = 25; }));
    QVERIFY(changed([](ZoneConfig &c) { c.audience.demographics = false; }));
    QVERIFY(changed([](ZoneConfig &c) { c.audience.k = 11; }));

    // Default audience settings, stated or not, give the version of a config written before
    // the "audience" object existed.
    auto plain = ZoneConfig::fromJson(kZonesOnly);
    auto stated = ZoneConfig::fromJson(R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],
        "audience":{"attention_cone_deg":20,"attention_min_s":1,"demographics":false,"k":10,"demographic_window_s":300}})");
    QVERIFY(plain.ok() && stated.ok());
    QCOMPARE(stated->version(), plain->version());
    QVERIFY(!plain->toJson().contains("audience"));
    QVERIFY(!plain->toJson().contains("calibration"));
}

void TestCalibrationConfig::distanceBands_data()
{
    QTest::addColumn<double>("distance");
    QTest::addColumn<QString>("band");
    QTest::newRow("0") << 0.0 << "<2 m";
    QTest::newRow("1.99") << 1.99 << "<2 m";
    QTest::newRow("2.0") << 2.0 << "2-4 m";
    QTest::newRow("3.99") << 3.99 << "2-4 m";
    QTest::newRow("4.0") << 4.0 << "4-6 m";
    QTest::newRow("6.0") << 6.0 << ">6 m";
    QTest::newRow("40") << 40.0 << ">6 m";
}

void TestCalibrationConfig::distanceBands()
{
    QFETCH(double, distance);
    QFETCH(QString, band);
    const Calibration c;
    QCOMPARE(c.distanceBandCount(), 4);
    QCOMPARE(c.distanceBandName(c.distanceBandFor(distance)), band);
    Calibration odd;
    odd.distanceBandsM = {1.5, 3};
    QCOMPARE(odd.distanceBandName(0), QStringLiteral("<1.5 m"));
    QCOMPARE(odd.distanceBandName(1), QStringLiteral("1.5-3 m"));
    QCOMPARE(odd.distanceBandName(2), QStringLiteral(">3 m"));
    QCOMPARE(odd.distanceBandName(3), QString());
    odd.screen.centreM = QPointF(1, 0);
    QCOMPARE(odd.distanceToScreenM(QPointF(4, 4)), 5.0);
}

QTEST_GUILESS_MAIN(TestCalibrationConfig)
#include "TestCalibrationConfig.moc"
