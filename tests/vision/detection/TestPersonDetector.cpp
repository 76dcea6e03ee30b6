#include "vision/detection/PersonDetector.h"
#include "vision/models/ModelStore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <vector>

using namespace signiq;
using namespace signiq::vision;

namespace {

const QString kYoloFastest = QStringLiteral("yolo-fastest-1.1-body");
const QString kYolox = QStringLiteral("yolox-nano");

// The static signpost at the top-left of vtest.avi: YOLOX boxes it at about (31,110) 17x32 px
// (centre 0.05, 0.22 normalised) with scores 0.46-0.61.
const QRectF kSignpost(0.02, 0.15, 0.07, 0.12);

cv::Mat loadFrame(const QString &name)
{
    return cv::imread(QStringLiteral(SIGNIQ_TESTDATA_DIR "/%1").arg(name).toStdString(), cv::IMREAD_COLOR);
}

int countAtLeast(const QList<Detection> &dets, float threshold)
{
    return int(std::count_if(dets.cbegin(), dets.cend(), [&](const Detection &d) { return d.score >= threshold; }));
}

} // namespace

// Both person detectors on real vtest frames with real model files installed from the mirror.
class TestPersonDetector : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void countsMatchHandCounts_data();
    void countsMatchHandCounts();
    void boxesArePlausiblePeople_data();
    void boxesArePlausiblePeople();
    void ignoreRegionDropsDetectionsCentredInside();
    void modelVersionNamesChecksum();
    void unknownModelNameListsValidNames();
    void invalidConfigIsRejected();
    void missingModelNamesFix();
    void rejectsEmptyFrame();
    void timing_data();
    void timing();

private:
    std::unique_ptr<PersonDetector> make(const QString &model, const QList<QRectF> &ignore = {}) const;

    QTemporaryDir m_models;
};

void TestPersonDetector::initTestCase()
{
    QVERIFY(m_models.isValid());
    auto report = installModels(QStringLiteral(SIGNIQ_TEST_MODELS_DIR), m_models.path(), {kYoloFastest, kYolox});
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QVERIFY(!loadFrame(QStringLiteral("vtest_frame0000.png")).empty());
}

std::unique_ptr<PersonDetector> TestPersonDetector::make(const QString &model, const QList<QRectF> &ignore) const
{
    PersonDetectorConfig config;
    config.model = model;
    config.modelsDir = m_models.path();
    config.ignoreRegions = ignore;
    auto detector = createPersonDetector(config);
    if (!detector.ok()) {
        qWarning().noquote() << detector.error().toString();
        return nullptr;
    }
    return std::move(detector).value();
}

void TestPersonDetector::countsMatchHandCounts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("maskSignpost");
    QTest::addColumn<QString>("frame");
    QTest::addColumn<int>("handCount");
    const QList<std::pair<QString, int>> frames{{QStringLiteral("vtest_frame0000.png"), 3},
                                                {QStringLiteral("vtest_frame0300.png"), 6},
                                                {QStringLiteral("vtest_frame0700.png"), 8}};
    for (const auto &[frame, count] : frames) {
        for (const QString &model : {kYoloFastest, kYolox}) {
            for (bool mask : {false, true}) {
                QTest::addRow("%s %s%s", qPrintable(model), qPrintable(frame), mask ? " masked" : "")
                    << model << mask << frame << count;
            }
        }
    }
}

void TestPersonDetector::countsMatchHandCounts()
{
    QFETCH(QString, model);
    QFETCH(bool, maskSignpost);
    QFETCH(QString, frame);
    QFETCH(int, handCount);
    auto detector = make(model, maskSignpost ? QList<QRectF>{kSignpost} : QList<QRectF>{});
    QVERIFY(detector);
    const cv::Mat img = loadFrame(frame);
    auto dets = detector->detect(img);
    QVERIFY2(dets.ok(), qPrintable(dets.ok() ? QString() : dets.error().toString()));
    for (const Detection &d : *dets)
        qDebug() << d.score << d.box;
    const int count = countAtLeast(*dets, 0.4f);
    qInfo().noquote() << model << frame << (maskSignpost ? "masked" : "") << "count >= 0.4:" << count
                      << "(hand count" << handCount << "), all >= 0.1:" << dets->size();
    QVERIFY2(std::abs(count - handCount) <= 1, qPrintable(QStringLiteral("count %1, hand count %2").arg(count).arg(handCount)));
}

void TestPersonDetector::boxesArePlausiblePeople_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("yolo-fastest") << kYoloFastest;
    QTest::newRow("yolox") << kYolox;
}

void TestPersonDetector::boxesArePlausiblePeople()
{
    QFETCH(QString, model);
    auto detector = make(model, {kSignpost});
    QVERIFY(detector);
    for (const QString &frame : {QStringLiteral("vtest_frame0000.png"), QStringLiteral("vtest_frame0300.png"),
                                 QStringLiteral("vtest_frame0700.png")}) {
        const cv::Mat img = loadFrame(frame);
        const QRectF bounds(0, 0, img.cols, img.rows);
        auto dets = detector->detect(img);
        QVERIFY(dets.ok());
        float previous = 1.f;
        for (const Detection &d : *dets) {
            QVERIFY(d.score >= 0.1f && d.score <= 1.f);
            QVERIFY(d.score <= previous); // sorted by score, best first
            previous = d.score;
            QVERIFY2(bounds.contains(d.box), qPrintable(frame));
            if (d.score >= 0.4f) {
                QVERIFY2(d.box.height() > d.box.width(), qPrintable(frame));
                QVERIFY(d.box.height() > 30 && d.box.height() < 0.6 * img.rows);
            }
        }
    }
}

