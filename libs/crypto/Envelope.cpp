#include "crypto/Envelope.h"

#include "crypto/Aead.h"
#include "crypto/Hash.h"
#include "crypto/Random.h"

#include <QBuffer>
#include <QIODevice>
#include <QtEndian>

#include <cstring>
#include <optional>

namespace signiq::crypto {

using core::ErrorCode;
using core::makeError;
using namespace envelope;

namespace {

constexpr QByteArrayView kKeyIdLabel("signiq envelope key id v1");
constexpr QByteArrayView kKdfInfo("signiq envelope v1 aes-256-gcm");

QByteArray chunkNonce(const QByteArray &base, quint64 index)
{
    QByteArray nonce = base;
    for (int i = 0; i < 8; ++i)
        nonce[4 + i] = char(quint8(nonce[4 + i]) ^ quint8(index >> (56 - 8 * i)));
    return nonce;
}

QByteArray chunkAad(const QByteArray &headerHash, quint64 index, bool last)
{
    QByteArray aad = headerHash;
    aad.resize(headerHash.size() + 9);
    qToBigEndian<quint64>(index, aad.data() + headerHash.size());
    aad[headerHash.size() + 8] = last ? 1 : 0;
    return aad;
}

core::Result<Aes256Gcm> envelopeCipher(QByteArrayView key, const QByteArray &nonce)
{
    auto derived = hkdfSha256(key, nonce, kKdfInfo, KeySize);
    if (!derived)
        return derived.error();
    auto cipher = Aes256Gcm::create(*derived);
    secureZero(*derived);
    return cipher;
}

// Reads exactly n bytes unless the device ends first.
QByteArray readUpTo(QIODevice &in, qint64 n)
{
    QByteArray out(n, Qt::Uninitialized);
    qint64 got = 0;
    while (got < n) {
        const qint64 r = in.read(out.data() + got, n - got);
        if (r <= 0) {
            if (r == 0 && !in.atEnd() && in.waitForReadyRead(30000))
                continue;
            break;
        }
        got += r;
    }
    out.truncate(got);
    return out;
}

QString hex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex());
}

} // namespace

QByteArray envelope::keyId(QByteArrayView key)
{
    return hmacSha256(key, kKeyIdLabel).left(KeyIdSize);
}

// ---------------------------------------------------------------------------------------------
// Writer

struct EnvelopeWriter::Impl {
    QIODevice *out = nullptr;
    std::optional<Aes256Gcm> cipher;
    EnvelopeHeader header;
    QByteArray headerHash;
    QByteArray pending; // plaintext not yet sealed (< chunkSize bytes)
    QByteArray buffer;  // sealed chunk
    quint64 index = 0;
    qint64 written = 0;
    bool finished = false;

    core::Status sealChunk(QByteArrayView plaintext, bool last)
    {
        buffer.resize(plaintext.size() + TagSize);
        const QByteArray nonce = chunkNonce(header.nonce, index);
        if (auto ok = cipher->sealTo(nonce, chunkAad(headerHash, index, last), plaintext, buffer.data()); !ok)
            return ok;
        if (out->write(buffer.constData(), buffer.size()) != buffer.size())
            return makeError(ErrorCode::Io, QStringLiteral("cannot write envelope data: %1").arg(out->errorString()));
        written += buffer.size();
        ++index;
        return {};
    }
};

