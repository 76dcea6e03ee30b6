#include "hub/WebhookDeliveryQueue.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr qsizetype kMaxPayload = 262144;

core::Status checkEvent(const QString &eventType, const QByteArray &payload)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]+(\\.[a-z_]+)+$"));
    if (eventType.size() > 64 || !pattern.match(eventType).hasMatch())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad webhook event type '%1'").arg(eventType.left(64)));
    if (payload.size() > kMaxPayload)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a webhook payload is at most %1 bytes, not %2").arg(kMaxPayload).arg(payload.size()));
    return {};
}

QString messageIdFor(const QUuid &delivery)
{
    return QStringLiteral("msg_") + delivery.toString(QUuid::Id128);
}

core::Result<QUuid> insertDelivery(Transaction &tx, const QUuid &endpoint, const QString &eventType, const QByteArray &payload,
                                   qint64 nowMs)
{
    const QUuid id = QUuid::createUuid();
    auto q = tx.exec(QStringLiteral("INSERT INTO signiq.webhook_deliveries (org_id, delivery_id, endpoint_id, event_type, message_id, "
                                    "payload, created_at_ms, next_attempt_ms) VALUES (signiq.current_org(), ?, ?, ?, ?, ?, ?, ?)"),
                     {uuidParam(id), uuidParam(endpoint), eventType, messageIdFor(id), payload, nowMs, nowMs});
    if (!q)
        return q.error();
    return id;
}

QString clip(const QString &text, qsizetype n)
{
    return text.size() <= n ? text : text.left(n);
}

} // namespace

std::optional<qint64> WebhookRetrySchedule::delayAfter(int attempt, double unitRandom, std::optional<qint64> retryAfterMs)
{
    if (attempt >= MaxAttempts)
        return std::nullopt;
    if (retryAfterMs)
        return std::clamp(*retryAfterMs, BaseDelayMs, MaxRetryAfterMs);
    const int doublings = std::clamp(attempt - 1, 0, 30);
    const qint64 raw = std::min(MaxDelayMs, BaseDelayMs << doublings);
    const double factor = 1.0 - Jitter + 2.0 * Jitter * std::clamp(unitRandom, 0.0, 1.0);
    return std::max<qint64>(1000, std::llround(static_cast<double>(raw) * factor));
}

