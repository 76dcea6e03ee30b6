#include "crypto/Aead.h"

#include "crypto/OpenSslSupport.h"

#include <openssl/evp.h>

#include <climits>
#include <cstring>

namespace signiq::crypto {

using namespace detail;
using core::ErrorCode;
using core::makeError;

namespace {

unsigned char *uptr(char *p)
{
    return reinterpret_cast<unsigned char *>(p);
}

const unsigned char *uptr(const char *p)
{
    return reinterpret_cast<const unsigned char *>(p);
}

core::Status checkSizes(QByteArrayView nonce, QByteArrayView aad, qsizetype dataSize)
{
    if (nonce.size() != Aes256Gcm::NonceSize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("AES-256-GCM: nonce must be %1 bytes, got %2").arg(Aes256Gcm::NonceSize).arg(nonce.size()));
    if (aad.size() > INT_MAX || dataSize > INT_MAX - Aes256Gcm::TagSize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("AES-256-GCM: message larger than 2 GiB; use crypto::Envelope"));
    return {};
}

} // namespace

struct Aes256Gcm::Impl {
    EvpCipherCtxPtr enc{EVP_CIPHER_CTX_new()};
    EvpCipherCtxPtr dec{EVP_CIPHER_CTX_new()};
};

Aes256Gcm::Aes256Gcm(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
Aes256Gcm::Aes256Gcm(Aes256Gcm &&) noexcept = default;
Aes256Gcm &Aes256Gcm::operator=(Aes256Gcm &&) noexcept = default;
Aes256Gcm::~Aes256Gcm() = default;

core::Result<Aes256Gcm> Aes256Gcm::create(QByteArrayView key)
{
    if (key.size() != KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("AES-256-GCM: the key must be %1 bytes, got %2").arg(KeySize).arg(key.size()));
    auto impl = std::make_unique<Impl>();
    if (!impl->enc || !impl->dec)
        return openSslFailure(QStringLiteral("EVP_CIPHER_CTX_new"));
    const auto *k = uptr(key.data());
    if (EVP_EncryptInit_ex(impl->enc.get(), EVP_aes_256_gcm(), nullptr, k, nullptr) != 1
        || EVP_DecryptInit_ex(impl->dec.get(), EVP_aes_256_gcm(), nullptr, k, nullptr) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM key setup"));
    return Aes256Gcm(std::move(impl));
}

core::Status Aes256Gcm::sealTo(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext, char *out)
{
    if (auto ok = checkSizes(nonce, aad, plaintext.size()); !ok)
        return ok;
    EVP_CIPHER_CTX *ctx = d->enc.get();
    int len = 0;
    if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, uptr(nonce.data())) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM nonce"));
    if (!aad.isEmpty() && EVP_EncryptUpdate(ctx, nullptr, &len, uptr(aad.data()), int(aad.size())) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM AAD"));
    int written = 0;
    if (!plaintext.isEmpty()) {
        if (EVP_EncryptUpdate(ctx, uptr(out), &len, uptr(plaintext.data()), int(plaintext.size())) != 1)
            return openSslFailure(QStringLiteral("AES-256-GCM encrypt"));
        written = len;
    }
    if (EVP_EncryptFinal_ex(ctx, uptr(out) + written, &len) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM final"));
    written += len;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TagSize, out + written) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM tag"));
    return {};
}

core::Status Aes256Gcm::openTo(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertextAndTag, char *out)
{
    if (ciphertextAndTag.size() < TagSize)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("AES-256-GCM: %1 bytes is shorter than the tag").arg(ciphertextAndTag.size()));
    const qsizetype dataSize = ciphertextAndTag.size() - TagSize;
    if (auto ok = checkSizes(nonce, aad, dataSize); !ok)
        return ok;
    EVP_CIPHER_CTX *ctx = d->dec.get();
    int len = 0;
    if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, uptr(nonce.data())) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM nonce"));
    if (!aad.isEmpty() && EVP_DecryptUpdate(ctx, nullptr, &len, uptr(aad.data()), int(aad.size())) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM AAD"));
    // Copy the tag first: `out` may alias the input.
    unsigned char tag[TagSize];
    std::memcpy(tag, ciphertextAndTag.data() + dataSize, TagSize);
    int written = 0;
    if (dataSize > 0) {
        if (EVP_DecryptUpdate(ctx, uptr(out), &len, uptr(ciphertextAndTag.data()), int(dataSize)) != 1)
            return openSslFailure(QStringLiteral("AES-256-GCM decrypt"));
        written = len;
    }
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TagSize, tag) != 1)
        return openSslFailure(QStringLiteral("AES-256-GCM tag"));
    if (EVP_DecryptFinal_ex(ctx, uptr(out) + written, &len) != 1) {
        OPENSSL_cleanse(out, size_t(dataSize));
        (void)openSslError(); // clear the queue
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("authentication failed: wrong key, or the data or its header was modified"));
    }
    return {};
}

core::Result<QByteArray> Aes256Gcm::seal(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext)
{
    QByteArray out(plaintext.size() + TagSize, Qt::Uninitialized);
    if (auto ok = sealTo(nonce, aad, plaintext, out.data()); !ok)
        return ok.error();
    return out;
}

core::Result<QByteArray> Aes256Gcm::open(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertextAndTag)
{
    QByteArray out(qMax<qsizetype>(0, ciphertextAndTag.size() - TagSize), Qt::Uninitialized);
    if (auto ok = openTo(nonce, aad, ciphertextAndTag, out.data()); !ok)
        return ok.error();
    return out;
}

} // namespace signiq::crypto
