// Webhook delivery end to end (issue 15): the dispatcher posts queued deliveries to a real
// receiver process on loopback (tests/hub/webhook_receiver.py, an independent Python verifier),
// retries on the injected clock honouring Retry-After, disables (and audits) on 410, does not follow
// redirects, ends an attempt at its timeout, and refuses
// loopback targets in production mode before any byte leaves. During a secret rotation's overlap
// a receiver with the old secret still verifies, after it no longer. Over real TLS (a test CA the
// dispatcher trusts) it connects to the address it checked, with the name in Host, SNI and the
// certificate check, and an organisation's allowed range lets an on-premises receiver in.
#include "../api/ApiTestSupport.h"
#include "HubTestSupport.h"

#include "core/Clock.h"
#include "hub/AuditRepository.h"
#include "hub/Database.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookDispatcher.h"
#include "hub/WebhookRepository.h"
#include "hub/WebhookSigning.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;

namespace {

const QString kDb = QStringLiteral("signiq_test_webhooks_delivery");
constexpr qint64 kStart = 1'796'601'600'000;

} // namespace

class TestWebhookDelivery : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void retriedDeliveryVerifiesAtAnIndependentReceiver();
    void goneDisablesTheEndpointAndIsAudited();
    void loopbackTargetsAreRefusedInProduction();
    void redirectsAreNotFollowed();
    void anAttemptEndsAtItsTimeout();
    void rotationSignsWithTheOldSecretUntilTheOverlapEnds();
    void httpsToTheCheckedAddressInTheOrganisationsRange();

private:
    // Starts the receiver answering `statuses` (https with `tls`: certificate and key files); its port.
    int startReceiver(const QString &statuses, const QStringList &tls = {});
    void pointEndpointAt(const QString &url);
    void runPass(WebhookDispatcher &dispatcher, int expectedAttempts);

    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    core::ManualClock m_clock{kStart};
    QUuid m_org;
    WebhookEndpoint m_endpoint;
    std::optional<WebhookSecret> m_secret;
    std::unique_ptr<QProcess> m_receiver;
    QStringList m_lines;
    const QByteArray m_secretsKey = QByteArray(32, 'k');
};

void TestWebhookDelivery::initTestCase()
{
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(), "python3 runs the test receiver (scripts/packages.txt)");
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto migrated = Migrations::apply(*m_owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : migrated.error().toString()));
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
}

void TestWebhookDelivery::init()
{
    m_clock.setMs(kStart);
    m_lines.clear();
    auto org = OrganisationRepository(*m_app, m_clock).create(QStringLiteral("Hooks %1").arg(QUuid::createUuid().toString()),
                                                              protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY(org);
    m_org = org->id;
    auto secret = WebhookSecret::generate();
    QVERIFY(secret);
    m_secret = *secret;
    auto hook = WebhookRepository(*m_app, m_secretsKey).create(m_org, QStringLiteral("https://placeholder.example/"), {}, secret->key());
    QVERIFY(hook);
    m_endpoint = *hook;
}

void TestWebhookDelivery::cleanup()
{
    if (m_receiver) {
        m_receiver->kill();
        m_receiver->waitForFinished(5000);
        m_receiver.reset();
    }
}

int TestWebhookDelivery::startReceiver(const QString &statuses, const QStringList &tls)
{
    m_receiver = std::make_unique<QProcess>();
    connect(m_receiver.get(), &QProcess::readyReadStandardOutput, this, [this] {
        while (m_receiver->canReadLine())
            m_lines << QString::fromUtf8(m_receiver->readLine()).trimmed();
    });
    m_receiver->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_receiver->start(QStringLiteral("python3"), QStringList{QStringLiteral(SIGNIQ_TEST_RECEIVER), QString::fromLatin1(m_secret->toText()), statuses} + tls);
    if (!m_receiver->waitForStarted(10000))
        return 0;
    // The first line may come in pieces or before anyone listens: wait for the whole line.
    if (!QTest::qWaitFor([this] { return !m_lines.isEmpty(); }, 30000))
        return 0;
    if (!m_lines.first().startsWith(QLatin1String("port ")))
        return 0;
    const int port = m_lines.takeFirst().mid(5).toInt();
    return port;
}

void TestWebhookDelivery::pointEndpointAt(const QString &url)
{
    // WebhookRepository::create takes https only; the development-mode http URL is set directly.
    auto set = m_app->inOrg(m_org, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET url = ? WHERE org_id = ? AND endpoint_id = ?"),
                         {url, m_org.toString(QUuid::WithoutBraces), m_endpoint.id.toString(QUuid::WithoutBraces)});
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY2(set, qPrintable(set.ok() ? QString() : set.error().toString()));
}

void TestWebhookDelivery::runPass(WebhookDispatcher &dispatcher, int expectedAttempts)
{
    QSignalSpy finished(&dispatcher, &WebhookDispatcher::passFinished);
    dispatcher.runOnce();
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().at(0).toInt(), expectedAttempts);
}

