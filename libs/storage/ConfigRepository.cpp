#include "storage/ConfigRepository.h"

#include "storage/EncryptedDatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

core::Error sqlError(const QString &what, const QSqlError &error)
{
    return makeError(ErrorCode::Internal, what + QStringLiteral(": ") + error.text());
}

} // namespace

ConfigRepository::ConfigRepository(const EncryptedDatabase &database, const core::Clock &clock)
    : m_connectionName(database.connectionName()), m_clock(clock)
{
}

core::Status ConfigRepository::saveZoneConfig(const QByteArray &canonicalJson, const QString &version)
{
    if (canonicalJson.isEmpty() || version.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a zone configuration needs JSON and a version"));
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    if (!db.transaction())
        return sqlError(QStringLiteral("cannot begin a transaction"), db.lastError());

    core::Status status;
    {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT json FROM zone_configs WHERE version = ?"));
        query.addBindValue(version);
        if (!query.exec()) {
            status = sqlError(QStringLiteral("cannot read zone configuration %1").arg(version), query.lastError());
        } else if (query.next()) {
            if (query.value(0).toByteArray() != canonicalJson)
                status = makeError(ErrorCode::InvalidArgument,
                                   QStringLiteral("zone configuration version %1 is already stored with different content").arg(version));
            query.finish();
        } else {
            query.finish();
            query.prepare(QStringLiteral("INSERT INTO zone_configs (version, json, imported_at_ms, is_current) VALUES (?, ?, ?, 0)"));
            query.addBindValue(version);
            query.addBindValue(canonicalJson);
            query.addBindValue(m_clock.nowMs());
            if (!query.exec())
                status = sqlError(QStringLiteral("cannot store zone configuration %1").arg(version), query.lastError());
        }
        // Clear the old current row first: the partial unique index allows one current row.
        if (status) {
            query.prepare(QStringLiteral("UPDATE zone_configs SET is_current = 0 WHERE is_current = 1 AND version <> ?"));
            query.addBindValue(version);
            if (!query.exec())
                status = sqlError(QStringLiteral("cannot update the current zone configuration"), query.lastError());
        }
        if (status) {
            query.prepare(QStringLiteral("UPDATE zone_configs SET is_current = 1 WHERE version = ?"));
            query.addBindValue(version);
            if (!query.exec())
                status = sqlError(QStringLiteral("cannot make zone configuration %1 current").arg(version), query.lastError());
        }
    }
    if (status && !db.commit())
        status = sqlError(QStringLiteral("cannot commit zone configuration %1").arg(version), db.lastError());
    if (!status)
        db.rollback();
    return status;
}

core::Result<std::optional<StoredZoneConfig>> ConfigRepository::currentZoneConfig() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT json, version, imported_at_ms FROM zone_configs WHERE is_current = 1")))
        return sqlError(QStringLiteral("cannot read the current zone configuration"), query.lastError());
    if (!query.next())
        return std::optional<StoredZoneConfig>();
    return std::optional<StoredZoneConfig>(StoredZoneConfig{query.value(0).toByteArray(), query.value(1).toString(),
                                                            query.value(2).toLongLong()});
}

} // namespace signiq::storage
