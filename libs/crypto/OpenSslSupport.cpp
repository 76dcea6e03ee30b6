#include "crypto/OpenSslSupport.h"

#include <openssl/err.h>

namespace signiq::crypto::detail {

QString openSslError(const QString &fallback)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return fallback;
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

core::Error openSslFailure(const QString &what)
{
    return core::makeError(core::ErrorCode::Internal, what + QStringLiteral(": ") + openSslError());
}

BioPtr memoryBio(const QByteArray &data)
{
    return BioPtr(BIO_new_mem_buf(data.constData(), int(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, static_cast<void *>(&data)); // BIO_get_mem_data
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

} // namespace signiq::crypto::detail
