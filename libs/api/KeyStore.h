#pragma once

#include "api/ApiKey.h"
#include "core/Clock.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::api {

// What anyone may see of a key: never the secret or its hash.
struct ApiKeyInfo {
    QString keyId;
    QString name;
    KeyEnvironment environment = KeyEnvironment::Live;
    Scopes scopes;
    Tier tier = Tier::Free;
    qint64 createdAtMs = 0;
    std::optional<qint64> lastUsedAtMs;
    std::optional<qint64> expiresAtMs;
    std::optional<qint64> revokedAtMs;
    std::optional<qint64> rotatedAtMs;
    std::optional<qint64> previousValidUntilMs; // the old secret's end of overlap after a rotation

    // "active" | "revoked" | "expired" at `nowMs`.
    QString state(qint64 nowMs) const;
    QJsonObject toJson(qint64 nowMs) const; // ISO 8601 UTC times, null when unset
};

struct KeyRequest {
    QString name;
    Scopes scopes;
    Tier tier = Tier::Free;
    KeyEnvironment environment = KeyEnvironment::Live;
    std::optional<qint64> expiresAtMs;
};

struct CreatedKey {
    QString token; // shown once; never stored
    ApiKeyInfo info;
};

// API keys over storage::ApiKeyRepository: creation, authentication (constant-time hash
// comparison, current secret or the previous one during its rotation overlap), rotation,
// revocation (immediate), last_used_at (written at most once a minute per key).
// Uses the database connection of its thread.
class KeyStore {
public:
    static constexpr qint64 MaxRotationOverlapMs = 7LL * 24 * 3600 * 1000;
    static constexpr qint64 LastUsedResolutionMs = 60 * 1000;
    static constexpr int MaxNameLength = 64;

    KeyStore(const storage::EncryptedDatabase &database, const core::Clock &clock);

    // InvalidArgument: no scopes, name too long, expiry in the past.
    [[nodiscard]] core::Result<CreatedKey> create(const KeyRequest &request);

    // The key a presented token belongs to. InvalidArgument: malformed (shape/checksum);
    // PermissionDenied: unknown id, wrong secret, revoked, expired, wrong environment. The
    // message never contains the secret.
    [[nodiscard]] core::Result<ApiKeyInfo> authenticate(const QString &token);

    // A new secret for `keyId`; the old secret stays valid for `overlapMs` (0 .. 7 days).
    // NotFound; InvalidArgument (overlap out of range, key revoked or expired).
    [[nodiscard]] core::Result<CreatedKey> rotate(const QString &keyId, qint64 overlapMs);
    // Immediate. NotFound; revoking twice keeps the first time.
    [[nodiscard]] core::Result<ApiKeyInfo> revoke(const QString &keyId);

    [[nodiscard]] core::Result<QList<ApiKeyInfo>> list() const;
    [[nodiscard]] core::Result<ApiKeyInfo> find(const QString &keyId) const;

private:
    const storage::EncryptedDatabase &m_database;
    const core::Clock &m_clock;
};

// ISO 8601 UTC with milliseconds ("2026-11-29T10:00:00.000Z").
QString isoTime(qint64 ms);
// ISO 8601 date-time (with zone or Z) or integer milliseconds since the epoch.
std::optional<qint64> parseTime(const QString &text);

} // namespace signiq::api
