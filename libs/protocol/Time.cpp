#include "protocol/Time.h"

#include <QDateTime>

namespace signiq::protocol {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTime(const QString &text)
{
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber)
        return ms;
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (t.isValid() && t.timeSpec() != Qt::LocalTime)
        return t.toMSecsSinceEpoch();
    const QDateTime t2 = QDateTime::fromString(text, Qt::ISODate);
    if (t2.isValid() && t2.timeSpec() != Qt::LocalTime)
        return t2.toMSecsSinceEpoch();
    return std::nullopt;
}

} // namespace signiq::protocol
