#pragma once

#include "core/Result.h"
#include "crypto/SecureFile.h"

#include <QByteArray>
#include <QSslKey>
#include <QString>

#include <memory>

struct evp_pkey_st;

namespace signiq::crypto {

// An EC P-256 private key (OpenSSL EVP_PKEY). Cheap to copy (shared, immutable).
class PrivateKey {
public:
    PrivateKey() = default;

    [[nodiscard]] static core::Result<PrivateKey> generateEcP256();
    // PKCS#8 or traditional PEM. Corrupt/Parse errors never echo the key.
    [[nodiscard]] static core::Result<PrivateKey> fromPem(const QByteArray &pem);
    // Reads a PEM key file; PermissionDenied when group/others have any access to it.
    [[nodiscard]] static core::Result<PrivateKey> load(const QString &path);

    // Writes PKCS#8 PEM with mode 0600, crash-safely (securefile::writeFile).
    [[nodiscard]] core::Status save(const QString &path, securefile::Replace replace = securefile::Replace::Never) const;

    bool isNull() const { return !m_key; }
    // PKCS#8 PEM. Wipe it (secureZero) when done.
    QByteArray toPem() const;
    // For QSslConfiguration::setPrivateKey.
    QSslKey toQSslKey() const;
    // DER SubjectPublicKeyInfo of the public half (to match a key to a certificate).
    QByteArray publicKeyDer() const;

    evp_pkey_st *handle() const { return m_key.get(); }

private:
    explicit PrivateKey(evp_pkey_st *owned);
    std::shared_ptr<evp_pkey_st> m_key;
};

} // namespace signiq::crypto
