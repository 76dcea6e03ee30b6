// WindowRepository and ConfigRepository against a real encrypted file.
#include "storage/ConfigRepository.h"
#include "storage/EncryptedDatabase.h"
#include "storage/WindowRepository.h"

#include "StorageTestSupport.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace signiq;
using namespace signiq::storage;

class TestRepositories : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void windowsRoundTripAfterReopen();
    void windowsByZoneAndRange_data();
    void windowsByZoneAndRange();
    void aBatchIsOneTransaction();
    void emptyBatchIsANoOp();
    void noZoneConfigAtFirst();
    void savedZoneConfigBecomesCurrent();
    void conflictingZoneConfigIsRejected();
    void attentionFieldsRoundTrip();
    void demographicWindowsRoundTrip();
    void suppressedCellsAreStoredAsNull();
    void shownCellUnderKIsRefused();

private:
    EncryptedDatabase &db() { return *m_db; }
    void reopen();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<EncryptedDatabase> m_db;
    core::ManualClock m_clock{1'700'000'000'000};
};

void TestRepositories::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    reopen();
}

void TestRepositories::cleanup()
{
    m_db.reset();
}

void TestRepositories::reopen()
{
    m_db.reset();
    auto opened = EncryptedDatabase::open(m_dir->filePath(QStringLiteral("edge.db")), test::testKey(), QStringLiteral("repo"));
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
    m_db.emplace(std::move(opened).value());
}

