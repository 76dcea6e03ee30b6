#include "hub/WebhookApi.h"

#include "hub/ApiResponses.h"
#include "hub/AuditRepository.h"
#include "hub/Database.h"
#include "hub/HubLog.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookRepository.h"
#include "hub/WebhookSigning.h"
#include "protocol/Paging.h"
#include "protocol/StrictJson.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <limits>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;
using answers::badRequest;
using answers::idText;
using answers::json;
using answers::optionalTime;

namespace {

// As every hub answer, except that a value that does not parse is bad input (400) here too.
http::Response fromError(const core::Error &error)
{
    if (error.code == ErrorCode::Parse)
        return badRequest(error.message);
    return answers::fromError(error, "webhook request failed:");
}

QJsonObject endpointJson(const WebhookEndpoint &e)
{
    return QJsonObject{{QStringLiteral("id"), idText(e.id)},
                       {QStringLiteral("url"), e.url},
                       {QStringLiteral("events"), QJsonArray::fromStringList(e.events)},
                       {QStringLiteral("site_id"), e.siteId ? QJsonValue(idText(*e.siteId)) : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("status"), e.disabledAtMs ? QStringLiteral("disabled") : QStringLiteral("enabled")},
                       {QStringLiteral("disabled_at"), optionalTime(e.disabledAtMs)},
                       {QStringLiteral("disabled_reason"), e.disabledAtMs ? QJsonValue(e.disabledReason) : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("previous_secret_until"), optionalTime(e.previousSecretUntilMs)},
                       {QStringLiteral("created_at"), protocol::isoTime(e.createdAtMs)}};
}

QJsonObject deliveryJson(const WebhookDeliveryRecord &d)
{
    QJsonArray log;
    for (const WebhookAttemptRecord &a : d.log)
        log.append(QJsonObject{{QStringLiteral("attempt"), a.attempt},
                               {QStringLiteral("started_at"), protocol::isoTime(a.startedAtMs)},
                               {QStringLiteral("latency_ms"), a.latencyMs},
                               {QStringLiteral("status"), a.httpStatus ? QJsonValue(*a.httpStatus) : QJsonValue(QJsonValue::Null)},
                               {QStringLiteral("error"), a.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(a.error)},
                               {QStringLiteral("response_excerpt"), a.responseExcerpt}});
    return QJsonObject{{QStringLiteral("id"), idText(d.delivery)},
                       {QStringLiteral("message_id"), d.messageId},
                       {QStringLiteral("event_type"), d.eventType},
                       {QStringLiteral("state"), d.state},
                       {QStringLiteral("attempts"), d.attempts},
                       {QStringLiteral("created_at"), protocol::isoTime(d.createdAtMs)},
                       {QStringLiteral("next_attempt_at"), optionalTime(d.nextAttemptMs)},
                       {QStringLiteral("log"), log}};
}

// A JSON object body (an empty body is {} when `allowEmpty`); only `allowed` fields.
core::Result<QJsonObject> bodyOf(const http::Request &request, bool allowEmpty, const QStringList &allowed)
{
    if (request.body.isEmpty()) {
        if (allowEmpty)
            return QJsonObject();
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a JSON object body is required"));
    }
    auto object = protocol::strictjson::parseObject(request.body);
    if (!object)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("malformed JSON body: %1").arg(object.error().message));
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (!allowed.contains(it.key()))
            return makeError(ErrorCode::Unsupported,
                             QStringLiteral("unknown field '%1' (valid: %2)").arg(it.key().left(64), allowed.join(QStringLiteral(", "))));
    }
    return object;
}

http::Response bodyError(const core::Error &error)
{
    return error.code == ErrorCode::Unsupported ? badRequest(error.message, QStringLiteral("unknown_field"))
                                                : badRequest(error.message, QStringLiteral("bad_body"));
}

