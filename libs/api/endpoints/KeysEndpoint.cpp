#include "api/endpoints/KeysEndpoint.h"

#include "protocol/Errors.h"
#include "protocol/StrictJson.h"

#include "api/RequestDecoding.h"

#include <QJsonArray>

namespace signiq::api {

using core::ErrorCode;

void KeysEndpoint::addRoutes(RouteTable &routes)
{
    const QList<Scopes> admin{Scope::Admin};
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/keys"), admin, false, [this](const ApiRequest &, const Caller &) { return listKeys(); }, {}});
    routes.add({QStringLiteral("POST"), QStringLiteral("/v1/keys"), admin, false,
                [this](const ApiRequest &r, const Caller &c) { return auditRefusal(c, QStringLiteral("key.create"), {}, createKey(r, c)); }, {}});
    routes.add({QStringLiteral("POST"), QStringLiteral("/v1/keys/{id}/rotate"), admin, false,
                [this](const ApiRequest &r, const Caller &c) {
                    return auditRefusal(c, QStringLiteral("key.rotate"), r.params.value(0), rotateKey(r, c, r.params.value(0)));
                }, {}});
    routes.add({QStringLiteral("DELETE"), QStringLiteral("/v1/keys/{id}"), admin, false,
                [this](const ApiRequest &r, const Caller &c) {
                    return auditRefusal(c, QStringLiteral("key.revoke"), r.params.value(0), revokeKey(c, r.params.value(0)));
                }, {}});
}

ApiResponse KeysEndpoint::auditRefusal(const Caller &caller, const QString &action, const QString &target, ApiResponse response) const
{
    if (response.status >= 400 && response.status < 500) {
        const auto error = protocol::ErrorBody::fromBody(response.body);
        m_s.audit(caller, action, target, QStringLiteral("denied: HTTP %1 %2").arg(response.status).arg(error ? error->code : QString()));
    }
    return response;
}

ApiResponse KeysEndpoint::createKey(const ApiRequest &request, const Caller &caller) const
{
    QJsonObject bodyObject;
    if (auto bad = parseJsonBody(request, false, bodyObject))
        return *bad;
    const QJsonObject &o = bodyObject;
    if (auto bad = checkFields(o, {QStringLiteral("name"), QStringLiteral("scopes"), QStringLiteral("tier"), QStringLiteral("environment"),
                                   QStringLiteral("expires_at")}))
        return *bad;
    KeyRequest req;
    if (o.contains(QStringLiteral("name")) && !o.value(QStringLiteral("name")).isString())
        return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("name: must be a string"));
    req.name = o.value(QStringLiteral("name")).toString();
    if (!o.value(QStringLiteral("scopes")).isArray())
        return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: required, an array of scope names"));
    QStringList names;
    for (const QJsonValue &v : o.value(QStringLiteral("scopes")).toArray()) {
        if (!v.isString())
            return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: must contain strings"));
        names << v.toString();
    }
    auto scopes = scopesFromNames(names);
    if (!scopes)
        return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: ") + scopes.error().message);
    req.scopes = *scopes;
    if (o.contains(QStringLiteral("tier"))) {
        auto tier = tierFromName(o.value(QStringLiteral("tier")).toString());
        if (!tier)
            return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("tier: ") + tier.error().message);
        req.tier = *tier;
    }
    if (o.contains(QStringLiteral("environment"))) {
        const QString env = o.value(QStringLiteral("environment")).toString();
        if (env != QLatin1String("live") && env != QLatin1String("test"))
            return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("environment: live or test"));
        req.environment = env == QLatin1String("test") ? KeyEnvironment::Test : KeyEnvironment::Live;
    }
    if (o.contains(QStringLiteral("expires_at")) && !o.value(QStringLiteral("expires_at")).isNull()) {
        const auto t = parseTime(o.value(QStringLiteral("expires_at")).toString());
        if (!t)
            return ApiResponse::error(422, QStringLiteral("invalid_field"), QStringLiteral("expires_at: an ISO 8601 time with zone"));
        req.expiresAtMs = *t;
    }
    // The key and its audit entry in one transaction: no key exists that the log does not show.
    std::optional<CreatedKey> created;
    auto done = m_s.auditLog.transact([&]() -> core::Result<AuditEvent> {
        auto c = m_s.keys.create(req);
        if (!c)
            return c.error();
        created = *c;
        return ApiServices::event(caller, QStringLiteral("key.create"), c->info.keyId,
                                  QStringLiteral("ok: scopes %1, tier %2").arg(scopeNames(c->info.scopes).join(QLatin1Char(' ')), tierName(c->info.tier)));
    });
    if (!done) {
        if (done.error().code == ErrorCode::InvalidArgument)
            return ApiResponse::error(422, QStringLiteral("invalid_field"), done.error().message);
        return ApiResponse::internal(done.error());
    }
    QJsonObject out = created->info.toJson(m_s.context.clock->nowMs());
    out.insert(QStringLiteral("key"), created->token);
    return ApiResponse::json(201, out);
}

