#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace signiq::storage {

class EncryptedDatabase;

// One API key as stored: never the secret, only SHA-256 of the whole token. During a rotation
// overlap the previous token's hash stays valid until previousValidUntilMs.
struct StoredApiKey {
    QString keyId;
    QString name;
    QString environment = QStringLiteral("live"); // "live" | "test"
    QByteArray secretHash;                        // 32 bytes
    QByteArray previousHash;                      // empty: no overlap
    std::optional<qint64> previousValidUntilMs;
    QStringList scopes; // e.g. {"read", "admin"}
    QString tier = QStringLiteral("free");
    qint64 createdAtMs = 0;
    std::optional<qint64> lastUsedAtMs;
    std::optional<qint64> expiresAtMs;
    std::optional<qint64> revokedAtMs;
    std::optional<qint64> rotatedAtMs;

    bool operator==(const StoredApiKey &) const = default;
};

// The api_keys table (schema version 5). Uses the connection of an EncryptedDatabase by name:
// only on that connection's thread.
class ApiKeyRepository {
public:
    explicit ApiKeyRepository(const EncryptedDatabase &database);

    // InvalidArgument when the key id exists (or a CHECK fails: hash size, tier, environment).
    [[nodiscard]] core::Status insert(const StoredApiKey &key);
    [[nodiscard]] core::Result<std::optional<StoredApiKey>> find(const QString &keyId) const;
    // Every key, oldest first.
    [[nodiscard]] core::Result<QList<StoredApiKey>> list() const;
    // New secret hash; the old one stays valid until previousValidUntilMs (<= now: not at all).
    // NotFound for an unknown key id.
    [[nodiscard]] core::Status rotate(const QString &keyId, const QByteArray &newHash, const QByteArray &previousHash,
                                      qint64 previousValidUntilMs, qint64 rotatedAtMs);
    // Sets revoked_at_ms (once: a revoked key keeps its first revocation time). NotFound.
    [[nodiscard]] core::Status revoke(const QString &keyId, qint64 atMs);
    [[nodiscard]] core::Status touch(const QString &keyId, qint64 atMs);

private:
    QString m_connectionName;
};

} // namespace signiq::storage
