// The "detector" object of zones.json: parsing, defaults, validation, canonical form, version.
#include "core/ZoneConfig.h"

#include "JsonVariant.h"

#include <QTest>

#include <limits>

using signiq::core::DetectorSettings;
using signiq::core::ErrorCode;
using signiq::core::IgnoreRegion;
using signiq::core::ZoneConfig;

namespace {

const QByteArray kZonesOnly = R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}]})";

const QByteArray kFull = R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],
  "detector":{"model":"yolox-nano","score_threshold":0.45,
              "ignore_regions":[{"name":"signpost","rect":[0.02,0.15,0.07,0.12]},{"rect":[0.5,0,0.5,0.25]}]}})";

QByteArray variant(const QByteArray &from, const QByteArray &to)
{
    return signiq::test::replacedOnce(kFull, from, to);
}

QByteArray withRegions(const QByteArray &regions)
{
    return R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],"detector":{"ignore_regions":)"
        + regions + "}}";
}

} // namespace

class TestDetectorConfig : public QObject {
    Q_OBJECT

private slots:
    void parses();
    void defaults();
    void partialObjectKeepsOtherDefaults();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void regionLimit();
    void validateChecksCodeBuiltSettings();
    void canonicalRoundTrip();
    void versionCoversDetector();
    void defaultsKeepLegacyVersion();
    void modelList();
};

void TestDetectorConfig::parses()
{
    auto config = ZoneConfig::fromJson(kFull);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
    const DetectorSettings &d = config->detector;
    QCOMPARE(d.model, QStringLiteral("yolox-nano"));
    QCOMPARE(d.scoreThreshold, 0.45);
    QCOMPARE(d.ignoreRegions.size(), 2);
    QCOMPARE(d.ignoreRegions[0].name, QStringLiteral("signpost"));
    QCOMPARE(d.ignoreRegions[0].rect, QRectF(0.02, 0.15, 0.07, 0.12));
    QCOMPARE(d.ignoreRegions[1].name, QString());
    QCOMPARE(d.ignoreRegions[1].rect, QRectF(0.5, 0, 0.5, 0.25));
    QCOMPARE(d.ignoreRects(), (QList<QRectF>{QRectF(0.02, 0.15, 0.07, 0.12), QRectF(0.5, 0, 0.5, 0.25)}));
}

void TestDetectorConfig::defaults()
{
    auto config = ZoneConfig::fromJson(kZonesOnly);
    QVERIFY(config.ok());
    QCOMPARE(config->detector, DetectorSettings{});
    QCOMPARE(config->detector.model, QStringLiteral("yolo-fastest-1.1-body"));
    QCOMPARE(config->detector.scoreThreshold, 0.4);
    QVERIFY(config->detector.ignoreRegions.isEmpty());
    QVERIFY(config->detector.ignoreRects().isEmpty());

    auto empty = ZoneConfig::fromJson(R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],"detector":{}})");
    QVERIFY(empty.ok());
    QCOMPARE(empty->detector, DetectorSettings{});
}

void TestDetectorConfig::partialObjectKeepsOtherDefaults()
{
    auto config = ZoneConfig::fromJson(withRegions(R"([{"rect":[0,0,1,1]}])"));
    QVERIFY(config.ok());
    QCOMPARE(config->detector.model, QStringLiteral("yolo-fastest-1.1-body"));
    QCOMPARE(config->detector.scoreThreshold, 0.4);
    QCOMPARE(config->detector.ignoreRegions.size(), 1);
    QCOMPARE(config->detector.ignoreRegions[0].rect, QRectF(0, 0, 1, 1)); // the whole image is allowed
}