QByteArray WebhookDeliveryQueue::eventPayload(const QString &eventType, qint64 timestampMs, const QJsonObject &data)
{
    QJsonObject body;
    body.insert(QStringLiteral("type"), eventType);
    body.insert(QStringLiteral("timestamp"), QDateTime::fromMSecsSinceEpoch(timestampMs, Qt::UTC).toString(Qt::ISODateWithMs));
    body.insert(QStringLiteral("data"), data);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

core::Result<QList<QUuid>> WebhookDeliveryQueue::enqueueEvent(Transaction &tx, const QString &eventType, const QByteArray &payload,
                                                              qint64 nowMs, const std::optional<QUuid> &siteId)
{
    if (core::Status ok = checkEvent(eventType, payload); !ok)
        return ok.error();
    auto endpoints = tx.exec(QStringLiteral("SELECT endpoint_id FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org() "
                                            "AND disabled_at IS NULL AND (cardinality(events) = 0 OR ? = ANY(events)) "
                                            "AND (site_id IS NULL OR site_id = ?) ORDER BY endpoint_id"),
                             {eventType, optionalUuidParam(siteId)});
    if (!endpoints)
        return endpoints.error();
    QList<QUuid> targets;
    while (endpoints->next())
        targets.append(uuidValue(endpoints->value(0)));
    QList<QUuid> ids;
    for (const QUuid &endpoint : targets) {
        auto id = insertDelivery(tx, endpoint, eventType, payload, nowMs);
        if (!id)
            return id.error();
        ids.append(*id);
    }
    return ids;
}

core::Result<QUuid> WebhookDeliveryQueue::enqueueTo(Transaction &tx, const QUuid &endpoint, const QString &eventType,
                                                    const QByteArray &payload, qint64 nowMs)
{
    if (core::Status ok = checkEvent(eventType, payload); !ok)
        return ok.error();
    auto q = tx.exec(QStringLiteral("SELECT disabled_at IS NULL FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org() "
                                    "AND endpoint_id = ?"),
                     {uuidParam(endpoint)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("no webhook endpoint %1").arg(endpoint.toString(QUuid::WithoutBraces)));
    if (!q->value(0).toBool())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("webhook endpoint %1 is disabled").arg(endpoint.toString(QUuid::WithoutBraces)));
    return insertDelivery(tx, endpoint, eventType, payload, nowMs);
}

core::Result<QList<QUuid>> WebhookDeliveryQueue::dueOrganisations(qint64 nowMs, int limit)
{
    return m_db.maintenance([&](Transaction &tx) -> core::Result<QList<QUuid>> {
        auto q = tx.exec(QStringLiteral("SELECT signiq.webhook_due_orgs(?, ?)"), {nowMs, std::clamp(limit, 1, 10000)});
        if (!q)
            return q.error();
        QList<QUuid> orgs;
        while (q->next())
            orgs.append(uuidValue(q->value(0)));
        return orgs;
    });
}

core::Result<QList<WebhookClaim>> WebhookDeliveryQueue::claim(const QUuid &org, qint64 nowMs, qint64 leaseMs, int limit)
{
    if (leaseMs <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a delivery lease must be positive"));
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<WebhookClaim>> {
        // SKIP LOCKED: dispatchers on one database pass each other's rows by; the lease makes the
        // claim outlive this transaction, so the post happens with no transaction open.
        auto q = tx.exec(QStringLiteral(
                             "WITH due AS (SELECT d.delivery_id FROM signiq.webhook_deliveries AS d "
                             "  WHERE d.org_id = ? AND d.state = 'pending' AND d.next_attempt_ms <= ? "
                             "    AND (d.leased_until_ms IS NULL OR d.leased_until_ms <= ?) "
                             "  ORDER BY d.next_attempt_ms, d.delivery_id LIMIT ? FOR UPDATE SKIP LOCKED) "
                             "UPDATE signiq.webhook_deliveries AS d SET attempts = d.attempts + 1, leased_until_ms = ? "
                             "  FROM due, signiq.webhook_endpoints AS e "
                             " WHERE d.org_id = ? AND d.delivery_id = due.delivery_id "
                             "   AND e.org_id = d.org_id AND e.endpoint_id = d.endpoint_id "
                             "RETURNING d.delivery_id, d.endpoint_id, e.url, d.event_type, d.message_id, d.payload, d.attempts, "
                             "          d.next_attempt_ms, d.attempts - d.schedule_base"),
                         {uuidParam(org), nowMs, nowMs, std::clamp(limit, 1, 1000), nowMs + leaseMs, uuidParam(org)});
        if (!q)
            return q.error();
        QList<std::pair<qint64, WebhookClaim>> rows;
        while (q->next()) {
            WebhookClaim c{org,
                           uuidValue(q->value(0)),
                           uuidValue(q->value(1)),
                           q->value(2).toString(),
                           q->value(3).toString(),
                           q->value(4).toString(),
                           q->value(5).toByteArray(),
                           q->value(6).toInt(),
                           q->value(8).toInt()};
            rows.append({q->value(7).toLongLong(), std::move(c)});
        }
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        QList<WebhookClaim> claims;
        for (auto &r : rows)
            claims.append(std::move(r.second));
        return claims;
    });
}

core::Result<WebhookAttemptResult> WebhookDeliveryQueue::record(const WebhookClaim &claim, const WebhookAttemptOutcome &outcome,
                                                                qint64 nowMs, double unitRandom)
{
    return m_db.inOrg(claim.org, [&](Transaction &tx) -> core::Result<WebhookAttemptResult> {
        // Still ours? (same attempt number, still pending: a lease that ran out and was taken by
        // another dispatcher has a higher attempt number.)
        auto held = tx.exec(QStringLiteral("SELECT 1 FROM signiq.webhook_deliveries WHERE org_id = ? AND delivery_id = ? "
                                           "AND state = 'pending' AND attempts = ? FOR UPDATE"),
                            {uuidParam(claim.org), uuidParam(claim.delivery), claim.attempt});
        if (!held)
            return held.error();
        if (!held->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("delivery %1 attempt %2 is no longer held by this dispatcher")
                                                      .arg(claim.delivery.toString(QUuid::WithoutBraces))
                                                      .arg(claim.attempt));
        const QString excerpt = clip(QString::fromUtf8(outcome.responseExcerpt.left(WebhookAttemptOutcome::ExcerptBytes)), 1024);
        auto logged = tx.exec(QStringLiteral("INSERT INTO signiq.webhook_attempts (org_id, delivery_id, attempt, started_at_ms, latency_ms, "
                                             "http_status, error, response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                              {uuidParam(claim.org), uuidParam(claim.delivery), claim.attempt, outcome.startedAtMs,
                               static_cast<int>(std::clamp<qint64>(outcome.latencyMs, 0, 1'000'000'000)),
                               outcome.httpStatus ? QVariant(*outcome.httpStatus) : QVariant(),
                               outcome.error.isEmpty() ? QVariant() : QVariant(clip(outcome.error, 500)),
                               excerpt.isEmpty() ? QVariant() : QVariant(excerpt)});
        if (!logged)
            return logged.error();

        WebhookAttemptResult result;
        auto finish = [&](const QString &state) -> core::Status {
            auto q = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET state = ?, next_attempt_ms = NULL, leased_until_ms = NULL, "
                                            "finished_at_ms = ? WHERE org_id = ? AND delivery_id = ?"),
                             {state, nowMs, uuidParam(claim.org), uuidParam(claim.delivery)});
            if (!q)
                return q.error();
            result.state = state;
            return {};
        };
        auto disable = [&](const QString &reason) -> core::Status {
            auto q = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET disabled_at = to_timestamp(CAST(? AS bigint) / 1000.0), "
                                            "disabled_reason = ? WHERE org_id = ? AND endpoint_id = ? AND disabled_at IS NULL"),
                             {nowMs, reason, uuidParam(claim.org), uuidParam(claim.endpoint)});
            if (!q)
                return q.error();
            // Nothing more goes to a disabled endpoint: its queue fails now (replay re-sends).
            auto rest = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET state = 'failed', next_attempt_ms = NULL, "
                                               "leased_until_ms = NULL, finished_at_ms = ? WHERE org_id = ? AND endpoint_id = ? "
                                               "AND state = 'pending'"),
                                {nowMs, uuidParam(claim.org), uuidParam(claim.endpoint)});
            if (!rest)
                return rest.error();
            result.endpointDisabled = true;
            result.disabledReason = reason;
            return {};
        };

        if (outcome.succeeded()) {
            if (core::Status s = finish(QStringLiteral("delivered")); !s)
                return s.error();
            auto healthy = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET failing_since_ms = NULL WHERE org_id = ? AND endpoint_id = ?"),
                                   {uuidParam(claim.org), uuidParam(claim.endpoint)});
            if (!healthy)
                return healthy.error();
            return result;
        }
        if (outcome.httpStatus && *outcome.httpStatus == 410) {
            if (core::Status s = finish(QStringLiteral("failed")); !s)
                return s.error();
            if (core::Status s = disable(QStringLiteral("the receiver answered 410 Gone")); !s)
                return s.error();
            return result;
        }
        auto failing = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET failing_since_ms = COALESCE(failing_since_ms, ?) "
                                              "WHERE org_id = ? AND endpoint_id = ? RETURNING failing_since_ms"),
                               {outcome.startedAtMs, uuidParam(claim.org), uuidParam(claim.endpoint)});
        if (!failing)
            return failing.error();
        const qint64 failingSince = failing->next() ? failing->value(0).toLongLong() : outcome.startedAtMs;
        const int scheduled = claim.scheduleAttempt > 0 ? claim.scheduleAttempt : claim.attempt;
        const auto delay = WebhookRetrySchedule::delayAfter(scheduled, unitRandom, outcome.retryAfterMs);
        // Failing for days, or a delivery that used its whole schedule (about three days).
        if (nowMs - failingSince >= WebhookRetrySchedule::DisableAfterFailingMs || !delay) {
            if (core::Status s = finish(QStringLiteral("failed")); !s)
                return s.error();
            if (core::Status s = disable(QStringLiteral("no successful delivery for %1 hours")
                                             .arg((nowMs - failingSince) / 3'600'000));
                !s)
                return s.error();
            return result;
        }
        auto again = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET next_attempt_ms = ?, leased_until_ms = NULL "
                                            "WHERE org_id = ? AND delivery_id = ?"),
                             {nowMs + *delay, uuidParam(claim.org), uuidParam(claim.delivery)});
        if (!again)
            return again.error();
        result.state = QStringLiteral("pending");
        result.nextAttemptMs = nowMs + *delay;
        return result;
    });
}

