// The sync listener against a real PostgreSQL and real mutual TLS 1.3 on loopback
// (docs/sync.md): the organisation and device come from the client certificate; a batch is
// stored once (repeated: acknowledged, nothing inserted); refused batches and refused
// certificates store nothing.
#include "HubTestSupport.h"

#include "../api/ApiTestSupport.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/TlsConfiguration.h"
#include "hub/DeviceRepository.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SqlSupport.h"
#include "hub/SyncServer.h"
#include "protocol/SyncBatch.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;
using signiq::api::test::HttpResult;
using signiq::api::test::HttpsClient;
using signiq::api::test::TestPki;

namespace {

const QString kDb = QStringLiteral("signiq_test_sync");
constexpr qint64 kDay = 24LL * 3600 * 1000;

struct DeviceCredential {
    QUuid deviceId;
    crypto::Certificate certificate;
    crypto::TlsIdentity identity;
};

crypto::CertificateAuthority makeCa(const QString &name, const core::Clock &clock)
{
    auto ca = crypto::CertificateAuthority::create(name, 30 * kDay, clock);
    if (!ca)
        qFatal("CA: %s", qPrintable(ca.error().toString()));
    return std::move(ca).value();
}

std::pair<crypto::Certificate, crypto::TlsIdentity> issueDevice(const crypto::CertificateAuthority &ca, const QString &name,
                                                                const core::Clock &clock, qint64 lifetimeMs = kDay)
{
    auto key = crypto::PrivateKey::generateEcP256();
    auto csr = crypto::CertificateRequest::create(*key, name);
    crypto::IssueOptions options;
    options.commonName = name;
    options.lifetimeMs = lifetimeMs;
    options.serverAuth = false;
    auto cert = ca.issue(*csr, options, clock);
    if (!cert)
        qFatal("issue: %s", qPrintable(cert.error().toString()));
    return {*cert, crypto::TlsIdentity{cert->toQSslCertificate(), {}, key->toQSslKey()}};
}

} // namespace

class TestHubSync : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void aBatchIsStoredOnceAndAcknowledgedAfterCommit();
    void theDeviceIsTheCertificatesNotTheBody();
    void badBatchesAreRefusedAndStoreNothing_data();
    void badBatchesAreRefusedAndStoreNothing();
    void clockSkewIsRecordedAndFlagged();
    void refusedCertificatesStoreNothing_data();
    void refusedCertificatesStoreNothing();
    void aCaRegisteredLaterIsTrustedAfterAReload();
    void cleanupTestCase();

private:
    HttpResult post(const crypto::TlsIdentity &client, const QByteArray &body, const QString &path = QStringLiteral("/v1/sync/batches"));
    protocol::SyncBatch batch(int windows, qint64 firstStartMs);
    qint64 count(const QUuid &org, const QString &sql, const QVariantList &params);
    qint64 storedWindows(const QUuid &org, const QUuid &device)
    {
        return count(org, QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE device_id = ?"), {uuidParam(device)});
    }
    qint64 ledgerRows(const QUuid &org)
    {
        return count(org, QStringLiteral("SELECT count(*) FROM signiq.sync_batches"), {});
    }

    core::ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    const core::SystemClock m_systemClock;
    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    std::optional<TestPki> m_hubPki; // the hub's own server certificate
    std::optional<crypto::CertificateAuthority> m_caA;
    std::optional<crypto::CertificateAuthority> m_caB;
    QUuid m_orgA;
    QUuid m_orgB;
    std::optional<DeviceCredential> m_a1, m_a2, m_b1;
    std::unique_ptr<SyncServer> m_server;
    quint16 m_port = 0;
};

