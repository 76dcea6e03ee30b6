#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "protocol/ApiKey.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;

// An organisation's API key as stored: never the secret (only SHA-256 of the whole token,
// protocol::ApiKeyFormat, the same format and hashing as the edge).
struct HubKey {
    QString keyId;
    QString name;
    protocol::KeyEnvironment environment = protocol::KeyEnvironment::Live;
    protocol::Scopes scopes;
    std::optional<QUuid> siteId; // restricted to this site when set
    qint64 createdAtMs = 0;
    std::optional<qint64> expiresAtMs;
    std::optional<qint64> revokedAtMs;
    std::optional<qint64> lastUsedAtMs;
    bool operator==(const HubKey &) const = default;
};

struct NewKey {
    QString name;
    protocol::Scopes scopes;
    std::optional<QUuid> siteId;
    protocol::KeyEnvironment environment = protocol::KeyEnvironment::Live;
    std::optional<qint64> expiresAtMs;
};

struct IssuedHubKey {
    HubKey key;
    QString token; // shown once, never stored
};

struct AuthenticatedKey {
    QUuid orgId;
    HubKey key;
};

// signiq.api_keys. Every call but authenticate() runs as `org`.
class ApiKeyRepository {
public:
    ApiKeyRepository(Database &db, const core::Clock &clock) : m_db(db), m_clock(clock) {}

    // A new key and its audit entry "key.create" in one transaction. InvalidArgument: no scope,
    // expiry in the past; NotFound: unknown organisation or site.
    [[nodiscard]] core::Result<IssuedHubKey> create(const QUuid &org, const NewKey &request, const QString &actor);
    // Finds the organisation of a presented token (signiq.api_key_org, which needs the whole
    // token), then checks it as that organisation in constant time, refuses revoked and expired
    // keys and records the use. Every refusal is PermissionDenied with the same message for an
    // unknown, wrong or revoked key (no oracle); InvalidArgument for a malformed token.
    [[nodiscard]] core::Result<AuthenticatedKey> authenticate(const QString &token);
    // Revokes immediately (idempotent: a revoked key keeps its first revocation time) and
    // audits "key.revoke". NotFound for an unknown key (including another organisation's).
    [[nodiscard]] core::Result<HubKey> revoke(const QUuid &org, const QString &keyId, const QString &actor);
    [[nodiscard]] core::Result<HubKey> find(const QUuid &org, const QString &keyId);
    // Oldest first.
    [[nodiscard]] core::Result<QList<HubKey>> list(const QUuid &org);

private:
    Database &m_db;
    const core::Clock &m_clock;
};

} // namespace signiq::hub