EnvelopeWriter::EnvelopeWriter(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
EnvelopeWriter::EnvelopeWriter(EnvelopeWriter &&) noexcept = default;
EnvelopeWriter &EnvelopeWriter::operator=(EnvelopeWriter &&) noexcept = default;
EnvelopeWriter::~EnvelopeWriter()
{
    if (d)
        secureZero(d->pending);
}

core::Result<EnvelopeWriter> EnvelopeWriter::begin(QByteArrayView key, QIODevice &out, QByteArrayView aad, int chunkSize)
{
    if (key.size() != KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("envelope key must be %1 bytes, got %2").arg(KeySize).arg(key.size()));
    if (chunkSize < 1 || chunkSize > MaxChunkSize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("envelope chunk size %1 is outside 1..%2").arg(chunkSize).arg(MaxChunkSize));
    if (aad.size() > MaxAadSize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("envelope associated data is %1 bytes; at most %2").arg(aad.size()).arg(MaxAadSize));
    auto nonce = randomBytes(NonceSize);
    if (!nonce)
        return nonce.error();
    auto impl = std::make_unique<Impl>();
    impl->out = &out;
    EnvelopeHeader &h = impl->header;
    h.version = Version;
    h.keyId = keyId(key);
    h.nonce = *nonce;
    h.chunkSize = quint32(chunkSize);
    h.aad = aad.toByteArray();
    QByteArray raw(FixedHeaderSize, Qt::Uninitialized);
    std::memcpy(raw.data(), Magic.data(), 4);
    qToBigEndian<quint16>(Version, raw.data() + 4);
    std::memcpy(raw.data() + 6, h.keyId.constData(), KeyIdSize);
    std::memcpy(raw.data() + 14, h.nonce.constData(), NonceSize);
    qToBigEndian<quint32>(h.chunkSize, raw.data() + 26);
    qToBigEndian<quint32>(quint32(aad.size()), raw.data() + 30);
    raw.append(aad.data(), aad.size());
    h.raw = raw;
    impl->headerHash = sha256(raw);
    auto cipher = envelopeCipher(key, h.nonce);
    if (!cipher)
        return cipher.error();
    impl->cipher.emplace(std::move(*cipher));
    if (out.write(raw) != raw.size())
        return makeError(ErrorCode::Io, QStringLiteral("cannot write envelope header: %1").arg(out.errorString()));
    impl->written = raw.size();
    impl->pending.reserve(chunkSize);
    return EnvelopeWriter(std::move(impl));
}

core::Status EnvelopeWriter::write(QByteArrayView data)
{
    if (d->finished)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("envelope already finished"));
    const qsizetype chunk = qsizetype(d->header.chunkSize);
    // Fill the pending chunk first, then seal whole chunks straight from `data`.
    if (!d->pending.isEmpty()) {
        const qsizetype take = qMin(chunk - d->pending.size(), data.size());
        d->pending.append(data.first(take));
        data = data.sliced(take);
        if (d->pending.size() < chunk)
            return {};
        if (auto ok = d->sealChunk(d->pending, false); !ok)
            return ok;
        secureZero(d->pending);
        d->pending.reserve(chunk);
    }
    // Whole chunks are sealed as "not last": finish() always ends with a shorter (maybe empty)
    // last chunk, so pending never holds a full chunk.
    while (data.size() >= chunk) {
        if (auto ok = d->sealChunk(data.first(chunk), false); !ok)
            return ok;
        data = data.sliced(chunk);
    }
    d->pending.append(data);
    return {};
}

core::Status EnvelopeWriter::finish()
{
    if (d->finished)
        return {};
    if (auto ok = d->sealChunk(d->pending, true); !ok)
        return ok;
    secureZero(d->pending);
    d->finished = true;
    return {};
}

const EnvelopeHeader &EnvelopeWriter::header() const
{
    return d->header;
}

qint64 EnvelopeWriter::bytesWritten() const
{
    return d->written;
}

// ---------------------------------------------------------------------------------------------
// Reader

struct EnvelopeReader::Impl {
    QIODevice *in = nullptr;
    std::optional<Aes256Gcm> cipher;
    EnvelopeHeader header;
    QByteArray headerHash;
    quint64 index = 0;
    bool atEnd = false;
};

EnvelopeReader::EnvelopeReader(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
EnvelopeReader::EnvelopeReader(EnvelopeReader &&) noexcept = default;
EnvelopeReader &EnvelopeReader::operator=(EnvelopeReader &&) noexcept = default;
EnvelopeReader::~EnvelopeReader() = default;

core::Result<EnvelopeHeader> EnvelopeReader::peekHeader(QIODevice &in)
{
    const QByteArray fixed = readUpTo(in, FixedHeaderSize);
    if (fixed.size() >= 4 && QByteArrayView(fixed).first(4) != Magic)
        return makeError(ErrorCode::Corrupt, QStringLiteral("not a Signiq encrypted file (bad magic bytes)"));
    if (fixed.size() < FixedHeaderSize)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("truncated: the header needs %1 bytes, the file has %2").arg(FixedHeaderSize).arg(fixed.size()));
    EnvelopeHeader h;
    h.version = qFromBigEndian<quint16>(fixed.constData() + 4);
    if (h.version != Version)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("envelope version %1 is not supported (this build reads version %2)").arg(h.version).arg(Version));
    h.keyId = fixed.mid(6, KeyIdSize);
    h.nonce = fixed.mid(14, NonceSize);
    h.chunkSize = qFromBigEndian<quint32>(fixed.constData() + 26);
    const quint32 aadSize = qFromBigEndian<quint32>(fixed.constData() + 30);
    if (h.chunkSize < 1 || h.chunkSize > quint32(MaxChunkSize))
        return makeError(ErrorCode::Corrupt, QStringLiteral("corrupt header: chunk size %1 is outside 1..%2").arg(h.chunkSize).arg(MaxChunkSize));
    if (aadSize > quint32(MaxAadSize))
        return makeError(ErrorCode::Corrupt, QStringLiteral("corrupt header: associated data length %1 exceeds %2").arg(aadSize).arg(MaxAadSize));
    h.aad = readUpTo(in, aadSize);
    if (h.aad.size() != qsizetype(aadSize))
        return makeError(ErrorCode::Corrupt, QStringLiteral("truncated: the header's associated data is cut short"));
    h.raw = fixed + h.aad;
    return h;
}

