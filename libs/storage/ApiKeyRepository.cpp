#include "storage/ApiKeyRepository.h"

#include "storage/EncryptedDatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

constexpr int kSqliteConstraint = 19;

const QString kColumns = QStringLiteral(
    "key_id, name, environment, secret_hash, previous_hash, previous_valid_until_ms, scopes, tier, created_at_ms, "
    "last_used_at_ms, expires_at_ms, revoked_at_ms, rotated_at_ms");

QVariant optionalInt(const std::optional<qint64> &v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
}

std::optional<qint64> readOptional(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

core::Error sqlError(const QString &what, const QSqlError &error)
{
    return makeError(error.nativeErrorCode().toInt() == kSqliteConstraint ? ErrorCode::InvalidArgument : ErrorCode::Internal,
                     what + QStringLiteral(": ") + error.text());
}

StoredApiKey readRow(const QSqlQuery &q)
{
    StoredApiKey k;
    int c = 0;
    k.keyId = q.value(c++).toString();
    k.name = q.value(c++).toString();
    k.environment = q.value(c++).toString();
    k.secretHash = q.value(c++).toByteArray();
    const QVariant previous = q.value(c++);
    k.previousHash = previous.isNull() ? QByteArray() : previous.toByteArray();
    k.previousValidUntilMs = readOptional(q.value(c++));
    k.scopes = q.value(c++).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    k.tier = q.value(c++).toString();
    k.createdAtMs = q.value(c++).toLongLong();
    k.lastUsedAtMs = readOptional(q.value(c++));
    k.expiresAtMs = readOptional(q.value(c++));
    k.revokedAtMs = readOptional(q.value(c++));
    k.rotatedAtMs = readOptional(q.value(c++));
    return k;
}

} // namespace

ApiKeyRepository::ApiKeyRepository(const EncryptedDatabase &database)
    : m_connectionName(database.connectionName())
{
}

core::Status ApiKeyRepository::insert(const StoredApiKey &key)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO api_keys (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(key.keyId);
    q.addBindValue(key.name);
    q.addBindValue(key.environment);
    q.addBindValue(key.secretHash);
    q.addBindValue(key.previousHash.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(key.previousHash));
    q.addBindValue(optionalInt(key.previousValidUntilMs));
    q.addBindValue(key.scopes.join(QLatin1Char(' ')));
    q.addBindValue(key.tier);
    q.addBindValue(key.createdAtMs);
    q.addBindValue(optionalInt(key.lastUsedAtMs));
    q.addBindValue(optionalInt(key.expiresAtMs));
    q.addBindValue(optionalInt(key.revokedAtMs));
    q.addBindValue(optionalInt(key.rotatedAtMs));
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store API key %1").arg(key.keyId), q.lastError());
    return {};
}

core::Result<std::optional<StoredApiKey>> ApiKeyRepository::find(const QString &keyId) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM api_keys WHERE key_id = ?"));
    q.addBindValue(keyId);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot read API key %1").arg(keyId), q.lastError());
    if (!q.next())
        return std::optional<StoredApiKey>();
    return std::optional<StoredApiKey>(readRow(q));
}

core::Result<QList<StoredApiKey>> ApiKeyRepository::list() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM api_keys ORDER BY created_at_ms, key_id")))
        return sqlError(QStringLiteral("cannot list API keys"), q.lastError());
    QList<StoredApiKey> keys;
    while (q.next())
        keys.append(readRow(q));
    return keys;
}

namespace {
core::Status updateOne(const QString &connectionName, const QString &keyId, const QString &sql, const QVariantList &values,
                       const QString &what)
{
    QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(keyId);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot %1 API key %2").arg(what, keyId), q.lastError());
    if (q.numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no API key with id '%1'").arg(keyId));
    return {};
}
} // namespace

core::Status ApiKeyRepository::rotate(const QString &keyId, const QByteArray &newHash, const QByteArray &previousHash,
                                      qint64 previousValidUntilMs, qint64 rotatedAtMs)
{
    return updateOne(m_connectionName, keyId,
                     QStringLiteral("UPDATE api_keys SET secret_hash = ?, previous_hash = ?, previous_valid_until_ms = ?, "
                                    "rotated_at_ms = ? WHERE key_id = ?"),
                     {newHash, previousHash, previousValidUntilMs, rotatedAtMs}, QStringLiteral("rotate"));
}

core::Status ApiKeyRepository::revoke(const QString &keyId, qint64 atMs)
{
    return updateOne(m_connectionName, keyId,
                     QStringLiteral("UPDATE api_keys SET revoked_at_ms = coalesce(revoked_at_ms, ?) WHERE key_id = ?"), {atMs},
                     QStringLiteral("revoke"));
}

core::Status ApiKeyRepository::touch(const QString &keyId, qint64 atMs)
{
    return updateOne(m_connectionName, keyId, QStringLiteral("UPDATE api_keys SET last_used_at_ms = ? WHERE key_id = ?"), {atMs},
                     QStringLiteral("update"));
}

} // namespace signiq::storage
