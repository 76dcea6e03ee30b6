#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QFlags>
#include <QString>
#include <QStringList>

namespace signiq::protocol {

enum class Scope : quint32 {
    Read = 1u << 0,
    Write = 1u << 1,
    Analytics = 1u << 2,
    Export = 1u << 3,
    Webhooks = 1u << 4,
    Calibrate = 1u << 5,
    Admin = 1u << 6,
};
Q_DECLARE_FLAGS(Scopes, Scope)
Q_DECLARE_OPERATORS_FOR_FLAGS(Scopes)

QStringList scopeNames(Scopes scopes);                         // {"read","admin",...} in a fixed order
core::Result<Scopes> scopesFromNames(const QStringList &names); // unknown name -> InvalidArgument

enum class Tier { Free, Pro, Enterprise };
QString tierName(Tier tier);
core::Result<Tier> tierFromName(const QString &name);

enum class KeyEnvironment { Live, Test };

// The parts of a presented API key: sq_<live|test>_<key id>_<secret><checksum>.
//  - key id: 12 characters [0-9a-z], public, the database lookup key;
//  - secret: 32 characters base62 (~190 bits from the CSPRNG);
//  - checksum: 6 characters base62 of CRC32 over everything before it, so a secret scanner
//    (or this server) recognises a well-formed Signiq key without a database lookup.
struct ParsedApiKey {
    KeyEnvironment environment = KeyEnvironment::Live;
    QString keyId;
    QString token; // the whole key as presented
};

struct NewApiKey {
    QString token;      // shown once, never stored
    QString keyId;
    QByteArray secretHash; // SHA-256 of the whole token: the only thing stored
};

class ApiKeyFormat {
public:
    static constexpr int KeyIdLength = 12;
    static constexpr int SecretLength = 32;
    static constexpr int ChecksumLength = 6;

    [[nodiscard]] static core::Result<NewApiKey> generate(KeyEnvironment environment);
    // A new secret for an existing key id (rotation).
    [[nodiscard]] static core::Result<NewApiKey> generate(KeyEnvironment environment, const QString &keyId);

    // Structure and checksum only; no lookup. Every failure is InvalidArgument with a message
    // that never echoes the secret.
    [[nodiscard]] static core::Result<ParsedApiKey> parse(const QString &token);

    static QByteArray hashToken(const QString &token); // SHA-256
    // Constant-time comparison of a presented token against a stored hash.
    static bool matches(const QString &token, const QByteArray &storedHash);
};

} // namespace signiq::protocol
