#include "api/RequestDecoding.h"

#include "protocol/StrictJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace signiq::api {

std::optional<ApiResponse> checkQuery(const QUrlQuery &query, const QSet<QString> &allowed)
{
    QSet<QString> seen;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        Q_UNUSED(value);
        if (!allowed.contains(key))
            return ApiResponse::error(400, QStringLiteral("bad_request"), QStringLiteral("unknown query parameter '%1'").arg(key));
        if (seen.contains(key))
            return ApiResponse::error(400, QStringLiteral("bad_request"), QStringLiteral("query parameter '%1' given twice").arg(key));
        seen.insert(key);
    }
    return std::nullopt;
}

std::optional<ApiResponse> parseJsonBody(const ApiRequest &request, bool allowEmpty, QJsonObject &out)
{
    out = {};
    if (request.body.isEmpty() && allowEmpty)
        return std::nullopt;
    const QByteArray &type = request.contentType;
    if (!(type == "application/json" || type.startsWith("application/json;")))
        return ApiResponse::error(415, QStringLiteral("unsupported_media_type"),
                                  QStringLiteral("the body must be JSON (Content-Type: application/json)"));
    // Strict: a key twice in one object is refused (QJsonDocument alone would keep the last).
    auto parsed = protocol::strictjson::parseObject(request.body);
    if (!parsed)
        return ApiResponse::error(400, QStringLiteral("malformed_json"), parsed.error().message);
    out = std::move(parsed).value();
    return std::nullopt;
}

std::optional<ApiResponse> checkFields(const QJsonObject &object, const QSet<QString> &allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            return ApiResponse::error(400, QStringLiteral("unknown_field"), QStringLiteral("%1: unknown field").arg(it.key()));
    }
    return std::nullopt;
}

std::optional<ApiResponse> parseTimeRange(const QUrlQuery &query, qint64 &from, qint64 &to)
{
    from = 0;
    to = kUnboundedTime;
    for (auto [name, target] : {std::pair{QStringLiteral("from"), &from}, std::pair{QStringLiteral("to"), &to}}) {
        if (!query.hasQueryItem(name))
            continue;
        const auto t = parseTime(query.queryItemValue(name, QUrl::FullyDecoded));
        if (!t)
            return ApiResponse::error(400, QStringLiteral("bad_request"),
                                      QStringLiteral("%1: expected an ISO 8601 time with zone (2026-11-29T10:00:00Z) or ms since the epoch")
                                          .arg(name));
        *target = *t;
    }
    if (from > to)
        return ApiResponse::error(400, QStringLiteral("bad_request"), QStringLiteral("from must not be after to"));
    return std::nullopt;
}

std::optional<ApiResponse> parseLimit(const QUrlQuery &query, int fallback, int max, int &limit)
{
    limit = fallback;
    if (!query.hasQueryItem(QStringLiteral("limit")))
        return std::nullopt;
    bool ok = false;
    limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1 || limit > max)
        return ApiResponse::error(400, QStringLiteral("bad_pagination"), QStringLiteral("limit must be 1..%1").arg(max));
    return std::nullopt;
}

std::optional<ApiResponse> parseCursor(const QUrlQuery &query, const QString &name, const QString &what, qint64 &value)
{
    value = 0;
    if (!query.hasQueryItem(name))
        return std::nullopt;
    bool ok = false;
    value = query.queryItemValue(name).toLongLong(&ok);
    if (!ok || value < 0)
        return ApiResponse::error(400, QStringLiteral("bad_pagination"), QStringLiteral("%1 must be %2 >= 0").arg(name, what));
    return std::nullopt;
}

} // namespace signiq::api
