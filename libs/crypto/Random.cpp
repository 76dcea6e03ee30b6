#include "crypto/Random.h"

#include "crypto/CryptoLog.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

namespace signiq::crypto {

core::Result<QByteArray> randomBytes(int n)
{
    if (n < 0)
        return core::makeError(core::ErrorCode::InvalidArgument,
                               QStringLiteral("randomBytes: negative length %1").arg(n));
    QByteArray bytes(n, Qt::Uninitialized);
    if (n == 0)
        return bytes;
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), n) != 1) {
        const unsigned long code = ERR_get_error();
        char reason[256] = {};
        ERR_error_string_n(code, reason, sizeof reason);
        secureZero(bytes);
        return core::makeError(core::ErrorCode::Internal,
                               QStringLiteral("OpenSSL RAND_bytes failed: %1").arg(QString::fromLatin1(reason)));
    }
    return bytes;
}

void secureZero(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

} // namespace signiq::crypto
