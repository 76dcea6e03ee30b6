#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace signiq::hub {

// A Standard Webhooks (v1) signing secret: "whsec_" + base64 of 24..64 random bytes. The HMAC
// key is the decoded bytes. Shown to the endpoint's owner once; stored only as an envelope.
class WebhookSecret {
public:
    static constexpr int GeneratedBytes = 32;
    static constexpr int MinBytes = 24;
    static constexpr int MaxBytes = 64;

    // GeneratedBytes from the CSPRNG.
    [[nodiscard]] static core::Result<WebhookSecret> generate();
    // "whsec_<base64>"; InvalidArgument names what is wrong (never the secret).
    [[nodiscard]] static core::Result<WebhookSecret> parse(QByteArrayView text);
    // From raw key bytes (24..64).
    [[nodiscard]] static core::Result<WebhookSecret> fromKey(QByteArray key);

    const QByteArray &key() const { return m_key; }
    // "whsec_<base64>".
    QByteArray toText() const;
    bool operator==(const WebhookSecret &) const = default;

private:
    explicit WebhookSecret(QByteArray key) : m_key(std::move(key)) {}
    QByteArray m_key;
};

// The three headers of one signed message.
struct WebhookHeaders {
    QByteArray id;        // webhook-id
    QByteArray timestamp; // webhook-timestamp (unix seconds, decimal)
    QByteArray signature; // webhook-signature ("v1,<base64>" [" v1,<base64>" ...])
};

// Signing and verifying as the Standard Webhooks specification v1 says: the signed content is
// "<id>.<timestamp>.<body>", the signature HMAC-SHA256 under the secret's key in base64 with a
// "v1," prefix; several signatures are separated by spaces (during a secret rotation the hub
// signs with the old and the new secret and a receiver accepts either).
namespace webhook_signing {

inline constexpr qint64 DefaultToleranceS = 5 * 60;

// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
[[nodiscard]] QByteArray signature(const WebhookSecret &secret, QByteArrayView id, qint64 timestampS, QByteArrayView body);

// The headers for `body` signed with every secret in `secrets` (at least one), in that order.
// InvalidArgument: no secret, an id that is empty, too long or holds characters other than
// [A-Za-z0-9_-] (receivers put it in logs and dedupe tables), a negative timestamp.
[[nodiscard]] core::Result<WebhookHeaders> sign(const QList<WebhookSecret> &secrets, QByteArrayView id, qint64 timestampS,
                                                QByteArrayView body);

// Ok when one of the header's v1 signatures matches under `secret` and the timestamp is
// within `toleranceS` of `clock` (either direction). Corrupt: no signature matches;
// InvalidArgument: a missing or malformed header or a timestamp outside the window (the
// message says which). Comparison is constant-time.
[[nodiscard]] core::Status verify(const WebhookSecret &secret, const WebhookHeaders &headers, QByteArrayView body,
                                  const core::Clock &clock, qint64 toleranceS = DefaultToleranceS);

} // namespace webhook_signing

} // namespace signiq::hub
