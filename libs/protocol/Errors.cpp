#include "protocol/Errors.h"

#include <QJsonDocument>

namespace signiq::protocol {

QJsonObject ErrorBody::toJson() const
{
    return QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}};
}

std::optional<ErrorBody> ErrorBody::fromBody(const QByteArray &body)
{
    const QJsonValue error = QJsonDocument::fromJson(body).object().value(QStringLiteral("error"));
    if (!error.isObject())
        return std::nullopt;
    const QJsonObject o = error.toObject();
    if (!o.value(QStringLiteral("code")).isString() && !o.value(QStringLiteral("message")).isString())
        return std::nullopt;
    return ErrorBody{o.value(QStringLiteral("code")).toString(), o.value(QStringLiteral("message")).toString()};
}

} // namespace signiq::protocol