void TestHubSync::initTestCase()
{
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto migrated = Migrations::apply(*m_owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : migrated.error().toString()));
    const QDate today = QDateTime::fromMSecsSinceEpoch(m_clock.nowMs(), QTimeZone::utc()).date();
    QVERIFY(Retention::createPartitions(*m_owner, today.addMonths(-1), today.addMonths(1)));
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));

    OrganisationRepository orgs(*m_app, m_clock);
    DeviceRepository devices(*m_app);
    auto a = orgs.create(QStringLiteral("Alpha"), protocol::Tier::Pro, QStringLiteral("test"));
    auto b = orgs.create(QStringLiteral("Beta"), protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(a && b);
    m_orgA = a->id;
    m_orgB = b->id;
    m_caA.emplace(makeCa(QStringLiteral("Signiq deployment CA"), m_systemClock));
    m_caB.emplace(makeCa(QStringLiteral("Signiq deployment CA"), m_systemClock)); // same name, another key
    SyncIngest ingest(*m_app, m_clock);
    QVERIFY(ingest.registerDeploymentCa(m_orgA, m_caA->certificate()));
    QVERIFY(ingest.registerDeploymentCa(m_orgB, m_caB->certificate()));
    QVERIFY(ingest.registerDeploymentCa(m_orgA, m_caA->certificate())); // again: no change, no error
    QCOMPARE(ingest.trustAnchors()->size(), 2);

    const auto enrol = [&](const crypto::CertificateAuthority &ca, const QUuid &org, const QString &name) {
        auto [cert, identity] = issueDevice(ca, name, m_systemClock);
        auto device = devices.create(org, NewDevice{std::nullopt, name, cert.serialHex()});
        if (!device)
            qFatal("device: %s", qPrintable(device.error().toString()));
        return DeviceCredential{device->id, cert, identity};
    };
    m_a1 = enrol(*m_caA, m_orgA, QStringLiteral("a1"));
    m_a2 = enrol(*m_caA, m_orgA, QStringLiteral("a2"));
    m_b1 = enrol(*m_caB, m_orgB, QStringLiteral("b1"));

    m_hubPki.emplace(TestPki::create());
    m_server = std::make_unique<SyncServer>(*m_app, m_clock);
    auto port = m_server->listen(m_hubPki->server, QHostAddress::LocalHost, 0);
    QVERIFY2(port, qPrintable(port.ok() ? QString() : port.error().toString()));
    m_port = *port;
}

void TestHubSync::cleanupTestCase()
{
    m_server.reset();
}

HttpResult TestHubSync::post(const crypto::TlsIdentity &client, const QByteArray &body, const QString &path)
{
    auto config = crypto::TlsConfigurationFactory::client({m_hubPki->ca.certificate().toQSslCertificate()}, client);
    if (!config)
        qFatal("client config: %s", qPrintable(config.error().toString()));
    HttpsClient https(*config, m_port);
    return https.request("POST", path, {}, body);
}