std::optional<http::Response> noQuery(const http::Request &request)
{
    const auto items = request.query.queryItems(QUrl::FullyDecoded);
    if (!items.isEmpty())
        return badRequest(QStringLiteral("unknown query parameter '%1' (this endpoint takes none)").arg(items.first().first.left(64)),
                          QStringLiteral("unknown_field"));
    return std::nullopt;
}

// "events": an array of known event types (empty: every event).
core::Result<QStringList> eventsOf(const QJsonValue &value)
{
    if (!value.isArray())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'events' must be an array of event types"));
    QStringList events;
    for (const QJsonValue &v : value.toArray()) {
        if (!v.isString())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'events' must be an array of event types (strings)"));
        events << v.toString();
    }
    if (core::Status ok = WebhookRepository::checkEvents(events); !ok)
        return ok.error();
    return events;
}

// "site_id": a UUID or null.
core::Result<std::optional<QUuid>> siteOf(const QJsonValue &value)
{
    if (value.isNull())
        return std::optional<QUuid>();
    if (!value.isString())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'site_id' must be a site id or null"));
    auto id = parseId(value.toString(), QStringLiteral("site_id"));
    if (!id)
        return id.error();
    return std::optional<QUuid>(*id);
}

core::Status requireSite(Transaction &tx, const std::optional<QUuid> &site)
{
    if (!site)
        return {};
    auto q = tx.exec(QStringLiteral("SELECT 1 FROM signiq.sites WHERE org_id = signiq.current_org() AND site_id = ?"), {uuidParam(*site)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::Unsupported, QStringLiteral("unknown site %1").arg(idText(*site)));
    return {};
}

core::Result<std::pair<qint64, int>> paging(const QUrlQuery &query, int fallback, int max)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name != QLatin1String("limit") && name != QLatin1String("offset"))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown query parameter '%1' (valid: limit, offset)").arg(name.left(64)));
    }
    qint64 offset = 0;
    int limit = fallback;
    bool ok = true;
    if (query.hasQueryItem(QStringLiteral("offset"))) {
        offset = query.queryItemValue(QStringLiteral("offset")).toLongLong(&ok);
        if (!ok || offset < 0)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'offset' must be a whole number of 0 or more"));
    }
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > max)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'limit' must be a whole number in 1..%1").arg(max));
    }
    return std::pair{offset, limit};
}

// A path id: 404 for anything that is not a UUID (it names no endpoint of this organisation).
core::Result<QUuid> pathId(const QString &text, const QString &what)
{
    const QUuid id = QUuid::fromString(text);
    if (id.isNull() || text.size() != 36)
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown %1 '%2'").arg(what, text.left(64)));
    return id;
}

} // namespace

WebhookApi::WebhookApi(Database &db, const core::Clock &clock, WebhookApiOptions options)
    : m_db(db), m_clock(clock), m_options(std::move(options))
{
    if (!m_options.resolve)
        m_options.resolve = [](const WebhookAddressPolicy &policy, const QString &host) { return policy.resolve(host); };
}

std::optional<http::Response> WebhookApi::notConfigured() const
{
    if (m_options.secretsKey.size() == 32)
        return std::nullopt;
    return http::Response::error(503, QStringLiteral("webhooks_not_configured"),
                                 QStringLiteral("webhooks are not configured on this hub (signiq-hub serve --webhook-key-file)"));
}

std::optional<http::Response> WebhookApi::refuseEndpointRequest(const http::Request &request, const QString &id, bool takesQuery,
                                                                std::optional<QUuid> &endpointId) const
{
    if (auto refused = notConfigured())
        return refused;
    if (!takesQuery) {
        if (auto refused = noQuery(request))
            return refused;
    }
    auto parsed = pathId(id, QStringLiteral("webhook endpoint"));
    if (!parsed)
        return fromError(parsed.error());
    endpointId = *parsed;
    return std::nullopt;
}

void WebhookApi::auditDenied(const Caller &caller, const QString &operation, const QString &why)
{
    AuditEvent event{caller.keyId, caller.ip.left(64), QStringLiteral("auth.denied"), operation.left(200),
                     QString(QStringLiteral("denied: ") + why).left(500)};
    if (auto recorded = AuditRepository(m_db, m_clock).append(caller.org, event); !recorded)
        qCWarning(lcHub) << "cannot record audit entry auth.denied:" << recorded.error().toString();
}

