#include "hub/HubApiServer.h"

#include "hub/ApiResponses.h"
#include "http/HttpServer.h"
#include "crypto/Signature.h"
#include "hub/ApiKeyRepository.h"
#include "hub/AuditRepository.h"
#include "hub/Database.h"
#include "hub/DeviceRepository.h"
#include "hub/HubLog.h"
#include "hub/OrganisationRepository.h"
#include "hub/SiteRepository.h"
#include "hub/SqlSupport.h"
#include "hub/WindowRepository.h"
#include "protocol/ApiKey.h"
#include "protocol/AuditHead.h"
#include "protocol/Csv.h"
#include "protocol/Paging.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <functional>
#include <limits>

namespace signiq::hub {

using core::ErrorCode;
using protocol::Scope;
using answers::badRequest;
using answers::fromError;
using answers::idText;
using answers::json;
using answers::optionalTime;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kWindowMs = 60'000;

// The query parameters of one endpoint: anything else is refused (a typo must not widen a query).
std::optional<http::Response> onlyKnown(const QUrlQuery &query, const QStringList &known)
{
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!known.contains(name))
            return badRequest(QStringLiteral("unknown query parameter '%1' (valid: %2)").arg(name, known.join(QStringLiteral(", "))),
                              QStringLiteral("unknown_field"));
    }
    return std::nullopt;
}

core::Result<std::optional<qint64>> timeParam(const QUrlQuery &query, const QString &name)
{
    if (!query.hasQueryItem(name))
        return std::optional<qint64>();
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded);
    const std::optional<qint64> ms = protocol::parseTime(text);
    if (!ms)
        return core::makeError(ErrorCode::InvalidArgument,
                               QStringLiteral("'%1' is not a time (ISO 8601 or ms since the epoch): '%2'").arg(name, text.left(64)));
    return ms;
}

core::Result<std::optional<qint64>> intParam(const QUrlQuery &query, const QString &name, qint64 min, qint64 max)
{
    if (!query.hasQueryItem(name))
        return std::optional<qint64>();
    bool ok = false;
    const qint64 v = query.queryItemValue(name, QUrl::FullyDecoded).toLongLong(&ok);
    if (!ok || v < min || v > max)
        return core::makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' must be a whole number in %2..%3").arg(name).arg(min).arg(max));
    return std::optional<qint64>(v);
}

core::Result<std::optional<QUuid>> idParam(const QUrlQuery &query, const QString &name)
{
    if (!query.hasQueryItem(name))
        return std::optional<QUuid>();
    auto id = parseId(query.queryItemValue(name, QUrl::FullyDecoded), name);
    if (!id)
        return id.error();
    return std::optional<QUuid>(*id);
}

} // namespace

struct HubApiServer::Caller {
    QString ip;
    std::optional<AuthenticatedKey> key;
    TierLimits limits;
    QString policy;
    HubRateLimiter::Decision rate;
    http::StreamOpener *opener = nullptr;
    bool streamed = false; // an endpoint opened a stream: no answer to send

    const QUuid &org() const { return key->orgId; }
    // The RateLimit header's value for this request (answers and export streams alike).
    QByteArray rateLimit() const
    {
        return QStringLiteral("limit=%1, remaining=%2, reset=%3").arg(rate.limit).arg(rate.remaining).arg(rate.resetS).toLatin1();
    }
};

struct HubApiServer::CachedAuth {
    AuthenticatedKey key;
    TierLimits limits;
    qint64 untilMs = 0;
};

core::Status HubApiServer::authenticate(const QString &token, Caller &caller)
{
    const qint64 now = m_clock.nowMs();
    const QByteArray tokenHash = protocol::ApiKeyFormat::hashToken(token);
    if (auto it = m_authCache.constFind(tokenHash); it != m_authCache.constEnd()) {
        const CachedAuth &cached = **it;
        const bool expired = cached.key.key.expiresAtMs && *cached.key.key.expiresAtMs <= now;
        if (now < cached.untilMs && !expired) {
            caller.key = cached.key;
            caller.limits = cached.limits;
            return {};
        }
        m_authCache.erase(it);
    }
    auto key = ApiKeyRepository(m_db, m_clock).authenticate(token);
    if (!key)
        return key.error();
    auto limits = OrganisationRepository(m_db, m_clock).limits(key->orgId);
    if (!limits)
        return limits.error();
    caller.key = *key;
    caller.limits = *limits;
    if (m_options.authCacheMs > 0) {
        if (m_authCache.size() >= m_options.authCacheMaxEntries)
            m_authCache.clear();
        m_authCache.insert(tokenHash, std::make_shared<const CachedAuth>(CachedAuth{*key, *limits, now + m_options.authCacheMs}));
    }
    return {};
}

HubRateLimiter::Decision HubRateLimiter::check(const QString &bucket, int limit)
{
    const qint64 now = m_clock.nowMs();
    QList<qint64> &times = m_times[bucket];
    while (!times.isEmpty() && times.first() <= now - kWindowMs)
        times.removeFirst();
    Decision d;
    d.limit = limit;
    if (times.size() >= limit) {
        d.allowed = false;
        d.remaining = 0;
        d.resetS = int(qMax<qint64>(1, (times.first() + kWindowMs - now + 999) / 1000));
        return d;
    }
    times.append(now);
    d.remaining = limit - int(times.size());
    d.resetS = d.remaining > 0 ? 0 : int(qMax<qint64>(1, (times.first() + kWindowMs - now + 999) / 1000));
    return d;
}

