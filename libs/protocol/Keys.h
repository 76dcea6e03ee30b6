#pragma once

#include "core/Result.h"
#include "protocol/ApiKey.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace signiq::protocol {

// One API key as anyone may see it (GET /v1/keys): never the secret or its hash. The same type
// on the server (edge, hub) and in every client.
struct KeyInfo {
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
    // ISO 8601 UTC times, null when unset; previous_secret_valid_until only while in the future.
    QJsonObject toJson(qint64 nowMs) const;
    // Parse errors name the field ("key k1: scopes: ...").
    static core::Result<KeyInfo> fromJson(const QJsonObject &object);
    bool operator==(const KeyInfo &) const = default;
};

// POST /v1/keys.
struct KeyRequest {
    QString name;
    Scopes scopes;
    Tier tier = Tier::Free;
    KeyEnvironment environment = KeyEnvironment::Live;
    std::optional<qint64> expiresAtMs;

    QJsonObject toJson() const;
    bool operator==(const KeyRequest &) const = default;
};

// The answer to create and rotate: the key's fields and "key", the token — shown once, never
// stored.
struct IssuedKey {
    KeyInfo info;
    QString token;

    QJsonObject toJson(qint64 nowMs) const;
    static core::Result<IssuedKey> fromJson(const QJsonObject &object);
};

QString environmentName(KeyEnvironment environment);

} // namespace signiq::protocol
