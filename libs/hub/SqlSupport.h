#pragma once

#include "core/Result.h"

#include <QSqlError>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <QVariant>

#include <optional>

namespace signiq::hub {

// Parameters: an invalid QVariant() binds NULL; a QString always binds a string, even a null
// QString (Transaction::exec binds it as ''), so NULL is never an accident.
// An id as bound to a query ("8f1c...", no braces); a null QUuid binds NULL.
QVariant uuidParam(const QUuid &id);
QVariant optionalUuidParam(const std::optional<QUuid> &id);
QVariant optionalMsParam(const std::optional<qint64> &ms);
// PostgreSQL array literals, bound as one parameter and cast in SQL (CAST(? AS text[]),
// CAST(? AS bigint[]), CAST(? AS double precision[])) so that a batch of rows is one statement
// of unnest(...): {"a","b \"c\""}, {1,2}. A non-finite double becomes NULL (as in JSON).
QString textArrayParam(const QStringList &values);
QString integerArrayParam(const QList<qint64> &values);
QString doubleArrayParam(const QList<double> &values);
// A uuid column (read as text or QUuid).
QUuid uuidValue(const QVariant &value);
std::optional<QUuid> optionalUuidValue(const QVariant &value);
std::optional<qint64> optionalMsValue(const QVariant &value);

// A user-supplied id: InvalidArgument naming `what` when it is not a UUID.
[[nodiscard]] core::Result<QUuid> parseId(const QString &text, const QString &what);

// SQL expressions for times: columns are timestamptz, the C++ side uses ms since the epoch.
// msToSql("?") -> "to_timestamp(CAST(? AS bigint) / 1000.0)"; sqlToMs("start_at") -> bigint ms.
QString msToSql(const QString &placeholder = QStringLiteral("?"));
QString sqlToMs(const QString &column);

// A PostgreSQL error as a value: the code follows the SQLSTATE (42501 -> PermissionDenied,
// 23xxx/22xxx -> InvalidArgument, 08xxx -> Io, ...), the message says `what` failed and why.
core::Error sqlError(const QString &what, const QSqlError &error);
// The SQLSTATE of an error ("42501"), empty when unknown.
QString sqlState(const QSqlError &error);

} // namespace signiq::hub
