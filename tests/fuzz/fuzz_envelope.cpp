// The crypto envelope (crypto::envelope::open, EnvelopeReader): a backup file or any sealed
// file handed to the device, opened with a fixed key.
//
// Input: [mode: 1 byte][...]
//   mode even  the rest is an envelope: open() it in one go, read it chunk by chunk with
//              EnvelopeReader, and peekHeader() it without a key
//   mode odd   [chunk size: 2 bytes][aad length: 1 byte][aad][plaintext]: seal with the fixed
//              key, then open — the valid path, with fuzzer-chosen chunk sizes and AAD
// Invariants: open() and the streaming reader agree (both fail, or both give the same
// plaintext and AAD); a sealed envelope opens to exactly what was sealed; one flipped byte
// makes it fail to open.
#include "FuzzSupport.h"

#include "crypto/Envelope.h"

#include <QBuffer>

using namespace signiq;
namespace envelope = crypto::envelope;

namespace {

const QByteArray kKey(envelope::KeySize, '\x42');

std::optional<QByteArray> readStreaming(const QByteArray &sealed, QByteArray &aad)
{
    QBuffer buffer;
    buffer.setData(sealed);
    buffer.open(QIODevice::ReadOnly);
    auto reader = crypto::EnvelopeReader::begin(kKey, buffer);
    if (!reader)
        return std::nullopt;
    aad = reader->header().aad;
    QByteArray plain;
    for (int guard = 0; !reader->atEnd(); ++guard) {
        auto chunk = reader->readChunk();
        if (!chunk)
            return std::nullopt;
        plain += *chunk;
        SIGNIQ_FUZZ_CHECK(guard <= sealed.size());
    }
    return plain;
}

void openUntrusted(const QByteArray &sealed)
{
    QByteArray aad;
    auto plain = envelope::open(kKey, sealed, &aad);
    QByteArray streamedAad;
    const auto streamed = readStreaming(sealed, streamedAad);
    SIGNIQ_FUZZ_CHECK(plain.ok() == streamed.has_value());
    if (plain) {
        SIGNIQ_FUZZ_CHECK(*plain == *streamed);
        SIGNIQ_FUZZ_CHECK(aad == streamedAad);
    } else {
        SIGNIQ_FUZZ_CHECK(!plain.error().message.isEmpty());
    }
    QBuffer buffer;
    buffer.setData(sealed);
    buffer.open(QIODevice::ReadOnly);
    if (auto header = crypto::EnvelopeReader::peekHeader(buffer)) {
        SIGNIQ_FUZZ_CHECK(header->keyId.size() == envelope::KeyIdSize);
        SIGNIQ_FUZZ_CHECK(header->nonce.size() == envelope::NonceSize);
        SIGNIQ_FUZZ_CHECK(header->aad.size() <= envelope::MaxAadSize);
        SIGNIQ_FUZZ_CHECK(header->chunkSize >= 1 && header->chunkSize <= quint32(envelope::MaxChunkSize));
    }
}

void sealAndOpen(fuzz::Input &in)
{
    const int chunkSize = 1 + int(in.below(4096));
    const QByteArray aad = in.take(in.below(256));
    const QByteArray plaintext = in.rest();
    auto sealed = envelope::seal(kKey, plaintext, aad, chunkSize);
    SIGNIQ_FUZZ_CHECK(sealed.ok());
    QByteArray openedAad;
    auto opened = envelope::open(kKey, *sealed, &openedAad);
    SIGNIQ_FUZZ_CHECK(opened.ok());
    SIGNIQ_FUZZ_CHECK(*opened == plaintext && openedAad == aad);
    QByteArray streamedAad;
    const auto streamed = readStreaming(*sealed, streamedAad);
    SIGNIQ_FUZZ_CHECK(streamed && *streamed == plaintext && streamedAad == aad);
    // Tampering anywhere is detected: flip one byte (position from the plaintext's size).
    QByteArray tampered = *sealed;
    const qsizetype at = qsizetype((quint64(plaintext.size()) * 2654435761u) % quint64(tampered.size()));
    tampered[at] = char(tampered[at] ^ 0x01);
    SIGNIQ_FUZZ_CHECK(!envelope::open(kKey, tampered).ok());
    // and so is a cut.
    SIGNIQ_FUZZ_CHECK(!envelope::open(kKey, QByteArrayView(*sealed).chopped(1)).ok());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    if (in.byte() & 1)
        sealAndOpen(in);
    else
        openUntrusted(in.rest());
    return 0;
}
