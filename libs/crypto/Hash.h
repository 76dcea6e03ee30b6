#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace signiq::crypto {

inline constexpr int Sha256Size = 32;

// SHA-256 of `data` (32 bytes).
[[nodiscard]] QByteArray sha256(QByteArrayView data);

// Incremental SHA-256 for data that does not fit in memory at once.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void addData(QByteArrayView data);
    // The digest; the object is reset and can be reused.
    [[nodiscard]] QByteArray result();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// HMAC-SHA256 of `data` under `key` (32 bytes). Any key length is accepted (RFC 2104).
[[nodiscard]] QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);

// HKDF-SHA256 (RFC 5869, extract + expand): `length` bytes (1 .. 255*32) derived from the input
// keying material `ikm`, an optional `salt` and a context string `info`.
[[nodiscard]] core::Result<QByteArray> hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info,
                                                  int length);

// True when `a` and `b` have the same length and bytes. The time taken depends only on the
// lengths, never on where the first difference is (CRYPTO_memcmp). Use it for every comparison
// of a MAC, tag, token or hashed secret.
[[nodiscard]] bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace signiq::crypto