std::optional<http::Response> WebhookApi::checkTarget(const QString &url, const QStringList &allowedRanges, const Caller &caller,
                                                      const QString &operation)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (url.isEmpty() || url.size() > 2000 || !parsed.isValid() || parsed.host().isEmpty())
        return badRequest(QStringLiteral("'url' is not a URL with a scheme and a host: '%1'").arg(url.left(200)), QStringLiteral("bad_url"));
    auto ranges = WebhookAddressPolicy::parseRanges(allowedRanges);
    if (!ranges)
        return fromError(ranges.error());
    const WebhookAddressPolicy policy(m_options.mode, *ranges);
    if (core::Status ok = policy.checkUrl(parsed); !ok) {
        const bool insecure = parsed.scheme() == QLatin1String("http");
        return badRequest(insecure ? QStringLiteral("'%1': %2 (this hub runs in production mode)").arg(url.left(200), ok.error().message)
                                   : QStringLiteral("'%1': %2").arg(url.left(200), ok.error().message),
                          insecure ? QStringLiteral("insecure_url") : QStringLiteral("bad_url"));
    }
    auto addresses = m_options.resolve(policy, parsed.host());
    if (!addresses) {
        if (addresses.error().code == ErrorCode::PermissionDenied) {
            auditDenied(caller, operation, addresses.error().message);
            return badRequest(addresses.error().message, QStringLiteral("non_public_target"));
        }
        return badRequest(addresses.error().message, QStringLiteral("unresolvable_host"));
    }
    return std::nullopt;
}

http::Response WebhookApi::list(const http::Request &request, const Caller &caller)
{
    if (auto refused = notConfigured())
        return *refused;
    auto page = paging(request.query, m_options.pageSize, m_options.maxPageSize);
    if (!page)
        return badRequest(page.error().message, QStringLiteral("unknown_field"));
    auto endpoints = m_db.inOrg(caller.org, [&](Transaction &tx) { return WebhookRepository::listIn(tx, caller.keySite, page->first, page->second); });
    if (!endpoints)
        return fromError(endpoints.error());
    QJsonArray items;
    for (const WebhookEndpoint &e : endpoints->items)
        items.append(endpointJson(e));
    QJsonObject out{{QStringLiteral("webhooks"), items}, {QStringLiteral("max_webhooks"), caller.maxEndpoints}};
    protocol::PageInfo::of(endpoints->total, page->first, page->second, endpoints->items.size()).writeTo(out);
    return json(out);
}

