// The durable webhook delivery queue on a real PostgreSQL 15 (issue 15): the retry schedule,
// enqueue in the event's transaction, retries under an injected clock, a dispatcher that dies
// mid-queue (a second one on a new connection loses and duplicates nothing), 410 and
// failing-for-days disable the endpoint, and the delivery log.
#include "HubTestSupport.h"

#include "core/Clock.h"
#include "hub/ApiKeyRepository.h"
#include "hub/Database.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;

namespace {

const QString kDb = QStringLiteral("signiq_test_webhooks");
constexpr qint64 kStart = 1'796'601'600'000; // 2026-12-07 00:00 UTC
constexpr qint64 kLease = 60'000;

WebhookAttemptOutcome answered(qint64 atMs, int status, QByteArray body = {})
{
    WebhookAttemptOutcome o;
    o.startedAtMs = atMs;
    o.latencyMs = 12;
    o.httpStatus = status;
    o.responseExcerpt = std::move(body);
    if (status < 200 || status >= 300)
        o.error = QStringLiteral("HTTP %1").arg(status);
    return o;
}

} // namespace

class TestWebhookQueue : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void scheduleSpansAboutThreeDaysWithJitter();
    void retryAfterIsHonouredWithinBounds();
    void enqueueCommitsOrRollsBackWithTheEvent();
    void onlySubscribedEnabledEndpointsReceive();
    void retriesFollowTheScheduleOnTheInjectedClock();
    void dispatcherRestartLosesAndDuplicatesNothing();
    void goneDisablesTheEndpoint();
    void failingForDaysDisablesTheEndpoint();
    void deliveryLogKeepsEveryAttempt();
    void keyEventsAreQueuedWithTheKey();

private:
    core::Result<QUuid> enqueueOne(const QString &event = QStringLiteral("webhook.test"), qint64 atMs = kStart);

    std::optional<Database> m_owner;
    std::optional<Database> m_app;
    core::ManualClock m_clock{kStart};
    QUuid m_org;
    WebhookEndpoint m_endpoint;
};

void TestWebhookQueue::initTestCase()
{
    QString why;
    m_owner = test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(m_owner, qPrintable(why));
    auto migrated = Migrations::apply(*m_owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : migrated.error().toString()));
    m_app = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(m_app, qPrintable(why));
}

void TestWebhookQueue::init()
{
    // A fresh organisation and endpoint per test: no test sees another's queue.
    auto org = OrganisationRepository(*m_app, m_clock).create(QStringLiteral("Hooks %1").arg(QUuid::createUuid().toString()),
                                                              protocol::Tier::Pro, QStringLiteral("test"));
    QVERIFY2(org, qPrintable(org.ok() ? QString() : org.error().toString()));
    m_org = org->id;
    auto hook = WebhookRepository(*m_app, QByteArray(32, 'k'))
                    .create(m_org, QStringLiteral("https://receiver.example/hook"), {}, QByteArray(32, 's'));
    QVERIFY2(hook, qPrintable(hook.ok() ? QString() : hook.error().toString()));
    m_endpoint = *hook;
    m_clock.setMs(kStart);
}

core::Result<QUuid> TestWebhookQueue::enqueueOne(const QString &event, qint64 atMs)
{
    return m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueTo(tx, m_endpoint.id, event, "{}", atMs); });
}

