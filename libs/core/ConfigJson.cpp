#include "core/ConfigJson.h"

#include <algorithm>
#include <cmath>

namespace signiq::core::configjson {

Error invalid(const QString &path, const QString &what)
{
    return makeError(ErrorCode::InvalidArgument, path + QStringLiteral(": ") + what);
}

QString child(const QString &path, QLatin1StringView key)
{
    return path.isEmpty() ? QString(key) : path + QLatin1Char('.') + key;
}

QString child(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString indexed(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

std::optional<Error> checkKeys(const QJsonObject &object, std::initializer_list<QLatin1StringView> allowed,
                               const QString &path)
{
    // QJsonObject iterates in sorted key order, so the first unknown key reported is stable.
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const bool known = std::any_of(allowed.begin(), allowed.end(),
                                       [&](QLatin1StringView k) { return key == k; });
        if (!known)
            return invalid(child(path, key), QStringLiteral("unknown key"));
    }
    return std::nullopt;
}

Result<QString> readName(const QJsonObject &object, const QString &path)
{
    const QString namePath = child(path, kName);
    if (!object.contains(kName))
        return invalid(namePath, QStringLiteral("missing"));
    const QJsonValue value = object.value(kName);
    if (!value.isString())
        return invalid(namePath, QStringLiteral("must be a string"));
    return value.toString();
}

Result<QPointF> readPoint(const QJsonValue &value, const QString &path)
{
    if (!value.isArray() || value.toArray().size() != 2)
        return invalid(path, QStringLiteral("must be a point [x, y]"));
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < 2; ++i) {
        if (!array.at(i).isDouble())
            return invalid(indexed(path, i), QStringLiteral("must be a number"));
    }
    return QPointF(array.at(0).toDouble(), array.at(1).toDouble());
}

std::optional<Error> readSeconds(const QJsonObject &root, QLatin1StringView key, double &out)
{
    if (!root.contains(key))
        return std::nullopt; // keep the default
    const QJsonValue value = root.value(key);
    if (!value.isDouble())
        return invalid(QString(key), QStringLiteral("must be a number of seconds"));
    out = value.toDouble();
    return std::nullopt;
}

std::optional<Error> checkName(const QString &name, const QString &path)
{
    if (name.trimmed().isEmpty())
        return invalid(path, QStringLiteral("must not be empty"));
    if (name.size() > ZoneConfig::MaxNameLength)
        return invalid(path, QStringLiteral("longer than %1 characters").arg(ZoneConfig::MaxNameLength));
    if (name.trimmed() != name)
        return invalid(path, QStringLiteral("must not start or end with white space"));
    return std::nullopt;
}

bool inUnitRange(double v)
{
    return std::isfinite(v) && v >= 0.0 && v <= 1.0;
}

std::optional<Error> checkPoint(QPointF p, const QString &path)
{
    if (!inUnitRange(p.x()))
        return invalid(indexed(path, 0), QStringLiteral("%1 is outside 0..1").arg(p.x()));
    if (!inUnitRange(p.y()))
        return invalid(indexed(path, 1), QStringLiteral("%1 is outside 0..1").arg(p.y()));
    return std::nullopt;
}

QString seconds(double s)
{
    return QString::number(s, 'g', 10);
}

QJsonArray pointToJson(QPointF p)
{
    return QJsonArray{p.x(), p.y()};
}

// A number at object[key] into *out; missing keeps *out unless `required`.
std::optional<Error> readNumber(const QJsonObject &object, QLatin1StringView key, const QString &path,
                                const QString &what, double &out, bool required)
{
    const QString keyPath = child(path, key);
    if (!object.contains(key))
        return required ? std::optional<Error>(invalid(keyPath, QStringLiteral("missing"))) : std::nullopt;
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return invalid(keyPath, QStringLiteral("must be %1").arg(what));
    out = value.toDouble();
    return std::nullopt;
}

Result<QJsonObject> readObject(const QJsonObject &parent, QLatin1StringView key, const QString &path)
{
    const QString keyPath = child(path, key);
    if (!parent.contains(key))
        return invalid(keyPath, QStringLiteral("missing"));
    if (!parent.value(key).isObject())
        return invalid(keyPath, QStringLiteral("must be an object"));
    return parent.value(key).toObject();
}

std::optional<Error> readPointKey(const QJsonObject &object, QLatin1StringView key, const QString &path, QPointF &out,
                                  bool required)
{
    const QString keyPath = child(path, key);
    if (!object.contains(key))
        return required ? std::optional<Error>(invalid(keyPath, QStringLiteral("missing"))) : std::nullopt;
    auto point = readPoint(object.value(key), keyPath);
    if (!point)
        return point.error();
    out = *point;
    return std::nullopt;
}

std::optional<Error> checkMetresPoint(QPointF p, const QString &path)
{
    const double limit = Calibration::MaxCoordinateM;
    for (int i = 0; i < 2; ++i) {
        const double v = i == 0 ? p.x() : p.y();
        if (!std::isfinite(v) || v < -limit || v > limit)
            return invalid(indexed(path, i), QStringLiteral("must be between %1 and %2 metres, is %3")
                                                 .arg(seconds(-limit), seconds(limit), seconds(v)));
    }
    return std::nullopt;
}

std::optional<Error> checkPositive(double v, double max, const QString &path)
{
    if (!std::isfinite(v) || v <= 0.0)
        return invalid(path, QStringLiteral("must be greater than 0, is %1").arg(seconds(v)));
    if (v > max)
        return invalid(path, QStringLiteral("must be at most %1, is %2").arg(seconds(max), seconds(v)));
    return std::nullopt;
}

QJsonArray numbersToJson(const QList<double> &numbers)
{
    QJsonArray array;
    for (double v : numbers)
        array.append(v);
    return array;
}

} // namespace signiq::core::configjson
