#include "crypto/Signature.h"

#include "crypto/OpenSslSupport.h"

namespace signiq::crypto {

using core::ErrorCode;
using core::makeError;
using detail::EvpMdCtxPtr;
using detail::EvpPkeyPtr;

namespace {

const unsigned char *ubytes(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}

} // namespace

struct Ed25519SigningKey::Impl {
    EvpPkeyPtr key;
};

Ed25519SigningKey::Ed25519SigningKey(std::shared_ptr<Impl> impl, QByteArray publicKey)
    : d(std::move(impl)), m_publicKey(std::move(publicKey))
{
}

core::Result<Ed25519SigningKey> Ed25519SigningKey::fromSeed(QByteArrayView seed)
{
    if (seed.size() != Ed25519SeedSize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("an Ed25519 seed has %1 bytes, not %2").arg(Ed25519SeedSize).arg(seed.size()));
    EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, ubytes(seed), size_t(seed.size())));
    if (!key)
        return detail::openSslFailure(QStringLiteral("cannot make an Ed25519 key"));
    QByteArray publicKey(Ed25519PublicKeySize, '\0');
    size_t length = size_t(publicKey.size());
    if (EVP_PKEY_get_raw_public_key(key.get(), detail::bytes(publicKey), &length) != 1 || length != size_t(Ed25519PublicKeySize))
        return detail::openSslFailure(QStringLiteral("cannot derive the Ed25519 public key"));
    auto impl = std::make_shared<Impl>();
    impl->key = std::move(key);
    return Ed25519SigningKey(std::move(impl), publicKey);
}

core::Result<QByteArray> Ed25519SigningKey::sign(QByteArrayView message) const
{
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, d->key.get()) != 1)
        return detail::openSslFailure(QStringLiteral("cannot start an Ed25519 signature"));
    QByteArray signature(Ed25519SignatureSize, '\0');
    size_t length = size_t(signature.size());
    if (EVP_DigestSign(ctx.get(), detail::bytes(signature), &length, ubytes(message), size_t(message.size())) != 1
        || length != size_t(Ed25519SignatureSize))
        return detail::openSslFailure(QStringLiteral("cannot sign with Ed25519"));
    return signature;
}

core::Status ed25519Verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != Ed25519PublicKeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("an Ed25519 public key has %1 bytes, not %2").arg(Ed25519PublicKeySize).arg(publicKey.size()));
    if (signature.size() != Ed25519SignatureSize)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("an Ed25519 signature has %1 bytes, not %2").arg(Ed25519SignatureSize).arg(signature.size()));
    EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, ubytes(publicKey), size_t(publicKey.size())));
    if (!key) {
        (void)detail::openSslError();
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not an Ed25519 public key"));
    }
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return detail::openSslFailure(QStringLiteral("cannot start an Ed25519 verification"));
    const int rc = EVP_DigestVerify(ctx.get(), ubytes(signature), size_t(signature.size()), ubytes(message), size_t(message.size()));
    if (rc != 1) {
        (void)detail::openSslError(); // clear the queue
        return makeError(ErrorCode::Corrupt, QStringLiteral("the Ed25519 signature does not match"));
    }
    return {};
}

} // namespace signiq::crypto
