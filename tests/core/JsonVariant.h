#pragma once

#include <QByteArray>

namespace signiq::test {

// `json` with the first occurrence of `from` replaced by `to`: one change per bad-input case.
inline QByteArray replacedOnce(QByteArray json, const QByteArray &from, const QByteArray &to)
{
    const qsizetype at = json.indexOf(from);
    Q_ASSERT(at >= 0);
    return json.replace(at, from.size(), to);
}

} // namespace signiq::test