http::Response WebhookApi::create(const http::Request &request, const Caller &caller)
{
    if (auto refused = notConfigured())
        return *refused;
    if (auto refused = noQuery(request))
        return *refused;
    auto body = bodyOf(request, false, {QStringLiteral("url"), QStringLiteral("events"), QStringLiteral("site_id")});
    if (!body)
        return bodyError(body.error());
    if (!body->value(QStringLiteral("url")).isString())
        return badRequest(QStringLiteral("'url' (a string) is required"), QStringLiteral("bad_url"));
    const QString url = body->value(QStringLiteral("url")).toString();
    QStringList events;
    if (body->contains(QStringLiteral("events"))) {
        auto parsed = eventsOf(body->value(QStringLiteral("events")));
        if (!parsed)
            return badRequest(parsed.error().message, QStringLiteral("unknown_event_type"));
        events = *parsed;
    }
    std::optional<QUuid> site;
    if (body->contains(QStringLiteral("site_id"))) {
        auto parsed = siteOf(body->value(QStringLiteral("site_id")));
        if (!parsed)
            return badRequest(parsed.error().message, QStringLiteral("unknown_site"));
        site = *parsed;
    }
    if (caller.keySite) {
        if (site && *site != *caller.keySite)
            return badRequest(QStringLiteral("unknown site %1").arg(idText(*site)), QStringLiteral("unknown_site"));
        site = caller.keySite;
    }
    const QString operation = QStringLiteral("POST /v1/webhooks");
    auto ranges = m_db.inOrg(caller.org, [](Transaction &tx) { return WebhookRepository::allowedRangesIn(tx); });
    if (!ranges)
        return fromError(ranges.error());
    if (auto refused = checkTarget(url, *ranges, caller, operation))
        return *refused;
    auto secret = WebhookSecret::generate();
    if (!secret)
        return fromError(secret.error());

    bool overLimit = false;
    const qint64 now = m_clock.nowMs();
    auto created = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<WebhookEndpoint> {
        // The organisation's row lock (taken by the audit append) serialises creations: count
        // under it, so two concurrent creations cannot both pass the limit.
        auto locked = tx.exec(QStringLiteral("SELECT 1 FROM signiq.organisations WHERE org_id = signiq.current_org() FOR UPDATE"));
        if (!locked)
            return locked.error();
        if (core::Status ok = requireSite(tx, site); !ok)
            return ok.error();
        auto count = WebhookRepository::countIn(tx);
        if (!count)
            return count.error();
        if (*count >= caller.maxEndpoints) {
            overLimit = true;
            return makeError(ErrorCode::PermissionDenied, QString());
        }
        auto endpoint = WebhookRepository(m_db, m_options.secretsKey).createIn(tx, url, events, secret->key(), site);
        if (!endpoint)
            return endpoint.error();
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.create"),
                                                      idText(endpoint->id), QStringLiteral("ok")},
                                                 now);
        if (!audited)
            return audited.error();
        return endpoint;
    });
    if (overLimit) {
        const QString why = QStringLiteral("the %1 tier allows at most %2 webhook endpoints")
                                .arg(protocol::tierName(caller.tier))
                                .arg(caller.maxEndpoints);
        auditDenied(caller, operation, why);
        return http::Response::error(403, QStringLiteral("webhook_limit"), why + QStringLiteral(" (delete one or change the tier)"));
    }
    if (!created) {
        if (created.error().code == ErrorCode::Unsupported)
            return badRequest(created.error().message, QStringLiteral("unknown_site"));
        return fromError(created.error());
    }
    QJsonObject out = endpointJson(*created);
    out.insert(QStringLiteral("secret"), QString::fromLatin1(secret->toText())); // shown once, never again
    return json(out, 201);
}

http::Response WebhookApi::get(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    auto endpoint = m_db.inOrg(caller.org, [&](Transaction &tx) { return WebhookRepository::findIn(tx, *endpointId); });
    if (!endpoint)
        return fromError(endpoint.error());
    if (caller.keySite && endpoint->siteId != caller.keySite)
        return fromError(makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id)));
    return json(endpointJson(*endpoint));
}

