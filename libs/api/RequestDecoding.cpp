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
    qint64 givenFrom = 0, givenTo = kUnboundedTime;
    for (auto [name, target] : {std::pair{QStringLiteral("from"), &givenFrom}, std::pair{QStringLiteral("to"), &givenTo}}) {
        if (!query.hasQueryItem(name))
            continue;
        const auto t = parseTime(query.queryItemValue(name, QUrl::FullyDecoded));
        if (!t)
            return ApiResponse::error(400, QStringLiteral("bad_request"),
                                      QStringLiteral("%1: expected an ISO 8601 time with zone (2026-11-29T10:00:00Z) or ms since the epoch")
                                          .arg(name));
        *target = *t;
    }
    if (givenFrom > givenTo)
        return ApiResponse::error(400, QStringLiteral("bad_request"), QStringLiteral("from must not be after to"));
    from = givenFrom;
    to = givenTo;
    return std::nullopt;
}

std::optional<ApiResponse> parseLimit(const QUrlQuery &query, int fallback, int max, int &limit)
{
    limit = fallback;
    if (!query.hasQueryItem(QStringLiteral("limit")))
        return std::nullopt;
    bool ok = false;
    const int given = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || given < 1 || given > max)
        return ApiResponse::error(400, QStringLiteral("bad_pagination"), QStringLiteral("limit must be 1..%1").arg(max));
    limit = given; // a refused value never reaches the caller
    return std::nullopt;
}

std::optional<ApiResponse> parseCursor(const QUrlQuery &query, const QString &name, const QString &what, qint64 &value)
{
    value = 0;
    if (!query.hasQueryItem(name))
        return std::nullopt;
    bool ok = false;
    const qint64 given = query.queryItemValue(name).toLongLong(&ok);
    if (!ok || given < 0)
        return ApiResponse::error(400, QStringLiteral("bad_pagination"), QStringLiteral("%1 must be %2 >= 0").arg(name, what));
    value = given;
    return std::nullopt;
}

} // namespace signiq::api