HubApiServer::HubApiServer(Database &db, const core::Clock &clock, HubApiOptions options, QObject *parent)
    : QObject(parent), m_db(db), m_clock(clock), m_options(std::move(options)), m_limiter(clock)
{
    const auto bind = [this](http::Response (HubApiServer::*f)(const http::Request &, const QStringList &, Caller &)) {
        return [this, f](const http::Request &r, const QStringList &p, Caller &c) { return (this->*f)(r, p, c); };
    };
    add("GET", QStringLiteral("/v1/health"), 0, true, bind(&HubApiServer::health));
    add("GET", QStringLiteral("/v1/sites"), quint32(Scope::Read), false, bind(&HubApiServer::sites));
    add("GET", QStringLiteral("/v1/devices"), quint32(Scope::Read), false, bind(&HubApiServer::devices));
    add("GET", QStringLiteral("/v1/windows"), quint32(Scope::Read), false, bind(&HubApiServer::windows));
    add("GET", QStringLiteral("/v1/demographics"), quint32(Scope::Analytics), false, bind(&HubApiServer::demographics));
    add("GET", QStringLiteral("/v1/trends"), quint32(Scope::Analytics), false, bind(&HubApiServer::trends));
    add("GET", QStringLiteral("/v1/windows/export"), quint32(Scope::Export), false, bind(&HubApiServer::exportWindows));
    add("GET", QStringLiteral("/v1/flow"), quint32(Scope::Analytics), false, bind(&HubApiServer::flow));
    add("GET", QStringLiteral("/v1/audit"), quint32(Scope::Admin), false, bind(&HubApiServer::auditEntries));
    add("GET", QStringLiteral("/v1/audit/export"), quint32(Scope::Admin) | quint32(Scope::Export), false, bind(&HubApiServer::exportAudit));
    addWebhookRoutes();
    m_http = std::make_unique<http::HttpServer>(m_options.http, [this](const http::Request &request, http::StreamOpener &opener) {
        return handle(request, &opener);
    });
}

HubApiServer::~HubApiServer() = default;

void HubApiServer::add(const char *method, const QString &pattern, quint32 scopes, bool open, Handler handler, bool takesBody)
{
    m_routes.append(Route{QByteArray(method), pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts), scopes, open, std::move(handler), takesBody});
}

WebhookApi::Caller HubApiServer::webhookCaller(const Caller &caller) const
{
    WebhookApi::Caller c;
    c.org = caller.org();
    c.keyId = caller.key->key.keyId;
    c.keySite = caller.key->key.siteId;
    c.ip = caller.ip;
    c.tier = caller.limits.tier;
    c.maxEndpoints = caller.limits.maxWebhooks;
    c.admin = caller.key->key.scopes.testFlag(Scope::Admin);
    return c;
}

void HubApiServer::addWebhookRoutes()
{
    m_webhooks = std::make_unique<WebhookApi>(m_db, m_clock, m_options.webhooks);
    const quint32 scope = quint32(Scope::Webhooks);
    WebhookApi *api = m_webhooks.get();
    add("GET", QStringLiteral("/v1/webhooks"), scope, false,
        [this, api](const http::Request &r, const QStringList &, Caller &c) { return api->list(r, webhookCaller(c)); });
    add("POST", QStringLiteral("/v1/webhooks"), scope, false,
        [this, api](const http::Request &r, const QStringList &, Caller &c) { return api->create(r, webhookCaller(c)); }, true);
    add("GET", QStringLiteral("/v1/webhooks/{}"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->get(r, p.at(0), webhookCaller(c)); });
    add("PATCH", QStringLiteral("/v1/webhooks/{}"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->update(r, p.at(0), webhookCaller(c)); }, true);
    add("DELETE", QStringLiteral("/v1/webhooks/{}"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->remove(r, p.at(0), webhookCaller(c)); });
    add("POST", QStringLiteral("/v1/webhooks/{}/rotate"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->rotate(r, p.at(0), webhookCaller(c)); }, true);
    add("POST", QStringLiteral("/v1/webhooks/{}/test"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->sendTest(r, p.at(0), webhookCaller(c)); }, true);
    add("GET", QStringLiteral("/v1/webhooks/{}/deliveries"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->deliveries(r, p.at(0), webhookCaller(c)); });
    add("POST", QStringLiteral("/v1/webhooks/{}/deliveries/{}/replay"), scope, false,
        [this, api](const http::Request &r, const QStringList &p, Caller &c) { return api->replay(r, p.at(0), p.at(1), webhookCaller(c)); },
        true);
    add("GET", QStringLiteral("/v1/webhook-ranges"), scope, false,
        [this, api](const http::Request &r, const QStringList &, Caller &c) { return api->allowedRanges(r, webhookCaller(c)); });
    add("PUT", QStringLiteral("/v1/webhook-ranges"), scope, false,
        [this, api](const http::Request &r, const QStringList &, Caller &c) { return api->setAllowedRanges(r, webhookCaller(c)); }, true);
}

QList<HubApiServer::RouteInfo> HubApiServer::routes() const
{
    QList<RouteInfo> out;
    for (const Route &r : m_routes)
        out.append({r.method, QLatin1Char('/') + r.pattern.join(QLatin1Char('/')), r.open, r.takesBody});
    return out;
}

