#pragma once

#include "api/ApiKey.h"
#include "protocol/Keys.h"
#include "protocol/Time.h"
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

// The wire types of keys are the protocol's (libs/protocol/Keys.h), under their api:: names.
using ApiKeyInfo = protocol::KeyInfo;
using KeyRequest = protocol::KeyRequest;
using CreatedKey = protocol::IssuedKey; // {info, token}: the token is shown once, never stored

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

using protocol::isoTime;
using protocol::parseTime;

} // namespace signiq::api