http::Response WebhookApi::update(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    auto body = bodyOf(request, false, {QStringLiteral("url"), QStringLiteral("events"), QStringLiteral("site_id"), QStringLiteral("enabled")});
    if (!body)
        return bodyError(body.error());
    if (body->isEmpty())
        return badRequest(QStringLiteral("nothing to change (fields: url, events, site_id, enabled)"), QStringLiteral("bad_body"));
    WebhookEndpointChange change;
    QStringList changed;
    if (body->contains(QStringLiteral("url"))) {
        if (!body->value(QStringLiteral("url")).isString())
            return badRequest(QStringLiteral("'url' must be a string"), QStringLiteral("bad_url"));
        change.url = body->value(QStringLiteral("url")).toString();
        changed << QStringLiteral("url");
    }
    if (body->contains(QStringLiteral("events"))) {
        auto parsed = eventsOf(body->value(QStringLiteral("events")));
        if (!parsed)
            return badRequest(parsed.error().message, QStringLiteral("unknown_event_type"));
        change.events = *parsed;
        changed << QStringLiteral("events");
    }
    if (body->contains(QStringLiteral("site_id"))) {
        auto parsed = siteOf(body->value(QStringLiteral("site_id")));
        if (!parsed)
            return badRequest(parsed.error().message, QStringLiteral("unknown_site"));
        if (caller.keySite && *parsed != caller.keySite)
            return badRequest(QStringLiteral("this key is restricted to site %1").arg(idText(*caller.keySite)), QStringLiteral("unknown_site"));
        change.siteId = *parsed;
        changed << QStringLiteral("site_id");
    }
    if (body->contains(QStringLiteral("enabled"))) {
        if (!body->value(QStringLiteral("enabled")).isBool())
            return badRequest(QStringLiteral("'enabled' must be true or false"), QStringLiteral("bad_body"));
        change.enabled = body->value(QStringLiteral("enabled")).toBool();
        change.disabledReason = QStringLiteral("disabled by key %1").arg(caller.keyId);
        changed << (*change.enabled ? QStringLiteral("enabled") : QStringLiteral("disabled"));
    }
    const QString operation = QStringLiteral("PATCH /v1/webhooks/") + id;
    if (change.url) {
        auto ranges = m_db.inOrg(caller.org, [](Transaction &tx) { return WebhookRepository::allowedRangesIn(tx); });
        if (!ranges)
            return fromError(ranges.error());
        if (auto refused = checkTarget(*change.url, *ranges, caller, operation))
            return *refused;
    }
    const qint64 now = m_clock.nowMs();
    auto updated = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<WebhookEndpoint> {
        auto before = WebhookRepository::findIn(tx, *endpointId, true);
        if (!before)
            return before.error();
        if (caller.keySite && before->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        if (change.siteId) {
            if (core::Status ok = requireSite(tx, *change.siteId); !ok)
                return ok.error();
        }
        auto after = WebhookRepository::updateIn(tx, *endpointId, change, now);
        if (!after)
            return after.error();
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.update"), idText(*endpointId),
                                                      QStringLiteral("ok: ") + changed.join(QLatin1Char(','))},
                                                 now);
        if (!audited)
            return audited.error();
        return after;
    });
    if (!updated) {
        if (updated.error().code == ErrorCode::Unsupported)
            return badRequest(updated.error().message, QStringLiteral("unknown_site"));
        return fromError(updated.error());
    }
    return json(endpointJson(*updated));
}

http::Response WebhookApi::remove(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    const qint64 now = m_clock.nowMs();
    auto removed = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Status {
        auto before = WebhookRepository::findIn(tx, *endpointId, true);
        if (!before)
            return before.error();
        if (caller.keySite && before->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        if (core::Status ok = WebhookRepository::removeIn(tx, *endpointId); !ok)
            return ok;
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.delete"), idText(*endpointId),
                                                      QStringLiteral("ok")},
                                                 now);
        if (!audited)
            return audited.error();
        return {};
    });
    if (!removed)
        return fromError(removed.error());
    http::Response r;
    r.status = 204;
    return r;
}

http::Response WebhookApi::rotate(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    auto body = bodyOf(request, true, {QStringLiteral("overlap_s")});
    if (!body)
        return bodyError(body.error());
    qint64 overlapMs = m_options.defaultOverlapMs;
    if (body->contains(QStringLiteral("overlap_s"))) {
        const auto seconds = protocol::strictjson::wholeNumber(body->value(QStringLiteral("overlap_s")), 0, m_options.maxOverlapMs / 1000);
        if (!seconds)
            return badRequest(QStringLiteral("'overlap_s' must be a whole number of seconds in 0..%1 (7 days)").arg(m_options.maxOverlapMs / 1000),
                              QStringLiteral("bad_overlap"));
        overlapMs = *seconds * 1000;
    }
    auto secret = WebhookSecret::generate();
    if (!secret)
        return fromError(secret.error());
    const qint64 now = m_clock.nowMs();
    auto rotated = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<WebhookEndpoint> {
        auto before = WebhookRepository::findIn(tx, *endpointId, true);
        if (!before)
            return before.error();
        if (caller.keySite && before->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        auto after = WebhookRepository(m_db, m_options.secretsKey).rotateIn(tx, *endpointId, secret->key(), overlapMs, now);
        if (!after)
            return after.error();
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.rotate"), idText(*endpointId),
                                                      QStringLiteral("ok: overlap %1 s").arg(overlapMs / 1000)},
                                                 now);
        if (!audited)
            return audited.error();
        return after;
    });
    if (!rotated)
        return fromError(rotated.error());
    QJsonObject out = endpointJson(*rotated);
    out.insert(QStringLiteral("secret"), QString::fromLatin1(secret->toText())); // the new secret, shown once
    return json(out);
}