core::Result<EnvelopeReader> EnvelopeReader::begin(QByteArrayView key, QIODevice &in)
{
    if (key.size() != KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("envelope key must be %1 bytes, got %2").arg(KeySize).arg(key.size()));
    auto header = peekHeader(in);
    if (!header)
        return header.error();
    const QByteArray expected = keyId(key);
    if (!constantTimeEquals(expected, header->keyId))
        return makeError(ErrorCode::WrongKey,
                         QStringLiteral("wrong key: the file was encrypted with key id %1, the given key has id %2")
                             .arg(hex(header->keyId), hex(expected)));
    auto cipher = envelopeCipher(key, header->nonce);
    if (!cipher)
        return cipher.error();
    auto impl = std::make_unique<Impl>();
    impl->in = &in;
    impl->header = std::move(*header);
    impl->headerHash = sha256(impl->header.raw);
    impl->cipher.emplace(std::move(*cipher));
    return EnvelopeReader(std::move(impl));
}

const EnvelopeHeader &EnvelopeReader::header() const
{
    return d->header;
}

bool EnvelopeReader::atEnd() const
{
    return d->atEnd;
}

core::Result<QByteArray> EnvelopeReader::readChunk()
{
    if (d->atEnd)
        return QByteArray();
    const qint64 full = qint64(d->header.chunkSize) + TagSize;
    QByteArray sealed = readUpTo(*d->in, full);
    if (sealed.isEmpty())
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("truncated: the data ends after chunk %1 without the final chunk").arg(d->index));
    if (sealed.size() < TagSize)
        return makeError(ErrorCode::Corrupt, QStringLiteral("truncated: chunk %1 is shorter than its tag").arg(d->index));
    const bool last = sealed.size() < full;
    const QByteArray nonce = chunkNonce(d->header.nonce, d->index);
    auto ok = d->cipher->openTo(nonce, chunkAad(d->headerHash, d->index, last), sealed, sealed.data());
    if (!ok)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("authentication failed at chunk %1: the file was truncated or modified (header, data or tag)")
                             .arg(d->index));
    sealed.truncate(sealed.size() - TagSize);
    ++d->index;
    if (last) {
        char extra = 0;
        if (d->in->read(&extra, 1) > 0)
            return makeError(ErrorCode::Corrupt, QStringLiteral("unexpected data after the final chunk"));
        d->atEnd = true;
    }
    return sealed;
}

// ---------------------------------------------------------------------------------------------
// One-shot helpers

core::Result<QByteArray> envelope::seal(QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad, int chunkSize)
{
    QByteArray out;
    out.reserve(FixedHeaderSize + aad.size() + plaintext.size() + (plaintext.size() / qMax(chunkSize, 1) + 1) * TagSize);
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    auto writer = EnvelopeWriter::begin(key, buffer, aad, chunkSize);
    if (!writer)
        return writer.error();
    if (auto ok = writer->write(plaintext); !ok)
        return ok.error();
    if (auto ok = writer->finish(); !ok)
        return ok.error();
    buffer.close();
    return out;
}

core::Result<QByteArray> envelope::open(QByteArrayView key, QByteArrayView sealed, QByteArray *aad)
{
    QByteArray view = QByteArray::fromRawData(sealed.data(), sealed.size()); // no copy; QBuffer only reads
    QBuffer buffer(&view);
    buffer.open(QIODevice::ReadOnly);
    auto reader = EnvelopeReader::begin(key, buffer);
    if (!reader)
        return reader.error();
    QByteArray plaintext;
    plaintext.reserve(qMax<qsizetype>(0, sealed.size() - reader->header().raw.size()));
    while (!reader->atEnd()) {
        auto chunk = reader->readChunk();
        if (!chunk) {
            secureZero(plaintext);
            return chunk.error();
        }
        plaintext.append(*chunk);
    }
    if (aad)
        *aad = reader->header().aad;
    return plaintext;
}

} // namespace signiq::crypto
