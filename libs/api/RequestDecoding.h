#pragma once

#include "api/ApiExchange.h"

#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QUrlQuery>

#include <limits>
#include <optional>

namespace signiq::api {

// The request decoding every endpoint shares: each helper returns the error answer to send,
// or nothing and fills its output.

// Only `allowed` query parameters, each at most once (400 bad_request).
std::optional<ApiResponse> checkQuery(const QUrlQuery &query, const QSet<QString> &allowed);

// A JSON object body (415 when not JSON, 400 malformed_json). An empty body is an empty
// object when `allowEmpty`.
std::optional<ApiResponse> parseJsonBody(const ApiRequest &request, bool allowEmpty, QJsonObject &out);

// Only `allowed` fields in a body object (400 unknown_field).
std::optional<ApiResponse> checkFields(const QJsonObject &object, const QSet<QString> &allowed);

inline constexpr qint64 kUnboundedTime = std::numeric_limits<qint64>::max();

// The decoders below write their outputs only with a value they accept: on a refusal the
// outputs hold the defaults, never the refused value.

// ?from=&to= (ISO 8601 with zone, or ms since the epoch); defaults 0 and kUnboundedTime;
// from after to is refused.
std::optional<ApiResponse> parseTimeRange(const QUrlQuery &query, qint64 &from, qint64 &to);

// ?limit= as 1..max (400 bad_pagination), default `fallback`.
std::optional<ApiResponse> parseLimit(const QUrlQuery &query, int fallback, int max, int &limit);

// ?<name>= as a whole number 0..max (400 bad_pagination with `what` in the message).
std::optional<ApiResponse> parseCursor(const QUrlQuery &query, const QString &name, const QString &what, qint64 &value);

} // namespace signiq::api
