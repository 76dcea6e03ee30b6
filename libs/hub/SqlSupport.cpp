#include "hub/SqlSupport.h"

#include <QLocale>

#include <cmath>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

QVariant uuidParam(const QUuid &id)
{
    if (id.isNull())
        return QVariant(); // NULL (see Transaction::exec)
    return id.toString(QUuid::WithoutBraces);
}

QVariant optionalUuidParam(const std::optional<QUuid> &id)
{
    return id ? uuidParam(*id) : QVariant();
}

QVariant optionalMsParam(const std::optional<qint64> &ms)
{
    return ms ? QVariant(*ms) : QVariant();
}

QString textArrayParam(const QStringList &values)
{
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        // Every element quoted (so NULL, empty, braces, commas and spaces stay text); inside
        // the quotes only " and \ need a backslash.
        out += QLatin1Char('"');
        for (const QChar c : values[i]) {
            if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
                out += QLatin1Char('\\');
            out += c;
        }
        out += QLatin1Char('"');
    }
    out += QLatin1Char('}');
    return out;
}

QString integerArrayParam(const QList<qint64> &values)
{
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        out += QString::number(values[i]);
    }
    out += QLatin1Char('}');
    return out;
}

QString doubleArrayParam(const QList<double> &values)
{
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        out += std::isfinite(values[i]) ? QString::number(values[i], 'g', QLocale::FloatingPointShortest) : QStringLiteral("NULL");
    }
    out += QLatin1Char('}');
    return out;
}

QUuid uuidValue(const QVariant &value)
{
    if (value.metaType() == QMetaType::fromType<QUuid>())
        return value.toUuid();
    return QUuid::fromString(value.toString());
}

std::optional<QUuid> optionalUuidValue(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return uuidValue(value);
}

std::optional<qint64> optionalMsValue(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

core::Result<QUuid> parseId(const QString &text, const QString &what)
{
    const QUuid id = QUuid::fromString(text.trimmed());
    if (id.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 '%2' is not a UUID").arg(what, text.left(80)));
    return id;
}

QString msToSql(const QString &placeholder)
{
    return QStringLiteral("to_timestamp(CAST(%1 AS bigint) / 1000.0)").arg(placeholder);
}

QString sqlToMs(const QString &column)
{
    return QStringLiteral("CAST(round(extract(epoch FROM %1) * 1000) AS bigint)").arg(column);
}

QString sqlState(const QSqlError &error)
{
    return error.nativeErrorCode();
}

core::Error sqlError(const QString &what, const QSqlError &error)
{
    const QString state = sqlState(error);
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.text().trimmed();
    ErrorCode code = ErrorCode::Internal;
    if (state == QLatin1String("42501"))
        code = ErrorCode::PermissionDenied;
    else if (state.startsWith(QLatin1String("23")) || state.startsWith(QLatin1String("22")))
        code = ErrorCode::InvalidArgument;
    else if (state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57")))
        code = ErrorCode::Io;
    else if (state == QLatin1String("28P01") || state == QLatin1String("28000"))
        code = ErrorCode::PermissionDenied;
    else if (state.isEmpty() && error.type() == QSqlError::ConnectionError)
        code = ErrorCode::Io;
    return makeError(code, QStringLiteral("%1: %2%3").arg(what, detail, state.isEmpty() ? QString() : QStringLiteral(" (SQLSTATE %1)").arg(state)));
}

} // namespace signiq::hub