core::Result<quint16> HubApiServer::listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port)
{
    auto listening = m_http->listen(identity, address, port);
    if (listening)
        qCInfo(lcHub) << "hub API listening (TLS 1.3) on" << address.toString() << *listening;
    return listening;
}

std::optional<http::Response> HubApiServer::handle(const http::Request &request, http::StreamOpener *opener)
{
    Caller caller;
    caller.ip = request.remoteAddress.toString();
    caller.opener = opener;
    http::Response response = dispatch(request, caller);
    if (caller.streamed) {
        qCDebug(lcHub).noquote() << caller.ip << request.method << request.path << "stream";
        return std::nullopt;
    }
    response.headers.prepend({QByteArrayLiteral("RateLimit"), caller.rateLimit()});
    response.headers.prepend({QByteArrayLiteral("RateLimit-Policy"), caller.policy.toLatin1()});
    response.headers.prepend({QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")});
    response.headers.prepend({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")});
    qCDebug(lcHub).noquote() << caller.ip << request.method << request.path << response.status;
    return response;
}

http::Response HubApiServer::dispatch(const http::Request &request, Caller &caller)
{
    // 1. Who is calling: a key is limited per key by its organisation's tier, anything else per address.
    const QByteArray authorization = request.header("authorization").trimmed();
    std::optional<http::Response> authFailure;
    if (!authorization.isEmpty()) {
        const core::Status key = authorization.left(7).toLower() == "bearer "
            ? authenticate(QString::fromLatin1(authorization.mid(7).trimmed()), caller)
            : core::Status(core::makeError(ErrorCode::InvalidArgument, QStringLiteral("use 'Authorization: Bearer <key>'")));
        if (!key) {
            caller.key.reset();
            if (key.error().code == ErrorCode::InvalidArgument || key.error().code == ErrorCode::PermissionDenied)
                authFailure = http::Response::error(401, QStringLiteral("unauthorized"), key.error().message);
            else
                return fromError(key.error());
        }
    }
    if (caller.key) {
        const int limit = caller.limits.ratePerMinute + caller.limits.burst;
        caller.policy = QStringLiteral("%1;w=60;burst=%2").arg(caller.limits.ratePerMinute).arg(caller.limits.burst);
        caller.rate = m_limiter.check(QStringLiteral("key:") + caller.key->key.keyId, limit);
    } else {
        caller.policy = QStringLiteral("%1;w=60").arg(m_options.anonymousPerMinute);
        caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, m_options.anonymousPerMinute);
    }
    if (!caller.rate.allowed) {
        http::Response r = http::Response::error(429, QStringLiteral("rate_limited"),
                                                 QStringLiteral("too many requests; retry after %1 s").arg(caller.rate.resetS));
        r.headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(caller.rate.resetS)});
        return r;
    }

    // 2. Which endpoint: 404 for an unknown path, 405 for a known path with another method.
    const QStringList parts = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const Route *route = nullptr;
    QStringList params;
    QStringList allowed;
    for (const Route &candidate : m_routes) {
        if (candidate.pattern.size() != parts.size())
            continue;
        QStringList found;
        bool same = true;
        for (qsizetype i = 0; i < parts.size() && same; ++i) {
            if (candidate.pattern.at(i) == QLatin1String("{}"))
                found << parts.at(i);
            else
                same = candidate.pattern.at(i) == parts.at(i);
        }
        if (!same)
            continue;
        if (candidate.method == request.method) {
            route = &candidate;
            params = found;
            break;
        }
        allowed << QString::fromLatin1(candidate.method);
    }
    if (!route && allowed.isEmpty())
        return http::Response::error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint %1").arg(request.path.left(200)));
    if (!route) {
        http::Response r = http::Response::error(405, QStringLiteral("method_not_allowed"),
                                                 QStringLiteral("%1 %2 is not supported (allowed: %3)")
                                                     .arg(QString::fromLatin1(request.method.left(20)), request.path.left(200),
                                                          allowed.join(QStringLiteral(", "))));
        r.headers.append({QByteArrayLiteral("Allow"), allowed.join(QStringLiteral(", ")).toLatin1()});
        return r;
    }

    // 3. Authentication and scopes.
    if (!route->open) {
        if (authFailure || !caller.key) {
            http::Response r = authFailure ? *authFailure
                                           : http::Response::error(401, QStringLiteral("unauthorized"),
                                                                   QStringLiteral("an API key is required: 'Authorization: Bearer <key>'"));
            r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"signiq-hub\"")});
            return r;
        }
        const protocol::Scopes needed = protocol::Scopes::fromInt(route->scopes);
        if ((caller.key->key.scopes & needed) != needed) {
            const QString scopes = protocol::scopeNames(needed).join(QStringLiteral(", "));
            (void)audit(caller, QStringLiteral("auth.denied"), QString::fromLatin1(request.method) + QLatin1Char(' ') + request.path,
                        QStringLiteral("denied: lacks scope %1").arg(scopes));
            return http::Response::error(403, QStringLiteral("forbidden"),
                                         QStringLiteral("this key lacks the scope %1 needed for %2 %3")
                                             .arg(scopes, QString::fromLatin1(request.method), request.path));
        }
    }
    // 4. The front bounded the body; refuse what is not understood: a body where none is taken,
    // or one that is not JSON.
    if (!request.body.isEmpty()) {
        if (!route->takesBody)
            return http::Response::error(415, QStringLiteral("unsupported_media_type"), QStringLiteral("this endpoint takes no body"));
        const QByteArray type = request.header("content-type").split(';').first().trimmed().toLower();
        if (type != "application/json")
            return http::Response::error(415, QStringLiteral("unsupported_media_type"),
                                         QStringLiteral("the body must be JSON (Content-Type: application/json), not '%1'")
                                             .arg(QString::fromLatin1(type.left(64))));
    }
    return route->handler(request, params, caller);
}