void TestWebhookDelivery::retriedDeliveryVerifiesAtAnIndependentReceiver()
{
    const int port = startReceiver(QStringLiteral("503,200"));
    QVERIFY2(port > 0, "the receiver did not start");
    pointEndpointAt(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    const QByteArray payload = R"({"type":"webhook.test","timestamp":"2026-12-07T00:00:00Z","data":{}})";
    auto id = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), payload, kStart); });
    QVERIFY(id);

    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), {});
    dispatcher.setRandomSource([] { return 0.5; });
    runPass(dispatcher, 1);
    QTRY_COMPARE(m_lines.size(), 1);
    const QStringList first = m_lines.at(0).split(QLatin1Char(' '));
    QCOMPARE(first.at(2), QString::number(kStart / 1000)); // signed at the injected clock's time
    QCOMPARE(first.at(3), QStringLiteral("verified"));
    QCOMPARE(first.at(4), QStringLiteral("503"));

    m_clock.advanceMs(119'000); // Retry-After: 120
    runPass(dispatcher, 0);
    m_clock.advanceMs(1'000);
    runPass(dispatcher, 1);
    QTRY_COMPARE(m_lines.size(), 2);
    const QStringList second = m_lines.at(1).split(QLatin1Char(' '));
    QCOMPARE(second.at(1), first.at(1)); // the same webhook-id: receivers dedupe on it
    QCOMPARE(second.at(3), QStringLiteral("verified"));
    QCOMPARE(second.at(4), QStringLiteral("200"));

    auto log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log && log->size() == 1);
    QCOMPARE(log->first().state, QStringLiteral("delivered"));
    QCOMPARE(log->first().log.size(), 2);
    QCOMPARE(*log->first().log.at(0).httpStatus, 503);
    QCOMPARE(log->first().log.at(0).responseExcerpt.size(), WebhookAttemptOutcome::ExcerptBytes); // 4000 bytes sent, 1 KiB kept
    QCOMPARE(*log->first().log.at(1).httpStatus, 200);
    QCOMPARE(log->first().log.at(1).responseExcerpt, QStringLiteral("thanks"));
}

void TestWebhookDelivery::goneDisablesTheEndpointAndIsAudited()
{
    const int port = startReceiver(QStringLiteral("410"));
    QVERIFY(port > 0);
    pointEndpointAt(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    auto id = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("key.created"), "{}", kStart); });
    QVERIFY(id);
    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), {});
    runPass(dispatcher, 1);
    auto listed = endpoints.list(m_org);
    QVERIFY(listed && listed->size() == 1);
    QVERIFY(listed->first().disabledAtMs.has_value());
    auto entries = audit.list(m_org);
    QVERIFY(entries);
    QVERIFY(std::any_of(entries->begin(), entries->end(), [&](const protocol::AuditEntry &e) {
        return e.action == QLatin1String("webhook.disabled") && e.target == m_endpoint.id.toString(QUuid::WithoutBraces)
            && e.result.contains(QLatin1String("410"));
    }));
    auto chain = audit.verify(m_org);
    QVERIFY(chain && !chain->has_value());
}

