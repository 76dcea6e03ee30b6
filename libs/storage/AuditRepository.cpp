#include "storage/AuditRepository.h"

#include "storage/EncryptedDatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

const QString kColumns = QStringLiteral("seq, timestamp_ms, actor, source_ip, action, target, result, prev_hash, hash");

StoredAuditEntry readRow(const QSqlQuery &q)
{
    StoredAuditEntry e;
    e.seq = q.value(0).toLongLong();
    e.timestampMs = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.sourceIp = q.value(3).toString();
    e.action = q.value(4).toString();
    e.target = q.value(5).toString();
    e.result = q.value(6).toString();
    e.prevHash = q.value(7).toString();
    e.hash = q.value(8).toString();
    return e;
}

core::Error sqlError(const QString &what, const QSqlError &error)
{
    return makeError(ErrorCode::Internal, what + QStringLiteral(": ") + error.text());
}

} // namespace

AuditRepository::AuditRepository(const EncryptedDatabase &database)
    : m_connectionName(database.connectionName())
{
}

core::Result<StoredAuditEntry> AuditRepository::append(const StoredAuditEntry &draft, const Linker &link)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return sqlError(QStringLiteral("cannot begin the audit transaction"), q.lastError());
    q.finish();
    auto rollback = [&](core::Error error) -> core::Result<StoredAuditEntry> {
        QSqlQuery r(db);
        r.exec(QStringLiteral("ROLLBACK"));
        return error;
    };
    std::optional<StoredAuditEntry> last;
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return rollback(sqlError(QStringLiteral("cannot read the newest audit entry"), q.lastError()));
    if (q.next())
        last = readRow(q);
    q.finish();
    const StoredAuditEntry entry = link(draft, last);
    q.prepare(QStringLiteral("INSERT INTO audit_log (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(entry.seq), QVariant(entry.timestampMs), QVariant(entry.actor), QVariant(entry.sourceIp),
                              QVariant(entry.action), QVariant(entry.target), QVariant(entry.result), QVariant(entry.prevHash),
                              QVariant(entry.hash)})
        q.addBindValue(v);
    if (!q.exec())
        return rollback(sqlError(QStringLiteral("cannot store audit entry %1").arg(entry.seq), q.lastError()));
    q.finish();
    // SQLCipher 3.4 is SQLite 3.15: no UPSERT.
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"));
    q.addBindValue(entry.seq);
    q.addBindValue(entry.hash);
    if (!q.exec())
        return rollback(sqlError(QStringLiteral("cannot move the audit head"), q.lastError()));
    q.finish();
    if (!q.exec(QStringLiteral("COMMIT")))
        return rollback(sqlError(QStringLiteral("cannot commit audit entry %1").arg(entry.seq), q.lastError()));
    return entry;
}

core::Result<QList<StoredAuditEntry>> AuditRepository::range(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + kColumns
              + QStringLiteral(" FROM audit_log WHERE timestamp_ms >= ? AND timestamp_ms < ? AND seq > ? ORDER BY seq LIMIT ?"));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot read the audit log"), q.lastError());
    QList<StoredAuditEntry> entries;
    while (q.next())
        entries.append(readRow(q));
    return entries;
}

core::Result<QList<StoredAuditEntry>> AuditRepository::all() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM audit_log ORDER BY seq")))
        return sqlError(QStringLiteral("cannot read the audit log"), q.lastError());
    QList<StoredAuditEntry> entries;
    while (q.next())
        entries.append(readRow(q));
    return entries;
}

core::Result<std::optional<AuditHead>> AuditRepository::head() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT seq, hash FROM audit_head WHERE id = 1")))
        return sqlError(QStringLiteral("cannot read the audit head"), q.lastError());
    if (!q.next())
        return std::optional<AuditHead>();
    return std::optional<AuditHead>(AuditHead{q.value(0).toLongLong(), q.value(1).toString()});
}

} // namespace signiq::storage