http::Response WebhookApi::sendTest(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    auto body = bodyOf(request, true, {});
    if (!body)
        return bodyError(body.error());
    const qint64 now = m_clock.nowMs();
    QString messageId;
    bool disabled = false;
    auto queued = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<QUuid> {
        auto endpoint = WebhookRepository::findIn(tx, *endpointId);
        if (!endpoint)
            return endpoint.error();
        if (caller.keySite && endpoint->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        if (endpoint->disabledAtMs) {
            disabled = true;
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook endpoint %1 is disabled: enable it first (PATCH {\"enabled\": true})").arg(id));
        }
        const QJsonObject data{{QStringLiteral("endpoint_id"), idText(*endpointId)}, {QStringLiteral("requested_by"), caller.keyId}};
        auto delivery = WebhookDeliveryQueue::enqueueTo(tx, *endpointId, QStringLiteral("webhook.test"),
                                                        WebhookDeliveryQueue::eventPayload(QStringLiteral("webhook.test"), now, data), now);
        if (!delivery)
            return delivery.error();
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.test"), idText(*endpointId),
                                                      QStringLiteral("ok: delivery ") + idText(*delivery)},
                                                 now);
        if (!audited)
            return audited.error();
        auto records = WebhookDeliveryQueue::deliveriesIn(tx, *endpointId, 0, 1);
        if (records && !records->isEmpty() && records->first().delivery == *delivery)
            messageId = records->first().messageId;
        return delivery;
    });
    if (!queued) {
        if (disabled)
            return http::Response::error(409, QStringLiteral("endpoint_disabled"), queued.error().message);
        return fromError(queued.error());
    }
    return json({{QStringLiteral("delivery_id"), idText(*queued)},
                 {QStringLiteral("message_id"), messageId},
                 {QStringLiteral("event_type"), QStringLiteral("webhook.test")},
                 {QStringLiteral("state"), QStringLiteral("pending")}},
                202);
}

http::Response WebhookApi::deliveries(const http::Request &request, const QString &id, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, true, endpointId))
        return *refused;
    auto page = paging(request.query, m_options.pageSize, m_options.maxPageSize);
    if (!page)
        return badRequest(page.error().message, QStringLiteral("unknown_field"));
    struct Listing {
        QList<WebhookDeliveryRecord> items;
        qint64 total = 0;
    };
    auto listed = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<Listing> {
        auto endpoint = WebhookRepository::findIn(tx, *endpointId);
        if (!endpoint)
            return endpoint.error();
        if (caller.keySite && endpoint->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        auto total = WebhookDeliveryQueue::countDeliveriesIn(tx, *endpointId);
        if (!total)
            return total.error();
        Listing l;
        l.total = *total;
        if (page->first < l.total) {
            auto items = WebhookDeliveryQueue::deliveriesIn(tx, *endpointId, page->first, page->second);
            if (!items)
                return items.error();
            l.items = *items;
        }
        return l;
    });
    if (!listed)
        return fromError(listed.error());
    QJsonArray items;
    for (const WebhookDeliveryRecord &d : listed->items)
        items.append(deliveryJson(d));
    QJsonObject out{{QStringLiteral("deliveries"), items}};
    protocol::PageInfo::of(listed->total, page->first, page->second, listed->items.size()).writeTo(out);
    return json(out);
}