http::Response HubApiServer::health(const http::Request &, const QStringList &, Caller &)
{
    auto user = m_db.currentUser();
    QJsonObject o{{QStringLiteral("status"), user ? QStringLiteral("ok") : QStringLiteral("degraded")},
                  {QStringLiteral("database"), user ? QStringLiteral("ok") : QStringLiteral("unavailable")},
                  {QStringLiteral("time"), protocol::isoTime(m_clock.nowMs())}};
    return json(o, user ? 200 : 503);
}

http::Response HubApiServer::sites(const http::Request &request, const QStringList &, Caller &caller)
{
    if (auto refused = onlyKnown(request.query, {}))
        return *refused;
    auto list = SiteRepository(m_db).list(caller.org());
    if (!list)
        return fromError(list.error());
    QJsonArray items;
    for (const Site &s : *list) {
        if (caller.key->key.siteId && *caller.key->key.siteId != s.id)
            continue;
        items.append(QJsonObject{{QStringLiteral("id"), idText(s.id)},
                                 {QStringLiteral("name"), s.name},
                                 {QStringLiteral("time_zone"), s.timeZone},
                                 {QStringLiteral("created_at"), protocol::isoTime(s.createdAtMs)}});
    }
    return json({{QStringLiteral("sites"), items}});
}

http::Response HubApiServer::devices(const http::Request &request, const QStringList &, Caller &caller)
{
    if (auto refused = onlyKnown(request.query, {QStringLiteral("site")}))
        return *refused;
    auto site = idParam(request.query, QStringLiteral("site"));
    if (!site)
        return fromError(site.error());
    std::optional<QUuid> filter = *site;
    if (caller.key->key.siteId) {
        if (filter && *filter != *caller.key->key.siteId)
            return http::Response::error(404, QStringLiteral("not_found"), QStringLiteral("unknown site %1").arg(idText(*filter)));
        filter = caller.key->key.siteId;
    }
    if (filter) {
        if (auto known = SiteRepository(m_db).find(caller.org(), *filter); !known)
            return fromError(known.error());
    }
    auto list = DeviceRepository(m_db).list(caller.org(), filter);
    if (!list)
        return fromError(list.error());
    const qint64 now = m_clock.nowMs();
    QJsonArray items;
    for (const Device &d : *list) {
        const bool online = d.lastSeenAtMs && now - *d.lastSeenAtMs <= m_options.onlineThresholdMs;
        items.append(QJsonObject{{QStringLiteral("id"), idText(d.id)},
                                 {QStringLiteral("site_id"), d.siteId ? QJsonValue(idText(*d.siteId)) : QJsonValue(QJsonValue::Null)},
                                 {QStringLiteral("name"), d.name},
                                 {QStringLiteral("certificate_serial"), d.certificateSerial},
                                 {QStringLiteral("status"), online ? QStringLiteral("online") : QStringLiteral("offline")},
                                 {QStringLiteral("last_seen_at"), optionalTime(d.lastSeenAtMs)},
                                 {QStringLiteral("model_version"), d.modelVersion},
                                 {QStringLiteral("calibration_version"), d.calibrationVersion},
                                 {QStringLiteral("clock_skew_ms"), d.clockSkewMs ? QJsonValue(*d.clockSkewMs) : QJsonValue(QJsonValue::Null)}});
    }
    return json({{QStringLiteral("devices"), items},
                 {QStringLiteral("online_threshold_s"), m_options.onlineThresholdMs / 1000}});
}


