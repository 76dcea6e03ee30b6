#include "api/ApiExchange.h"

#include "protocol/Errors.h"

#include "api/ApiLog.h"

#include <QJsonDocument>

namespace signiq::api {

ApiResponse ApiResponse::json(int status, const QJsonObject &object)
{
    return ApiResponse{status, QByteArrayLiteral("application/json"), QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
}

ApiResponse ApiResponse::error(int status, const QString &code, const QString &message)
{
    return json(status, protocol::ErrorBody{code, message}.toJson());
}

ApiResponse ApiResponse::internal(const core::Error &error)
{
    qCWarning(lcApi) << "internal error:" << error.toString();
    return ApiResponse::error(500, QStringLiteral("internal"), QStringLiteral("internal error; see the device log"));
}

} // namespace signiq::api
