#include "crypto/Signature.h"

#include "crypto/OpenSslSupport.h"

#include <openssl/bn.h>

#include <cstring>

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

using BnCtxPtr = std::unique_ptr<BN_CTX, detail::Deleter<BN_CTX_free>>;

// Releases the BIGNUMs taken from a BN_CTX since the matching BN_CTX_start.
struct BnFrame {
    explicit BnFrame(BN_CTX *ctx) : ctx(ctx) { BN_CTX_start(ctx); }
    ~BnFrame() { BN_CTX_end(ctx); }
    BnFrame(const BnFrame &) = delete;
    BnFrame &operator=(const BnFrame &) = delete;
    BN_CTX *ctx;
};

enum class PointCheck { Valid, NotCanonical, NotOnCurve, SmallOrder, Failed };

// RFC 8032 section 5.1.3 on the encoded point (little-endian y, top bit = sign of x), with
// p = 2^255 - 19 and d = -121665/121666: x^2 = (y^2 - 1) / (d y^2 + 1) must be a square mod p.
// The eight points of small order are those with y = 0 (order 4), y = 1 (the neutral element),
// y = -1 (order 2), and d y^4 + 2 y^2 - 1 = 0 (order 8: doubling gives y = 0, i.e. x^2 = -y^2).
PointCheck checkEd25519Point(QByteArrayView encoded)
{
    unsigned char le[Ed25519PublicKeySize];
    std::memcpy(le, encoded.data(), sizeof le);
    const bool xNegative = (le[31] & 0x80) != 0;
    le[31] &= 0x7f;
    const BnCtxPtr ctx(BN_CTX_new());
    if (!ctx)
        return PointCheck::Failed;
    const BnFrame frame(ctx.get());
    BIGNUM *p = BN_CTX_get(ctx.get());
    BIGNUM *d = BN_CTX_get(ctx.get());
    BIGNUM *y = BN_CTX_get(ctx.get());
    BIGNUM *y2 = BN_CTX_get(ctx.get());
    BIGNUM *u = BN_CTX_get(ctx.get());
    BIGNUM *v = BN_CTX_get(ctx.get());
    BIGNUM *x2 = BN_CTX_get(ctx.get());
    BIGNUM *t = BN_CTX_get(ctx.get());
    if (!t) // BN_CTX_get fails only for the last one if any failed
        return PointCheck::Failed;
    bool ok = BN_set_word(p, 0) && BN_set_bit(p, 255) && BN_sub_word(p, 19) && BN_lebin2bn(le, int(sizeof le), y);
    if (!ok)
        return PointCheck::Failed;
    if (BN_cmp(y, p) >= 0)
        return PointCheck::NotCanonical;
    // d = -121665 * 121666^-1 mod p
    ok = BN_set_word(t, 121666) && BN_mod_inverse(d, t, p, ctx.get()) && BN_set_word(t, 121665) &&
         BN_mod_mul(d, d, t, p, ctx.get()) && BN_sub(d, p, d);
    // u = y^2 - 1, v = d y^2 + 1, x2 = u / v
    ok = ok && BN_mod_sqr(y2, y, p, ctx.get()) && BN_copy(u, y2) && BN_sub_word(u, 1) &&
         BN_nnmod(u, u, p, ctx.get()) && BN_mod_mul(v, d, y2, p, ctx.get()) && BN_add_word(v, 1) &&
         BN_nnmod(v, v, p, ctx.get()) && BN_mod_inverse(t, v, p, ctx.get()) && BN_mod_mul(x2, u, t, p, ctx.get());
    if (!ok)
        return PointCheck::Failed;
    if (BN_is_zero(x2)) {
        if (xNegative)
            return PointCheck::NotOnCurve; // x = 0 has no negative form
    } else {
        // Euler's criterion: x2^((p-1)/2) == 1 for a square.
        BIGNUM *e = BN_CTX_get(ctx.get());
        BIGNUM *r = BN_CTX_get(ctx.get());
        if (!r || !BN_copy(e, p) || !BN_sub_word(e, 1) || !BN_rshift1(e, e) || !BN_mod_exp(r, x2, e, p, ctx.get()))
            return PointCheck::Failed;
        if (!BN_is_one(r))
            return PointCheck::NotOnCurve;
    }
    // Small order: y in {0, 1, p - 1}, or d y^4 + 2 y^2 - 1 == 0 (mod p).
    if (!BN_copy(t, p) || !BN_sub_word(t, 1))
        return PointCheck::Failed;
    if (BN_is_zero(y) || BN_is_one(y) || BN_cmp(y, t) == 0)
        return PointCheck::SmallOrder;
    // (BN_sub_word of 0 gives -1: BN_nnmod normalises.)
    ok = BN_mod_sqr(t, y2, p, ctx.get()) && BN_mod_mul(t, t, d, p, ctx.get()) && BN_mod_add(t, t, y2, p, ctx.get()) &&
         BN_mod_add(t, t, y2, p, ctx.get()) && BN_sub_word(t, 1) && BN_nnmod(t, t, p, ctx.get());
    if (!ok)
        return PointCheck::Failed;
    if (BN_is_zero(t))
        return PointCheck::SmallOrder;
    return PointCheck::Valid;
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

core::Status ed25519CheckPublicKey(QByteArrayView publicKey)
{
    if (publicKey.size() != Ed25519PublicKeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("an Ed25519 public key has %1 bytes, not %2").arg(Ed25519PublicKeySize).arg(publicKey.size()));
    switch (checkEd25519Point(publicKey)) {
    case PointCheck::Valid:
        return {};
    case PointCheck::NotCanonical:
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not an Ed25519 public key (its y coordinate is not below 2^255 - 19)"));
    case PointCheck::NotOnCurve:
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("not an Ed25519 public key (not a point on the curve)"));
    case PointCheck::SmallOrder:
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("not a usable Ed25519 public key (a point of small order: signatures for it can be forged)"));
    case PointCheck::Failed:
        break;
    }
    return detail::openSslFailure(QStringLiteral("cannot check the Ed25519 public key"));
}

core::Status ed25519Verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (auto checked = ed25519CheckPublicKey(publicKey); !checked)
        return checked;
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
