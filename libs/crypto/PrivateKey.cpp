#include "crypto/PrivateKey.h"

#include "crypto/OpenSslSupport.h"
#include "crypto/Random.h"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace signiq::crypto {

using namespace detail;
using core::ErrorCode;
using core::makeError;

PrivateKey::PrivateKey(evp_pkey_st *owned) : m_key(owned, EVP_PKEY_free) {}

core::Result<PrivateKey> PrivateKey::generateEcP256()
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!key)
        return openSslFailure(QStringLiteral("cannot generate an EC P-256 key"));
    return PrivateKey(key);
}

core::Result<PrivateKey> PrivateKey::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key)
        return makeError(ErrorCode::Parse, QStringLiteral("not a PEM private key (%1)").arg(openSslError()));
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
        EVP_PKEY_free(key);
        return makeError(ErrorCode::Unsupported, QStringLiteral("only EC P-256 private keys are supported"));
    }
    return PrivateKey(key);
}

core::Result<PrivateKey> PrivateKey::load(const QString &path)
{
    auto pem = securefile::readSecret(path, 64 * 1024);
    if (!pem)
        return makeError(pem.error().code, QStringLiteral("private key: %1").arg(pem.error().message));
    auto key = fromPem(*pem);
    secureZero(*pem);
    if (!key)
        return makeError(key.error().code, QStringLiteral("private key %1: %2").arg(path, key.error().message));
    return key;
}

QByteArray PrivateKey::toPem() const
{
    if (!m_key)
        return {};
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    QByteArray pem = bioContents(bio.get());
    // Wipe the BIO's copy before it is freed.
    char *data = nullptr;
    const long size = BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, static_cast<void *>(&data));
    if (size > 0 && data)
        OPENSSL_cleanse(data, size_t(size));
    return pem;
}

core::Status PrivateKey::save(const QString &path, securefile::Replace replace) const
{
    if (!m_key)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no private key to save"));
    QByteArray pem = toPem();
    auto ok = securefile::writeSecret(path, pem, replace);
    secureZero(pem);
    return ok;
}

QSslKey PrivateKey::toQSslKey() const
{
    QByteArray pem = toPem();
    QSslKey key(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    secureZero(pem);
    return key;
}

QByteArray PrivateKey::publicKeyDer() const
{
    if (!m_key)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_PUBKEY(m_key.get(), &der);
    if (size <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return out;
}

} // namespace signiq::crypto
