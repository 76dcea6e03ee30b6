#pragma once

#include "core/Result.h"

#include <QString>

namespace signiq::storage {

class EncryptedDatabase;

// One write transaction on a database connection (BEGIN IMMEDIATE; inside another
// transaction a SAVEPOINT, see SqlCipherDriver): everything written between begin() and
// commit() is kept together or not at all. Destroyed without commit(): rolled back.
class Transaction {
public:
    [[nodiscard]] static core::Result<Transaction> begin(const EncryptedDatabase &database);
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    ~Transaction();

    [[nodiscard]] core::Status commit();
    void rollback();

private:
    explicit Transaction(QString connectionName);
    QString m_connectionName;
    bool m_open = false;
};

} // namespace signiq::storage
