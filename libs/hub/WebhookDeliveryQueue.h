#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <functional>
#include <optional>

namespace signiq::hub {

class Database;
class Transaction;

// When the next attempt of a failed delivery is due: exponential backoff (30 s doubling, capped
// at 12 h per step) with multiplicative jitter, over about three days in all (MaxAttempts
// attempts). Pure: the random draw is an argument, so tests pin it.
struct WebhookRetrySchedule {
    static constexpr int MaxAttempts = 17;
    static constexpr qint64 BaseDelayMs = 30'000;
    static constexpr qint64 MaxDelayMs = 12LL * 3600 * 1000;
    static constexpr double Jitter = 0.2; // each delay is scaled by a factor in [0.8, 1.2)
    // An endpoint failing (no 2xx) for this long is disabled.
    static constexpr qint64 DisableAfterFailingMs = 3LL * 24 * 3600 * 1000;
    // The longest Retry-After the hub honours; a longer one is cut to this.
    static constexpr qint64 MaxRetryAfterMs = MaxDelayMs;

    // The delay after failed attempt number `attempt` (1-based) before the next; std::nullopt
    // when `attempt` was the last. `unitRandom` is in [0, 1). A Retry-After from the receiver
    // replaces the computed delay (capped at MaxRetryAfterMs, never below BaseDelayMs).
    static std::optional<qint64> delayAfter(int attempt, double unitRandom, std::optional<qint64> retryAfterMs = std::nullopt);
};

// What happened when a dispatcher posted one delivery.
struct WebhookAttemptOutcome {
    qint64 startedAtMs = 0;
    qint64 latencyMs = 0;
    std::optional<int> httpStatus;           // none: no response (refused address, timeout, TLS ...)
    QString error;                           // why there was no 2xx, for the delivery log
    QByteArray responseExcerpt;              // at most ExcerptBytes of the response body
    std::optional<qint64> retryAfterMs;      // a Retry-After header the receiver sent
    static constexpr int ExcerptBytes = 1024;
    bool succeeded() const { return httpStatus && *httpStatus >= 200 && *httpStatus < 300; }
};

// One delivery a dispatcher holds (leased) and must post.
struct WebhookClaim {
    QUuid org;
    QUuid delivery;
    QUuid endpoint;
    QString url;
    QString eventType;
    QString messageId; // webhook-id
    QByteArray payload;
    int attempt = 0;   // this attempt's number (1-based)
    int scheduleAttempt = 0; // its place in the retry schedule (attempts since the last replay); 0: attempt
};

// A delivery and its log, for GET /v1/webhooks/{id}/deliveries.
struct WebhookAttemptRecord {
    int attempt = 0;
    qint64 startedAtMs = 0;
    qint64 latencyMs = 0;
    std::optional<int> httpStatus;
    QString error;
    QString responseExcerpt;
};
struct WebhookDeliveryRecord {
    QUuid delivery;
    QUuid endpoint;
    QString eventType;
    QString messageId;
    QString state; // pending, delivered, failed
    int attempts = 0;
    qint64 createdAtMs = 0;
    std::optional<qint64> nextAttemptMs;
    QList<WebhookAttemptRecord> log;
};

// What recording an attempt changed, for the dispatcher's audit and logging.
struct WebhookAttemptResult {
    QString state;                       // the delivery's state afterwards
    std::optional<qint64> nextAttemptMs; // when pending
    bool endpointDisabled = false;       // by this attempt (410, or failing for too long)
    QString disabledReason;
};

// signiq.webhook_deliveries and signiq.webhook_attempts: the durable queue. Enqueue happens in
// the event's own transaction; a dispatcher claims due deliveries with a lease (FOR UPDATE SKIP
// LOCKED, so dispatchers on one database never take the same row), posts them outside any
// transaction and records the outcome. A dispatcher that dies mid-post loses nothing: its lease
// runs out and another claims the delivery again (at least once; receivers dedupe on webhook-id).
class WebhookDeliveryQueue {
public:
    explicit WebhookDeliveryQueue(Database &db) : m_db(db) {}

    // The body of an event: {"type": ..., "timestamp": RFC 3339 UTC, "data": {...}}, compact.
    [[nodiscard]] static QByteArray eventPayload(const QString &eventType, qint64 timestampMs, const QJsonObject &data);

    // In `tx` (running as an organisation): one delivery per enabled endpoint subscribed to
    // `eventType` (an endpoint with no event list takes every event), due at `nowMs`. An
    // endpoint with a site filter takes only events about that site (`siteId`); an event about
    // no site goes to the endpoints without a filter. The ids of the deliveries.
    // InvalidArgument: a bad event type or a payload over 256 KiB.
    [[nodiscard]] static core::Result<QList<QUuid>> enqueueEvent(Transaction &tx, const QString &eventType, const QByteArray &payload,
                                                                 qint64 nowMs, const std::optional<QUuid> &siteId = std::nullopt);
    // In `tx`: one delivery to one endpoint (webhook.test, replay), even when it is not
    // subscribed. NotFound: unknown endpoint; InvalidArgument: the endpoint is disabled.
    [[nodiscard]] static core::Result<QUuid> enqueueTo(Transaction &tx, const QUuid &endpoint, const QString &eventType,
                                                       const QByteArray &payload, qint64 nowMs);

    // Organisations with deliveries due at `nowMs` (at most `limit`).
    [[nodiscard]] core::Result<QList<QUuid>> dueOrganisations(qint64 nowMs, int limit = 100);
    // Claims up to `limit` due deliveries of `org` for `leaseMs`, oldest due first.
    [[nodiscard]] core::Result<QList<WebhookClaim>> claim(const QUuid &org, qint64 nowMs, qint64 leaseMs, int limit);
    // Records an attempt and moves the delivery on: 2xx delivered; 410 failed and the endpoint
    // disabled; otherwise pending again after WebhookRetrySchedule (`unitRandom` in [0,1)) or
    // failed after the last attempt; an endpoint whose failures began DisableAfterFailingMs ago,
    // or whose delivery used its last attempt, is disabled and its pending deliveries fail. NotFound when the claim is no longer held.
    [[nodiscard]] core::Result<WebhookAttemptResult> record(const WebhookClaim &claim, const WebhookAttemptOutcome &outcome,
                                                            qint64 nowMs, double unitRandom);

    // An endpoint's deliveries, newest first, with their attempts.
    [[nodiscard]] core::Result<QList<WebhookDeliveryRecord>> deliveries(const QUuid &org, const QUuid &endpoint, int limit);
    [[nodiscard]] static core::Result<QList<WebhookDeliveryRecord>> deliveriesIn(Transaction &tx, const QUuid &endpoint, qint64 offset,
                                                                                 int limit);
    [[nodiscard]] static core::Result<qint64> countDeliveriesIn(Transaction &tx, const QUuid &endpoint);
    // In `tx`: sends a finished delivery (delivered or failed) of `endpoint` again, due now, with
    // the same webhook-id and payload and the whole retry schedule. NotFound: no such delivery
    // of that endpoint; InvalidArgument: it is still queued, or the endpoint is disabled.
    [[nodiscard]] static core::Result<WebhookDeliveryRecord> replayIn(Transaction &tx, const QUuid &endpoint, const QUuid &delivery,
                                                                      qint64 nowMs);

private:
    Database &m_db;
};

} // namespace signiq::hub
