#include "storage/KeyFile.h"

#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "storage/StorageLog.h"

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

constexpr qint64 kMaxKeyFileSize = 4096; // anything larger is certainly not a key file

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

core::Result<QByteArray> parseKey(const QString &path, QByteArray &content)
{
    if (content.size() == KeyFile::KeySize)
        return QByteArray(content.constData(), content.size()); // raw binary key
    qsizetype length = content.size();
    while (length > 0 && isSpace(content.at(length - 1)))
        --length;
    if (length == 0)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("key file %1 is empty; expected 64 hex characters or exactly 32 raw bytes").arg(path));
    if (length != 2 * KeyFile::KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("key file %1 has %2 bytes (%3 characters without trailing whitespace); "
                                        "expected 64 hex characters or exactly 32 raw bytes")
                             .arg(path).arg(content.size()).arg(length));
    for (qsizetype i = 0; i < length; ++i) {
        if (!isHexDigit(content.at(i)))
            return makeError(ErrorCode::Parse,
                             QStringLiteral("key file %1: the character at offset %2 is not a hex digit; "
                                            "expected 64 hex characters (0-9, a-f)")
                                 .arg(path).arg(i));
    }
    QByteArray hex(content.constData(), length);
    QByteArray key = QByteArray::fromHex(hex);
    crypto::secureZero(hex);
    return key;
}

} // namespace

core::Result<QByteArray> KeyFile::load(const QString &path)
{
    // The file checks (regular file, mode checked on the open descriptor, size) are the ones
    // every secret gets (crypto::securefile); a key file adds its own hints.
    auto content = crypto::securefile::readSecret(path, kMaxKeyFileSize);
    if (!content) {
        const core::Error &e = content.error();
        if (e.code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("key file %1 does not exist; create one with: signiq-edge --init-key %1").arg(path));
        if (e.code == ErrorCode::InvalidArgument && e.message.contains(QLatin1String("bytes")))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("key file %1: %2; expected 64 hex characters or exactly 32 raw bytes").arg(path, e.message));
        return makeError(e.code, QStringLiteral("key file: ") + e.message);
    }
    auto key = parseKey(path, *content);
    crypto::secureZero(*content);
    return key;
}

core::Status KeyFile::generate(const QString &path)
{
    auto key = crypto::randomBytes(KeySize);
    if (!key)
        return makeError(ErrorCode::Io, QStringLiteral("cannot create key file %1: %2").arg(path, key.error().message));
    QByteArray text = key->toHex();
    crypto::secureZero(*key);
    text.append('\n');
    // Crash-safe, mode 0600 regardless of umask, and never over an existing file: a database
    // encrypted with that key could never be opened again.
    auto written = crypto::securefile::writeSecret(path, text, crypto::securefile::Replace::Never);
    crypto::secureZero(text);
    if (!written) {
        const core::Error &e = written.error();
        if (e.code == ErrorCode::InvalidArgument)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("key file %1 already exists; refusing to overwrite it "
                                            "(a database encrypted with it could never be opened again)")
                                 .arg(path));
        return makeError(e.code, QStringLiteral("cannot create key file %1: %2").arg(path, e.message));
    }
    qCInfo(lcStorage) << "created key file" << path;
    return {};
}

} // namespace signiq::storage