void TestWebhookDelivery::loopbackTargetsAreRefusedInProduction()
{
    const int port = startReceiver(QStringLiteral("200"));
    QVERIFY(port > 0);
    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Production), {});
    const QStringList urls{QStringLiteral("http://127.0.0.1:%1/hook").arg(port), QStringLiteral("https://localhost:%1/hook").arg(port),
                           QStringLiteral("https://[::ffff:127.0.0.1]:%1/hook").arg(port)};
    for (const QString &url : urls) {
        pointEndpointAt(url);
        auto id = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), "{}", m_clock.nowMs()); });
        QVERIFY(id);
        runPass(dispatcher, 1);
        m_clock.advanceMs(1000);
    }
    auto log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log);
    QCOMPARE(log->size(), 3);
    for (const WebhookDeliveryRecord &d : *log) {
        QCOMPARE(d.log.size(), 1);
        QVERIFY(!d.log.first().httpStatus);
        QVERIFY2(d.log.first().error.contains(QLatin1String("https")) || d.log.first().error.contains(QLatin1String("loopback"))
                     || d.log.first().error.contains(QLatin1String("IPv4-mapped")),
                 qPrintable(d.log.first().error));
    }
    QTest::qWait(0);
    QVERIFY2(m_lines.isEmpty(), "a refused target received a request");
}

void TestWebhookDelivery::redirectsAreNotFollowed()
{
    const int port = startReceiver(QStringLiteral("307"));
    QVERIFY(port > 0);
    pointEndpointAt(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    QVERIFY(m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), "{}", kStart); }));
    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), {});
    runPass(dispatcher, 1);
    auto log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log && log->size() == 1);
    QCOMPARE(log->first().state, QStringLiteral("pending")); // a failed attempt, retried later
    QCOMPARE(log->first().log.size(), 1);
    QCOMPARE(*log->first().log.first().httpStatus, 307);
    QTRY_COMPARE(m_lines.size(), 1);
    QTest::qWait(100); // a followed redirect would arrive as a second request
    QCOMPARE(m_lines.size(), 1);
}

void TestWebhookDelivery::anAttemptEndsAtItsTimeout()
{
    const int port = startReceiver(QStringLiteral("0"));
    QVERIFY(port > 0);
    pointEndpointAt(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    QVERIFY(m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), "{}", kStart); }));
    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher::Options options;
    options.timeoutMs = 300; // real time: the transfer timeout runs on Qt's own timer
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), options);
    runPass(dispatcher, 1);
    auto log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log && log->size() == 1);
    QCOMPARE(log->first().state, QStringLiteral("pending"));
    QVERIFY(!log->first().log.first().httpStatus);
    QVERIFY2(!log->first().log.first().error.isEmpty(), "a timed-out attempt has no reason in the log");
}

void TestWebhookDelivery::rotationSignsWithTheOldSecretUntilTheOverlapEnds()
{
    const int port = startReceiver(QStringLiteral("200")); // the receiver knows the old secret only
    QVERIFY(port > 0);
    pointEndpointAt(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    WebhookRepository endpoints(*m_app, m_secretsKey);
    auto next = WebhookSecret::generate();
    QVERIFY(next);
    auto rotated = m_app->inOrg(m_org, [&](Transaction &tx) { return endpoints.rotateIn(tx, m_endpoint.id, next->key(), 1000, kStart); });
    QVERIFY2(rotated, qPrintable(rotated.ok() ? QString() : rotated.error().toString()));
    QCOMPARE(*rotated->previousSecretUntilMs, kStart + 1000);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), {});
    const auto sendOne = [&] {
        return m_app->inOrg(m_org, [&](Transaction &tx) {
            return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), "{}", m_clock.nowMs());
        });
    };
    QVERIFY(sendOne());
    runPass(dispatcher, 1);
    QTRY_COMPARE(m_lines.size(), 1);
    QCOMPARE(m_lines.at(0).split(QLatin1Char(' ')).at(3), QStringLiteral("verified")); // the old secret's signature is there

    // The overlap is over (short here: other tests' retries fall due 30 s on): only the new secret signs.
    m_clock.advanceMs(1000);
    QVERIFY(sendOne());
    runPass(dispatcher, 1);
    QTRY_COMPARE(m_lines.size(), 2);
    QCOMPARE(m_lines.at(1).split(QLatin1Char(' ')).at(3), QStringLiteral("BAD"));
    auto keys = endpoints.signingSecrets(m_org, m_endpoint.id, m_clock.nowMs());
    QVERIFY(keys && keys->size() == 1 && keys->first() == next->key());
}