void TestRepositories::windowsRoundTripAfterReopen()
{
    QList<core::AudienceWindow> windows;
    for (int i = 0; i < 12; ++i)
        windows << test::sampleWindow(i % 2 ? QStringLiteral("shelf") : QStringLiteral("entrance"), 60'000 * (i / 2), i);
    windows[3].qualityFlags = core::QualityLowLight | core::QualityLowFps | core::QualityCameraBlocked
        | core::QualityUncalibrated | core::QualityOcclusion;
    windows[4].meanOccupancy = 1.0 / 3.0;
    QVERIFY(WindowRepository(db()).insert(windows).ok());
    reopen();

    WindowRepository repository(db());
    QCOMPARE(*repository.count(), 12);
    const auto stored = repository.windows(0, std::numeric_limits<qint64>::max());
    QVERIFY2(stored.ok(), stored.ok() ? "" : qPrintable(stored.error().toString()));
    QCOMPARE(stored->size(), windows.size());
    // Ordered by start then zone, which is the insertion order here.
    for (int i = 0; i < windows.size(); ++i)
        QCOMPARE(stored->at(i), windows.at(i));
}

void TestRepositories::windowsByZoneAndRange_data()
{
    QTest::addColumn<QString>("zone");
    QTest::addColumn<qint64>("fromMs");
    QTest::addColumn<qint64>("toMs");
    QTest::addColumn<int>("expected");
    // Windows start at 0, 60 000, ... 540 000 in "entrance" and "shelf".
    QTest::newRow("all") << QString() << qint64(0) << qint64(600'000) << 20;
    QTest::newRow("one zone") << QStringLiteral("shelf") << qint64(0) << qint64(600'000) << 10;
    QTest::newRow("from is inclusive") << QStringLiteral("shelf") << qint64(60'000) << qint64(120'000) << 1;
    QTest::newRow("to is exclusive") << QString() << qint64(0) << qint64(60'000) << 2;
    QTest::newRow("unknown zone") << QStringLiteral("nope") << qint64(0) << qint64(600'000) << 0;
    QTest::newRow("empty range") << QString() << qint64(600'000) << qint64(0) << 0;
}

void TestRepositories::windowsByZoneAndRange()
{
    QFETCH(QString, zone);
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);
    QFETCH(int, expected);
    QList<core::AudienceWindow> windows;
    for (int i = 0; i < 10; ++i)
        windows << test::sampleWindow(QStringLiteral("entrance"), 60'000 * i, i) << test::sampleWindow(QStringLiteral("shelf"), 60'000 * i, i);
    QVERIFY(WindowRepository(db()).insert(windows).ok());
    const auto stored = WindowRepository(db()).windows(fromMs, toMs, zone);
    QVERIFY(stored.ok());
    QCOMPARE(stored->size(), expected);
    for (const auto &w : *stored) {
        QVERIFY(zone.isEmpty() || w.zone == zone);
        QVERIFY(w.startMs >= fromMs && w.startMs < toMs);
    }
    QCOMPARE(*WindowRepository(db()).count(fromMs, toMs, zone), qint64(expected));

    // Pages from SQL concatenate to the whole result, in the same order.
    QList<core::AudienceWindow> paged;
    for (qint64 offset = 0;; offset += 3) {
        const auto page = WindowRepository(db()).windows(fromMs, toMs, zone, 3, offset);
        QVERIFY(page.ok());
        QVERIFY(page->size() <= 3);
        paged += *page;
        if (page->size() < 3)
            break;
    }
    QCOMPARE(paged, *stored);
}

void TestRepositories::aBatchIsOneTransaction()
{
    WindowRepository repository(db());
    QVERIFY(repository.insert({test::sampleWindow(QStringLiteral("entrance"), 0)}).ok());
    // The third window collides with the stored one: the whole batch must be rolled back.
    const core::Status status = repository.insert({test::sampleWindow(QStringLiteral("shelf"), 0),
                                                   test::sampleWindow(QStringLiteral("entrance"), 60'000),
                                                   test::sampleWindow(QStringLiteral("entrance"), 0)});
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(status.error().message.contains(QLatin1StringView("zone 'entrance', start_ms 0")), qPrintable(status.error().message));
    QVERIFY2(status.error().message.contains(QLatin1StringView("UNIQUE constraint failed")), qPrintable(status.error().message));
    QCOMPARE(*repository.count(), 1);
    // The connection is usable afterwards (no transaction left open).
    QVERIFY(repository.insert({test::sampleWindow(QStringLiteral("shelf"), 0)}).ok());
    QCOMPARE(*repository.count(), 2);
}

void TestRepositories::emptyBatchIsANoOp()
{
    WindowRepository repository(db());
    QVERIFY(repository.insert({}).ok());
    QCOMPARE(*repository.count(), 0);
}

void TestRepositories::noZoneConfigAtFirst()
{
    const auto current = ConfigRepository(db(), m_clock).currentZoneConfig();
    QVERIFY(current.ok());
    QVERIFY(!current->has_value());
}

void TestRepositories::savedZoneConfigBecomesCurrent()
{
    const QByteArray a = QByteArrayLiteral(R"({"zones":[{"name":"a"}]})");
    const QByteArray b = QByteArrayLiteral(R"({"zones":[{"name":"b"}]})");
    {
        ConfigRepository repository(db(), m_clock);
        QVERIFY(repository.saveZoneConfig(a, QStringLiteral("aaaa")).ok());
        m_clock.advanceMs(1000);
        QVERIFY(repository.saveZoneConfig(b, QStringLiteral("bbbb")).ok());
    }
    reopen();
    ConfigRepository repository(db(), m_clock);
    auto current = repository.currentZoneConfig();
    QVERIFY(current.ok() && current->has_value());
    QCOMPARE(current->value(), (StoredZoneConfig{b, QStringLiteral("bbbb"), 1'700'000'001'000}));

    // Going back to an earlier version makes it current again, keeping its import time.
    QVERIFY(repository.saveZoneConfig(a, QStringLiteral("aaaa")).ok());
    current = repository.currentZoneConfig();
    QCOMPARE(current->value(), (StoredZoneConfig{a, QStringLiteral("aaaa"), 1'700'000'000'000}));
}

void TestRepositories::conflictingZoneConfigIsRejected()
{
    ConfigRepository repository(db(), m_clock);
    QVERIFY(repository.saveZoneConfig(QByteArrayLiteral("{\"x\":1}"), QStringLiteral("v1")).ok());
    const core::Status status = repository.saveZoneConfig(QByteArrayLiteral("{\"x\":2}"), QStringLiteral("v1"));
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(repository.currentZoneConfig()->value().json, QByteArrayLiteral("{\"x\":1}"));
    const core::Status empty = repository.saveZoneConfig(QByteArray(), QStringLiteral("v2"));
    QCOMPARE(empty.error().code, core::ErrorCode::InvalidArgument);
}

namespace {

// 12 female 25-34 and 10 male 65+ shown, everything else suppressed.
core::DemographicWindow sampleDemographics(const QString &zone, qint64 startMs)
{
    core::DemographicWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + 300'000;
    w.k = 10;
    for (auto &row : w.suppressed)
        row = {true, true};
    w.counts[2][0] = 12;
    w.suppressed[2][0] = false;
    w.counts[6][1] = 10;
    w.suppressed[6][1] = false;
    w.modelVersion = QStringLiteral("age-gender@0011aabb");
    w.calibrationVersion = QStringLiteral("cal-1");
    return w;
}

} // namespace

void TestRepositories::attentionFieldsRoundTrip()
{
    core::AudienceWindow calibrated = test::sampleWindow(QStringLiteral("entrance"), 0, 1);
    calibrated.viewers = 4;
    calibrated.attentionEvents = 6;
    calibrated.attentionTimeS = 13.25;
    calibrated.meanAttentionS = 13.25 / 4;
    calibrated.attentionRate = 1.0 / 3.0;
    calibrated.meanSpeedMps = 0.8125;
    calibrated.distanceBands = {{QStringLiteral("<2 m"), 30.5, 2, 4.25},
                                {QStringLiteral("2-4 m"), 12.0, 4, 9.0},
                                {QStringLiteral(">4 m"), 0.0, 0, 0.0}};
    calibrated.walkingDirections = core::WalkingDirections{21.5, 3.25, 0.0, 7.125};
    core::AudienceWindow uncalibrated = test::sampleWindow(QStringLiteral("entrance"), 60'000, 2);
    uncalibrated.viewers = 1;
    uncalibrated.attentionEvents = 1;
    uncalibrated.attentionTimeS = 1.5;
    uncalibrated.meanAttentionS = 1.5;
    QVERIFY(WindowRepository(db()).insert({calibrated, uncalibrated}).ok());
    reopen();
    const auto stored = WindowRepository(db()).windows(0, 120'000);
    QVERIFY2(stored.ok(), stored.ok() ? "" : qPrintable(stored.error().toString()));
    QCOMPARE(stored->size(), 2);
    QCOMPARE(stored->at(0), calibrated);
    QCOMPARE(stored->at(1), uncalibrated);
    QVERIFY(!stored->at(1).meanSpeedMps.has_value());
    QVERIFY(stored->at(1).distanceBands.isEmpty());
    QVERIFY(!stored->at(1).walkingDirections.has_value());
    QVERIFY(stored->at(0).walkingDirections == calibrated.walkingDirections);

    // Calibrated, nobody walked: zeros are stored as zeros, not as "not measured".
    core::AudienceWindow still = test::sampleWindow(QStringLiteral("entrance"), 120'000, 3);
    still.walkingDirections = core::WalkingDirections{};
    QVERIFY(WindowRepository(db()).insert({still}).ok());
    const auto stillStored = WindowRepository(db()).windows(120'000, 120'001);
    QVERIFY(stillStored.ok());
    QCOMPARE(stillStored->size(), 1);
    QVERIFY(stillStored->at(0).walkingDirections == std::optional(core::WalkingDirections{}));
    QCOMPARE(stillStored->at(0), still);
}

void TestRepositories::demographicWindowsRoundTrip()
{
    WindowRepository repository(db());
    QList<core::DemographicWindow> windows = {sampleDemographics(QStringLiteral("entrance"), 0),
                                              sampleDemographics(QStringLiteral("shelf"), 0),
                                              sampleDemographics(QStringLiteral("entrance"), 300'000)};
    windows[1].k = 25;
    windows[1].counts[6][1] = 25;
    windows[1].counts[2][0] = 30;
    QVERIFY(repository.insertDemographics(windows).ok());
    QVERIFY(repository.insertDemographics({}).ok());
    reopen();
    WindowRepository reopened(db());
    QCOMPARE(*reopened.demographicCount(), 3);
    const auto all = reopened.demographicWindows(0, 600'000);
    QVERIFY2(all.ok(), all.ok() ? "" : qPrintable(all.error().toString()));
    QCOMPARE(*all, windows);
    const auto shelf = reopened.demographicWindows(0, 600'000, QStringLiteral("shelf"));
    QCOMPARE(shelf->size(), 1);
    QCOMPARE(shelf->at(0).k, 25);
    QCOMPARE(reopened.demographicWindows(300'000, 300'001)->size(), 1);

    // Same (zone, start): the whole batch is refused.
    const core::Status duplicate = reopened.insertDemographics({sampleDemographics(QStringLiteral("exit"), 0),
                                                                sampleDemographics(QStringLiteral("shelf"), 0)});
    QCOMPARE(duplicate.error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(*reopened.demographicCount(), 3);
}

void TestRepositories::suppressedCellsAreStoredAsNull()
{
    core::DemographicWindow w = sampleDemographics(QStringLiteral("entrance"), 0);
    w.counts[0][0] = 9; // a hidden value left in the struct must still not be written
    QVERIFY(WindowRepository(db()).insertDemographics({w}).ok());
    QSqlQuery query(db().database());
    QVERIFY(query.exec(QStringLiteral("SELECT female_0_17, male_0_17, female_25_34, male_65_plus FROM demographic_windows")));
    QVERIFY(query.next());
    QVERIFY(query.value(0).isNull());
    QVERIFY(query.value(1).isNull());
    QCOMPARE(query.value(2).toInt(), 12);
    QCOMPARE(query.value(3).toInt(), 10);
    const auto stored = WindowRepository(db()).demographicWindows(0, 1);
    QVERIFY(stored->at(0).suppressed[0][0]);
    QCOMPARE(stored->at(0).counts[0][0], 0);
}

void TestRepositories::shownCellUnderKIsRefused()
{
    core::DemographicWindow w = sampleDemographics(QStringLiteral("entrance"), 0);
    w.suppressed[3][1] = false;
    w.counts[3][1] = 9;
    const core::Status status = WindowRepository(db()).insertDemographics({sampleDemographics(QStringLiteral("shelf"), 0), w});
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(status.error().message.contains(QLatin1StringView("cell 35-44/male")), qPrintable(status.error().message));
    QCOMPARE(*WindowRepository(db()).demographicCount(), 0);

    // The table refuses it as well, whoever writes.
    QSqlQuery query(db().database());
    QVERIFY(!query.exec(QStringLiteral("INSERT INTO demographic_windows (zone, start_ms, end_ms, k, female_0_17) "
                                       "VALUES ('x', 0, 300000, 10, 9)")));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO demographic_windows (zone, start_ms, end_ms, k, female_0_17) "
                                      "VALUES ('x', 0, 300000, 10, 10)")));
}

QTEST_GUILESS_MAIN(TestRepositories)
#include "TestRepositories.moc"
