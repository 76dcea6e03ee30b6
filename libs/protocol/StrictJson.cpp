#include "protocol/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSet>

#include <cmath>

namespace signiq::protocol::strictjson {

namespace {

struct Frame {
    bool isObject = false;
    bool expectKey = false;
    qsizetype index = 0; // arrays: the element being read
    QString key;         // objects: the member being read
    QSet<QString> keys;
};

QString pathOf(const QList<Frame> &stack, const QString &last)
{
    QString path;
    for (qsizetype i = 0; i + 1 < stack.size(); ++i) {
        const Frame &f = stack.at(i);
        if (f.isObject)
            path += (path.isEmpty() ? QString() : QStringLiteral(".")) + f.key;
        else
            path += QStringLiteral("[%1]").arg(f.index);
    }
    return path.isEmpty() ? last : path + QLatin1Char('.') + last;
}

// The string starting at json[i] == '"', decoded; i ends on its closing quote.
QString readString(const QByteArray &json, qsizetype &i)
{
    const qsizetype start = i;
    bool escaped = false;
    ++i;
    while (i < json.size() && json.at(i) != '"') {
        if (json.at(i) == '\\') {
            escaped = true;
            ++i;
        }
        ++i;
    }
    const QByteArray raw = json.mid(start, i - start + 1);
    if (!escaped)
        return QString::fromUtf8(raw.mid(1, raw.size() - 2));
    // Escapes (\uXXXX, surrogate pairs) decoded exactly as the real parse decodes them.
    return QJsonDocument::fromJson("[" + raw + "]").array().at(0).toString();
}

} // namespace

std::optional<QString> duplicateKey(const QByteArray &json)
{
    QList<Frame> stack;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        switch (c) {
        case '{':
            stack.append(Frame{true, true, 0, {}, {}});
            break;
        case '[':
            stack.append(Frame{false, false, 0, {}, {}});
            break;
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            break;
        case ',':
            if (!stack.isEmpty()) {
                if (stack.last().isObject)
                    stack.last().expectKey = true;
                else
                    ++stack.last().index;
            }
            break;
        case '"': {
            const QString s = readString(json, i);
            if (!stack.isEmpty() && stack.last().isObject && stack.last().expectKey) {
                Frame &f = stack.last();
                f.expectKey = false;
                if (f.keys.contains(s))
                    return pathOf(stack, s);
                f.keys.insert(s);
                f.key = s;
            }
            break;
        }
        default:
            break;
        }
    }
    return std::nullopt;
}

core::Result<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return core::makeError(core::ErrorCode::Parse,
                               QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("the body must be a JSON object"));
    if (const auto dup = duplicateKey(json))
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("%1: the key appears twice").arg(*dup));
    return doc.object();
}

std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    // A whole number that a qint64 holds (QJsonDocument keeps parsed integers, and inserted
    // qint64 values, exactly) is compared as it is: going through double would round anything
    // above 2^53 ("next_offset": 9223372016854776807 read back as ...7856). toInteger() returns
    // its default when the value is not such a number; two defaults tell that case apart.
    if (const qint64 exact = value.toInteger(0); exact == value.toInteger(1)) {
        if (exact < min || exact > max)
            return std::nullopt;
        return exact;
    }
    const double d = value.toDouble();
    // Compared as doubles first: a qint64 conversion of an out-of-range double is undefined.
    if (!std::isfinite(d) || d != std::floor(d) || d < double(min) || d > double(max))
        return std::nullopt;
    // double(max) may round up to 2^63, which no qint64 holds: refuse it before converting.
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return std::nullopt;
    const auto n = static_cast<qint64>(d);
    if (n < min || n > max)
        return std::nullopt;
    return n;
}

} // namespace signiq::protocol::strictjson
