#include "protocol/Keys.h"

#include "protocol/Time.h"

#include <QJsonArray>

namespace signiq::protocol {

namespace {

core::Error parseError(const QString &message)
{
    return core::makeError(core::ErrorCode::Parse, message);
}

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoTime(*ms)) : QJsonValue(QJsonValue::Null);
}

// An ISO 8601 time (or ms since the epoch) or null.
core::Result<std::optional<qint64>> readOptionalTime(const QJsonObject &o, const QString &name, const QString &path)
{
    const QJsonValue v = o.value(name);
    if (v.isNull() || v.isUndefined())
        return std::optional<qint64>();
    if (v.isDouble())
        return std::optional<qint64>(v.toInteger());
    const auto t = parseTime(v.toString());
    if (!t)
        return parseError(QStringLiteral("%1%2: not a time: '%3'").arg(path, name, v.toString()));
    return std::optional<qint64>(*t);
}

} // namespace

QString environmentName(KeyEnvironment e)
{
    return e == KeyEnvironment::Live ? QStringLiteral("live") : QStringLiteral("test");
}

QString KeyInfo::state(qint64 nowMs) const
{
    if (revokedAtMs && *revokedAtMs <= nowMs)
        return QStringLiteral("revoked");
    if (expiresAtMs && *expiresAtMs <= nowMs)
        return QStringLiteral("expired");
    return QStringLiteral("active");
}

QJsonObject KeyInfo::toJson(qint64 nowMs) const
{
    return QJsonObject{
        {QStringLiteral("id"), keyId},
        {QStringLiteral("name"), name},
        {QStringLiteral("environment"), environmentName(environment)},
        {QStringLiteral("scopes"), QJsonArray::fromStringList(scopeNames(scopes))},
        {QStringLiteral("tier"), tierName(tier)},
        {QStringLiteral("state"), state(nowMs)},
        {QStringLiteral("created_at"), isoTime(createdAtMs)},
        {QStringLiteral("last_used_at"), optionalTime(lastUsedAtMs)},
        {QStringLiteral("expires_at"), optionalTime(expiresAtMs)},
        {QStringLiteral("revoked_at"), optionalTime(revokedAtMs)},
        {QStringLiteral("rotated_at"), optionalTime(rotatedAtMs)},
        {QStringLiteral("previous_secret_valid_until"),
         previousValidUntilMs && *previousValidUntilMs > nowMs ? QJsonValue(isoTime(*previousValidUntilMs))
                                                               : QJsonValue(QJsonValue::Null)},
    };
}

core::Result<KeyInfo> KeyInfo::fromJson(const QJsonObject &o)
{
    KeyInfo k;
    k.keyId = o.value(QStringLiteral("id")).toString();
    if (k.keyId.isEmpty())
        return parseError(QStringLiteral("id: missing"));
    const QString path = QStringLiteral("key %1: ").arg(k.keyId);
    k.name = o.value(QStringLiteral("name")).toString();
    const QString environment = o.value(QStringLiteral("environment")).toString(QStringLiteral("live"));
    if (environment != QLatin1String("live") && environment != QLatin1String("test"))
        return parseError(path + QStringLiteral("environment: live or test, not '%1'").arg(environment));
    k.environment = environment == QLatin1String("test") ? KeyEnvironment::Test : KeyEnvironment::Live;
    QStringList names;
    for (const QJsonValue &v : o.value(QStringLiteral("scopes")).toArray())
        names.append(v.toString());
    auto scopes = scopesFromNames(names);
    if (!scopes)
        return parseError(path + QStringLiteral("scopes: ") + scopes.error().message);
    k.scopes = *scopes;
    auto tier = tierFromName(o.value(QStringLiteral("tier")).toString());
    if (!tier)
        return parseError(path + QStringLiteral("tier: ") + tier.error().message);
    k.tier = *tier;
    auto created = readOptionalTime(o, QStringLiteral("created_at"), path);
    if (!created)
        return created.error();
    if (!created->has_value())
        return parseError(path + QStringLiteral("created_at: missing"));
    k.createdAtMs = **created;
    const std::pair<QString, std::optional<qint64> *> optional[] = {
        {QStringLiteral("last_used_at"), &k.lastUsedAtMs},
        {QStringLiteral("expires_at"), &k.expiresAtMs},
        {QStringLiteral("revoked_at"), &k.revokedAtMs},
        {QStringLiteral("rotated_at"), &k.rotatedAtMs},
        {QStringLiteral("previous_secret_valid_until"), &k.previousValidUntilMs},
    };
    for (const auto &[name, target] : optional) {
        auto t = readOptionalTime(o, name, path);
        if (!t)
            return t.error();
        *target = *t;
    }
    return k;
}

QJsonObject KeyRequest::toJson() const
{
    QJsonObject body{{QStringLiteral("scopes"), QJsonArray::fromStringList(scopeNames(scopes))}, {QStringLiteral("tier"), tierName(tier)}};
    if (!name.isEmpty())
        body.insert(QStringLiteral("name"), name);
    if (environment != KeyEnvironment::Live)
        body.insert(QStringLiteral("environment"), environmentName(environment));
    if (expiresAtMs)
        body.insert(QStringLiteral("expires_at"), isoTime(*expiresAtMs));
    return body;
}

QJsonObject IssuedKey::toJson(qint64 nowMs) const
{
    QJsonObject out = info.toJson(nowMs);
    out.insert(QStringLiteral("key"), token);
    return out;
}

core::Result<IssuedKey> IssuedKey::fromJson(const QJsonObject &o)
{
    auto info = KeyInfo::fromJson(o);
    if (!info)
        return info.error();
    const QString token = o.value(QStringLiteral("key")).toString();
    if (!ApiKeyFormat::parse(token))
        return parseError(QStringLiteral("key: missing or not a Signiq key"));
    return IssuedKey{std::move(info).value(), token};
}

} // namespace signiq::protocol
