#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace signiq::crypto {

// What the CA holder puts into a device certificate. The CA decides the names, never the CSR:
// only the public key and the proof of possession are taken from the request.
struct IssueOptions {
    QString commonName;
    QStringList dnsNames;    // subjectAltName DNS entries (letters, digits, '-', '.')
    QStringList ipAddresses; // subjectAltName IP entries
    qint64 lifetimeMs = 0;   // notAfter = now + lifetime
    bool serverAuth = true;  // extendedKeyUsage
    bool clientAuth = true;
};

// The deployment CA: a self-signed EC P-256 root that issues device and server certificates
// and signs the revocation list. Its private key lives in a 0600 file on the CA holder only.
class CertificateAuthority {
public:
    // Certificates are valid from `now - BackdateMs`, so a peer whose clock is a little behind
    // still accepts a certificate issued a moment ago.
    static constexpr qint64 BackdateMs = 5 * 60 * 1000;

    [[nodiscard]] static core::Result<CertificateAuthority> create(const QString &name, qint64 lifetimeMs,
                                                                   const core::Clock &clock);
    // The key file must be 0600 (PermissionDenied otherwise) and must match the certificate.
    [[nodiscard]] static core::Result<CertificateAuthority> load(const QString &certificatePath, const QString &keyPath);
    // The certificate with 0644, the key with 0600. Never overwrites an existing key.
    [[nodiscard]] core::Status save(const QString &certificatePath, const QString &keyPath) const;

    const Certificate &certificate() const { return m_certificate; }
    const PrivateKey &privateKey() const { return m_key; }

    // Checks the request's signature, then issues a certificate for its public key with a
    // random 128-bit serial, the SANs and lifetime of `options`, signed with SHA-256.
    [[nodiscard]] core::Result<Certificate> issue(const CertificateRequest &request, const IssueOptions &options,
                                                  const core::Clock &clock) const;

    // A signed v2 CRL listing `revoked`, valid from now for `validityMs`.
    [[nodiscard]] core::Result<RevocationList> makeRevocationList(const QList<Revocation> &revoked, const core::Clock &clock,
                                                                  qint64 validityMs) const;

private:
    CertificateAuthority(Certificate certificate, PrivateKey key);
    Certificate m_certificate;
    PrivateKey m_key;
};

} // namespace signiq::crypto
