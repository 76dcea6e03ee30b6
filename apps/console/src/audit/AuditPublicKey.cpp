#include "audit/AuditPublicKey.h"

#include "crypto/Signature.h"
#include "protocol/AuditHead.h"

#include <QFile>
#include <QFileInfo>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

core::Result<QByteArray> parseAuditPublicKey(const QString &text)
{
    const QString hex = text.trimmed();
    constexpr qsizetype HexLength = 2 * crypto::Ed25519PublicKeySize;
    if (hex.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no audit public key given"));
    for (qsizetype i = 0; i < hex.size(); ++i) {
        const QChar c = hex.at(i);
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("an audit public key is written in hex digits (0-9, a-f); character %1 is '%2'")
                                 .arg(i + 1)
                                 .arg(c));
    }
    if (hex.size() != HexLength)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("an audit public key has %1 hex characters (32 bytes), this one has %2")
                             .arg(HexLength)
                             .arg(hex.size()));
    const QByteArray key = QByteArray::fromHex(hex.toLatin1());
    if (const core::Status usable = crypto::ed25519CheckPublicKey(key); !usable)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("these 64 hex characters are %1").arg(usable.error().message));
    return key;
}

core::Result<QByteArray> readAuditPublicKeyFile(const QString &path)
{
    constexpr qint64 MaxSize = 4096;
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (info.size() > MaxSize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: larger than 4 KiB, not an audit public key file (signiq-edge audit public-key --out)")
                             .arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(file.error() == QFileDevice::PermissionsError ? ErrorCode::PermissionDenied : ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(path, file.errorString()));
    const QByteArray content = file.read(MaxSize);
    auto key = parseAuditPublicKey(QString::fromLatin1(content));
    if (!key)
        return makeError(key.error().code, QStringLiteral("%1: %2").arg(path, key.error().message));
    return key;
}

QString auditKeyId(const QByteArray &publicKey)
{
    return publicKey.isEmpty() ? QString() : protocol::AuditHead::keyIdOf(publicKey);
}

} // namespace signiq::console