void TestWebhookQueue::scheduleSpansAboutThreeDaysWithJitter()
{
    qint64 total = 0;
    qint64 previous = 0;
    for (int attempt = 1; attempt < WebhookRetrySchedule::MaxAttempts; ++attempt) {
        const auto mid = WebhookRetrySchedule::delayAfter(attempt, 0.5); // no jitter at 0.5
        QVERIFY(mid);
        QVERIFY2(*mid >= previous, "delays never shrink");
        QVERIFY(*mid <= WebhookRetrySchedule::MaxDelayMs);
        const auto low = WebhookRetrySchedule::delayAfter(attempt, 0.0);
        const auto high = WebhookRetrySchedule::delayAfter(attempt, 0.999999);
        QCOMPARE(*low, qRound64(*mid * 0.8));
        QVERIFY(*high > *mid && *high <= qRound64(*mid * 1.2));
        previous = *mid;
        total += *mid;
    }
    QCOMPARE(*WebhookRetrySchedule::delayAfter(1, 0.5), qint64(30'000));
    QCOMPARE(*WebhookRetrySchedule::delayAfter(2, 0.5), qint64(60'000));
    QVERIFY(!WebhookRetrySchedule::delayAfter(WebhookRetrySchedule::MaxAttempts, 0.5));
    const double days = total / 86'400'000.0;
    QVERIFY2(days > 2.5 && days < 4.0, qPrintable(QStringLiteral("the schedule spans %1 days").arg(days)));
}

void TestWebhookQueue::retryAfterIsHonouredWithinBounds()
{
    QCOMPARE(*WebhookRetrySchedule::delayAfter(1, 0.5, 120'000), qint64(120'000));
    QCOMPARE(*WebhookRetrySchedule::delayAfter(1, 0.5, 0), WebhookRetrySchedule::BaseDelayMs);
    QCOMPARE(*WebhookRetrySchedule::delayAfter(1, 0.5, 30LL * 86'400'000), WebhookRetrySchedule::MaxRetryAfterMs);
    QVERIFY(!WebhookRetrySchedule::delayAfter(WebhookRetrySchedule::MaxAttempts, 0.5, 1000));
}

void TestWebhookQueue::enqueueCommitsOrRollsBackWithTheEvent()
{
    WebhookDeliveryQueue queue(*m_app);
    // The event's transaction fails after enqueueing: no delivery survives.
    auto failed = m_app->inOrg(m_org, [&](Transaction &tx) -> core::Status {
        auto ids = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.created"), "{}", kStart);
        if (!ids)
            return ids.error();
        if (ids->size() != 1)
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("expected one delivery"));
        return core::makeError(core::ErrorCode::Io, QStringLiteral("the event's own write failed"));
    });
    QVERIFY(!failed);
    auto none = queue.claim(m_org, kStart, kLease, 10);
    QVERIFY(none);
    QVERIFY(none->isEmpty());

    auto ok = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.created"), "{}", kStart); });
    QVERIFY(ok);
    QCOMPARE(ok->size(), 1);
    auto due = queue.dueOrganisations(kStart);
    QVERIFY2(due, qPrintable(due.ok() ? QString() : due.error().toString()));
    QVERIFY(due->contains(m_org));
    auto claims = queue.claim(m_org, kStart, kLease, 10);
    QVERIFY(claims);
    QCOMPARE(claims->size(), 1);
    QCOMPARE(claims->first().delivery, ok->first());
    QCOMPARE(claims->first().attempt, 1);
    QCOMPARE(claims->first().url, m_endpoint.url);
    QVERIFY(claims->first().messageId.startsWith(QLatin1String("msg_")));

    auto bad = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("Bad Type"), "{}", kStart); });
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, core::ErrorCode::InvalidArgument);
}

void TestWebhookQueue::onlySubscribedEnabledEndpointsReceive()
{
    WebhookRepository hooks(*m_app, QByteArray(32, 'k'));
    auto keysOnly = hooks.create(m_org, QStringLiteral("https://keys.example/hook"), {QStringLiteral("key.created")}, QByteArray(32, 't'));
    QVERIFY(keysOnly);
    auto forKey = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.created"), "{}", kStart); });
    auto forDevice = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("device.offline"), "{}", kStart); });
    QVERIFY(forKey && forDevice);
    QCOMPARE(forKey->size(), 2);    // the catch-all endpoint and the key one
    QCOMPARE(forDevice->size(), 1); // the catch-all only
}

void TestWebhookQueue::retriesFollowTheScheduleOnTheInjectedClock()
{
    WebhookDeliveryQueue queue(*m_app);
    QVERIFY(enqueueOne());
    qint64 now = kStart;
    for (int attempt = 1; attempt <= 4; ++attempt) {
        auto claims = queue.claim(m_org, now, kLease, 10);
        QVERIFY(claims);
        QCOMPARE(claims->size(), 1);
        QCOMPARE(claims->first().attempt, attempt);
        auto recorded = queue.record(claims->first(), answered(now, 503), now, 0.5);
        QVERIFY2(recorded, qPrintable(recorded.ok() ? QString() : recorded.error().toString()));
        QCOMPARE(recorded->state, QStringLiteral("pending"));
        const qint64 expected = now + *WebhookRetrySchedule::delayAfter(attempt, 0.5);
        QCOMPARE(*recorded->nextAttemptMs, expected);
        auto early = queue.claim(m_org, expected - 1, kLease, 10);
        QVERIFY(early);
        QVERIFY2(early->isEmpty(), "claimed before its time");
        now = expected;
    }
    auto last = queue.claim(m_org, now, kLease, 10);
    QVERIFY(last && last->size() == 1);
    auto delivered = queue.record(last->first(), answered(now, 204), now, 0.5);
    QVERIFY(delivered);
    QCOMPARE(delivered->state, QStringLiteral("delivered"));
    QVERIFY(!delivered->endpointDisabled);
    auto after = queue.claim(m_org, now + 30LL * 86'400'000, kLease, 10);
    QVERIFY(after && after->isEmpty());
}