std::optional<http::Response> HubApiServer::windowQuery(const http::Request &request, Caller &caller, WindowQuery &q,
                                                        const QStringList &alsoKnown)
{
    if (auto refused = onlyKnown(request.query, QStringList{QStringLiteral("site"), QStringLiteral("device"), QStringLiteral("zone"),
                                                            QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"),
                                                            QStringLiteral("offset")}
                                                    + alsoKnown))
        return *refused;
    auto site = idParam(request.query, QStringLiteral("site"));
    auto device = idParam(request.query, QStringLiteral("device"));
    auto from = timeParam(request.query, QStringLiteral("from"));
    auto to = timeParam(request.query, QStringLiteral("to"));
    auto limit = intParam(request.query, QStringLiteral("limit"), 1, 1000);
    auto offset = intParam(request.query, QStringLiteral("offset"), 0, std::numeric_limits<qint64>::max());
    for (const core::Error *e : {site ? nullptr : &site.error(), device ? nullptr : &device.error(), from ? nullptr : &from.error(),
                                 to ? nullptr : &to.error(), limit ? nullptr : &limit.error(), offset ? nullptr : &offset.error()}) {
        if (e)
            return fromError(*e);
    }
    q.siteId = *site;
    q.deviceId = *device;
    q.fromMs = *from;
    q.toMs = *to;
    q.limit = int(limit->value_or(100));
    q.offset = offset->value_or(0);
    if (request.query.hasQueryItem(QStringLiteral("zone")))
        q.zone = request.query.queryItemValue(QStringLiteral("zone"), QUrl::FullyDecoded);
    if (q.fromMs && q.toMs && *q.toMs < *q.fromMs)
        return badRequest(QStringLiteral("'to' is before 'from'"), QStringLiteral("bad_range"));
    const qint64 historyStart = m_clock.nowMs() - qint64(caller.limits.historyDays) * kDayMs;
    if (q.fromMs && *q.fromMs < historyStart)
        return badRequest(QStringLiteral("'from' is before the %1 days of history the %2 tier keeps")
                              .arg(caller.limits.historyDays)
                              .arg(protocol::tierName(caller.limits.tier)),
                          QStringLiteral("out_of_history"));
    if (caller.key->key.siteId) {
        if (q.siteId && *q.siteId != *caller.key->key.siteId)
            return http::Response::error(404, QStringLiteral("not_found"), QStringLiteral("unknown site %1").arg(idText(*q.siteId)));
        q.siteId = caller.key->key.siteId;
    }
    if (q.siteId) {
        if (auto known = SiteRepository(m_db).find(caller.org(), *q.siteId); !known)
            return fromError(known.error());
    }
    if (q.deviceId) {
        auto known = DeviceRepository(m_db).find(caller.org(), *q.deviceId);
        if (!known)
            return fromError(known.error());
        if (caller.key->key.siteId && known->siteId != caller.key->key.siteId)
            return http::Response::error(404, QStringLiteral("not_found"), QStringLiteral("unknown device %1").arg(idText(*q.deviceId)));
    }
    return std::nullopt;
}

http::Response HubApiServer::windows(const http::Request &request, const QStringList &, Caller &caller)
{
    WindowQuery q;
    if (auto refused = windowQuery(request, caller, q))
        return *refused;
    auto page = WindowRepository(m_db).queryAudience(caller.org(), q);
    if (!page)
        return fromError(page.error());
    QJsonArray items;
    for (const StoredAudienceWindow &w : page->items) {
        QJsonObject o = w.window.toJson();
        o.insert(QStringLiteral("device_id"), idText(w.deviceId));
        items.append(o);
    }
    QJsonObject out{{QStringLiteral("windows"), items}};
    protocol::PageInfo::of(page->total, q.offset, q.limit, page->items.size()).writeTo(out);
    return json(out);
}

http::Response HubApiServer::demographics(const http::Request &request, const QStringList &, Caller &caller)
{
    WindowQuery q;
    if (auto refused = windowQuery(request, caller, q))
        return *refused;
    // Only what devices send: k-suppressed histograms (suppressed cells are null), as stored.
    auto page = WindowRepository(m_db).queryDemographic(caller.org(), q);
    if (!page)
        return fromError(page.error());
    QJsonArray items;
    for (const StoredDemographicWindow &w : page->items) {
        QJsonObject o = w.window.toJson();
        o.insert(QStringLiteral("device_id"), idText(w.deviceId));
        items.append(o);
    }
    QJsonObject out{{QStringLiteral("demographics"), items}};
    protocol::PageInfo::of(page->total, q.offset, q.limit, page->items.size()).writeTo(out);
    return json(out);
}

namespace {

// A CSV cell: quoted when needed, formulas neutralised (protocol/Csv.h).
QByteArray csvCell(const QString &text)
{
    return protocol::csvCell(text).toUtf8();
}

const QByteArray kCsvHeader = QByteArrayLiteral(
    "device_id,zone,start,end,ots,entries,exits,mean_occupancy,peak_occupancy,viewers,attention_time_s,confidence,model_version,"
    "calibration_version\r\n");

QByteArray csvRow(const StoredAudienceWindow &s)
{
    const core::AudienceWindow &w = s.window;
    const QList<QByteArray> cells{idText(s.deviceId).toLatin1(), csvCell(w.zone), protocol::isoTime(w.startMs).toLatin1(),
                                  protocol::isoTime(w.endMs).toLatin1(), QByteArray::number(w.ots), QByteArray::number(w.entries),
                                  QByteArray::number(w.exits), QByteArray::number(w.meanOccupancy), QByteArray::number(w.peakOccupancy),
                                  QByteArray::number(w.viewers), QByteArray::number(w.attentionTimeS), QByteArray::number(w.confidence),
                                  csvCell(w.modelVersion), csvCell(w.calibrationVersion)};
    return cells.join(',') + "\r\n";
}

// One export in progress: asks `next` for a chunk (one database page, read in its own inOrg
// transaction), writes it, and asks for the next only once the client has taken most of it
// (bounded memory per export). Owned by its stream: it ends when the stream does.
class PagedExport : public QObject {
public:
    struct Chunk {
        QByteArray bytes;
        bool last = false;
    };
    using Next = std::function<core::Result<Chunk>()>;

