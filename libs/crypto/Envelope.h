#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

class QIODevice;

namespace signiq::crypto {

// The Signiq envelope, version 1: AES-256-GCM in authenticated chunks, so files of any size are
// sealed and opened in constant memory. Byte layout (all integers big-endian), see
// docs/security.md:
//
//   off  len  field
//    0    4   magic "SQEV"
//    4    2   version (1)
//    6    8   key id: HMAC-SHA256(key, "signiq envelope key id v1")[0..8)
//   14   12   nonce: random per envelope
//   26    4   chunk size C (plaintext bytes per chunk, 1 .. 16 MiB)
//   30    4   AAD length n (0 .. 64 KiB)
//   34    n   AAD: caller's associated data, authenticated but not encrypted
//   34+n      chunks: AES-256-GCM(ciphertext || 16-byte tag); every chunk but the last has
//             exactly C plaintext bytes, the last has 0 .. C-1 (an empty last chunk when the
//             plaintext is a multiple of C)
//
// Per envelope key  K_e = HKDF-SHA256(ikm = key, salt = nonce, info = "signiq envelope v1 aes-256-gcm")
// Chunk i nonce     = nonce XOR (0^4 || uint64(i))
// Chunk i AAD       = SHA-256(header bytes 0 .. 34+n) || uint64(i) || uint8(last ? 1 : 0)
//
// So every header field is authenticated by every chunk, chunks cannot be reordered or dropped,
// and a file cut at a chunk boundary is detected (no chunk marked "last").
struct EnvelopeHeader {
    quint16 version = 0;
    QByteArray keyId;  // 8 bytes
    QByteArray nonce;  // 12 bytes
    quint32 chunkSize = 0;
    QByteArray aad;
    QByteArray raw;    // the header bytes as read or written
};

namespace envelope {
inline constexpr QByteArrayView Magic("SQEV");
inline constexpr quint16 Version = 1;
inline constexpr int KeySize = 32;
inline constexpr int KeyIdSize = 8;
inline constexpr int NonceSize = 12;
inline constexpr int TagSize = 16;
inline constexpr int FixedHeaderSize = 34;
inline constexpr int DefaultChunkSize = 64 * 1024;
inline constexpr int MaxChunkSize = 16 * 1024 * 1024;
inline constexpr int MaxAadSize = 64 * 1024;

// The 8-byte key id of `key` (does not reveal the key).
[[nodiscard]] QByteArray keyId(QByteArrayView key);

// One-shot helpers over in-memory data.
[[nodiscard]] core::Result<QByteArray> seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad = {},
                                            int chunkSize = DefaultChunkSize);
// The plaintext; `aad` (optional) receives the authenticated associated data.
[[nodiscard]] core::Result<QByteArray> open(QByteArrayView key, QByteArrayView sealed, QByteArray *aad = nullptr);
} // namespace envelope

// Writes an envelope to a QIODevice: begin() writes the header, write() any amount of data,
// finish() the last chunk. Without finish() the envelope is incomplete and will not open.
class EnvelopeWriter {
public:
    // InvalidArgument: key size, chunk size or AAD size out of range. Io: the header could not be written.
    [[nodiscard]] static core::Result<EnvelopeWriter> begin(QByteArrayView key, QIODevice &out, QByteArrayView aad = {},
                                                            int chunkSize = envelope::DefaultChunkSize);
    EnvelopeWriter(EnvelopeWriter &&) noexcept;
    EnvelopeWriter &operator=(EnvelopeWriter &&) noexcept;
    ~EnvelopeWriter();

    [[nodiscard]] core::Status write(QByteArrayView data);
    [[nodiscard]] core::Status finish();
    const EnvelopeHeader &header() const;
    qint64 bytesWritten() const; // envelope bytes written to the device so far

private:
    struct Impl;
    explicit EnvelopeWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

// Reads an envelope from a QIODevice chunk by chunk. Every chunk is authenticated before it is
// returned, but a truncation is only detected at the end: treat the plaintext as untrusted
// until readChunk() has reported atEnd() (restore writes to a temporary file and only moves it
// into place after that).
//
// Errors (each with a message saying what is wrong):
//   Corrupt      not an envelope (magic), truncated header or data, out-of-range header fields,
//                authentication failure (tampered header, data or tag), trailing bytes
//   Unsupported  a version other than 1
//   WrongKey     the key id in the header is not the given key's
class EnvelopeReader {
public:
    [[nodiscard]] static core::Result<EnvelopeReader> begin(QByteArrayView key, QIODevice &in);
    // Parses the header without a key (to show key id and AAD); nothing is authenticated.
    [[nodiscard]] static core::Result<EnvelopeHeader> peekHeader(QIODevice &in);

    EnvelopeReader(EnvelopeReader &&) noexcept;
    EnvelopeReader &operator=(EnvelopeReader &&) noexcept;
    ~EnvelopeReader();

    const EnvelopeHeader &header() const;
    // The next chunk's plaintext (may be empty for the last chunk).
    [[nodiscard]] core::Result<QByteArray> readChunk();
    // True once the last chunk has been authenticated and nothing follows it.
    bool atEnd() const;

private:
    struct Impl;
    explicit EnvelopeReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace signiq::crypto
