#pragma once

#include <QString>

#include <optional>

namespace signiq::protocol {

// ISO 8601 UTC with milliseconds ("2026-11-29T10:00:00.000Z"): every time on the wire.
QString isoTime(qint64 ms);
// ISO 8601 date-time (with zone or Z) or integer milliseconds since the epoch.
std::optional<qint64> parseTime(const QString &text);

} // namespace signiq::protocol
