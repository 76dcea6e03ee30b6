// The sync batch and acknowledgement codecs (docs/sync.md): round trips and every refusal.
#include "protocol/SyncBatch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace signiq;
using namespace signiq::protocol;

namespace {

core::AudienceWindow window(qint64 startMs)
{
    core::AudienceWindow w;
    w.zone = QStringLiteral("entrance");
    w.startMs = startMs;
    w.endMs = startMs + 60'000;
    w.ots = 4;
    w.entries = 3;
    w.confidence = 0.5;
    w.qualityFlags = core::QualityUncalibrated;
    w.modelVersion = QStringLiteral("person-detector@3f2a9c01");
    w.calibrationVersion = QStringLiteral("cal-1");
    return w;
}

SyncBatch batch()
{
    SyncBatch b;
    b.batchId = QStringLiteral("0c9f3a52-6d1e-4b7a-9a51-2f1d6c0b8e11");
    b.sentAtMs = 1'800'000'123'456;
    b.audience = {window(1'800'000'000'000), window(1'800'000'060'000)};
    core::DemographicWindow d;
    d.zone = QStringLiteral("entrance");
    d.startMs = 1'800'000'000'000;
    d.endMs = d.startMs + 300'000;
    d.counts[2][0] = 12;
    for (auto &band : d.suppressed)
        band = {true, true};
    d.suppressed[2][0] = false;
    b.demographics = {d};
    return b;
}

QByteArray withField(const QString &key, const QJsonValue &value)
{
    QJsonObject o = batch().toJson();
    if (value.isUndefined())
        o.remove(key);
    else
        o.insert(key, value);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestSyncBatch : public QObject {
    Q_OBJECT

private slots:
    void batchRoundTrips();
    void refusedBatches_data();
    void refusedBatches();
    void repeatedKeysAreRefused();
    void tooManyWindowsAreRefused();
    void ackRoundTrips();
    void ackWithoutCountsIsAParseError();
    void qualityFlagNamesOfSync();
};

void TestSyncBatch::batchRoundTrips()
{
    const SyncBatch original = batch();
    const auto parsed = SyncBatch::fromBody(original.toBody());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().toString()));
    QCOMPARE(parsed->batchId, original.batchId);
    QCOMPARE(parsed->sentAtMs, original.sentAtMs);
    QCOMPARE(parsed->audience, original.audience);
    QCOMPARE(parsed->demographics, original.demographics);
    QCOMPARE(parsed->size(), 3);
    QVERIFY(!parsed->deviceId);
    SyncBatch claimed = original;
    claimed.deviceId = QUuid::fromString(QStringLiteral("6a1e5a8c-31f4-4c4b-9d59-0d3c7f1e2a10"));
    QCOMPARE(SyncBatch::fromBody(claimed.toBody())->deviceId, claimed.deviceId);
}

void TestSyncBatch::refusedBatches_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not json") << QByteArray("{\"batch_id\":") << QString();
    QTest::newRow("array") << QByteArray("[]") << QString();
    QTest::newRow("bad device id") << withField(QStringLiteral("device_id"), QStringLiteral("x")) << QStringLiteral("device_id");
    QTest::newRow("unknown field") << withField(QStringLiteral("org_id"), QStringLiteral("x")) << QStringLiteral("org_id");
    QTest::newRow("no batch id") << withField(QStringLiteral("batch_id"), QJsonValue::Undefined) << QStringLiteral("batch_id");
    QTest::newRow("braced batch id") << withField(QStringLiteral("batch_id"), QStringLiteral("{0c9f3a52-6d1e-4b7a-9a51-2f1d6c0b8e11}"))
                                     << QStringLiteral("batch_id");
    QTest::newRow("bad sent_at") << withField(QStringLiteral("sent_at"), QStringLiteral("yesterday")) << QStringLiteral("sent_at");
    QTest::newRow("windows not an array") << withField(QStringLiteral("audience_windows"), 3) << QStringLiteral("audience_windows");
    QTest::newRow("bad window") << withField(QStringLiteral("audience_windows"), QJsonArray{QJsonObject{{QStringLiteral("zone"), 1}}})
                                << QStringLiteral("audience_windows[0]");
    QJsonObject empty = batch().toJson();
    empty.insert(QStringLiteral("audience_windows"), QJsonArray());
    empty.insert(QStringLiteral("demographic_windows"), QJsonArray());
    QTest::newRow("empty") << QJsonDocument(empty).toJson() << QStringLiteral("at least one window");
}

void TestSyncBatch::refusedBatches()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    const auto parsed = SyncBatch::fromBody(body);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
}

void TestSyncBatch::repeatedKeysAreRefused()
{
    QByteArray body = batch().toBody();
    body.insert(1, "\"batch_id\":\"11111111-2222-4333-8444-555555555555\",");
    QVERIFY(!SyncBatch::fromBody(body).ok());
}

void TestSyncBatch::tooManyWindowsAreRefused()
{
    SyncBatch big = batch();
    big.demographics.clear();
    big.audience.clear();
    for (int i = 0; i < SyncBatch::MaxWindows + 1; ++i)
        big.audience.append(window(1'800'000'000'000 + 60'000LL * i));
    const auto parsed = SyncBatch::fromBody(big.toBody());
    QVERIFY(!parsed.ok());
    QVERIFY(parsed.error().message.contains(QStringLiteral("at most 1000")));
    big.audience.removeLast();
    QVERIFY(SyncBatch::fromBody(big.toBody()).ok());
}

void TestSyncBatch::ackRoundTrips()
{
    SyncAck ack{QStringLiteral("0c9f3a52-6d1e-4b7a-9a51-2f1d6c0b8e11"), true, 2, 1, 1'800'000'000'000, -180'000, true};
    const auto parsed = SyncAck::fromJson(ack.toJson());
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed, ack);
    QCOMPARE(ack.toJson().value(QStringLiteral("status")).toString(), QStringLiteral("duplicate"));
}

void TestSyncBatch::ackWithoutCountsIsAParseError()
{
    QJsonObject o = SyncAck{QStringLiteral("x"), false, 1, 0, 1, 0, false}.toJson();
    o.remove(QStringLiteral("audience_windows"));
    QCOMPARE(SyncAck::fromJson(o).error().code, core::ErrorCode::Parse);
    QCOMPARE(SyncAck::fromJson(QJsonObject{{QStringLiteral("error"), 1}}).error().code, core::ErrorCode::Parse);
}

void TestSyncBatch::qualityFlagNamesOfSync()
{
    QCOMPARE(core::qualityFlagNames(core::QualitySyncDropped | core::QualityClockSkew),
             (QStringList{QStringLiteral("sync_dropped"), QStringLiteral("clock_skew")}));
    QCOMPARE(*core::qualityFlagsFromNames({QStringLiteral("clock_skew")}), quint32(core::QualityClockSkew));
}

QTEST_GUILESS_MAIN(TestSyncBatch)
#include "TestSyncBatch.moc"