void TestWebhookQueue::dispatcherRestartLosesAndDuplicatesNothing()
{
    constexpr int kEvents = 20;
    QSet<QUuid> enqueued;
    for (int i = 0; i < kEvents; ++i) {
        auto id = enqueueOne();
        QVERIFY(id);
        enqueued.insert(*id);
    }
    // Dispatcher A claims five and dies before posting (its connection closes with it).
    QList<WebhookClaim> lost;
    {
        QString why;
        auto a = test::connect(QStringLiteral("signiq_app"), kDb, &why);
        QVERIFY2(a, qPrintable(why));
        auto claims = WebhookDeliveryQueue(*a).claim(m_org, kStart, kLease, 5);
        QVERIFY(claims);
        QCOMPARE(claims->size(), 5);
        lost = *claims;
    }
    // Dispatcher B, on its own connection: the other fifteen now, A's five after their lease.
    QString why;
    auto b = test::connect(QStringLiteral("signiq_app"), kDb, &why);
    QVERIFY2(b, qPrintable(why));
    WebhookDeliveryQueue queueB(*b);
    QMultiHash<QUuid, int> posted;
    auto firstPass = queueB.claim(m_org, kStart + 1000, kLease, 100);
    QVERIFY(firstPass);
    QCOMPARE(firstPass->size(), kEvents - 5);
    for (const WebhookClaim &c : *firstPass) {
        QVERIFY2(!std::any_of(lost.begin(), lost.end(), [&](const WebhookClaim &l) { return l.delivery == c.delivery; }),
                 "B took a delivery A still held");
        posted.insert(c.delivery, c.attempt);
        QVERIFY(queueB.record(c, answered(kStart + 1000, 200), kStart + 1000, 0.5));
    }
    auto stillLeased = queueB.claim(m_org, kStart + kLease - 1, kLease, 100);
    QVERIFY(stillLeased && stillLeased->isEmpty());
    auto secondPass = queueB.claim(m_org, kStart + kLease, kLease, 100);
    QVERIFY(secondPass);
    QCOMPARE(secondPass->size(), 5);
    for (const WebhookClaim &c : *secondPass) {
        QCOMPARE(c.attempt, 2); // A's attempt counts: the log shows it was taken
        posted.insert(c.delivery, c.attempt);
        QVERIFY(queueB.record(c, answered(kStart + kLease, 200), kStart + kLease, 0.5));
    }
    // A's stale claim cannot be recorded over B's result.
    auto stale = queueB.record(lost.first(), answered(kStart + kLease, 500), kStart + kLease, 0.5);
    QVERIFY(!stale);
    QCOMPARE(stale.error().code, core::ErrorCode::NotFound);

    QCOMPARE(posted.size(), kEvents);
    QCOMPARE(QSet<QUuid>(posted.keyBegin(), posted.keyEnd()), enqueued); // every one, each once
    auto log = queueB.deliveries(m_org, m_endpoint.id, 100);
    QVERIFY(log);
    QCOMPARE(log->size(), kEvents);
    for (const WebhookDeliveryRecord &r : *log)
        QCOMPARE(r.state, QStringLiteral("delivered"));
    auto nothing = queueB.claim(m_org, kStart + 10LL * 86'400'000, kLease, 100);
    QVERIFY(nothing && nothing->isEmpty());
}