void TestWebhookDelivery::httpsToTheCheckedAddressInTheOrganisationsRange()
{
    // A CA of this test's own and a receiver certificate for a name no DNS server knows: the
    // delivery only works if the dispatcher connects to the address it checked (a second
    // resolution would fail) and verifies the certificate against the name (not the address).
    const core::SystemClock wall;
    const QString name = QStringLiteral("receiver.signiq.test");
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Signiq webhook test CA"), 24LL * 3600 * 1000, wall);
    QVERIFY(ca);
    auto key = crypto::PrivateKey::generateEcP256();
    QVERIFY(key);
    auto csr = crypto::CertificateRequest::create(*key, name);
    QVERIFY(csr);
    crypto::IssueOptions issue;
    issue.commonName = name;
    issue.dnsNames = {name};
    issue.lifetimeMs = 3600 * 1000;
    auto cert = ca->issue(*csr, issue, wall);
    QVERIFY(cert);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certFile = dir.filePath(QStringLiteral("receiver.crt"));
    const QString keyFile = dir.filePath(QStringLiteral("receiver.key"));
    for (const auto &[path, pem] : {std::pair{certFile, cert->toQSslCertificate().toPem()}, std::pair{keyFile, key->toQSslKey().toPem()}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(pem), qint64(pem.size()));
    }
    const int port = startReceiver(QStringLiteral("200"), {certFile, keyFile});
    QVERIFY2(port > 0, "the TLS receiver did not start");
    pointEndpointAt(QStringLiteral("https://%1:%2/hook").arg(name).arg(port));

    // Production mode: https only, loopback refused unless the organisation allows it.
    WebhookAddressPolicy policy(WebhookAddressPolicy::Mode::Production);
    int lookups = 0;
    policy.setLookup([&](const QString &host) -> core::Result<QList<QHostAddress>> {
        ++lookups;
        if (host != name)
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("no such name %1").arg(host));
        return QList<QHostAddress>{QHostAddress(QHostAddress::LocalHost)};
    });
    WebhookDispatcher::Options options;
    options.extraCaCertificates = {ca->certificate().toQSslCertificate()};
    WebhookRepository endpoints(*m_app, m_secretsKey);
    AuditRepository audit(*m_app, m_clock);
    WebhookDispatcher dispatcher(*m_app, endpoints, audit, m_clock, policy, options);
    dispatcher.setRandomSource([] { return 0.5; });
    QVERIFY(m_app->inOrg(m_org, [&](Transaction &tx) {
        return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, QStringLiteral("webhook.test"), "{}", kStart);
    }));
    runPass(dispatcher, 1);
    QCOMPARE(lookups, 1);
    auto log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log && log->size() == 1 && log->first().log.size() == 1);
    QVERIFY2(log->first().log.first().error.contains(QLatin1String("loopback")), qPrintable(log->first().log.first().error));
    QVERIFY(m_lines.isEmpty());

    // The organisation allows its on-premises range; the dispatcher reads it at the next attempt.
    QVERIFY(m_app->inOrg(m_org, [](Transaction &tx) { return WebhookRepository::setAllowedRangesIn(tx, {QStringLiteral("127.0.0.0/8")}); }));
    // The retry made due now (the clock stays: other tests' retries fall due 30 s on).
    QVERIFY(m_app->inOrg(m_org, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET next_attempt_ms = ? WHERE org_id = signiq.current_org() "
                                        "AND state = 'pending'"),
                         {m_clock.nowMs()});
        if (!q)
            return q.error();
        return {};
    }));
    runPass(dispatcher, 1);
    QCOMPARE(lookups, 2); // once per attempt, by the policy only
    QTRY_COMPARE(m_lines.size(), 1);
    const QStringList got = m_lines.at(0).split(QLatin1Char(' '));
    QCOMPARE(got.at(3), QStringLiteral("verified"));
    QCOMPARE(got.at(4), QStringLiteral("200"));
    QCOMPARE(got.at(5), QStringLiteral("host=%1:%2").arg(name).arg(port));
    log = WebhookDeliveryQueue(*m_app).deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log && log->size() == 1);
    QCOMPARE(log->first().state, QStringLiteral("delivered"));
    QVERIFY2(log->first().log.last().error.isEmpty(), qPrintable(log->first().log.last().error));
}

QTEST_GUILESS_MAIN(TestWebhookDelivery)
#include "TestWebhookDelivery.moc"
