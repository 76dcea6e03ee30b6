#include "hub/ApiKeyRepository.h"

#include "crypto/Hash.h"
#include "hub/AuditRepository.h"
#include "hub/Database.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookDeliveryQueue.h"
#include "protocol/Keys.h"

#include <QJsonArray>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;
using protocol::ApiKeyFormat;

namespace {

const QString kColumns = QStringLiteral("key_id, name, environment, array_to_string(scopes, ','), site_id, %1, %2, %3, %4, secret_hash")
                             .arg(sqlToMs(QStringLiteral("created_at")), sqlToMs(QStringLiteral("expires_at")),
                                  sqlToMs(QStringLiteral("revoked_at")), sqlToMs(QStringLiteral("last_used_at")));

core::Result<HubKey> keyFrom(const QSqlQuery &q)
{
    auto scopes = protocol::scopesFromNames(q.value(3).toString().split(QLatin1Char(','), Qt::SkipEmptyParts));
    if (!scopes)
        return scopes.error();
    HubKey k;
    k.keyId = q.value(0).toString();
    k.name = q.value(1).toString();
    k.environment = q.value(2).toString() == QLatin1String("test") ? protocol::KeyEnvironment::Test : protocol::KeyEnvironment::Live;
    k.scopes = *scopes;
    k.siteId = optionalUuidValue(q.value(4));
    k.createdAtMs = q.value(5).toLongLong();
    k.expiresAtMs = optionalMsValue(q.value(6));
    k.revokedAtMs = optionalMsValue(q.value(7));
    k.lastUsedAtMs = optionalMsValue(q.value(8));
    return k;
}

core::Result<std::pair<HubKey, QByteArray>> findIn(Transaction &tx, const QUuid &org, const QString &keyId)
{
    auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.api_keys WHERE org_id = ? AND key_id = ?").arg(kColumns), {uuidParam(org), keyId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown API key %1").arg(keyId.left(40)));
    auto key = keyFrom(*q);
    if (!key)
        return key.error();
    return std::pair<HubKey, QByteArray>(std::move(key).value(), q->value(9).toByteArray());
}

// A key.* webhook event's data: what an integrator may know about a key, never a secret.
QJsonObject keyEventData(const HubKey &key)
{
    QJsonObject data{{QStringLiteral("key_id"), key.keyId},
                     {QStringLiteral("name"), key.name},
                     {QStringLiteral("environment"), protocol::environmentName(key.environment)},
                     {QStringLiteral("scopes"), QJsonArray::fromStringList(protocol::scopeNames(key.scopes))}};
    if (key.siteId)
        data.insert(QStringLiteral("site_id"), key.siteId->toString(QUuid::WithoutBraces));
    return data;
}

QString scopesArray(protocol::Scopes scopes)
{
    return QLatin1Char('{') + protocol::scopeNames(scopes).join(QLatin1Char(',')) + QLatin1Char('}');
}

core::Error refused()
{
    return makeError(ErrorCode::PermissionDenied, QStringLiteral("unknown, revoked or wrong API key"));
}

} // namespace

core::Result<IssuedHubKey> ApiKeyRepository::create(const QUuid &org, const NewKey &request, const QString &actor)
{
    if (!request.scopes)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a key needs at least one scope"));
    if (request.name.size() > 200)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a key name has at most 200 characters"));
    const qint64 now = m_clock.nowMs();
    if (request.expiresAtMs && *request.expiresAtMs <= now)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the expiry time is in the past"));
    auto generated = ApiKeyFormat::generate(request.environment);
    if (!generated)
        return generated.error();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<IssuedHubKey> {
        if (core::Status exists = requireOrganisation(tx); !exists)
            return exists.error();
        if (request.siteId) {
            auto site = tx.exec(QStringLiteral("SELECT 1 FROM signiq.sites WHERE org_id = ? AND site_id = ?"), {uuidParam(org), uuidParam(*request.siteId)});
            if (!site)
                return site.error();
            if (!site->next())
                return makeError(ErrorCode::NotFound, QStringLiteral("unknown site %1").arg(request.siteId->toString(QUuid::WithoutBraces)));
        }
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.api_keys (org_id, key_id, name, environment, secret_hash, scopes, site_id, "
                                        "created_at, expires_at) VALUES (?, ?, ?, ?, ?, CAST(? AS text[]), ?, %1, %2)")
                             .arg(msToSql(), msToSql()),
                         {uuidParam(org), generated->keyId, request.name, protocol::environmentName(request.environment),
                          generated->secretHash, scopesArray(request.scopes), optionalUuidParam(request.siteId), now,
                          optionalMsParam(request.expiresAtMs)});
        if (!q)
            return q.error();
        auto audited = AuditRepository::appendIn(tx, {actor, QString(), QStringLiteral("key.create"), generated->keyId, QStringLiteral("ok")}, now);
        if (!audited)
            return audited.error();
        auto stored = findIn(tx, org, generated->keyId);
        if (!stored)
            return stored.error();
        // Webhooks: queued with the key itself (never its secret), committed or not with it.
        auto notified = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.created"),
                                                           WebhookDeliveryQueue::eventPayload(QStringLiteral("key.created"), now, keyEventData(stored->first)), now,
                                                           stored->first.siteId);
        if (!notified)
            return notified.error();
        return IssuedHubKey{stored->first, generated->token};
    });
}

