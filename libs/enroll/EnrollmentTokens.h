#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace signiq::enroll {

// What the CA holder authorises a token to obtain: the certificate's names.
struct TokenGrant {
    QString deviceName;      // certificate CN
    QStringList dnsNames;    // SANs
    QStringList ipAddresses; // SANs
    qint64 expiresAtMs = 0;
};

// One-time, short-lived enrollment tokens: "sqe1.<16 hex id>.<43 char base64url secret>".
// Only SHA-256 of the secret is stored; redeeming compares in constant time and marks the
// token used before anything is issued. A used, expired or unknown token is PermissionDenied.
//
// With a `storePath`, tokens live in a 0600 JSON file that several processes share (the
// `ca token` command writes, the enrollment server redeems); every operation re-reads and
// rewrites it atomically under a lock file.
class EnrollmentTokens {
public:
    explicit EnrollmentTokens(const core::Clock &clock, QString storePath = QString());

    [[nodiscard]] core::Result<QString> issue(TokenGrant grant, qint64 ttlMs);
    [[nodiscard]] core::Result<TokenGrant> redeem(const QString &token);

private:
    struct Entry {
        QByteArray secretHash;
        TokenGrant grant;
        bool used = false;
    };
    core::Status load();
    core::Status save() const;

    const core::Clock &m_clock;
    QString m_storePath;
    QHash<QString, Entry> m_entries;
};

} // namespace signiq::enroll
