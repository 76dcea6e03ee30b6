#pragma once

#include <QList>
#include <QSqlDriver>
#include <QSqlError>

struct sqlite3;

namespace signiq::storage {

class SqlCipherResult;

// The name under which the driver is registered with QSqlDatabase.
inline constexpr QLatin1StringView SqlCipherDriverName("QSQLCIPHER");

// Registers SqlCipherDriver as "QSQLCIPHER" with QSqlDatabase. Idempotent and thread-safe.
// The driver is compiled into this library and talks to libsqlcipher directly; it is never a
// plugin, so it cannot pick up the system libsqlite3 by accident (see docs/storage.md).
void registerSqlCipherDriver();

// A QSqlDriver for SQLCipher (SQLite 3.15 API) written against Qt's public API only.
//
// Connect options (QSqlDatabase::setConnectOptions, ';'-separated):
//   QSQLCIPHER_BUSY_TIMEOUT=<ms>   busy handler timeout, default 5000
//   QSQLCIPHER_OPEN_READONLY       open read-only
// The user name and password are ignored: keys are applied with PRAGMA key through
// executeRaw() (EncryptedDatabase does this), so key material never enters Qt's connection
// settings.
//
// Results cache the rows they have stepped over, so scrollable queries (QSqlQueryModel) can
// seek backwards; forward-only queries keep only the current row. QuerySize is not
// supported (size() is -1), as SQLite cannot know the row count before stepping.
class SqlCipherDriver final : public QSqlDriver {
    Q_OBJECT
public:
    explicit SqlCipherDriver(QObject *parent = nullptr);
    ~SqlCipherDriver() override;

    bool hasFeature(DriverFeature feature) const override;
    bool open(const QString &path, const QString &user, const QString &password, const QString &host,
              int port, const QString &connectOptions) override;
    void close() override;
    QSqlResult *createResult() const override;

    bool beginTransaction() override;
    bool commitTransaction() override;
    bool rollbackTransaction() override;

    QStringList tables(QSql::TableType type) const override;
    QSqlIndex primaryIndex(const QString &tableName) const override;
    QSqlRecord record(const QString &tableName) const override;
    QString escapeIdentifier(const QString &identifier, IdentifierType type) const override;

    // The sqlite3* handle as a void* (QVariant::value<void *>()).
    QVariant handle() const override;
    sqlite3 *connection() const { return m_db; }

    // Runs UTF-8 SQL with sqlite3_exec, bypassing QSqlQuery so that the text is never copied
    // into Qt's query objects (use it for PRAGMA key). Returns an invalid QSqlError on success.
    QSqlError executeRaw(const QByteArray &utf8Sql);

private:
    friend class SqlCipherResult;
    QSqlError errorFromDb(const QString &what, QSqlError::ErrorType type, int rc) const;
    bool runTransactionStatement(const char *sql, const QString &what, QSqlError::ErrorType type);
    QList<QVariantList> selectRows(const QString &sql, QString *error) const;

    sqlite3 *m_db = nullptr;
    bool m_readOnly = false;
    int m_savepoints = 0; // transactions begun inside a transaction (SAVEPOINTs), innermost last
    mutable QList<SqlCipherResult *> m_results; // live results, finalised on close()
};

} // namespace signiq::storage
