#pragma once

#include "core/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::protocol {

// Offset paging of the list endpoints (/v1/windows, /v1/demographics, and the hub's lists):
// {"<items>": [...], "total": n, "offset": o, "limit": l, "next_offset": o' | null}.
struct PageInfo {
    qint64 total = 0;
    qint64 offset = 0;
    qint64 limit = 0;
    std::optional<qint64> nextOffset; // null on the last page

    // The page of `returned` items at `offset`. `offset` may be anything up to 2^63 - 1: it is
    // never added to unless it lies inside the list.
    static PageInfo of(qint64 total, qint64 offset, qint64 limit, qint64 returned);
    // Adds total, offset, limit and next_offset to `object`.
    void writeTo(QJsonObject &object) const;
};

// What a client reads back: the items and where the next page starts.
template <typename Item>
struct Page {
    QList<Item> items;
    std::optional<qint64> nextOffset;
};

// "next_offset": a non-negative whole number or null. Errors name the field.
core::Result<std::optional<qint64>> parseNextOffset(const QJsonObject &object);

// Parses the array `key` with Item::fromJson; errors name the item ("windows[3]: ...").
template <typename Item>
core::Result<Page<Item>> parsePage(const QJsonObject &object, const QString &key)
{
    if (!object.value(key).isArray())
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("%1: missing or not an array").arg(key));
    Page<Item> page;
    const QJsonArray array = object.value(key).toArray();
    page.items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto item = Item::fromJson(array.at(i).toObject());
        if (!item)
            return core::makeError(core::ErrorCode::Parse, QStringLiteral("%1[%2]: %3").arg(key).arg(i).arg(item.error().message));
        page.items.append(std::move(item).value());
    }
    auto next = parseNextOffset(object);
    if (!next)
        return next.error();
    page.nextOffset = *next;
    return page;
}

} // namespace signiq::protocol