void TestDetectorConfig::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    QTest::newRow("not object") << QByteArray(R"({"zones":[{"name":"z","polygon":[[0,0],[1,0],[1,1]]}],"detector":[]})")
                                << "detector: must be an object";
    QTest::newRow("unknown key") << variant(R"("model":)", R"("nms":0.4,"model":)") << "detector.nms: unknown key";
    QTest::newRow("model not string") << variant(R"("yolox-nano")", "3") << "detector.model: must be a string";
    QTest::newRow("unknown model") << variant(R"("yolox-nano")", R"("yolov8n")")
                                   << "detector.model: unknown model 'yolov8n', expected one of: "
                                      "yolo-fastest-1.1-body, yolox-nano";
    QTest::newRow("model case") << variant(R"("yolox-nano")", R"("YOLOX-nano")")
                                << "detector.model: unknown model 'YOLOX-nano', expected one of: "
                                   "yolo-fastest-1.1-body, yolox-nano";
    QTest::newRow("threshold text") << variant("0.45", R"("0.45")") << "detector.score_threshold: must be a number";
    QTest::newRow("threshold 0") << variant("0.45", "0") << "detector.score_threshold: must be at least 0.1 and less than 1, is 0";
    QTest::newRow("threshold below low") << variant("0.45", "0.09")
                                         << "detector.score_threshold: must be at least 0.1 and less than 1, is 0.09";
    QTest::newRow("threshold 1") << variant("0.45", "1") << "detector.score_threshold: must be at least 0.1 and less than 1, is 1";
    QTest::newRow("threshold negative") << variant("0.45", "-0.5")
                                        << "detector.score_threshold: must be at least 0.1 and less than 1, is -0.5";

    QTest::newRow("regions not array") << withRegions(R"({"rect":[0,0,1,1]})")
                                       << R"(detector.ignore_regions: must be an array of {"name": "...", "rect": [x, y, w, h]})";
    QTest::newRow("region not object") << withRegions("[[0,0,1,1]]") << "detector.ignore_regions[0]: must be an object";
    QTest::newRow("region unknown key") << withRegions(R"([{"rect":[0,0,1,1]},{"rect":[0,0,1,1],"colour":"red"}])")
                                        << "detector.ignore_regions[1].colour: unknown key";
    QTest::newRow("rect missing") << withRegions(R"([{"name":"poster"}])") << "detector.ignore_regions[0].rect: missing";
    QTest::newRow("rect too short") << withRegions(R"([{"rect":[0,0,1]}])")
                                    << "detector.ignore_regions[0].rect: must be a rectangle [x, y, w, h]";
    QTest::newRow("rect object") << withRegions(R"([{"rect":{"x":0}}])")
                                 << "detector.ignore_regions[0].rect: must be a rectangle [x, y, w, h]";
    QTest::newRow("rect text") << withRegions(R"([{"rect":[0,0,"1",1]}])") << "detector.ignore_regions[0].rect[2]: must be a number";
    QTest::newRow("x negative") << withRegions(R"([{"rect":[-0.1,0,0.5,0.5]}])")
                                << "detector.ignore_regions[0].rect[0]: -0.1 is outside 0..1";
    QTest::newRow("y above 1") << withRegions(R"([{"rect":[0,1.5,0.5,0.5]}])")
                               << "detector.ignore_regions[0].rect[1]: 1.5 is outside 0..1";
    QTest::newRow("width 0") << withRegions(R"([{"rect":[0.1,0.1,0,0.5]}])")
                             << "detector.ignore_regions[0].rect[2]: must be greater than 0, is 0";
    QTest::newRow("height negative") << withRegions(R"([{"rect":[0.1,0.1,0.5,-0.2]}])")
                                     << "detector.ignore_regions[0].rect[3]: must be greater than 0, is -0.2";
    QTest::newRow("too wide") << withRegions(R"([{"rect":[0.6,0.1,0.5,0.2]}])")
                              << "detector.ignore_regions[0].rect: reaches outside the image (x + w = 1.1 > 1)";
    QTest::newRow("too tall") << withRegions(R"([{"rect":[0.1,0.9,0.2,0.2]}])")
                              << "detector.ignore_regions[0].rect: reaches outside the image (y + h = 1.1 > 1)";
    QTest::newRow("name not string") << withRegions(R"([{"name":7,"rect":[0,0,1,1]}])")
                                     << "detector.ignore_regions[0].name: must be a string";
    QTest::newRow("name empty") << withRegions(R"([{"name":"","rect":[0,0,1,1]}])")
                                << "detector.ignore_regions[0].name: must not be empty";
    QTest::newRow("name blank") << withRegions(R"([{"name":"  ","rect":[0,0,1,1]}])")
                                << "detector.ignore_regions[0].name: must not be empty";
    QTest::newRow("name padded") << withRegions(R"([{"name":" sign","rect":[0,0,1,1]}])")
                                 << "detector.ignore_regions[0].name: must not start or end with white space";
    QTest::newRow("name too long") << withRegions(R"([{"name":")" + QByteArray(65, 'n') + R"(","rect":[0,0,1,1]}])")
                                   << "detector.ignore_regions[0].name: longer than 64 characters";
}

void TestDetectorConfig::rejectsBadInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto config = ZoneConfig::fromJson(json);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().message, message);
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
}

void TestDetectorConfig::regionLimit()
{
    const auto regions = [](int n) -> QByteArray {
        QByteArray json = "[";
        for (int i = 0; i < n; ++i)
            json += QByteArray(i > 0 ? "," : "") + R"({"rect":[0,0,0.1,0.1]})";
        return json + "]";
    };
    auto atLimit = ZoneConfig::fromJson(withRegions(regions(DetectorSettings::MaxIgnoreRegions)));
    QVERIFY2(atLimit.ok(), qPrintable(atLimit.ok() ? QString() : atLimit.error().message));
    QCOMPARE(atLimit->detector.ignoreRegions.size(), DetectorSettings::MaxIgnoreRegions);
    auto over = ZoneConfig::fromJson(withRegions(regions(DetectorSettings::MaxIgnoreRegions + 1)));
    QVERIFY(!over.ok());
    QCOMPARE(over.error().message, QStringLiteral("detector.ignore_regions: at most 32 regions, has 33"));
}