core::Result<QList<WebhookDeliveryRecord>> WebhookDeliveryQueue::deliveries(const QUuid &org, const QUuid &endpoint, int limit)
{
    return m_db.inOrg(org, [&](Transaction &tx) { return deliveriesIn(tx, endpoint, 0, limit); });
}

core::Result<qint64> WebhookDeliveryQueue::countDeliveriesIn(Transaction &tx, const QUuid &endpoint)
{
    auto q = tx.exec(QStringLiteral("SELECT count(*) FROM signiq.webhook_deliveries WHERE org_id = signiq.current_org() AND endpoint_id = ?"),
                     {uuidParam(endpoint)});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

namespace {

const QString kDeliveryColumns = QStringLiteral("delivery_id, event_type, message_id, state, attempts, created_at_ms, next_attempt_ms");

WebhookDeliveryRecord deliveryFrom(const QSqlQuery &q, const QUuid &endpoint)
{
    WebhookDeliveryRecord r;
    r.delivery = uuidValue(q.value(0));
    r.endpoint = endpoint;
    r.eventType = q.value(1).toString();
    r.messageId = q.value(2).toString();
    r.state = q.value(3).toString();
    r.attempts = q.value(4).toInt();
    r.createdAtMs = q.value(5).toLongLong();
    if (!q.value(6).isNull())
        r.nextAttemptMs = q.value(6).toLongLong();
    return r;
}

core::Status readLog(Transaction &tx, WebhookDeliveryRecord &r)
{
    auto a = tx.exec(QStringLiteral("SELECT attempt, started_at_ms, latency_ms, http_status, COALESCE(error, ''), "
                                    "COALESCE(response_excerpt, '') FROM signiq.webhook_attempts "
                                    "WHERE org_id = signiq.current_org() AND delivery_id = ? ORDER BY attempt"),
                     {uuidParam(r.delivery)});
    if (!a)
        return a.error();
    while (a->next()) {
        WebhookAttemptRecord rec;
        rec.attempt = a->value(0).toInt();
        rec.startedAtMs = a->value(1).toLongLong();
        rec.latencyMs = a->value(2).toLongLong();
        if (!a->value(3).isNull())
            rec.httpStatus = a->value(3).toInt();
        rec.error = a->value(4).toString();
        rec.responseExcerpt = a->value(5).toString();
        r.log.append(std::move(rec));
    }
    return {};
}

} // namespace

core::Result<QList<WebhookDeliveryRecord>> WebhookDeliveryQueue::deliveriesIn(Transaction &tx, const QUuid &endpoint, qint64 offset, int limit)
{
    auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.webhook_deliveries WHERE org_id = signiq.current_org() AND endpoint_id = ? "
                                    "ORDER BY created_at_ms DESC, delivery_id LIMIT ? OFFSET ?")
                         .arg(kDeliveryColumns),
                     {uuidParam(endpoint), std::clamp(limit, 1, 1000), std::max<qint64>(0, offset)});
    if (!q)
        return q.error();
    QList<WebhookDeliveryRecord> out;
    while (q->next())
        out.append(deliveryFrom(*q, endpoint));
    for (WebhookDeliveryRecord &r : out) {
        if (core::Status ok = readLog(tx, r); !ok)
            return ok.error();
    }
    return out;
}

