#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace signiq::crypto {

inline constexpr int Ed25519SeedSize = 32;
inline constexpr int Ed25519PublicKeySize = 32;
inline constexpr int Ed25519SignatureSize = 64;

// An Ed25519 (RFC 8032, pure) signing key made from its 32-byte seed — e.g. the contents of a
// storage::KeyFile, so the key file machinery (0600, O_EXCL, refused when readable by others)
// holds signing keys too. Whoever has only the public key can verify but never sign. Copies
// share one OpenSSL key object; the caller wipes the seed it passed in.
class Ed25519SigningKey {
public:
    // InvalidArgument unless `seed` is 32 bytes.
    [[nodiscard]] static core::Result<Ed25519SigningKey> fromSeed(QByteArrayView seed);

    // 32 bytes.
    QByteArray publicKey() const { return m_publicKey; }
    // 64 bytes. Deterministic: the same message always gives the same signature.
    [[nodiscard]] core::Result<QByteArray> sign(QByteArrayView message) const;

private:
    struct Impl;
    explicit Ed25519SigningKey(std::shared_ptr<Impl> impl, QByteArray publicKey);
    std::shared_ptr<Impl> d;
    QByteArray m_publicKey;
};

// OK when `publicKey` can be a signer's Ed25519 public key: 32 bytes that decode to a point on
// the curve (RFC 8032 section 5.1.3: y < p, x recoverable, no "negative zero"), and not one of
// the points of small order, for which signatures can be forged without a private key.
// InvalidArgument names the problem. OpenSSL imports any 32 bytes as a key and only fails when
// verifying, so whoever pins a key someone typed or sent checks it here first.
[[nodiscard]] core::Status ed25519CheckPublicKey(QByteArrayView publicKey);

// OK when `signature` is a valid Ed25519 signature of `message` under `publicKey`.
// InvalidArgument: a public key that ed25519CheckPublicKey refuses (not 32 bytes, not a curve
// point, small order); Corrupt: anything else (wrong size, wrong key, altered message or signature).
[[nodiscard]] core::Status ed25519Verify(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature);

} // namespace signiq::crypto