void TestPersonDetector::ignoreRegionDropsDetectionsCentredInside()
{
    const cv::Mat img = loadFrame(QStringLiteral("vtest_frame0700.png"));
    auto plain = make(kYoloFastest);
    QVERIFY(plain);
    auto all = plain->detect(img);
    QVERIFY(all.ok() && !all->isEmpty());
    const Detection target = all->first();
    const QPointF c(target.box.center().x() / img.cols, target.box.center().y() / img.rows);
    const QRectF region(c.x() - 0.01, c.y() - 0.01, 0.02, 0.02);

    auto masked = make(kYoloFastest, {region});
    QVERIFY(masked);
    auto kept = masked->detect(img);
    QVERIFY(kept.ok());
    QVERIFY(kept->size() < all->size());
    for (const Detection &d : *kept) {
        const QPointF dc(d.box.center().x() / img.cols, d.box.center().y() / img.rows);
        QVERIFY(!region.contains(dc));
    }
    QCOMPARE(countAtLeast(*kept, 0.4f), countAtLeast(*all, 0.4f) - 1);
}

void TestPersonDetector::modelVersionNamesChecksum()
{
    QCOMPARE(make(kYoloFastest)->modelVersion(), QStringLiteral("yolo-fastest-1.1-body@5bbb6d878f6e"));
    QCOMPARE(make(kYolox)->modelVersion(), QStringLiteral("yolox-nano@c789161ed43c"));
    QCOMPARE(personDetectorModels(), (QStringList{kYoloFastest, kYolox}));
}

void TestPersonDetector::unknownModelNameListsValidNames()
{
    PersonDetectorConfig config;
    config.model = QStringLiteral("yolov8n");
    config.modelsDir = m_models.path();
    auto detector = createPersonDetector(config);
    QVERIFY(!detector.ok());
    QCOMPARE(detector.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(detector.error().message.contains(QStringLiteral("yolov8n")));
    QVERIFY(detector.error().message.contains(kYoloFastest));
    QVERIFY(detector.error().message.contains(kYolox));
}

void TestPersonDetector::invalidConfigIsRejected()
{
    PersonDetectorConfig config;
    config.modelsDir = m_models.path();
    config.lowScoreThreshold = 0.5f; // above scoreThreshold
    QCOMPARE(createPersonDetector(config).error().code, core::ErrorCode::InvalidArgument);
    config = {};
    config.modelsDir = m_models.path();
    config.ignoreRegions = {QRectF(0.5, 0.5, 0.7, 0.2)}; // not normalised
    QCOMPARE(createPersonDetector(config).error().code, core::ErrorCode::InvalidArgument);
    config = {};
    config.modelsDir = m_models.path();
    config.threads = 0;
    QCOMPARE(createPersonDetector(config).error().code, core::ErrorCode::InvalidArgument);
}

void TestPersonDetector::missingModelNamesFix()
{
    QTemporaryDir empty;
    PersonDetectorConfig config;
    config.modelsDir = empty.path();
    auto detector = createPersonDetector(config);
    QVERIFY(!detector.ok());
    QCOMPARE(detector.error().code, core::ErrorCode::NotFound);
    QVERIFY(detector.error().message.contains(QStringLiteral("yolo-fastest-1.1_body")));
    QVERIFY(detector.error().message.contains(QStringLiteral("signiq-edge models install --from")));
}

void TestPersonDetector::rejectsEmptyFrame()
{
    auto detector = make(kYoloFastest);
    QVERIFY(detector);
    auto dets = detector->detect(cv::Mat());
    QVERIFY(!dets.ok());
    QCOMPARE(dets.error().code, core::ErrorCode::InvalidArgument);
}

// Prints ms per detect() (blob, forward, decode, NMS) on a 768x576 vtest frame. Never fails on time.
void TestPersonDetector::timing_data()
{
    boxesArePlausiblePeople_data();
}

void TestPersonDetector::timing()
{
    QFETCH(QString, model);
    auto detector = make(model);
    QVERIFY(detector);
    const cv::Mat img = loadFrame(QStringLiteral("vtest_frame0300.png"));
    for (int i = 0; i < 3; ++i)
        QVERIFY(detector->detect(img).ok());
    std::vector<double> ms;
    for (int i = 0; i < 30; ++i) {
        QElapsedTimer t;
        t.start();
        QVERIFY(detector->detect(img).ok());
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    qInfo().noquote() << QStringLiteral("%1 detect() on 768x576, 2 threads: median %2 ms, min %3 ms, max %4 ms")
                             .arg(model)
                             .arg(ms[ms.size() / 2], 0, 'f', 1)
                             .arg(ms.front(), 0, 'f', 1)
                             .arg(ms.back(), 0, 'f', 1);
}

QTEST_GUILESS_MAIN(TestPersonDetector)
#include "TestPersonDetector.moc"