http::Response WebhookApi::replay(const http::Request &request, const QString &id, const QString &delivery, const Caller &caller)
{
    std::optional<QUuid> endpointId;
    if (auto refused = refuseEndpointRequest(request, id, false, endpointId))
        return *refused;
    auto deliveryId = pathId(delivery, QStringLiteral("delivery"));
    if (!deliveryId)
        return fromError(deliveryId.error());
    auto body = bodyOf(request, true, {});
    if (!body)
        return bodyError(body.error());
    const qint64 now = m_clock.nowMs();
    auto replayed = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Result<WebhookDeliveryRecord> {
        auto endpoint = WebhookRepository::findIn(tx, *endpointId);
        if (!endpoint)
            return endpoint.error();
        if (caller.keySite && endpoint->siteId != caller.keySite)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(id));
        auto record = WebhookDeliveryQueue::replayIn(tx, *endpointId, *deliveryId, now);
        if (!record)
            return record.error();
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.replay"), idText(*endpointId),
                                                      QStringLiteral("ok: delivery ") + idText(*deliveryId)},
                                                 now);
        if (!audited)
            return audited.error();
        return record;
    });
    if (!replayed) {
        if (replayed.error().code == ErrorCode::InvalidArgument)
            return http::Response::error(409, QStringLiteral("conflict"), replayed.error().message);
        return fromError(replayed.error());
    }
    return json(deliveryJson(*replayed), 202);
}

http::Response WebhookApi::allowedRanges(const http::Request &request, const Caller &caller)
{
    if (auto refused = noQuery(request))
        return *refused;
    auto ranges = m_db.inOrg(caller.org, [](Transaction &tx) { return WebhookRepository::allowedRangesIn(tx); });
    if (!ranges)
        return fromError(ranges.error());
    return json({{QStringLiteral("ranges"), QJsonArray::fromStringList(*ranges)}});
}

http::Response WebhookApi::setAllowedRanges(const http::Request &request, const Caller &caller)
{
    if (auto refused = noQuery(request))
        return *refused;
    const QString operation = QStringLiteral("PUT /v1/webhook-ranges");
    if (!caller.admin) {
        auditDenied(caller, operation, QStringLiteral("lacks scope admin"));
        return http::Response::error(403, QStringLiteral("forbidden"),
                                     QStringLiteral("this key lacks the scope admin needed to allow private webhook targets"));
    }
    auto body = bodyOf(request, false, {QStringLiteral("ranges")});
    if (!body)
        return bodyError(body.error());
    if (!body->value(QStringLiteral("ranges")).isArray())
        return badRequest(QStringLiteral("'ranges' (an array of CIDR ranges such as \"10.20.0.0/16\") is required"), QStringLiteral("bad_range"));
    QStringList ranges;
    for (const QJsonValue &v : body->value(QStringLiteral("ranges")).toArray()) {
        if (!v.isString())
            return badRequest(QStringLiteral("'ranges' must hold strings such as \"10.20.0.0/16\""), QStringLiteral("bad_range"));
        ranges << v.toString().trimmed();
    }
    const qint64 now = m_clock.nowMs();
    auto set = m_db.inOrg(caller.org, [&](Transaction &tx) -> core::Status {
        if (core::Status ok = WebhookRepository::setAllowedRangesIn(tx, ranges); !ok)
            return ok;
        auto audited = AuditRepository::appendIn(tx, {caller.keyId, caller.ip.left(64), QStringLiteral("webhook.allowed_ranges"),
                                                      ranges.join(QLatin1Char(',')).left(200), QStringLiteral("ok")},
                                                 now);
        if (!audited)
            return audited.error();
        return {};
    });
    if (!set) {
        if (set.error().code == ErrorCode::InvalidArgument)
            return badRequest(set.error().message, QStringLiteral("bad_range"));
        return fromError(set.error());
    }
    return json({{QStringLiteral("ranges"), QJsonArray::fromStringList(ranges)}});
}

} // namespace signiq::hub
