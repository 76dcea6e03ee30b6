#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/CertificateAuthority.h"
#include "enroll/EnrollmentTokens.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>

namespace signiq::enroll {

// What a device receives: its certificate, the CA (the chain) and the current revocation list.
struct EnrollmentReply {
    QByteArray certificatePem;
    QByteArray caCertificatePem;
    QByteArray revocationListPem;
};

// The CA holder's decisions, without any networking: enroll with a one-time token, renew with
// a valid current certificate, revoke, publish the CRL. EnrollmentServer puts it on TLS.
class EnrollmentAuthority {
public:
    struct Settings {
        qint64 certificateLifetimeMs = 30LL * 24 * 3600 * 1000;
        qint64 revocationListValidityMs = 7LL * 24 * 3600 * 1000;
        QString revocationStorePath; // optional JSON file (0600) that keeps revocations across restarts
    };

    EnrollmentAuthority(crypto::CertificateAuthority ca, EnrollmentTokens &tokens, const core::Clock &clock, Settings settings);

    // Redeems `token` (PermissionDenied: unknown, used, expired) and issues a certificate for the
    // CSR's key with the names the token grants.
    [[nodiscard]] core::Result<EnrollmentReply> enroll(const QString &token, const QByteArray &csrPem);
    // Issues a new certificate with the same names as `current` for the CSR's (new) key.
    // `current` must verify against the CA at the clock's time and must not be revoked.
    [[nodiscard]] core::Result<EnrollmentReply> renew(const QSslCertificate &current, const QByteArray &csrPem);
    [[nodiscard]] core::Status revoke(const QString &serialHex);
    // A freshly signed CRL (the CA holder signs on demand, so it is always current).
    [[nodiscard]] core::Result<crypto::RevocationList> revocationList() const;

    const crypto::CertificateAuthority &ca() const { return m_ca; }
    const core::Clock &clock() const { return m_clock; }

private:
    core::Result<EnrollmentReply> reply(const crypto::Certificate &issued) const;
    void loadRevocations() const;

    crypto::CertificateAuthority m_ca;
    EnrollmentTokens &m_tokens;
    const core::Clock &m_clock;
    Settings m_settings;
    mutable QList<crypto::Revocation> m_revoked;
};

} // namespace signiq::enroll