void TestDetectorConfig::validateChecksCodeBuiltSettings()
{
    auto base = ZoneConfig::fromJson(kFull);
    QVERIFY(base.ok());
    QVERIFY(base->validate().ok());

    ZoneConfig c = *base;
    c.detector.model = QStringLiteral("mobilenet-ssd");
    QCOMPARE(c.validate().error().message, QStringLiteral("detector.model: unknown model 'mobilenet-ssd', expected one "
                                                          "of: yolo-fastest-1.1-body, yolox-nano"));
    c = *base;
    c.detector.scoreThreshold = std::numeric_limits<double>::quiet_NaN();
    QVERIFY(c.validate().error().message.startsWith(QStringLiteral("detector.score_threshold: must be at least 0.1")));
    c = *base;
    c.detector.ignoreRegions.append(IgnoreRegion{QString(), QRectF(0.9, 0.9, 0.2, 0.05)});
    QCOMPARE(c.validate().error().message,
             QStringLiteral("detector.ignore_regions[2].rect: reaches outside the image (x + w = 1.1 > 1)"));
    c = *base;
    c.detector.ignoreRegions.append(IgnoreRegion{QString(), QRectF(0.1, 0.1, 0.2, std::numeric_limits<double>::infinity())});
    QCOMPARE(c.validate().error().message, QStringLiteral("detector.ignore_regions[2].rect[3]: must be greater than 0, is inf"));
    c = *base;
    c.detector.ignoreRegions.fill(IgnoreRegion{QStringLiteral("x"), QRectF(0, 0, 0.5, 0.5)}, DetectorSettings::MaxIgnoreRegions + 1);
    QCOMPARE(c.validate().error().message, QStringLiteral("detector.ignore_regions: at most 32 regions, has 33"));
    c = *base;
    c.detector.ignoreRegions[0].name.clear(); // unnamed is fine in code
    QVERIFY(c.validate().ok());
}

void TestDetectorConfig::canonicalRoundTrip()
{
    auto config = ZoneConfig::fromJson(kFull);
    QVERIFY(config.ok());
    const QByteArray canonical = config->toJson();
    QVERIFY2(canonical.startsWith(R"({"detector":{"ignore_regions":[{"name":"signpost","rect":[0.02,0.15,0.07,0.12]},)"
                                  R"({"rect":[0.5,0,0.5,0.25]}],"model":"yolox-nano","score_threshold":0.45},"enter_after_s":)"),
             canonical.constData());
    auto again = ZoneConfig::fromJson(canonical);
    QVERIFY(again.ok());
    QCOMPARE(*again, *config);
    QCOMPARE(again->toJson(), canonical);

    // A non-default setting writes the whole object, defaults included.
    ZoneConfig onlyModel = *ZoneConfig::fromJson(kZonesOnly);
    onlyModel.detector.model = QStringLiteral("yolox-nano");
    QVERIFY(onlyModel.toJson().startsWith(R"({"detector":{"ignore_regions":[],"model":"yolox-nano","score_threshold":0.4},)"));
    auto parsed = ZoneConfig::fromJson(onlyModel.toJson());
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed, onlyModel);
}

void TestDetectorConfig::versionCoversDetector()
{
    auto base = ZoneConfig::fromJson(kFull);
    QVERIFY(base.ok());
    const auto changed = [&](auto change) {
        ZoneConfig c = *base;
        change(c);
        return c.validate().ok() && c.version() != base->version();
    };
    QVERIFY(changed([](ZoneConfig &c) { c.detector.model = QStringLiteral("yolo-fastest-1.1-body"); }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector.scoreThreshold = 0.5; }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector.ignoreRegions.removeLast(); }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector.ignoreRegions[0].rect.setWidth(0.08); }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector.ignoreRegions[0].name = QStringLiteral("sign"); }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector.ignoreRegions.swapItemsAt(0, 1); }));
    QVERIFY(changed([](ZoneConfig &c) { c.detector = DetectorSettings{}; }));
}

void TestDetectorConfig::defaultsKeepLegacyVersion()
{
    // The canonical form of a config written before "detector" existed is unchanged ...
    auto plain = ZoneConfig::fromJson(kZonesOnly);
    QVERIFY(plain.ok());
    QCOMPARE(plain->toJson(), QByteArray(R"({"enter_after_s":0.5,"exit_after_s":1,"lines":[],"transition_max_gap_s":10,)"
                                         R"("window_s":60,"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}]})"));
    // ... and stating the defaults gives the same version.
    auto stated = ZoneConfig::fromJson(R"({"zones":[{"name":"front","polygon":[[0,0.5],[1,0.5],[1,1],[0,1]]}],
        "detector":{"model":"yolo-fastest-1.1-body","score_threshold":0.4,"ignore_regions":[]}})");
    QVERIFY(stated.ok());
    QCOMPARE(stated->version(), plain->version());
    QCOMPARE(stated->toJson(), plain->toJson());
}

void TestDetectorConfig::modelList()
{
    QCOMPARE(DetectorSettings::models(), (QStringList{QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yolox-nano")}));
    QVERIFY(DetectorSettings::models().contains(DetectorSettings{}.model));
}

QTEST_GUILESS_MAIN(TestDetectorConfig)
#include "TestDetectorConfig.moc"
