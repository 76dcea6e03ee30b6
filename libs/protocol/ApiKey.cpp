#include "protocol/ApiKey.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"

#include <QRegularExpression>

#include <array>

namespace signiq::protocol {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr std::array<std::pair<Scope, const char *>, 7> kScopes = {{
    {Scope::Read, "read"},
    {Scope::Write, "write"},
    {Scope::Analytics, "analytics"},
    {Scope::Export, "export"},
    {Scope::Webhooks, "webhooks"},
    {Scope::Calibrate, "calibrate"},
    {Scope::Admin, "admin"},
}};

const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

// Unbiased: rejection sampling over random bytes.
core::Result<QString> randomString(int length, const char *alphabet, int alphabetSize)
{
    QString out;
    out.reserve(length);
    const int limit = 256 - (256 % alphabetSize);
    while (out.size() < length) {
        auto bytes = crypto::randomBytes(length * 2);
        if (!bytes)
            return bytes.error();
        for (char c : *bytes) {
            const int v = static_cast<unsigned char>(c);
            if (v < limit && out.size() < length)
                out.append(QLatin1Char(alphabet[v % alphabetSize]));
        }
        crypto::secureZero(*bytes);
    }
    return out;
}

// CRC-32 (IEEE 802.3, as zlib's crc32), bitwise: keys are short.
quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QString checksum(const QString &body)
{
    quint32 crc = crc32(body.toLatin1());
    QString out(ApiKeyFormat::ChecksumLength, QLatin1Char('0'));
    for (int i = ApiKeyFormat::ChecksumLength - 1; i >= 0; --i) {
        out[i] = QLatin1Char(kBase62[crc % 62]);
        crc /= 62;
    }
    return out;
}

QString prefix(KeyEnvironment environment)
{
    return environment == KeyEnvironment::Live ? QStringLiteral("sq_live_") : QStringLiteral("sq_test_");
}

} // namespace

QStringList scopeNames(Scopes scopes)
{
    QStringList names;
    for (const auto &[scope, name] : kScopes) {
        if (scopes.testFlag(scope))
            names << QString::fromLatin1(name);
    }
    return names;
}

core::Result<Scopes> scopesFromNames(const QStringList &names)
{
    Scopes scopes;
    for (const QString &name : names) {
        bool found = false;
        for (const auto &[scope, scopeName] : kScopes) {
            if (name == QLatin1StringView(scopeName)) {
                scopes |= scope;
                found = true;
            }
        }
        if (!found)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("unknown scope '%1' (valid: read, write, analytics, export, webhooks, calibrate, admin)")
                                 .arg(name));
    }
    return scopes;
}

QString tierName(Tier tier)
{
    switch (tier) {
    case Tier::Free: return QStringLiteral("free");
    case Tier::Pro: return QStringLiteral("pro");
    case Tier::Enterprise: return QStringLiteral("enterprise");
    }
    return {};
}

core::Result<Tier> tierFromName(const QString &name)
{
    for (Tier t : {Tier::Free, Tier::Pro, Tier::Enterprise}) {
        if (tierName(t) == name)
            return t;
    }
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown tier '%1' (valid: free, pro, enterprise)").arg(name));
}

core::Result<NewApiKey> ApiKeyFormat::generate(KeyEnvironment environment)
{
    auto keyId = randomString(KeyIdLength, kBase36, 36);
    if (!keyId)
        return keyId.error();
    return generate(environment, *keyId);
}

core::Result<NewApiKey> ApiKeyFormat::generate(KeyEnvironment environment, const QString &keyId)
{
    auto secret = randomString(SecretLength, kBase62, 62);
    if (!secret)
        return secret.error();
    const QString body = prefix(environment) + keyId + QLatin1Char('_') + *secret;
    NewApiKey key;
    key.token = body + checksum(body);
    key.keyId = keyId;
    key.secretHash = hashToken(key.token);
    return key;
}

core::Result<ParsedApiKey> ApiKeyFormat::parse(const QString &token)
{
    static const QRegularExpression shape(QStringLiteral("^sq_(live|test)_([0-9a-z]{%1})_([0-9A-Za-z]{%2})$")
                                              .arg(KeyIdLength)
                                              .arg(SecretLength + ChecksumLength));
    const auto match = shape.match(token);
    if (!match.hasMatch())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("malformed API key (expected sq_<live|test>_<12-character id>_<38 characters>)"));
    const QString body = token.left(token.size() - ChecksumLength);
    if (checksum(body) != token.right(ChecksumLength))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("API key checksum mismatch: the key was mistyped or truncated"));
    ParsedApiKey parsed;
    parsed.environment = match.captured(1) == QLatin1String("live") ? KeyEnvironment::Live : KeyEnvironment::Test;
    parsed.keyId = match.captured(2);
    parsed.token = token;
    return parsed;
}

QByteArray ApiKeyFormat::hashToken(const QString &token)
{
    return crypto::sha256(token.toLatin1());
}

bool ApiKeyFormat::matches(const QString &token, const QByteArray &storedHash)
{
    return crypto::constantTimeEquals(hashToken(token), storedHash);
}

} // namespace signiq::protocol
