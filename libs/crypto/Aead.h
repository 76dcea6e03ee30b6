#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace signiq::crypto {

// AES-256-GCM (OpenSSL EVP) with one key. The key schedule is set up once, so sealing many
// messages (or envelope chunks) with the same object is cheap. Not thread-safe: one object
// per thread. The key is wiped by OpenSSL when the object is destroyed.
//
// Never seal two messages under the same key and nonce: use crypto::Envelope, which derives
// a fresh key per envelope and a distinct nonce per chunk, unless you manage nonces yourself.
class Aes256Gcm {
public:
    static constexpr int KeySize = 32;
    static constexpr int NonceSize = 12;
    static constexpr int TagSize = 16;

    // InvalidArgument when the key is not 32 bytes.
    [[nodiscard]] static core::Result<Aes256Gcm> create(QByteArrayView key);

    Aes256Gcm(Aes256Gcm &&) noexcept;
    Aes256Gcm &operator=(Aes256Gcm &&) noexcept;
    ~Aes256Gcm();

    // ciphertext || 16-byte tag.
    [[nodiscard]] core::Result<QByteArray> seal(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext);
    // The plaintext; Corrupt when the tag does not match (wrong key, nonce, AAD or modified data).
    [[nodiscard]] core::Result<QByteArray> open(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertextAndTag);

    // The same without allocations: `out` must hold plaintext.size() + TagSize bytes (seal) or
    // ciphertextAndTag.size() - TagSize bytes (open). `out` may equal the input (in place).
    [[nodiscard]] core::Status sealTo(QByteArrayView nonce, QByteArrayView aad, QByteArrayView plaintext, char *out);
    [[nodiscard]] core::Status openTo(QByteArrayView nonce, QByteArrayView aad, QByteArrayView ciphertextAndTag, char *out);

private:
    struct Impl;
    explicit Aes256Gcm(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace signiq::crypto
