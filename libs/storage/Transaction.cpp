#include "storage/Transaction.h"

#include "storage/EncryptedDatabase.h"
#include "storage/StorageLog.h"

#include <QSqlDatabase>
#include <QSqlError>

namespace signiq::storage {

using core::ErrorCode;
using core::makeError;

Transaction::Transaction(QString connectionName)
    : m_connectionName(std::move(connectionName)), m_open(true)
{
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_connectionName(std::move(other.m_connectionName)), m_open(other.m_open)
{
    other.m_open = false;
}

Transaction::~Transaction()
{
    rollback();
}

core::Result<Transaction> Transaction::begin(const EncryptedDatabase &database)
{
    QSqlDatabase db = QSqlDatabase::database(database.connectionName(), false);
    if (!db.isOpen())
        return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
    if (!db.transaction())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text()));
    return Transaction(database.connectionName());
}

core::Status Transaction::commit()
{
    if (!m_open)
        return makeError(ErrorCode::Internal, QStringLiteral("the transaction is no longer open"));
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.commit()) {
        const QString error = db.lastError().text();
        rollback();
        return makeError(ErrorCode::Internal, QStringLiteral("cannot commit: %1").arg(error));
    }
    m_open = false;
    return {};
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (db.isOpen() && !db.rollback())
        qCWarning(lcStorage) << "cannot roll back:" << db.lastError().text();
}

} // namespace signiq::storage
