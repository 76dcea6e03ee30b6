#include "hub/ApiResponses.h"

#include "hub/HubLog.h"
#include "protocol/Time.h"

#include <QJsonDocument>

namespace signiq::hub::answers {

using core::ErrorCode;

http::Response json(const QJsonObject &object, int status)
{
    http::Response r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

http::Response badRequest(const QString &message, const QString &code)
{
    return http::Response::error(400, code, message);
}

http::Response fromError(const core::Error &error, const char *what)
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return http::Response::error(404, QStringLiteral("not_found"), error.message);
    case ErrorCode::InvalidArgument:
        return badRequest(error.message);
    default:
        qCWarning(lcHub) << what << error.toString();
        return http::Response::error(500, QStringLiteral("internal"), QStringLiteral("internal error"));
    }
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(protocol::isoTime(*ms)) : QJsonValue(QJsonValue::Null);
}

} // namespace signiq::hub::answers