protocol::SyncBatch TestHubSync::batch(int windows, qint64 firstStartMs)
{
    protocol::SyncBatch b;
    b.batchId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    b.sentAtMs = m_clock.nowMs();
    for (int i = 0; i < windows; ++i)
        b.audience << test::window(QStringLiteral("entrance"), firstStartMs + 60'000LL * i, i);
    return b;
}

qint64 TestHubSync::count(const QUuid &org, const QString &sql, const QVariantList &params)
{
    auto n = m_app->inOrg(org, [&](Transaction &tx) -> core::Result<qint64> {
        auto q = tx.exec(sql, params);
        if (!q)
            return q.error();
        return q->next() ? q->value(0).toLongLong() : -1;
    });
    return n ? *n : -2;
}

void TestHubSync::aBatchIsStoredOnceAndAcknowledgedAfterCommit()
{
    const qint64 start = (m_clock.nowMs() / 60'000 - 600) * 60'000;
    protocol::SyncBatch b = batch(5, start);
    b.demographics << test::demographic(QStringLiteral("entrance"), start);
    const qint64 windowsBefore = storedWindows(m_orgA, m_a1->deviceId);
    const qint64 ledgerBefore = ledgerRows(m_orgA);

    const HttpResult first = post(m_a1->identity, b.toBody());
    QCOMPARE(first.status, 200);
    QCOMPARE(first.protocol, QSsl::TlsV1_3);
    const auto ack = protocol::SyncAck::fromJson(first.json());
    QVERIFY2(ack.ok(), first.body.constData());
    QCOMPARE(ack->batchId, b.batchId);
    QVERIFY(!ack->duplicate);
    QCOMPARE(ack->audienceWindows, 5);
    QCOMPARE(ack->demographicWindows, 1);
    QCOMPARE(ack->receivedAtMs, m_clock.nowMs());
    // Acknowledged means committed: another connection sees the rows now.
    QCOMPARE(storedWindows(m_orgA, m_a1->deviceId), windowsBefore + 5);
    QCOMPARE(ledgerRows(m_orgA), ledgerBefore + 1);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT count(*) FROM signiq.demographic_windows WHERE device_id = ?"), {uuidParam(m_a1->deviceId)}),
             1);

    // The same batch again (a lost acknowledgement): acknowledged, nothing stored.
    m_clock.advanceMs(30'000);
    const HttpResult again = post(m_a1->identity, b.toBody());
    QCOMPARE(again.status, 200);
    const auto second = protocol::SyncAck::fromJson(again.json());
    QVERIFY(second.ok());
    QVERIFY(second->duplicate);
    QCOMPARE(second->receivedAtMs, ack->receivedAtMs); // the first commit's answer
    QCOMPARE(second->audienceWindows, 5);
    QCOMPARE(storedWindows(m_orgA, m_a1->deviceId), windowsBefore + 5);
    QCOMPARE(ledgerRows(m_orgA), ledgerBefore + 1);
    // Nothing leaked into the other organisation.
    QCOMPARE(ledgerRows(m_orgB), 0);

    // The same batch id from another device is that device's batch, not a duplicate.
    protocol::SyncBatch other = batch(1, start);
    other.batchId = b.batchId;
    const HttpResult fromA2 = post(m_a2->identity, other.toBody());
    QCOMPARE(fromA2.status, 200);
    QVERIFY(!protocol::SyncAck::fromJson(fromA2.json())->duplicate);
    QCOMPARE(storedWindows(m_orgA, m_a2->deviceId), 1);
}

void TestHubSync::theDeviceIsTheCertificatesNotTheBody()
{
    const qint64 start = (m_clock.nowMs() / 60'000 - 300) * 60'000;
    // B's device sends: its windows land in B, under b1, whatever else it could name.
    const HttpResult fromB = post(m_b1->identity, batch(2, start).toBody());
    QCOMPARE(fromB.status, 200);
    QCOMPARE(storedWindows(m_orgB, m_b1->deviceId), 2);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE start_at >= ") + msToSql()
                               + QStringLiteral(" AND start_at < ") + msToSql(),
                   {start, start + 120'000}),
             0);

    // Claiming another device's id is refused, and nothing is stored.
    const qint64 a1Before = storedWindows(m_orgA, m_a1->deviceId);
    protocol::SyncBatch claim = batch(1, start + 600'000);
    claim.deviceId = m_a1->deviceId;
    const HttpResult refused = post(m_b1->identity, claim.toBody());
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.errorCode(), QStringLiteral("device_mismatch"));
    QCOMPARE(storedWindows(m_orgA, m_a1->deviceId), a1Before);
    QCOMPARE(storedWindows(m_orgB, m_b1->deviceId), 2);
    // Naming itself is fine.
    claim.deviceId = m_b1->deviceId;
    QCOMPARE(post(m_b1->identity, claim.toBody()).status, 200);
    QCOMPARE(storedWindows(m_orgB, m_b1->deviceId), 3);
}

void TestHubSync::badBatchesAreRefusedAndStoreNothing_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const qint64 start = (m_clock.nowMs() / 60'000 - 200) * 60'000;
    QTest::newRow("not json") << QByteArray("{\"batch_id\": ") << 400 << QStringLiteral("malformed_batch");
    QTest::newRow("no windows") << QByteArray("{\"batch_id\":\"0c9f3a52-6d1e-4b7a-9a51-2f1d6c0b8e11\",\"sent_at\":\"2026-12-07T10:00:00Z\"}")
                                << 400 << QStringLiteral("malformed_batch");
    QTest::newRow("too many windows") << batch(protocol::SyncBatch::MaxWindows + 1, start - 2000 * 60'000LL).toBody() << 413
                                      << QStringLiteral("batch_too_large");
    protocol::SyncBatch future = batch(1, m_clock.nowMs() + 3 * kDay);
    QTest::newRow("window from the future") << future.toBody() << 422 << QStringLiteral("batch_in_future");
    protocol::SyncBatch sentLater = batch(1, start);
    sentLater.sentAtMs = m_clock.nowMs() + 2 * kDay;
    QTest::newRow("sent from the future") << sentLater.toBody() << 422 << QStringLiteral("batch_in_future");
    protocol::SyncBatch noPartition = batch(1, m_clock.nowMs() - 400 * kDay);
    QTest::newRow("no partition") << noPartition.toBody() << 422 << QStringLiteral("batch_refused");
}

void TestHubSync::badBatchesAreRefusedAndStoreNothing()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const qint64 windowsBefore = storedWindows(m_orgA, m_a2->deviceId);
    const qint64 ledgerBefore = ledgerRows(m_orgA);
    const HttpResult r = post(m_a2->identity, body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QVERIFY(!r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(storedWindows(m_orgA, m_a2->deviceId), windowsBefore);
    QCOMPARE(ledgerRows(m_orgA), ledgerBefore);
}

void TestHubSync::clockSkewIsRecordedAndFlagged()
{
    const qint64 start = (m_clock.nowMs() / 60'000 - 100) * 60'000;
    // Within the threshold: not flagged.
    protocol::SyncBatch near = batch(1, start);
    near.sentAtMs = m_clock.nowMs() - 90'000;
    auto ack = protocol::SyncAck::fromJson(post(m_a2->identity, near.toBody()).json());
    QVERIFY(ack.ok());
    QCOMPARE(ack->clockSkewMs, -90'000);
    QVERIFY(!ack->clockSkewed);
    // The device clock 10 minutes ahead: recorded, and its windows flagged clock_skew.
    protocol::SyncBatch ahead = batch(2, start + 60'000);
    ahead.sentAtMs = m_clock.nowMs() + 600'000;
    ack = protocol::SyncAck::fromJson(post(m_a2->identity, ahead.toBody()).json());
    QVERIFY(ack.ok());
    QCOMPARE(ack->clockSkewMs, 600'000);
    QVERIFY(ack->clockSkewed);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT clock_skew_ms FROM signiq.devices WHERE device_id = ?"), {uuidParam(m_a2->deviceId)}),
             600'000);
    // GET /v1/devices reads it through DeviceRepository.
    const auto device = DeviceRepository(*m_app).find(m_orgA, m_a2->deviceId);
    QVERIFY(device);
    QCOMPARE(device->clockSkewMs, std::optional<qint64>(600'000));
    QVERIFY(device->lastSeenAtMs);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT clock_skew_ms FROM signiq.sync_batches WHERE batch_id = CAST(? AS uuid)"), {ahead.batchId}),
             600'000);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE device_id = ? AND quality_flags & ? <> 0"),
                   {uuidParam(m_a2->deviceId), qint64(core::QualityClockSkew)}),
             2);
    QCOMPARE(count(m_orgA, QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE device_id = ? AND start_at = ") + msToSql()
                               + QStringLiteral(" AND quality_flags & ? = 0"),
                   {uuidParam(m_a2->deviceId), start, qint64(core::QualityClockSkew)}),
             1);
}

void TestHubSync::refusedCertificatesStoreNothing_data()
{
    QTest::addColumn<QString>("which");
    QTest::newRow("no client certificate") << QStringLiteral("none");
    QTest::newRow("another CA (not registered)") << QStringLiteral("rogue");
    QTest::newRow("expired") << QStringLiteral("expired");
    QTest::newRow("registered CA, unregistered device") << QStringLiteral("unregistered");
    QTest::newRow("revoked") << QStringLiteral("revoked");
}

void TestHubSync::refusedCertificatesStoreNothing()
{
    QFETCH(QString, which);
    crypto::TlsIdentity identity;
    bool atTlsLayer = true;
    if (which == QLatin1String("rogue")) {
        const crypto::CertificateAuthority rogue = makeCa(QStringLiteral("Signiq deployment CA"), m_systemClock);
        identity = issueDevice(rogue, QStringLiteral("a1"), m_systemClock).second;
    } else if (which == QLatin1String("expired")) {
        const core::ManualClock past(m_systemClock.nowMs() - 10 * kDay);
        identity = issueDevice(*m_caA, QStringLiteral("old"), past, kDay).second;
    } else if (which == QLatin1String("unregistered")) {
        identity = issueDevice(*m_caA, QStringLiteral("stranger"), m_systemClock).second;
        atTlsLayer = false;
    } else if (which == QLatin1String("revoked")) {
        // A registered device, revoked after a first sync: valid chain, refused by the hub.
        auto [cert, id] = issueDevice(*m_caA, QStringLiteral("a3"), m_systemClock);
        auto device = DeviceRepository(*m_app).create(m_orgA, NewDevice{std::nullopt, QStringLiteral("a3"), cert.serialHex()});
        QVERIFY(device);
        protocol::SyncBatch probe = batch(1, (m_clock.nowMs() / 60'000 - 50) * 60'000);
        QCOMPARE(post(id, probe.toBody()).status, 200); // accepted before the revocation
        QVERIFY(SyncIngest(*m_app, m_clock).revokeCertificate(m_orgA, m_caA->certificate(), cert.serialHex()));
        identity = id;
        atTlsLayer = false;
    }
    const qint64 ledgerA = ledgerRows(m_orgA);
    const qint64 ledgerB = ledgerRows(m_orgB);
    const HttpResult r = post(identity, batch(1, (m_clock.nowMs() / 60'000 - 40) * 60'000).toBody());
    if (atTlsLayer) {
        QCOMPARE(r.status, 0); // no HTTP answer: the handshake failed
        QVERIFY2(r.error != QNetworkReply::NoError, qPrintable(r.errorString));
    } else {
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QStringLiteral("unknown_device"));
    }
    QCOMPARE(ledgerRows(m_orgA), ledgerA);
    QCOMPARE(ledgerRows(m_orgB), ledgerB);
}

void TestHubSync::aCaRegisteredLaterIsTrustedAfterAReload()
{
    auto c = OrganisationRepository(*m_app, m_clock).create(QStringLiteral("Gamma"), protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(c);
    const crypto::CertificateAuthority caC = makeCa(QStringLiteral("Signiq deployment CA"), m_systemClock);
    QVERIFY(SyncIngest(*m_app, m_clock).registerDeploymentCa(c->id, caC.certificate()));
    auto [cert, identity] = issueDevice(caC, QStringLiteral("c1"), m_systemClock);
    auto device = DeviceRepository(*m_app).create(c->id, NewDevice{std::nullopt, QStringLiteral("c1"), cert.serialHex()});
    QVERIFY(device);
    const QByteArray body = batch(1, (m_clock.nowMs() / 60'000 - 30) * 60'000).toBody();
    // Not yet among the listener's trust anchors: the handshake fails.
    QCOMPARE(post(identity, body).status, 0);
    QCOMPARE(ledgerRows(c->id), 0);
    QVERIFY(m_server->reloadTrustAnchors());
    QCOMPARE(post(identity, body).status, 200);
    QCOMPARE(storedWindows(c->id, device->id), 1);
    // The others still work.
    QCOMPARE(post(m_a1->identity, batch(1, (m_clock.nowMs() / 60'000 - 31) * 60'000).toBody()).status, 200);
}

QTEST_GUILESS_MAIN(TestHubSync)
#include "TestHubSync.moc"
