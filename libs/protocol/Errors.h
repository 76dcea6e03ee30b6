#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace signiq::protocol {

// Every API error body: {"error": {"code": "not_found", "message": "no key k9"}} (docs/api.md).
struct ErrorBody {
    QString code;
    QString message;

    QJsonObject toJson() const;
    // The error of an answer's body, or nothing when the body is not an error object.
    static std::optional<ErrorBody> fromBody(const QByteArray &body);
    bool operator==(const ErrorBody &) const = default;
};

} // namespace signiq::protocol
