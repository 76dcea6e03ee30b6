#include "core/Result.h"

namespace signiq::core {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QStringLiteral("invalid-argument");
    case ErrorCode::NotFound: return QStringLiteral("not-found");
    case ErrorCode::PermissionDenied: return QStringLiteral("permission-denied");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::Parse: return QStringLiteral("parse");
    case ErrorCode::Corrupt: return QStringLiteral("corrupt");
    case ErrorCode::WrongKey: return QStringLiteral("wrong-key");
    case ErrorCode::Unsupported: return QStringLiteral("unsupported");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("unknown");
}

QString Error::toString() const
{
    return errorCodeName(code) + QStringLiteral(": ") + message;
}

} // namespace signiq::core
