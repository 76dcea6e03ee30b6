#pragma once

#include "api/KeyStore.h"
#include "api/RateLimiter.h"
#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace signiq::api {

// One request as the endpoints see it: no transport types (the HTTP front fills it).
struct ApiRequest {
    QString method;          // "GET", "PUT", ...
    QString path;            // "/v1/keys/k1/rotate"
    QStringList params;      // the {placeholders} of the matched route, in order
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType;  // trimmed, lower case
};

// One answer: status, content type, body, extra headers. JSON errors have the shape
// {"error": {"code": "...", "message": "..."}} (docs/api.md).
struct ApiResponse {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(int status, const QJsonObject &object);
    static ApiResponse error(int status, const QString &code, const QString &message);
    // Logged with the details; the client only learns that it was internal.
    static ApiResponse internal(const core::Error &error);
    bool isJson() const { return contentType == QByteArrayLiteral("application/json"); }
};

// Who is calling: the source address, the key (when one authenticated) and its rate state.
struct Caller {
    QString ip;
    std::optional<ApiKeyInfo> key;
    RatePolicy policy;
    RateDecision rate;
    QString actor() const { return key ? key->keyId : QStringLiteral("anonymous"); }
};

} // namespace signiq::api
