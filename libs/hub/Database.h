#pragma once

#include "core/Result.h"
#include "hub/ConnectionOptions.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QUuid>
#include <QList>
#include <QVariantList>

#include <optional>
#include <type_traits>

namespace signiq::hub {

// The queries of one transaction. Handed to the function given to Database::inOrg() or
// Database::maintenance(); valid only inside it.
class Transaction {
public:
    // Prepares and runs `sql` with positional `?` parameters (an invalid QVariant binds NULL, a
    // null QString binds ''). Without parameters, runs `sql` as a simple query (DDL, scripts).
    // Errors name `sql`'s first line. The queries stay alive until the transaction has ended,
    // so that their prepared statements are freed outside an aborted transaction.
    [[nodiscard]] core::Result<QSqlQuery> exec(const QString &sql, const QVariantList &params = {});
    // The organisation this transaction runs as (none in a maintenance transaction).
    const std::optional<QUuid> &org() const { return m_org; }
    QSqlDatabase connection() const;

private:
    friend class Database;
    Transaction(QString connectionName, std::optional<QUuid> org)
        : m_connectionName(std::move(connectionName)), m_org(std::move(org))
    {
    }
    QString m_connectionName;
    std::optional<QUuid> m_org;
    QList<QSqlQuery> m_queries;
};

// NotFound ("unknown organisation <id>") unless the transaction's organisation exists (and so
// is visible to it).
[[nodiscard]] core::Status requireOrganisation(Transaction &tx);

// One PostgreSQL connection (QPSQL) as one role. The organisation is set per transaction only:
// inOrg() runs BEGIN; SELECT set_config('signiq.org_id', <org>, true); <work>; COMMIT (or
// ROLLBACK when the work fails), so the setting ends with the transaction and a pooled or
// reused connection never carries one tenant's context into another's work. Row-level
// security policies read it with NULLIF(current_setting('signiq.org_id', true), '')::uuid.
// Use a Database on the thread that opened it only.
class Database {
public:
    // Connects and checks the server (PostgreSQL 15 or newer). Errors say which server and why.
    [[nodiscard]] static core::Result<Database> open(const ConnectionOptions &options);
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    // Runs `work(Transaction &)` as organisation `org`. `work` returns a core::Result<T> or a
    // core::Status; its error rolls the transaction back and is returned as is.
    template <typename Work>
    auto inOrg(const QUuid &org, Work &&work) -> std::invoke_result_t<Work, Transaction &>
    {
        return run(std::optional<QUuid>(org), std::forward<Work>(work));
    }
    // A transaction without an organisation (no tenant row is visible): migrations, partition
    // maintenance and retention, run as the owner.
    template <typename Work>
    auto maintenance(Work &&work) -> std::invoke_result_t<Work, Transaction &>
    {
        return run(std::nullopt, std::forward<Work>(work));
    }
    // A READ ONLY, REPEATABLE READ transaction without an organisation: every query in `work`
    // sees one snapshot (the backup counts rows in it and hands it to pg_dump with
    // pg_export_snapshot(), so the counts and the dump agree).
    template <typename Work>
    auto readOnlySnapshot(Work &&work) -> std::invoke_result_t<Work, Transaction &>
    {
        return run(std::nullopt, std::forward<Work>(work), true);
    }

    const ConnectionOptions &options() const { return m_options; }
    QString connectionName() const { return m_connectionName; }
    // The role this connection is logged in as (SELECT current_user).
    [[nodiscard]] core::Result<QString> currentUser();

private:
    Database(QString connectionName, ConnectionOptions options);
    template <typename Work>
    auto run(const std::optional<QUuid> &org, Work &&work, bool snapshot = false) -> std::invoke_result_t<Work, Transaction &>
    {
        using R = std::invoke_result_t<Work, Transaction &>;
        if (core::Status begun = begin(org, snapshot); !begun)
            return R(begun.error());
        Transaction tx(m_connectionName, org); // outlives commit/rollback (see Transaction::exec)
        R result = work(tx);
        if (!result.ok()) {
            rollback();
            return result;
        }
        if (core::Status committed = commit(); !committed)
            return R(committed.error());
        return result;
    }
    [[nodiscard]] core::Status begin(const std::optional<QUuid> &org, bool snapshot);
    [[nodiscard]] core::Status commit();
    void rollback();

    QString m_connectionName;
    ConnectionOptions m_options;
};

} // namespace signiq::hub
