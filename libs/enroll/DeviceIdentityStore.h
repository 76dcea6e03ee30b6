#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"
#include "crypto/TlsConfiguration.h"
#include "enroll/EnrollmentAuthority.h"

#include <QString>

namespace signiq::enroll {

// The device's identity on disk, in one directory:
//   device.pem  certificate + private key in ONE file (0600), replaced atomically, so a crash
//               during renewal leaves either the old pair or the new pair, never a mix
//   ca.crt      the deployment CA (0644)
//   crl.pem     the last revocation list fetched (0644)
class DeviceIdentityStore {
public:
    explicit DeviceIdentityStore(QString directory);

    // Checks a reply before anything is written: the certificate is for `key`, chains to the CA
    // at the clock's time (and to `expectedCa` when given: the CA pinned at enrollment), and the
    // CRL is signed by the CA. Then writes device.pem, ca.crt, crl.pem.
    [[nodiscard]] core::Status save(const crypto::PrivateKey &key, const EnrollmentReply &reply, const core::Clock &clock,
                                    const QSslCertificate &expectedCa = QSslCertificate());
    [[nodiscard]] core::Status saveRevocationList(const QByteArray &crlPem);

    [[nodiscard]] core::Result<crypto::TlsIdentity> identity() const;
    [[nodiscard]] core::Result<crypto::Certificate> certificate() const;
    [[nodiscard]] core::Result<QSslCertificate> caCertificate() const;
    [[nodiscard]] core::Result<crypto::RevocationList> revocationList() const;

    QString identityPath() const;
    QString caPath() const;
    QString revocationListPath() const;

private:
    QString m_dir;
};

} // namespace signiq::enroll
