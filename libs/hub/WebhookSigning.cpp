#include "hub/WebhookSigning.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

const QByteArray kSecretPrefix = QByteArrayLiteral("whsec_");
const QByteArray kVersion = QByteArrayLiteral("v1,");
constexpr qsizetype kMaxIdLength = 128;

bool isIdCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

core::Status checkId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxIdLength)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook id must have 1 to %1 characters").arg(kMaxIdLength));
    for (char c : id) {
        if (!isIdCharacter(c))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook id may hold only A-Z, a-z, 0-9, '_' and '-'"));
    }
    return {};
}

QByteArray signedContent(QByteArrayView id, qint64 timestampS, QByteArrayView body)
{
    QByteArray content;
    content.reserve(id.size() + 24 + body.size());
    content.append(id).append('.').append(QByteArray::number(timestampS)).append('.').append(body);
    return content;
}

} // namespace

core::Result<WebhookSecret> WebhookSecret::generate()
{
    auto bytes = crypto::randomBytes(GeneratedBytes);
    if (!bytes)
        return bytes.error();
    return WebhookSecret(std::move(*bytes));
}

core::Result<WebhookSecret> WebhookSecret::fromKey(QByteArray key)
{
    if (key.size() < MinBytes || key.size() > MaxBytes)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a webhook secret must hold %1 to %2 bytes, not %3").arg(MinBytes).arg(MaxBytes).arg(key.size()));
    return WebhookSecret(std::move(key));
}

core::Result<WebhookSecret> WebhookSecret::parse(QByteArrayView text)
{
    if (!text.startsWith(kSecretPrefix))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook secret starts with 'whsec_'"));
    auto decoded = QByteArray::fromBase64Encoding(text.sliced(kSecretPrefix.size()).toByteArray(),
                                                  QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook secret is 'whsec_' followed by standard base64"));
    return fromKey(std::move(*decoded));
}

QByteArray WebhookSecret::toText() const
{
    return kSecretPrefix + m_key.toBase64();
}

namespace webhook_signing {

QByteArray signature(const WebhookSecret &secret, QByteArrayView id, qint64 timestampS, QByteArrayView body)
{
    return kVersion + crypto::hmacSha256(secret.key(), signedContent(id, timestampS, body)).toBase64();
}

core::Result<WebhookHeaders> sign(const QList<WebhookSecret> &secrets, QByteArrayView id, qint64 timestampS, QByteArrayView body)
{
    if (secrets.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook is signed with at least one secret"));
    if (core::Status ok = checkId(id); !ok)
        return ok.error();
    if (timestampS < 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook timestamp cannot be negative"));
    const QByteArray content = signedContent(id, timestampS, body);
    QByteArrayList signatures;
    for (const WebhookSecret &secret : secrets)
        signatures.append(kVersion + crypto::hmacSha256(secret.key(), content).toBase64());
    return WebhookHeaders{id.toByteArray(), QByteArray::number(timestampS), signatures.join(' ')};
}

core::Status verify(const WebhookSecret &secret, const WebhookHeaders &headers, QByteArrayView body, const core::Clock &clock,
                    qint64 toleranceS)
{
    if (headers.id.isEmpty() || headers.timestamp.isEmpty() || headers.signature.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("missing webhook-id, webhook-timestamp or webhook-signature"));
    if (core::Status ok = checkId(headers.id); !ok)
        return ok.error();
    bool numeric = headers.timestamp.size() <= 12;
    for (char c : headers.timestamp)
        numeric = numeric && c >= '0' && c <= '9';
    if (!numeric)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook-timestamp is not a number of seconds"));
    const qint64 timestampS = headers.timestamp.toLongLong();
    const qint64 nowS = clock.nowMs() / 1000;
    if (timestampS < nowS - toleranceS)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook-timestamp is too old (%1 s before now, tolerance %2 s)")
                                                         .arg(nowS - timestampS)
                                                         .arg(toleranceS));
    if (timestampS > nowS + toleranceS)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook-timestamp is too new (%1 s after now, tolerance %2 s)")
                                                         .arg(timestampS - nowS)
                                                         .arg(toleranceS));
    const QByteArray expected = crypto::hmacSha256(secret.key(), signedContent(headers.id, timestampS, body));
    bool matched = false;
    for (const QByteArray &part : headers.signature.split(' ')) {
        if (!part.startsWith(kVersion))
            continue; // another version or an empty part from two spaces: not ours to judge
        auto decoded = QByteArray::fromBase64Encoding(part.mid(kVersion.size()),
                                                      QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && crypto::constantTimeEquals(*decoded, expected))
            matched = true; // no early exit: the time does not say which signature matched
    }
    if (!matched)
        return makeError(ErrorCode::Corrupt, QStringLiteral("no webhook-signature matches the message"));
    return {};
}

} // namespace webhook_signing

} // namespace signiq::hub
