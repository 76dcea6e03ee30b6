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

core::Result<StoredAuditEntry> AuditRepository::append(const StoredAuditEntry &draft, const Linker &link, const Sealer &seal)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    if (!db.transaction())
        return sqlError(QStringLiteral("cannot begin the audit transaction"), db.lastError());
    auto rollback = [&](core::Error error) -> core::Result<StoredAuditEntry> {
        db.rollback();
        return error;
    };
    auto last = newest();
    if (!last)
        return rollback(last.error());
    auto current = head();
    if (!current)
        return rollback(current.error());
    const StoredAuditEntry entry = link(draft, *last);
    auto sealed = seal(entry, *last, *current);
    if (!sealed)
        return rollback(sealed.error());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO audit_log (") + kColumns + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v : {QVariant(entry.seq), QVariant(entry.timestampMs), QVariant(entry.actor), QVariant(entry.sourceIp),
                              QVariant(entry.action), QVariant(entry.target), QVariant(entry.result), QVariant(entry.prevHash),
                              QVariant(entry.hash)})
        q.addBindValue(v);
    if (!q.exec())
        return rollback(sqlError(QStringLiteral("cannot store audit entry %1").arg(entry.seq), q.lastError()));
    q.finish();
    // SQLCipher 3.4 is SQLite 3.15: no UPSERT.
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO audit_head (id, seq, hash, count, key_id, signature) VALUES (1, ?, ?, ?, ?, ?)"));
    q.addBindValue(sealed->seq);
    q.addBindValue(sealed->hash);
    q.addBindValue(sealed->count);
    q.addBindValue(sealed->keyId);
    q.addBindValue(sealed->signature.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(sealed->signature));
    if (!q.exec())
        return rollback(sqlError(QStringLiteral("cannot move the audit head"), q.lastError()));
    q.finish();
    if (!db.commit())
        return rollback(sqlError(QStringLiteral("cannot commit audit entry %1").arg(entry.seq), db.lastError()));
    return entry;
}

core::Result<std::optional<StoredAuditEntry>> AuditRepository::newest() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return sqlError(QStringLiteral("cannot read the newest audit entry"), q.lastError());
    if (!q.next())
        return std::optional<StoredAuditEntry>();
    return std::optional<StoredAuditEntry>(readRow(q));
}

core::Status AuditRepository::addCheckpoint(const StoredAuditCheckpoint &c)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO audit_checkpoints (seq, count, hash, key_id, signature, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(c.head.seq);
    q.addBindValue(c.head.count);
    q.addBindValue(c.head.hash);
    q.addBindValue(c.head.keyId);
    q.addBindValue(c.head.signature);
    q.addBindValue(c.createdAtMs);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store the audit checkpoint at entry %1").arg(c.head.seq), q.lastError());
    return {};
}

core::Result<QList<StoredAuditCheckpoint>> AuditRepository::checkpoints() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT seq, count, hash, key_id, signature, created_at_ms FROM audit_checkpoints ORDER BY seq")))
        return sqlError(QStringLiteral("cannot read the audit checkpoints"), q.lastError());
    QList<StoredAuditCheckpoint> out;
    while (q.next())
        out.append(StoredAuditCheckpoint{AuditHead{q.value(0).toLongLong(), q.value(2).toString(), q.value(1).toLongLong(),
                                                   q.value(3).toString(), q.value(4).toByteArray()},
                                         q.value(5).toLongLong()});
    return out;
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
    if (!q.exec(QStringLiteral("SELECT seq, hash, count, key_id, signature FROM audit_head WHERE id = 1")))
        return sqlError(QStringLiteral("cannot read the audit head"), q.lastError());
    if (!q.next())
        return std::optional<AuditHead>();
    AuditHead h;
    h.seq = q.value(0).toLongLong();
    h.hash = q.value(1).toString();
    h.count = q.value(2).isNull() ? h.seq : q.value(2).toLongLong();
    h.keyId = q.value(3).toString();
    h.signature = q.value(4).isNull() ? QByteArray() : q.value(4).toByteArray();
    return std::optional<AuditHead>(h);
}

} // namespace signiq::storage