    PagedExport(Next next, qint64 maxPending, http::ResponseStream *stream)
        : QObject(stream), m_next(std::move(next)), m_maxPending(maxPending), m_stream(stream)
    {
    }
    void start()
    {
        QTimer::singleShot(0, this, [this] { step(); });
    }

private:
    void step()
    {
        if (!m_stream->isOpen())
            return;
        if (m_stream->bytesToWrite() > m_maxPending) {
            QTimer::singleShot(5, this, [this] { step(); });
            return;
        }
        auto chunk = m_next();
        if (!chunk) {
            qCWarning(lcHub) << "export stopped:" << chunk.error().toString();
            m_stream->close(); // the client sees a truncated body (an audit export then lacks its head)
            return;
        }
        m_stream->write(chunk->bytes);
        if (chunk->last) {
            m_stream->close();
            return;
        }
        QTimer::singleShot(0, this, [this] { step(); });
    }

    Next m_next;
    qint64 m_maxPending;
    http::ResponseStream *m_stream;
};

// The CSV of AuditChain::toCsv without its header line (a later page of an export).
QByteArray withoutHeader(const QByteArray &csv)
{
    const qsizetype end = csv.indexOf('\n');
    return end < 0 ? QByteArray() : csv.mid(end + 1);
}

} // namespace

http::Response HubApiServer::exportWindows(const http::Request &request, const QStringList &, Caller &caller)
{
    if (!caller.limits.exportsAllowed) {
        (void)audit(caller, QStringLiteral("auth.denied"), QStringLiteral("GET /v1/windows/export"),
                    QStringLiteral("denied: tier %1").arg(protocol::tierName(caller.limits.tier)));
        return http::Response::error(403, QStringLiteral("forbidden"),
                                     QStringLiteral("exports are not part of the %1 tier").arg(protocol::tierName(caller.limits.tier)));
    }
    const QString format = request.query.hasQueryItem(QStringLiteral("format")) ? request.query.queryItemValue(QStringLiteral("format"))
                                                                                 : QStringLiteral("csv");
    if (format != QLatin1String("csv") && format != QLatin1String("jsonl"))
        return badRequest(QStringLiteral("format must be csv or jsonl (got '%1')").arg(format.left(20)));
    WindowQuery q;
    if (auto refused = windowQuery(request, caller, q, {QStringLiteral("format")}))
        return *refused;
    if (request.query.hasQueryItem(QStringLiteral("limit")) || request.query.hasQueryItem(QStringLiteral("offset")))
        return badRequest(QStringLiteral("an export has every matching window: no limit or offset"), QStringLiteral("unknown_field"));
    q.offset = 0;
    q.limit = qBound(1, m_options.exportPageRows, 1000);
    if (!caller.opener)
        return http::Response::error(500, QStringLiteral("internal"), QStringLiteral("streaming is not available here"));
    const bool csv = format == QLatin1String("csv");
    if (auto recorded = audit(caller, QStringLiteral("windows.export"), format, QStringLiteral("ok")); !recorded)
        return fromError(recorded.error());
    http::ResponseStream *stream =
        openExport(caller, csv ? QByteArrayLiteral("text/csv; charset=utf-8") : QByteArrayLiteral("application/x-ndjson"),
                   "windows." + format.toLatin1());
    if (!stream)
        return {};
    if (csv)
        stream->write(kCsvHeader);
    auto next = [db = &m_db, org = caller.org(), query = q, csv]() mutable -> core::Result<PagedExport::Chunk> {
        auto page = WindowRepository(*db).queryAudience(org, query);
        if (!page)
            return page.error();
        PagedExport::Chunk chunk;
        for (const StoredAudienceWindow &w : page->items) {
            if (csv) {
                chunk.bytes += csvRow(w);
            } else {
                QJsonObject o = w.window.toJson();
                o.insert(QStringLiteral("device_id"), idText(w.deviceId));
                chunk.bytes += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
            }
        }
        chunk.last = !page->nextOffset;
        if (page->nextOffset)
            query.offset = *page->nextOffset;
        return chunk;
    };
    (new PagedExport(std::move(next), m_options.exportMaxPendingBytes, stream))->start();
    return {};
}