void TestWebhookQueue::goneDisablesTheEndpoint()
{
    WebhookDeliveryQueue queue(*m_app);
    QVERIFY(enqueueOne());
    QVERIFY(enqueueOne());
    auto claims = queue.claim(m_org, kStart, kLease, 1);
    QVERIFY(claims && claims->size() == 1);
    auto gone = queue.record(claims->first(), answered(kStart, 410), kStart, 0.5);
    QVERIFY(gone);
    QCOMPARE(gone->state, QStringLiteral("failed"));
    QVERIFY(gone->endpointDisabled);
    QVERIFY2(gone->disabledReason.contains(QLatin1String("410")), qPrintable(gone->disabledReason));
    auto endpoints = WebhookRepository(*m_app, QByteArray(32, 'k')).list(m_org);
    QVERIFY(endpoints && endpoints->size() == 1);
    QVERIFY(endpoints->first().disabledAtMs.has_value());
    // The other queued delivery fails with it; new events no longer queue for it.
    auto rest = queue.claim(m_org, kStart + 86'400'000, kLease, 10);
    QVERIFY(rest && rest->isEmpty());
    auto none = m_app->inOrg(m_org, [&](Transaction &tx) { return WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.created"), "{}", kStart); });
    QVERIFY(none);
    QVERIFY(none->isEmpty());
    auto direct = enqueueOne();
    QVERIFY(!direct);
    QCOMPARE(direct.error().code, core::ErrorCode::InvalidArgument);
}

void TestWebhookQueue::failingForDaysDisablesTheEndpoint()
{
    WebhookDeliveryQueue queue(*m_app);
    QVERIFY(enqueueOne());
    qint64 now = kStart;
    int attempts = 0;
    std::optional<WebhookAttemptResult> last;
    while (attempts < 100) {
        auto claims = queue.claim(m_org, now, kLease, 10);
        QVERIFY(claims);
        if (claims->isEmpty())
            break;
        ++attempts;
        auto r = queue.record(claims->first(), answered(now, 500), now, 0.5);
        QVERIFY(r);
        last = *r;
        if (!r->nextAttemptMs)
            break;
        now = *r->nextAttemptMs;
        // A new event every day keeps the endpoint's queue non-empty, as in real life.
    }
    QVERIFY(last);
    QCOMPARE(last->state, QStringLiteral("failed"));
    QVERIFY2(last->endpointDisabled, "three days of failures did not disable the endpoint");
    QVERIFY2(last->disabledReason.contains(QLatin1String("no successful delivery")), qPrintable(last->disabledReason));
    QVERIFY(now - kStart >= WebhookRetrySchedule::DisableAfterFailingMs);
    QVERIFY(attempts <= WebhookRetrySchedule::MaxAttempts);
}

void TestWebhookQueue::deliveryLogKeepsEveryAttempt()
{
    WebhookDeliveryQueue queue(*m_app);
    QVERIFY(enqueueOne());
    auto first = queue.claim(m_org, kStart, kLease, 1);
    QVERIFY(first && first->size() == 1);
    auto r1 = queue.record(first->first(), answered(kStart, 500, QByteArray(5000, 'x')), kStart, 0.5);
    QVERIFY(r1);
    WebhookAttemptOutcome timeout;
    timeout.startedAtMs = *r1->nextAttemptMs;
    timeout.latencyMs = 10'000;
    timeout.error = QStringLiteral("no response within 10 s");
    auto second = queue.claim(m_org, *r1->nextAttemptMs, kLease, 1);
    QVERIFY(second && second->size() == 1);
    QVERIFY(queue.record(second->first(), timeout, *r1->nextAttemptMs + 10'000, 0.5));
    auto log = queue.deliveries(m_org, m_endpoint.id, 10);
    QVERIFY(log);
    QCOMPARE(log->size(), 1);
    const WebhookDeliveryRecord &d = log->first();
    QCOMPARE(d.state, QStringLiteral("pending"));
    QCOMPARE(d.attempts, 2);
    QCOMPARE(d.log.size(), 2);
    QCOMPARE(d.log.at(0).attempt, 1);
    QCOMPARE(*d.log.at(0).httpStatus, 500);
    QCOMPARE(d.log.at(0).responseExcerpt.size(), WebhookAttemptOutcome::ExcerptBytes); // capped
    QCOMPARE(d.log.at(0).latencyMs, qint64(12));
    QVERIFY(!d.log.at(1).httpStatus);
    QCOMPARE(d.log.at(1).error, timeout.error);
    QCOMPARE(d.log.at(1).latencyMs, qint64(10'000));
}

void TestWebhookQueue::keyEventsAreQueuedWithTheKey()
{
    WebhookDeliveryQueue queue(*m_app);
    ApiKeyRepository keys(*m_app, m_clock);
    NewKey request;
    request.name = QStringLiteral("cms");
    request.scopes = protocol::Scope::Read | protocol::Scope::Webhooks;
    auto issued = keys.create(m_org, request, QStringLiteral("test"));
    QVERIFY2(issued, qPrintable(issued.ok() ? QString() : issued.error().toString()));
    auto revoked = keys.revoke(m_org, issued->key.keyId, QStringLiteral("test"));
    QVERIFY(revoked);
    auto again = keys.revoke(m_org, issued->key.keyId, QStringLiteral("test")); // already revoked: no second event
    QVERIFY(again);
    auto claims = queue.claim(m_org, kStart, kLease, 10);
    QVERIFY(claims);
    QCOMPARE(claims->size(), 2);
    QStringList types;
    for (const WebhookClaim &c : *claims) {
        types << c.eventType;
        const QJsonObject body = QJsonDocument::fromJson(c.payload).object();
        QCOMPARE(body.value(QStringLiteral("type")).toString(), c.eventType);
        QCOMPARE(body.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2026-12-07T00:00:00.000Z"));
        const QJsonObject data = body.value(QStringLiteral("data")).toObject();
        QCOMPARE(data.value(QStringLiteral("key_id")).toString(), issued->key.keyId);
        QCOMPARE(data.value(QStringLiteral("name")).toString(), QStringLiteral("cms"));
        QCOMPARE(data.value(QStringLiteral("scopes")).toArray().size(), 2);
        QVERIFY2(!c.payload.contains(issued->token.toUtf8()), "a key event carries the key's secret");
    }
    types.sort();
    QCOMPARE(types, (QStringList{QStringLiteral("key.created"), QStringLiteral("key.revoked")}));
}

QTEST_GUILESS_MAIN(TestWebhookQueue)
#include "TestWebhookQueue.moc"
