// Every earlier schema version, with data in it, is upgraded to the current one on open.
#include "storage/ApiKeyRepository.h"
#include "storage/AuditRepository.h"
#include "storage/ConfigRepository.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SchemaMigrations.h"
#include "storage/WindowRepository.h"

#include "StorageTestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlRecord>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::storage;

class TestSchemaMigrations : public QObject {
    Q_OBJECT

private slots:
    void init();

    void hasSeveralVersions();
    void freshDatabaseIsAtLatestVersion();
    void upgradesFromEveryEarlierVersion_data();
    void upgradesFromEveryEarlierVersion();
    void reopeningDoesNothing();
    void unknownTargetVersionIsAnError();

private:
    static QStringList schemaOf(const EncryptedDatabase &db);
    static bool insertVersion1Window(const EncryptedDatabase &db, const core::AudienceWindow &w);
    static bool insertVersion4CalibratedWindow(const EncryptedDatabase &db);
    QString path(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSchemaMigrations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// type, name and SQL of every schema object, sorted: two databases with the same list have the
// same schema.
QStringList TestSchemaMigrations::schemaOf(const EncryptedDatabase &db)
{
    QStringList objects;
    QSqlQuery query(db.database());
    if (!query.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")))
        return {query.lastError().text()};
    while (query.next())
        objects << QStringLiteral("%1|%2|%3|%4").arg(query.value(0).toString(), query.value(1).toString(),
                                                     query.value(2).toString(), query.value(3).toString());
    return objects;
}

// A window as the code of schema versions 1-3 stored it: only the columns of version 1, so the
// data really is old data, not written by today's repository.
bool TestSchemaMigrations::insertVersion1Window(const EncryptedDatabase &db, const core::AudienceWindow &w)
{
    QSqlQuery query(db.database());
    if (!query.prepare(QStringLiteral(
            "INSERT INTO audience_windows (zone, start_ms, end_ms, ots, entries, exits, mean_occupancy, peak_occupancy, "
            "dwell_0_5, dwell_5_15, dwell_15_30, dwell_30_60, dwell_60_plus, mean_dwell_s, line_in, line_out, "
            "transitions_json, confidence, quality_flags, model_version, calibration_version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return false;
    QJsonObject transitions;
    for (auto it = w.transitionsTo.cbegin(); it != w.transitionsTo.cend(); ++it)
        transitions.insert(it.key(), it.value());
    for (const QVariant &v : {QVariant(w.zone), QVariant(w.startMs), QVariant(w.endMs), QVariant(w.ots), QVariant(w.entries),
                              QVariant(w.exits), QVariant(w.meanOccupancy), QVariant(w.peakOccupancy)})
        query.addBindValue(v);
    for (int band : w.dwellBands)
        query.addBindValue(band);
    for (const QVariant &v : {QVariant(w.meanDwellS), QVariant(w.lineIn), QVariant(w.lineOut),
                              QVariant(QString::fromUtf8(QJsonDocument(transitions).toJson(QJsonDocument::Compact))),
                              QVariant(w.confidence), QVariant(qint64(w.qualityFlags)), QVariant(w.modelVersion),
                              QVariant(w.calibrationVersion)})
        query.addBindValue(v);
    return query.exec();
}

// A calibrated window as the code of schema versions 4-5 stored it (speed and distance bands,
// no walking-direction columns), at start_ms 5000000 (outside the ranges read below).
bool TestSchemaMigrations::insertVersion4CalibratedWindow(const EncryptedDatabase &db)
{
    QSqlQuery query(db.database());
    return query.exec(QStringLiteral(
        "INSERT INTO audience_windows (zone, start_ms, end_ms, viewers, attention_time_s, mean_speed_mps, distance_bands_json) "
        "VALUES ('entrance', 5000000, 5060000, 1, 2.5, 0.5, "
        "'[{\"band\":\"<2 m\",\"presence_s\":12.5,\"attention_events\":1,\"attention_time_s\":2.5}]')"));
}

void TestSchemaMigrations::hasSeveralVersions()
{
    QVERIFY(SchemaMigrations::latestVersion() >= 6);
}

void TestSchemaMigrations::freshDatabaseIsAtLatestVersion()
{
    auto db = EncryptedDatabase::open(path(QStringLiteral("fresh.db")), test::testKey(), QStringLiteral("fresh"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    QCOMPARE(*db->schemaVersion(), SchemaMigrations::latestVersion());
    const QStringList tables = db->database().tables();
    QVERIFY(tables.contains(QStringLiteral("audience_windows")));
    QVERIFY(tables.contains(QStringLiteral("zone_configs")));
    QVERIFY(tables.contains(QStringLiteral("demographic_windows")));
    for (const char *table : {"api_keys", "audit_log", "audit_head"})
        QVERIFY2(tables.contains(QLatin1StringView(table)), table);
    const QSqlRecord columns = db->database().record(QStringLiteral("audience_windows"));
    for (const char *column : {"viewers", "attention_events", "attention_time_s", "mean_attention_s", "attention_rate",
                               "mean_speed_mps", "distance_bands_json", "walk_toward_s", "walk_away_s", "walk_left_s",
                               "walk_right_s"})
        QVERIFY2(columns.contains(QLatin1StringView(column)), column);
    const QString schema = schemaOf(*db).join(QLatin1Char('\n'));
    QVERIFY(schema.contains(QLatin1StringView("index|demographic_windows_start_ms|")));
    QVERIFY(schema.contains(QLatin1StringView("index|audience_windows_start_ms|")));
    QVERIFY(schema.contains(QLatin1StringView("index|zone_configs_one_current|")));
}

void TestSchemaMigrations::upgradesFromEveryEarlierVersion_data()
{
    QTest::addColumn<int>("fromVersion");
    for (int v = 0; v < SchemaMigrations::latestVersion(); ++v)
        QTest::addRow("from version %d", v) << v;
}

void TestSchemaMigrations::upgradesFromEveryEarlierVersion()
{
    QFETCH(int, fromVersion);
    const QString file = path(QStringLiteral("old.db"));
    const QList<core::AudienceWindow> windows = {test::sampleWindow(QStringLiteral("entrance"), 60'000, 1),
                                                 test::sampleWindow(QStringLiteral("shelf"), 60'000, 2),
                                                 test::sampleWindow(QStringLiteral("entrance"), 120'000, 3)};
    const QByteArray configJson = QByteArrayLiteral(R"({"zones":[]})");
    core::ManualClock clock(1'700'000'000'000);

    // 1. A database at exactly `fromVersion`, with data in every table that version has.
    {
        auto old = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("old"),
                                           EncryptedDatabase::OpenOptions{.migrate = false});
        QVERIFY2(old.ok(), old.ok() ? "" : qPrintable(old.error().toString()));
        const core::Status migrated = SchemaMigrations::migrate(old->database(), fromVersion);
        QVERIFY2(migrated.ok(), migrated.ok() ? "" : qPrintable(migrated.error().toString()));
        QCOMPARE(*old->schemaVersion(), fromVersion);
        if (fromVersion >= 1) {
            for (const core::AudienceWindow &w : windows)
                QVERIFY(insertVersion1Window(*old, w));
        }
        if (fromVersion >= 4)
            QVERIFY(insertVersion4CalibratedWindow(*old));
        if (fromVersion >= 2) {
            const core::Status saved = ConfigRepository(*old, clock).saveZoneConfig(configJson, QStringLiteral("v-old"));
            QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
        }
        if (fromVersion < 2)
            QVERIFY(!old->database().tables().contains(QStringLiteral("zone_configs")));
    }

    // 2. Opening it with the current code upgrades schema and keeps the data.
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("new"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    QCOMPARE(*db->schemaVersion(), SchemaMigrations::latestVersion());

    auto fresh = EncryptedDatabase::open(path(QStringLiteral("fresh.db")), test::testKey(), QStringLiteral("fresh"));
    QVERIFY(fresh.ok());
    QCOMPARE(schemaOf(*db), schemaOf(*fresh));

    WindowRepository windowRepository(*db);
    const auto stored = windowRepository.windows(0, 1'000'000);
    QVERIFY2(stored.ok(), stored.ok() ? "" : qPrintable(stored.error().toString()));
    if (fromVersion >= 1) {
        QCOMPARE(stored->size(), windows.size());
        QCOMPARE(stored->at(0), windows.at(0));
        QCOMPARE(stored->at(1), windows.at(1));
        QCOMPARE(stored->at(2), windows.at(2));
        for (const core::AudienceWindow &w : *stored)
            QVERIFY(!w.walkingDirections.has_value()); // stored before walking directions: not measured
    } else {
        QVERIFY(stored->isEmpty());
    }
    // A calibrated window of versions 4-5 keeps its speed and bands and has no walking directions.
    const auto calibratedOld = windowRepository.windows(5'000'000, 5'000'001);
    QVERIFY(calibratedOld.ok());
    QCOMPARE(calibratedOld->size(), fromVersion >= 4 ? 1 : 0);
    if (fromVersion >= 4) {
        const core::AudienceWindow &w = calibratedOld->at(0);
        QCOMPARE(w.meanSpeedMps, std::optional(0.5));
        QCOMPARE(w.distanceBands.size(), 1);
        QCOMPARE(w.distanceBands.at(0).presenceS, 12.5);
        QVERIFY(!w.walkingDirections.has_value());
    }

    ConfigRepository configRepository(*db, clock);
    const auto current = configRepository.currentZoneConfig();
    QVERIFY(current.ok());
    if (fromVersion >= 2) {
        QVERIFY(current->has_value());
        QCOMPARE(current->value().version, QStringLiteral("v-old"));
        QCOMPARE(current->value().json, configJson);
    } else {
        QVERIFY(!current->has_value());
    }
    // The upgraded database works for new data.
    const core::Status saved = configRepository.saveZoneConfig(QByteArrayLiteral("{}"), QStringLiteral("v-new"));
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    core::AudienceWindow attentive = test::sampleWindow(QStringLiteral("entrance"), 180'000, 4);
    attentive.viewers = 3;
    attentive.attentionEvents = 4;
    attentive.attentionTimeS = 7.5;
    attentive.meanAttentionS = 2.5;
    attentive.attentionRate = 0.25;
    attentive.meanSpeedMps = 0.75;
    attentive.distanceBands = {{QStringLiteral("<2 m"), 10.0, 1, 2.5}, {QStringLiteral(">2 m"), 20.0, 3, 5.0}};
    attentive.walkingDirections = core::WalkingDirections{6.5, 2.0, 0.0, 1.25}; // version 6
    const core::Status inserted = windowRepository.insert({attentive});
    QVERIFY2(inserted.ok(), inserted.ok() ? "" : qPrintable(inserted.error().toString()));
    QCOMPARE(windowRepository.windows(180'000, 180'001)->value(0), attentive);
    // ... and for demographic windows.
    core::DemographicWindow demographics;
    demographics.zone = QStringLiteral("entrance");
    demographics.startMs = 0;
    demographics.endMs = 300'000;
    demographics.counts[2][0] = 12;
    for (auto &row : demographics.suppressed)
        row = {true, true};
    demographics.suppressed[2][0] = false;
    const core::Status stored2 = windowRepository.insertDemographics({demographics});
    QVERIFY2(stored2.ok(), stored2.ok() ? "" : qPrintable(stored2.error().toString()));
    QCOMPARE(windowRepository.demographicWindows(0, 1)->value(0), demographics);
    // ... and for API keys and the audit log (version 5).
    StoredApiKey key;
    key.keyId = QStringLiteral("abcdefghijkl");
    key.secretHash = QByteArray(32, 'h');
    key.scopes = {QStringLiteral("admin")};
    key.createdAtMs = 1;
    ApiKeyRepository keys(*db);
    QVERIFY(keys.insert(key).ok());
    QCOMPARE(keys.find(key.keyId)->value(), key);
    QVERIFY(!keys.insert(key).ok()); // unique id
    AuditRepository audit(*db);
    auto linked = audit.append(StoredAuditEntry{0, 5, QStringLiteral("cli"), {}, QStringLiteral("key.create"), key.keyId,
                                                QStringLiteral("ok"), {}, {}},
                               [](const StoredAuditEntry &d, const std::optional<StoredAuditEntry> &last) {
                                   StoredAuditEntry e = d;
                                   e.seq = last ? last->seq + 1 : 1;
                                   e.prevHash = last ? last->hash : QStringLiteral("0");
                                   e.hash = QStringLiteral("h%1").arg(e.seq);
                                   return e;
                               },
                               [](const StoredAuditEntry &e, const std::optional<StoredAuditEntry> &, const std::optional<AuditHead> &) {
                                   return core::Result<AuditHead>(AuditHead{e.seq, e.hash, e.seq, QStringLiteral("k"), QByteArray(64, 's')});
                               });
    QVERIFY2(linked.ok(), linked.ok() ? "" : qPrintable(linked.error().toString()));
    QCOMPARE(linked->seq, 1);
    QCOMPARE(audit.head()->value(), (AuditHead{1, QStringLiteral("h1"), 1, QStringLiteral("k"), QByteArray(64, 's')}));
    // ... and the signed checkpoints (version 7).
    QVERIFY(audit.addCheckpoint(StoredAuditCheckpoint{audit.head()->value(), 7}).ok());
    QCOMPARE(audit.checkpoints()->size(), 1);
    QCOMPARE(audit.checkpoints()->first().head.signature, QByteArray(64, 's'));
    QVERIFY(!audit.addCheckpoint(StoredAuditCheckpoint{AuditHead{2, QStringLiteral("h2"), 2, QStringLiteral("k"), QByteArray(3, 's')}, 7}).ok());
}

void TestSchemaMigrations::reopeningDoesNothing()
{
    const QString file = path(QStringLiteral("edge.db"));
    QStringList before;
    {
        auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("first"));
        QVERIFY(db.ok());
        before = schemaOf(*db);
    }
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("second"));
    QVERIFY(db.ok());
    QCOMPARE(schemaOf(*db), before);
    QVERIFY(SchemaMigrations::migrate(db->database()).ok());
    QCOMPARE(*db->schemaVersion(), SchemaMigrations::latestVersion());
}

void TestSchemaMigrations::unknownTargetVersionIsAnError()
{
    auto db = EncryptedDatabase::open(path(QStringLiteral("edge.db")), test::testKey(), QStringLiteral("db"),
                                      EncryptedDatabase::OpenOptions{.migrate = false});
    QVERIFY(db.ok());
    const core::Status status = SchemaMigrations::migrate(db->database(), SchemaMigrations::latestVersion() + 1);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(*db->schemaVersion(), 0);
}

QTEST_GUILESS_MAIN(TestSchemaMigrations)
#include "TestSchemaMigrations.moc"