http::ResponseStream *HubApiServer::openExport(Caller &caller, const QByteArray &contentType, const QByteArray &fileName)
{
    http::Response head;
    head.contentType = contentType;
    head.headers = {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
                    {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
                    {QByteArrayLiteral("Content-Disposition"), QByteArrayLiteral("attachment; filename=\"") + fileName + '"'},
                    {QByteArrayLiteral("RateLimit-Policy"), caller.policy.toLatin1()},
                    {QByteArrayLiteral("RateLimit"), caller.rateLimit()}};
    caller.streamed = true;
    return caller.opener->open(head);
}

http::Response HubApiServer::trends(const http::Request &request, const QStringList &, Caller &caller)
{
    if (auto refused = onlyKnown(request.query, {QStringLiteral("site"), QStringLiteral("from"), QStringLiteral("to"),
                                                 QStringLiteral("time_zone")}))
        return *refused;
    auto site = idParam(request.query, QStringLiteral("site"));
    auto from = timeParam(request.query, QStringLiteral("from"));
    auto to = timeParam(request.query, QStringLiteral("to"));
    for (const core::Error *e : {site ? nullptr : &site.error(), from ? nullptr : &from.error(), to ? nullptr : &to.error()}) {
        if (e)
            return fromError(*e);
    }
    const qint64 now = m_clock.nowMs();
    const qint64 toMs = to->value_or(now);
    const qint64 fromMs = from->value_or(toMs - 7 * kDayMs);
    if (toMs <= fromMs)
        return badRequest(QStringLiteral("'to' must be after 'from'"), QStringLiteral("bad_range"));
    if (fromMs < now - qint64(caller.limits.historyDays) * kDayMs)
        return badRequest(QStringLiteral("'from' is before the %1 days of history the %2 tier keeps")
                              .arg(caller.limits.historyDays)
                              .arg(protocol::tierName(caller.limits.tier)),
                          QStringLiteral("out_of_history"));
    // Optional override of the sites' own zones (e.g. to compare venues on one clock).
    QVariant zoneOverride;
    if (request.query.hasQueryItem(QStringLiteral("time_zone"))) {
        const QString zone = request.query.queryItemValue(QStringLiteral("time_zone"), QUrl::FullyDecoded);
        if (!SiteRepository::isValidTimeZone(zone))
            return badRequest(QStringLiteral("unknown time zone '%1' (expected an IANA name such as Europe/Paris)").arg(zone.left(64)),
                              QStringLiteral("bad_time_zone"));
        zoneOverride = zone;
    }
    std::optional<QUuid> siteFilter = *site;
    if (caller.key->key.siteId) {
        if (siteFilter && *siteFilter != *caller.key->key.siteId)
            return http::Response::error(404, QStringLiteral("not_found"), QStringLiteral("unknown site %1").arg(idText(*siteFilter)));
        siteFilter = caller.key->key.siteId;
    }
    if (siteFilter) {
        if (auto known = SiteRepository(m_db).find(caller.org(), *siteFilter); !known)
            return fromError(known.error());
    }
    TrendQuery query;
    query.fromMs = fromMs;
    query.toMs = toMs;
    query.siteId = siteFilter;
    if (zoneOverride.isValid())
        query.timeZone = zoneOverride.toString();
    auto trends = WindowRepository(m_db).trends(caller.org(), query);
    if (!trends)
        return fromError(trends.error());
    QJsonArray hourly;
    for (const HourOfWeekTrend &h : trends->hourOfWeek)
        hourly.append(QJsonObject{{QStringLiteral("weekday"), h.weekday},
                                  {QStringLiteral("hour"), h.hour},
                                  {QStringLiteral("ots"), h.ots},
                                  {QStringLiteral("entries"), h.entries},
                                  {QStringLiteral("windows"), h.windows}});
    QJsonArray daily;
    for (const DailyTrend &d : trends->daily)
        daily.append(QJsonObject{{QStringLiteral("site_id"), idText(d.siteId)},
                                 {QStringLiteral("day"), d.day},
                                 {QStringLiteral("ots"), d.ots},
                                 {QStringLiteral("entries"), d.entries},
                                 {QStringLiteral("windows"), d.windows}});
    return json(QJsonObject{{QStringLiteral("from"), protocol::isoTime(fromMs)},
                            {QStringLiteral("to"), protocol::isoTime(toMs)},
                            {QStringLiteral("time_zone"), query.timeZone ? QJsonValue(*query.timeZone) : QJsonValue(QStringLiteral("site"))},
                            {QStringLiteral("hour_of_week"), hourly},
                            {QStringLiteral("daily"), daily}});
}

core::Status HubApiServer::audit(const Caller &caller, const QString &action, const QString &target, const QString &result)
{
    AuditEvent event;
    event.actor = caller.key->key.keyId;
    event.sourceIp = caller.ip.left(64);
    event.action = action;
    event.target = target.left(200); // a path is outside input: never store more than the column holds
    event.result = result.left(500);
    auto recorded = AuditRepository(m_db, m_clock).append(caller.org(), event);
    if (!recorded) {
        qCWarning(lcHub) << "cannot record audit entry" << action << ":" << recorded.error().toString();
        return recorded.error();
    }
    return {};
}

http::Response HubApiServer::flow(const http::Request &request, const QStringList &, Caller &caller)
{
    WindowQuery q;
    if (auto refused = windowQuery(request, caller, q))
        return *refused;
    if (request.query.hasQueryItem(QStringLiteral("limit")) || request.query.hasQueryItem(QStringLiteral("offset")))
        return badRequest(QStringLiteral("flow is summed over every matching window: no limit or offset (narrow by site, device or time)"),
                          QStringLiteral("unknown_field"));
    auto rows = WindowRepository(m_db).flow(caller.org(), q);
    if (!rows)
        return fromError(rows.error());
    const bool truncated = rows->size() > WindowRepository::MaxFlowRows;
    if (truncated)
        rows->removeLast();
    QJsonArray flows;
    for (const FlowRow &r : *rows)
        flows.append(QJsonObject{{QStringLiteral("device_id"), idText(r.deviceId)},
                                 {QStringLiteral("from_zone"), r.fromZone},
                                 {QStringLiteral("to_zone"), r.toZone},
                                 {QStringLiteral("moves"), r.moves}});
    return json({{QStringLiteral("from"), optionalTime(q.fromMs)},
                 {QStringLiteral("to"), optionalTime(q.toMs)},
                 {QStringLiteral("flows"), flows},
                 {QStringLiteral("truncated"), truncated}});
}

http::Response HubApiServer::auditEntries(const http::Request &request, const QStringList &, Caller &caller)
{
    if (auto refused = onlyKnown(request.query, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"), QStringLiteral("after")}))
        return *refused;
    auto from = timeParam(request.query, QStringLiteral("from"));
    auto to = timeParam(request.query, QStringLiteral("to"));
    auto limit = intParam(request.query, QStringLiteral("limit"), 1, m_options.auditMaxPageSize);
    auto after = intParam(request.query, QStringLiteral("after"), 0, std::numeric_limits<qint64>::max());
    for (const core::Error *e : {from ? nullptr : &from.error(), to ? nullptr : &to.error(), limit ? nullptr : &limit.error(),
                                 after ? nullptr : &after.error()}) {
        if (e)
            return fromError(*e);
    }
    if (*from && *to && **to < **from)
        return badRequest(QStringLiteral("'to' is before 'from'"), QStringLiteral("bad_range"));
    const int pageSize = int(limit->value_or(m_options.auditPageSize));
    AuditRepository::Range range;
    range.afterSeq = after->value_or(0);
    range.fromMs = *from;
    range.toMs = *to;
    auto entries = AuditRepository(m_db, m_clock).list(caller.org(), range, pageSize + 1);
    if (!entries)
        return fromError(entries.error());
    const bool more = entries->size() > pageSize;
    if (more)
        entries->removeLast();
    QJsonArray items;
    for (const protocol::AuditEntry &e : *entries)
        items.append(e.toJson());
    return json({{QStringLiteral("entries"), items},
                 {QStringLiteral("next_after"), more && !entries->isEmpty() ? QJsonValue(entries->last().seq) : QJsonValue(QJsonValue::Null)}});
}

http::Response HubApiServer::exportAudit(const http::Request &request, const QStringList &, Caller &caller)
{
    if (auto refused = onlyKnown(request.query, {QStringLiteral("format")}))
        return *refused;
    const QString format = request.query.hasQueryItem(QStringLiteral("format")) ? request.query.queryItemValue(QStringLiteral("format"))
                                                                                 : QStringLiteral("jsonl");
    if (format != QLatin1String("csv") && format != QLatin1String("jsonl"))
        return badRequest(QStringLiteral("format must be jsonl or csv (got '%1')").arg(format.left(20)));
    if (!caller.limits.exportsAllowed) {
        (void)audit(caller, QStringLiteral("auth.denied"), QStringLiteral("GET /v1/audit/export"),
                    QStringLiteral("denied: tier %1").arg(protocol::tierName(caller.limits.tier)));
        return http::Response::error(403, QStringLiteral("forbidden"),
                                     QStringLiteral("exports are not part of the %1 tier").arg(protocol::tierName(caller.limits.tier)));
    }
    if (!caller.opener)
        return http::Response::error(500, QStringLiteral("internal"), QStringLiteral("streaming is not available here"));
    // Audited first, so the export contains its own record; an export that cannot be audited is
    // not handed out. The head is read after it: the export is the chain from entry 1 to there.
    if (auto recorded = audit(caller, QStringLiteral("audit.export"), format, QStringLiteral("ok")); !recorded)
        return fromError(recorded.error());
    auto last = AuditRepository(m_db, m_clock).last(caller.org());
    if (!last)
        return fromError(last.error());
    if (!*last)
        return http::Response::error(500, QStringLiteral("internal"), QStringLiteral("the audit chain is empty after recording the export"));
    protocol::AuditHead head;
    head.seq = (*last)->seq;
    head.count = (*last)->seq; // the chain is contiguous from entry 1 (the verifier checks it)
    head.hash = (*last)->hash;
    if (m_options.auditKey) {
        if (auto signedHead = head.sign(*m_options.auditKey); !signedHead)
            return fromError(signedHead.error());
    }
    const bool csv = format == QLatin1String("csv");
    http::ResponseStream *stream =
        openExport(caller, csv ? QByteArrayLiteral("text/csv; charset=utf-8") : QByteArrayLiteral("application/x-ndjson"),
                   "audit." + format.toLatin1());
    if (!stream)
        return {};
    auto next = [db = &m_db, clock = &m_clock, org = caller.org(), head, csv, pageRows = qBound(1, m_options.exportPageRows, 1000),
                 after = qint64(0), first = true]() mutable
        -> core::Result<PagedExport::Chunk> {
        PagedExport::Chunk chunk;
        QList<protocol::AuditEntry> page;
        if (after < head.seq) {
            AuditRepository::Range range;
            range.afterSeq = after;
            range.throughSeq = head.seq;
            auto entries = AuditRepository(*db, *clock).list(org, range, pageRows);
            if (!entries)
                return entries.error();
            page = std::move(entries).value();
        }
        // The last page (or a chain that ends early: the verifier then says where) carries the head.
        chunk.last = page.isEmpty() || page.last().seq >= head.seq;
        if (!page.isEmpty())
            after = page.last().seq;
        const protocol::AuditHead *trailer = chunk.last ? &head : nullptr;
        chunk.bytes = csv ? protocol::AuditChain::toCsv(page, trailer) : protocol::AuditChain::toJsonLines(page, trailer);
        if (csv && !first)
            chunk.bytes = withoutHeader(chunk.bytes);
        first = false;
        return chunk;
    };
    (new PagedExport(std::move(next), m_options.exportMaxPendingBytes, stream))->start();
    return {};
}

} // namespace signiq::hub