core::Result<WebhookDeliveryRecord> WebhookDeliveryQueue::replayIn(Transaction &tx, const QUuid &endpoint, const QUuid &delivery, qint64 nowMs)
{
    auto e = tx.exec(QStringLiteral("SELECT disabled_at IS NULL FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org() "
                                    "AND endpoint_id = ?"),
                     {uuidParam(endpoint)});
    if (!e)
        return e.error();
    if (!e->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(endpoint.toString(QUuid::WithoutBraces)));
    auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.webhook_deliveries WHERE org_id = signiq.current_org() AND endpoint_id = ? "
                                    "AND delivery_id = ? FOR UPDATE")
                         .arg(kDeliveryColumns),
                     {uuidParam(endpoint), uuidParam(delivery)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown delivery %1 of webhook endpoint %2")
                                                  .arg(delivery.toString(QUuid::WithoutBraces), endpoint.toString(QUuid::WithoutBraces)));
    const WebhookDeliveryRecord before = deliveryFrom(*q, endpoint);
    if (!e->value(0).toBool())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("webhook endpoint %1 is disabled: enable it first (PATCH {\"enabled\": true})")
                             .arg(endpoint.toString(QUuid::WithoutBraces)));
    if (before.state == QLatin1String("pending"))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("delivery %1 is still queued (attempt %2 is due)")
                                                         .arg(delivery.toString(QUuid::WithoutBraces))
                                                         .arg(before.attempts + 1));
    auto again = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET state = 'pending', next_attempt_ms = ?, leased_until_ms = NULL, "
                                        "finished_at_ms = NULL, schedule_base = attempts WHERE org_id = signiq.current_org() "
                                        "AND delivery_id = ? RETURNING %1")
                             .arg(kDeliveryColumns),
                         {nowMs, uuidParam(delivery)});
    if (!again)
        return again.error();
    if (!again->next())
        return makeError(ErrorCode::Internal, QStringLiteral("UPDATE ... RETURNING returned no delivery"));
    WebhookDeliveryRecord r = deliveryFrom(*again, endpoint);
    if (core::Status ok = readLog(tx, r); !ok)
        return ok.error();
    return r;
}

} // namespace signiq::hub
