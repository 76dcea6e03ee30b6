#include "hub/KeyFile.h"

#include "crypto/Envelope.h"
#include "crypto/Random.h"
#include "crypto/SecureFile.h"

#include <QRegularExpression>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

core::Result<QByteArray> loadKeyFile(const QString &path, const QString &what, const QString &option)
{
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no %1 key file given (%2)").arg(what, option));
    auto bytes = crypto::securefile::readSecret(path, 4096);
    if (!bytes) {
        if (bytes.error().code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("%1 key file %2 does not exist (create one with: "
                                            "(umask 077; openssl rand -hex 32 > %2))")
                                 .arg(what, path));
        return makeError(bytes.error().code, QStringLiteral("%1 key file: %2").arg(what, bytes.error().message));
    }
    QByteArray key;
    const QByteArray trimmed = bytes->trimmed();
    static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    if (bytes->size() == crypto::envelope::KeySize)
        key = *bytes;
    else if (trimmed.size() == 64 && hex.match(QString::fromLatin1(trimmed)).hasMatch())
        key = QByteArray::fromHex(trimmed);
    crypto::secureZero(*bytes);
    if (key.size() != crypto::envelope::KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 key file %2 must hold 64 hex characters or 32 raw bytes").arg(what, path));
    return key;
}

} // namespace signiq::hub
