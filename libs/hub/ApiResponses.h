#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QUuid>

#include <optional>

// The answers the hub's API controllers (HubApiServer, WebhookApi) build the same way.
namespace signiq::hub::answers {

http::Response json(const QJsonObject &object, int status = 200);
http::Response badRequest(const QString &message, const QString &code = QStringLiteral("bad_request"));
// A repository error as an answer: unknown ids (including another organisation's) are 404,
// bad input 400; anything else is logged (with `what`) and answered without details.
http::Response fromError(const core::Error &error, const char *what = "request failed:");
QString idText(const QUuid &id);
QJsonValue optionalTime(const std::optional<qint64> &ms);

} // namespace signiq::hub::answers
