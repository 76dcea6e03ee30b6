#include "api/KeyStore.h"

#include "api/ApiLog.h"
#include "crypto/Hash.h"
#include "storage/ApiKeyRepository.h"

#include <QDateTime>
#include <QJsonArray>

namespace signiq::api {

using core::ErrorCode;
using core::makeError;

namespace {

core::Result<ApiKeyInfo> toInfo(const storage::StoredApiKey &k)
{
    ApiKeyInfo info;
    info.keyId = k.keyId;
    info.name = k.name;
    info.environment = k.environment == QLatin1String("test") ? KeyEnvironment::Test : KeyEnvironment::Live;
    auto scopes = scopesFromNames(k.scopes);
    if (!scopes)
        return makeError(ErrorCode::Corrupt, QStringLiteral("API key %1: %2").arg(k.keyId, scopes.error().message));
    info.scopes = *scopes;
    auto tier = tierFromName(k.tier);
    if (!tier)
        return makeError(ErrorCode::Corrupt, QStringLiteral("API key %1: %2").arg(k.keyId, tier.error().message));
    info.tier = *tier;
    info.createdAtMs = k.createdAtMs;
    info.lastUsedAtMs = k.lastUsedAtMs;
    info.expiresAtMs = k.expiresAtMs;
    info.revokedAtMs = k.revokedAtMs;
    info.rotatedAtMs = k.rotatedAtMs;
    info.previousValidUntilMs = k.previousHash.isEmpty() ? std::nullopt : k.previousValidUntilMs;
    return info;
}

core::Error denied()
{
    // One message for unknown id, wrong secret, revoked and expired: a caller learns nothing
    // about which keys exist. The server log says more.
    return makeError(ErrorCode::PermissionDenied, QStringLiteral("the API key is unknown, revoked or expired"));
}

} // namespace

KeyStore::KeyStore(const storage::EncryptedDatabase &database, const core::Clock &clock)
    : m_database(database), m_clock(clock)
{
}

core::Result<CreatedKey> KeyStore::create(const KeyRequest &request)
{
    if (!request.scopes)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a key needs at least one scope"));
    if (request.name.size() > MaxNameLength)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("name: at most %1 characters").arg(MaxNameLength));
    const qint64 now = m_clock.nowMs();
    if (request.expiresAtMs && *request.expiresAtMs <= now)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("expires_at: must be in the future"));
    auto generated = ApiKeyFormat::generate(request.environment);
    if (!generated)
        return generated.error();
    storage::StoredApiKey stored;
    stored.keyId = generated->keyId;
    stored.name = request.name;
    stored.environment = protocol::environmentName(request.environment);
    stored.secretHash = generated->secretHash;
    stored.scopes = scopeNames(request.scopes);
    stored.tier = tierName(request.tier);
    stored.createdAtMs = now;
    stored.expiresAtMs = request.expiresAtMs;
    storage::ApiKeyRepository repo(m_database);
    if (auto inserted = repo.insert(stored); !inserted)
        return inserted.error();
    auto info = toInfo(stored);
    if (!info)
        return info.error();
    return CreatedKey{*info, generated->token};
}

core::Result<ApiKeyInfo> KeyStore::authenticate(const QString &token)
{
    auto parsed = ApiKeyFormat::parse(token);
    if (!parsed)
        return parsed.error();
    storage::ApiKeyRepository repo(m_database);
    auto found = repo.find(parsed->keyId);
    if (!found)
        return found.error();
    if (!found->has_value()) {
        qCInfo(lcApi) << "authentication failed: unknown key id" << parsed->keyId;
        return denied();
    }
    const storage::StoredApiKey &k = **found;
    const qint64 now = m_clock.nowMs();
    const QByteArray presented = ApiKeyFormat::hashToken(token);
    // Both comparisons always run, in constant time, so timing does not tell which matched.
    const bool current = crypto::constantTimeEquals(presented, k.secretHash);
    const bool previous = !k.previousHash.isEmpty() && crypto::constantTimeEquals(presented, k.previousHash)
        && k.previousValidUntilMs && now < *k.previousValidUntilMs;
    if (!(current || previous)) {
        qCInfo(lcApi) << "authentication failed: wrong secret for key" << k.keyId;
        return denied();
    }
    auto info = toInfo(k);
    if (!info)
        return info.error();
    if (info->state(now) != QLatin1String("active") || protocol::environmentName(parsed->environment) != k.environment) {
        qCInfo(lcApi) << "authentication failed: key" << k.keyId << "is" << info->state(now);
        return denied();
    }
    if (!k.lastUsedAtMs || now - *k.lastUsedAtMs >= LastUsedResolutionMs || now < *k.lastUsedAtMs) {
        if (auto touched = repo.touch(k.keyId, now); !touched)
            qCWarning(lcApi) << "cannot update last_used_at of key" << k.keyId << ":" << touched.error().message;
        else
            info->lastUsedAtMs = now;
    }
    return info;
}

core::Result<CreatedKey> KeyStore::rotate(const QString &keyId, qint64 overlapMs)
{
    if (overlapMs < 0 || overlapMs > MaxRotationOverlapMs)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("overlap must be between 0 and %1 seconds (7 days)").arg(MaxRotationOverlapMs / 1000));
    storage::ApiKeyRepository repo(m_database);
    auto found = repo.find(keyId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no API key with id '%1'").arg(keyId));
    const storage::StoredApiKey &k = **found;
    const qint64 now = m_clock.nowMs();
    auto info = toInfo(k);
    if (!info)
        return info.error();
    if (info->state(now) != QLatin1String("active"))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("API key '%1' is %2 and cannot be rotated").arg(keyId, info->state(now)));
    auto generated = ApiKeyFormat::generate(info->environment, keyId);
    if (!generated)
        return generated.error();
    if (auto rotated = repo.rotate(keyId, generated->secretHash, k.secretHash, now + overlapMs, now); !rotated)
        return rotated.error();
    auto after = find(keyId);
    if (!after)
        return after.error();
    return CreatedKey{*after, generated->token};
}

core::Result<ApiKeyInfo> KeyStore::revoke(const QString &keyId)
{
    storage::ApiKeyRepository repo(m_database);
    if (auto revoked = repo.revoke(keyId, m_clock.nowMs()); !revoked)
        return revoked.error();
    return find(keyId);
}

core::Result<QList<ApiKeyInfo>> KeyStore::list() const
{
    storage::ApiKeyRepository repo(m_database);
    auto keys = repo.list();
    if (!keys)
        return keys.error();
    QList<ApiKeyInfo> out;
    for (const auto &k : *keys) {
        auto info = toInfo(k);
        if (!info)
            return info.error();
        out.append(*info);
    }
    return out;
}

core::Result<ApiKeyInfo> KeyStore::find(const QString &keyId) const
{
    storage::ApiKeyRepository repo(m_database);
    auto found = repo.find(keyId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no API key with id '%1'").arg(keyId));
    return toInfo(**found);
}

} // namespace signiq::api