core::Result<AuthenticatedKey> ApiKeyRepository::authenticate(const QString &token)
{
    auto parsed = ApiKeyFormat::parse(token);
    if (!parsed)
        return parsed.error();
    const QByteArray hash = ApiKeyFormat::hashToken(token);
    auto org = m_db.maintenance([&](Transaction &tx) -> core::Result<QUuid> {
        auto q = tx.exec(QStringLiteral("SELECT signiq.api_key_org(?, ?)"), {parsed->keyId, hash});
        if (!q)
            return q.error();
        if (!q->next() || q->value(0).isNull())
            return refused();
        return uuidValue(q->value(0));
    });
    if (!org)
        return org.error();
    const qint64 now = m_clock.nowMs();
    return m_db.inOrg(*org, [&](Transaction &tx) -> core::Result<AuthenticatedKey> {
        auto stored = findIn(tx, *org, parsed->keyId);
        if (!stored)
            return refused();
        const HubKey &key = stored->first;
        if (!crypto::constantTimeEquals(hash, stored->second) || key.revokedAtMs)
            return refused();
        if (key.expiresAtMs && *key.expiresAtMs <= now)
            return makeError(ErrorCode::PermissionDenied, QStringLiteral("the API key has expired"));
        auto touched = tx.exec(QStringLiteral("UPDATE signiq.api_keys SET last_used_at = %1 WHERE org_id = ? AND key_id = ?").arg(msToSql()),
                               {now, uuidParam(*org), parsed->keyId});
        if (!touched)
            return touched.error();
        AuthenticatedKey result{*org, key};
        result.key.lastUsedAtMs = now;
        return result;
    });
}

core::Result<HubKey> ApiKeyRepository::revoke(const QUuid &org, const QString &keyId, const QString &actor)
{
    const qint64 now = m_clock.nowMs();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<HubKey> {
        auto before = findIn(tx, org, keyId);
        if (!before)
            return before.error();
        if (before->first.revokedAtMs)
            return before->first;
        auto q = tx.exec(QStringLiteral("UPDATE signiq.api_keys SET revoked_at = %1 WHERE org_id = ? AND key_id = ? AND revoked_at IS NULL").arg(msToSql()),
                         {now, uuidParam(org), keyId});
        if (!q)
            return q.error();
        auto audited = AuditRepository::appendIn(tx, {actor, QString(), QStringLiteral("key.revoke"), keyId, QStringLiteral("ok")}, now);
        if (!audited)
            return audited.error();
        auto after = findIn(tx, org, keyId);
        if (!after)
            return after.error();
        auto notified = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("key.revoked"),
                                                           WebhookDeliveryQueue::eventPayload(QStringLiteral("key.revoked"), now, keyEventData(after->first)), now,
                                                           after->first.siteId);
        if (!notified)
            return notified.error();
        return after->first;
    });
}

core::Result<HubKey> ApiKeyRepository::find(const QUuid &org, const QString &keyId)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<HubKey> {
        auto stored = findIn(tx, org, keyId);
        if (!stored)
            return stored.error();
        return stored->first;
    });
}

core::Result<QList<HubKey>> ApiKeyRepository::list(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<HubKey>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.api_keys WHERE org_id = ? ORDER BY created_at, key_id").arg(kColumns), {uuidParam(org)});
        if (!q)
            return q.error();
        QList<HubKey> keys;
        while (q->next()) {
            auto key = keyFrom(*q);
            if (!key)
                return key.error();
            keys.append(*key);
        }
        return keys;
    });
}

} // namespace signiq::hub