ApiResponse KeysEndpoint::listKeys() const
{
    auto keys = m_s.keys.list();
    if (!keys)
        return ApiResponse::internal(keys.error());
    QJsonArray array;
    const qint64 now = m_s.context.clock->nowMs();
    for (const auto &k : *keys)
        array.append(k.toJson(now));
    return ApiResponse::json(200, QJsonObject{{QStringLiteral("keys"), array}});
}

ApiResponse KeysEndpoint::rotateKey(const ApiRequest &request, const Caller &caller, const QString &keyId) const
{
    QJsonObject bodyObject;
    if (auto bad = parseJsonBody(request, true, bodyObject))
        return *bad;
    if (auto bad = checkFields(bodyObject, {QStringLiteral("overlap_s")}))
        return *bad;
    qint64 overlapS = 24 * 3600;
    if (bodyObject.contains(QStringLiteral("overlap_s"))) {
        // Range-checked before any arithmetic: 1.8e16 s would overflow the milliseconds.
        const auto v = protocol::strictjson::wholeNumber(bodyObject.value(QStringLiteral("overlap_s")), 0,
                                                         KeyStore::MaxRotationOverlapMs / 1000);
        if (!v)
            return ApiResponse::error(422, QStringLiteral("invalid_field"),
                                      QStringLiteral("overlap_s: a whole number of seconds, 0 .. 604800 (7 days)"));
        overlapS = *v;
    }
    std::optional<CreatedKey> rotated;
    auto done = m_s.auditLog.transact([&]() -> core::Result<AuditEvent> {
        auto r = m_s.keys.rotate(keyId, overlapS * 1000);
        if (!r)
            return r.error();
        rotated = *r;
        return ApiServices::event(caller, QStringLiteral("key.rotate"), keyId, QStringLiteral("ok: overlap %1 s").arg(overlapS));
    });
    if (!done) {
        if (done.error().code == ErrorCode::NotFound)
            return ApiResponse::error(404, QStringLiteral("not_found"), done.error().message);
        if (done.error().code == ErrorCode::InvalidArgument)
            return ApiResponse::error(409, QStringLiteral("conflict"), done.error().message);
        return ApiResponse::internal(done.error());
    }
    QJsonObject out = rotated->info.toJson(m_s.context.clock->nowMs());
    out.insert(QStringLiteral("key"), rotated->token);
    return ApiResponse::json(200, out);
}

ApiResponse KeysEndpoint::revokeKey(const Caller &caller, const QString &keyId) const
{
    std::optional<ApiKeyInfo> revoked;
    auto done = m_s.auditLog.transact([&]() -> core::Result<AuditEvent> {
        auto r = m_s.keys.revoke(keyId);
        if (!r)
            return r.error();
        revoked = *r;
        return ApiServices::event(caller, QStringLiteral("key.revoke"), keyId, QStringLiteral("ok"));
    });
    if (!done) {
        if (done.error().code == ErrorCode::NotFound)
            return ApiResponse::error(404, QStringLiteral("not_found"), done.error().message);
        return ApiResponse::internal(done.error());
    }
    m_s.limiter.forget(QStringLiteral("key:") + keyId);
    if (m_s.keyRevoked)
        m_s.keyRevoked(keyId); // its open overlay streams end now
    return ApiResponse::json(200, revoked->toJson(m_s.context.clock->nowMs()));
}

} // namespace signiq::api
