#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace signiq::protocol {

// JSON as the API accepts it from outside. QJsonDocument keeps the last of two equal keys
// ({"scopes":["read"],"scopes":["admin"]} reads as admin), so a reviewer reading the body and the
// server acting on it could disagree: a key that appears twice in any object, spelled the same
// or with escapes ("sc\u006fpes"), is refused. Numbers are taken only when they are whole and
// inside the caller's range, compared before any conversion, so no input can overflow.
namespace strictjson {

// The body as one JSON object. Errors (Parse) name the offset or the repeated key's path
// ("scopes", "zones[2].name").
core::Result<QJsonObject> parseObject(const QByteArray &json);

// The first key repeated within one object of `json` (already known to be valid JSON), as a
// path, or nothing.
std::optional<QString> duplicateKey(const QByteArray &json);

// `value` as a whole number in [min, max]; nothing when it is not a number, not whole, or out of
// range (including values beyond what a double or a qint64 holds).
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 min, qint64 max);

} // namespace strictjson
} // namespace signiq::protocol
