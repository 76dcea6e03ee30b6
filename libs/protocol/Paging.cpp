#include "protocol/Paging.h"

#include "protocol/StrictJson.h"

#include <QJsonValue>

#include <algorithm>
#include <limits>

namespace signiq::protocol {

PageInfo PageInfo::of(qint64 total, qint64 offset, qint64 limit, qint64 returned)
{
    PageInfo info{total, offset, limit, std::nullopt};
    if (offset >= 0 && offset < total) {
        // A negative count is a caller's bug; it must not move the cursor backwards.
        const qint64 end = offset + std::clamp<qint64>(returned, 0, total - offset);
        if (end < total)
            info.nextOffset = end;
    }
    return info;
}

void PageInfo::writeTo(QJsonObject &object) const
{
    object.insert(QStringLiteral("total"), total);
    object.insert(QStringLiteral("offset"), offset);
    object.insert(QStringLiteral("limit"), limit);
    object.insert(QStringLiteral("next_offset"), nextOffset ? QJsonValue(*nextOffset) : QJsonValue(QJsonValue::Null));
}

core::Result<std::optional<qint64>> parseNextOffset(const QJsonObject &object)
{
    const QJsonValue v = object.value(QStringLiteral("next_offset"));
    if (v.isNull() || v.isUndefined())
        return std::optional<qint64>();
    const auto n = strictjson::wholeNumber(v, 0, std::numeric_limits<qint64>::max());
    if (!n)
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("next_offset: expected a whole number or null"));
    return n;
}

} // namespace signiq::protocol
