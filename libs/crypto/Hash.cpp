#include "crypto/Hash.h"

#include "crypto/OpenSslSupport.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace signiq::crypto {

using namespace detail;

namespace {

const unsigned char *ptr(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

} // namespace

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(Sha256Size, Qt::Uninitialized);
    unsigned int size = 0;
    if (EVP_Digest(data.data(), size_t(data.size()), bytes(digest), &size, EVP_sha256(), nullptr) != 1)
        qFatal("EVP_Digest(SHA-256) failed: %s", qPrintable(openSslError()));
    return digest;
}

struct Sha256::Impl {
    EvpMdCtxPtr ctx{EVP_MD_CTX_new()};
    void reset()
    {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
            qFatal("EVP_DigestInit_ex(SHA-256) failed: %s", qPrintable(openSslError()));
    }
};

Sha256::Sha256() : d(std::make_unique<Impl>())
{
    d->reset();
}

Sha256::~Sha256() = default;

void Sha256::addData(QByteArrayView data)
{
    if (!data.isEmpty() && EVP_DigestUpdate(d->ctx.get(), data.data(), size_t(data.size())) != 1)
        qFatal("EVP_DigestUpdate failed: %s", qPrintable(openSslError()));
}

QByteArray Sha256::result()
{
    QByteArray digest(Sha256Size, Qt::Uninitialized);
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(d->ctx.get(), bytes(digest), &size) != 1)
        qFatal("EVP_DigestFinal_ex failed: %s", qPrintable(openSslError()));
    d->reset();
    return digest;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray mac(Sha256Size, Qt::Uninitialized);
    unsigned int size = 0;
    // HMAC() is the one-shot EVP_MAC wrapper in OpenSSL 3 (not deprecated). A null key pointer
    // with length 0 is valid; OpenSSL wants a non-null pointer, so use "" then.
    const void *keyData = key.isEmpty() ? static_cast<const void *>("") : static_cast<const void *>(key.data());
    if (!HMAC(EVP_sha256(), keyData, int(key.size()), ptr(data), size_t(data.size()), bytes(mac), &size))
        qFatal("HMAC-SHA256 failed: %s", qPrintable(openSslError()));
    return mac;
}

core::Result<QByteArray> hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, int length)
{
    if (length < 1 || length > 255 * Sha256Size)
        return core::makeError(core::ErrorCode::InvalidArgument,
                               QStringLiteral("HKDF-SHA256: output length %1 is outside 1..%2").arg(length).arg(255 * Sha256Size));
    std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf)
        return openSslFailure(QStringLiteral("HKDF not available"));
    std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx)
        return openSslFailure(QStringLiteral("HKDF context"));
    char digest[] = "SHA256";
    // OSSL_PARAM wants non-const pointers; OpenSSL only reads these buffers.
    auto octets = [](const char *name, QByteArrayView v) {
        static const char empty = 0;
        return OSSL_PARAM_construct_octet_string(name, const_cast<char *>(v.isEmpty() ? &empty : v.data()), size_t(v.size()));
    };
    OSSL_PARAM params[5];
    int n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    params[n++] = octets(OSSL_KDF_PARAM_KEY, ikm);
    if (!salt.isEmpty())
        params[n++] = octets(OSSL_KDF_PARAM_SALT, salt);
    if (!info.isEmpty())
        params[n++] = octets(OSSL_KDF_PARAM_INFO, info);
    params[n] = OSSL_PARAM_construct_end();
    QByteArray out(length, Qt::Uninitialized);
    if (EVP_KDF_derive(ctx.get(), bytes(out), size_t(length), params) != 1)
        return openSslFailure(QStringLiteral("HKDF-SHA256"));
    return out;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace signiq::crypto
