// A Qt Sql driver for SQLCipher (QSQLITE cannot be used: libsqlite3 and libsqlcipher export the
// same symbols). Over 600 lines for a reason: QSqlDriver and QSqlResult are one interface with
// many small virtual functions (open/close, transactions, prepare/bind/exec, type mapping,
// record/primary index, error text) that only make sense side by side; splitting them would
// spread one class over several files with no seam between them.
#include "storage/SqlCipherDriver.h"

#include "storage/StorageLog.h"

#include <QDate>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlDriverCreator>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlRecord>
#include <QSqlResult>
#include <QTime>

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <mutex>

namespace signiq::storage {

namespace {

constexpr int kDefaultBusyTimeoutMs = 5000;

QString sqliteMessage(sqlite3 *db)
{
    return db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("no database connection");
}

// Column type from the declared type, following SQLite's type-affinity rules.
QMetaType metaTypeFromDeclType(const char *declType)
{
    if (!declType)
        return QMetaType();
    const QByteArray t = QByteArray(declType).toUpper();
    if (t.contains("INT") || t == "BOOLEAN")
        return QMetaType::fromType<qlonglong>();
    if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT"))
        return QMetaType::fromType<QString>();
    if (t.contains("BLOB") || t.isEmpty())
        return QMetaType::fromType<QByteArray>();
    if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB"))
        return QMetaType::fromType<double>();
    return QMetaType::fromType<QString>(); // NUMERIC, DATETIME ... are stored as given
}

QMetaType metaTypeFromStorageClass(int type)
{
    switch (type) {
    case SQLITE_INTEGER: return QMetaType::fromType<qlonglong>();
    case SQLITE_FLOAT: return QMetaType::fromType<double>();
    case SQLITE_BLOB: return QMetaType::fromType<QByteArray>();
    case SQLITE_TEXT: return QMetaType::fromType<QString>();
    default: return QMetaType();
    }
}

QVariant columnValue(sqlite3_stmt *stmt, int column, QSql::NumericalPrecisionPolicy policy, QMetaType nullType)
{
    switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
        return QVariant::fromValue<qlonglong>(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT: {
        const double value = sqlite3_column_double(stmt, column);
        switch (policy) {
        case QSql::LowPrecisionInt32: return QVariant::fromValue(int(value));
        case QSql::LowPrecisionInt64: return QVariant::fromValue(qlonglong(value));
        default: return QVariant::fromValue(value);
        }
    }
    case SQLITE_TEXT: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
        return QVariant::fromValue(QString::fromUtf8(text, sqlite3_column_bytes(stmt, column)));
    }
    case SQLITE_BLOB: {
        const void *blob = sqlite3_column_blob(stmt, column);
        const int size = sqlite3_column_bytes(stmt, column);
        return QVariant::fromValue(size > 0 ? QByteArray(static_cast<const char *>(blob), size) : QByteArray(""));
    }
    case SQLITE_NULL:
    default:
        return QVariant(nullType); // a null QVariant of the column's type
    }
}

// Binds one QVariant; returns the SQLite result code. Text and blob bytes are bound with
// SQLITE_STATIC and kept alive in `buffers` (no second copy inside SQLite); the caller keeps
// `buffers` until the parameters are bound again or the statement is finalised.
int bindVariant(sqlite3_stmt *stmt, int index, const QVariant &value, QList<QByteArray> &buffers)
{
    const auto bindText = [&](QByteArray utf8) {
        buffers.append(std::move(utf8));
        const QByteArray &kept = buffers.constLast();
        return sqlite3_bind_text(stmt, index, kept.constData(), int(kept.size()), SQLITE_STATIC);
    };
    if (value.isNull())
        return sqlite3_bind_null(stmt, index);
    switch (value.typeId()) {
    case QMetaType::Bool:
        return sqlite3_bind_int(stmt, index, value.toBool() ? 1 : 0);
    // The common types are read directly: QVariant::toLongLong() goes through QMetaType::convert.
    case QMetaType::Int:
        return sqlite3_bind_int64(stmt, index, *static_cast<const int *>(value.constData()));
    case QMetaType::LongLong:
        return sqlite3_bind_int64(stmt, index, *static_cast<const qlonglong *>(value.constData()));
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::UInt:
    case QMetaType::Long:
        return sqlite3_bind_int64(stmt, index, value.toLongLong());
    case QMetaType::ULong:
    case QMetaType::ULongLong: {
        const qulonglong v = value.toULongLong();
        if (v <= qulonglong(std::numeric_limits<qint64>::max()))
            return sqlite3_bind_int64(stmt, index, qint64(v));
        return bindText(QByteArray::number(v));
    }
    case QMetaType::Double:
        return sqlite3_bind_double(stmt, index, *static_cast<const double *>(value.constData()));
    case QMetaType::Float:
        return sqlite3_bind_double(stmt, index, value.toDouble());
    case QMetaType::QByteArray: {
        buffers.append(*static_cast<const QByteArray *>(value.constData())); // shares, does not copy
        const QByteArray &kept = buffers.constLast();
        return sqlite3_bind_blob(stmt, index, kept.constData(), int(kept.size()), SQLITE_STATIC);
    }
    case QMetaType::QString: // SQLite stores UTF-8: convert once, here
        return bindText(static_cast<const QString *>(value.constData())->toUtf8());
    case QMetaType::QDateTime:
        return bindText(value.toDateTime().toString(Qt::ISODateWithMs).toUtf8());
    case QMetaType::QDate:
        return bindText(value.toDate().toString(Qt::ISODate).toUtf8());
    case QMetaType::QTime:
        return bindText(value.toTime().toString(Qt::ISODateWithMs).toUtf8());
    default:
        if (!value.canConvert<QString>())
            return SQLITE_MISMATCH;
        return bindText(value.toString().toUtf8());
    }
}

} // namespace

// ----------------------------------------------------------------------------------------
// SqlCipherResult

class SqlCipherResult final : public QSqlResult {
public:
    explicit SqlCipherResult(const SqlCipherDriver *driver);
    ~SqlCipherResult() override;

    QVariant handle() const override { return QVariant::fromValue(static_cast<void *>(m_stmt)); }
    void finalizeStatement();

protected:
    bool reset(const QString &query) override;
    bool prepare(const QString &query) override;
    bool exec() override;
    QVariant data(int field) override;
    bool isNull(int field) override;
    bool fetch(int index) override;
    bool fetchFirst() override;
    bool fetchLast() override;
    int size() override { return -1; }
    int numRowsAffected() override { return m_rowsAffected; }
    QSqlRecord record() const override;
    QVariant lastInsertId() const override;
    void detachFromResultSet() override;
    bool nextResult() override { return false; }
    void bindValue(int index, const QVariant &value, QSql::ParamType type) override;
    using QSqlResult::bindValue;

private:
    sqlite3 *db() const;
    bool stepRow();
    void clearRows();
    void fail(const QString &what, QSqlError::ErrorType type, int rc);

    sqlite3_stmt *m_stmt = nullptr;
    QList<QVariantList> m_rows; // cached rows; m_rows[0] is row number m_firstCachedRow
    int m_firstCachedRow = 0;
    bool m_done = true;         // the statement has no more rows
    bool m_stepFailed = false;
    int m_rowsAffected = -1;
    QSqlRecord m_record;
    QList<QMetaType> m_columnTypes;
    QList<QByteArray> m_boundBuffers; // text/blob parameters bound with SQLITE_STATIC
};

SqlCipherResult::SqlCipherResult(const SqlCipherDriver *driver)
    : QSqlResult(driver)
{
    driver->m_results.append(this);
}

SqlCipherResult::~SqlCipherResult()
{
    if (const auto *drv = static_cast<const SqlCipherDriver *>(driver()))
        drv->m_results.removeOne(this);
    finalizeStatement();
}

sqlite3 *SqlCipherResult::db() const
{
    const auto *drv = static_cast<const SqlCipherDriver *>(driver());
    return drv ? drv->m_db : nullptr;
}

void SqlCipherResult::finalizeStatement()
{
    clearRows();
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
    m_boundBuffers.clear();
}

void SqlCipherResult::clearRows()
{
    m_rows.clear();
    m_firstCachedRow = 0;
    m_done = true;
}

void SqlCipherResult::fail(const QString &what, QSqlError::ErrorType type, int rc)
{
    setLastError(QSqlError(what, sqliteMessage(db()), type, QString::number(rc)));
}

bool SqlCipherResult::reset(const QString &query)
{
    if (!prepare(query))
        return false;
    return exec();
}

bool SqlCipherResult::prepare(const QString &query)
{
    finalizeStatement();
    setActive(false);
    setSelect(false);
    setAt(QSql::BeforeFirstRow);
    m_record = QSqlRecord();
    m_columnTypes.clear();
    m_rowsAffected = -1;
    sqlite3 *handle = db();
    if (!driver() || !driver()->isOpen() || !handle) {
        setLastError(QSqlError(QStringLiteral("Database is not open"), QString(), QSqlError::ConnectionError));
        return false;
    }
    const void *tail = nullptr;
    const int rc = sqlite3_prepare16_v2(handle, query.utf16(), int(query.size() * 2), &m_stmt, &tail);
    if (rc != SQLITE_OK) {
        fail(QStringLiteral("Unable to prepare statement"), QSqlError::StatementError, rc);
        finalizeStatement();
        return false;
    }
    if (tail) {
        const auto *tailChars = static_cast<const QChar *>(tail);
        const qsizetype consumed = tailChars - query.constData();
        if (!QStringView(query).mid(consumed).trimmed().isEmpty()) {
            setLastError(QSqlError(QStringLiteral("Unable to execute multiple statements at a time"),
                                   QString(), QSqlError::StatementError, QString::number(SQLITE_MISUSE)));
            finalizeStatement();
            return false;
        }
    }
    return true;
}

bool SqlCipherResult::exec()
{
    if (!m_stmt) {
        setLastError(QSqlError(QStringLiteral("No prepared statement"), QString(), QSqlError::StatementError));
        return false;
    }
    clearRows();
    setActive(false);
    setAt(QSql::BeforeFirstRow);
    m_rowsAffected = -1;
    sqlite3_reset(m_stmt); // every parameter is bound again below, so no sqlite3_clear_bindings()
    m_boundBuffers.clear();

    const QList<QVariant> &values = boundValues();
    const int parameterCount = sqlite3_bind_parameter_count(m_stmt);
    if (values.size() != parameterCount) {
        setLastError(QSqlError(QStringLiteral("Parameter count mismatch: the statement has %1 placeholders, %2 values are bound")
                                   .arg(parameterCount).arg(values.size()),
                               QString(), QSqlError::StatementError));
        return false;
    }
    for (int i = 0; i < parameterCount; ++i) {
        const int rc = bindVariant(m_stmt, i + 1, values.at(i), m_boundBuffers);
        if (rc != SQLITE_OK) {
            if (rc == SQLITE_MISMATCH)
                setLastError(QSqlError(QStringLiteral("Cannot bind a value of type %1 (parameter %2)")
                                           .arg(QString::fromLatin1(values.at(i).typeName())).arg(i + 1),
                                       QString(), QSqlError::StatementError, QString::number(rc)));
            else
                fail(QStringLiteral("Unable to bind parameters"), QSqlError::StatementError, rc);
            return false;
        }
    }

    const int columns = sqlite3_column_count(m_stmt);
    if (m_columnTypes.size() != columns) {
        m_columnTypes.clear();
        for (int c = 0; c < columns; ++c)
            m_columnTypes.append(metaTypeFromDeclType(sqlite3_column_decltype(m_stmt, c)));
        m_record = QSqlRecord();
    }
    m_done = false;
    m_stepFailed = false;
    stepRow();
    if (m_stepFailed)
        return false;

    // The record: declared types; expression columns take the storage class of the first row.
    if (m_record.isEmpty() && columns > 0) {
        for (int c = 0; c < columns; ++c) {
            if (!m_columnTypes.at(c).isValid() && !m_rows.isEmpty())
                m_columnTypes[c] = metaTypeFromStorageClass(sqlite3_column_type(m_stmt, c));
            m_record.append(QSqlField(QString::fromUtf8(sqlite3_column_name(m_stmt, c)), m_columnTypes.at(c)));
        }
    }
    if (columns == 0)
        m_rowsAffected = sqlite3_changes(db());
    setSelect(columns > 0);
    setActive(true);
    return true;
}

// Steps one row into the cache. False at the end of the rows or on error (lastError set).
bool SqlCipherResult::stepRow()
{
    if (m_done || !m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        if (isForwardOnly() && !m_rows.isEmpty()) {
            m_firstCachedRow += int(m_rows.size());
            m_rows.clear();
        }
        const int columns = sqlite3_column_count(m_stmt);
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row.append(columnValue(m_stmt, c, numericalPrecisionPolicy(), c < m_columnTypes.size() ? m_columnTypes.at(c) : QMetaType()));
        m_rows.append(std::move(row));
        return true;
    }
    m_done = true;
    if (rc != SQLITE_DONE) {
        m_stepFailed = true;
        fail(QStringLiteral("Unable to fetch row"), QSqlError::StatementError, rc);
        sqlite3_reset(m_stmt);
        return false;
    }
    sqlite3_reset(m_stmt); // release read locks as soon as the result set is exhausted
    return false;
}

bool SqlCipherResult::fetch(int index)
{
    if (!isActive() || !isSelect() || index < 0)
        return false;
    if (isForwardOnly() && at() != QSql::BeforeFirstRow && index < at())
        return false;
    while (m_firstCachedRow + m_rows.size() <= index) {
        if (!stepRow()) {
            setAt(QSql::AfterLastRow);
            return false;
        }
    }
    if (index < m_firstCachedRow)
        return false; // forward-only: already dropped
    setAt(index);
    return true;
}

bool SqlCipherResult::fetchFirst()
{
    return fetch(0);
}

bool SqlCipherResult::fetchLast()
{
    if (!isActive() || !isSelect())
        return false;
    while (stepRow()) {
    }
    if (m_stepFailed || m_rows.isEmpty()) {
        setAt(QSql::AfterLastRow);
        return false;
    }
    setAt(m_firstCachedRow + int(m_rows.size()) - 1);
    return true;
}

QVariant SqlCipherResult::data(int field)
{
    const int row = at() - m_firstCachedRow;
    if (row < 0 || row >= m_rows.size() || field < 0 || field >= m_rows.at(row).size()) {
        qCWarning(lcStorage) << "SqlCipherResult::data: no value at row" << at() << "field" << field;
        return QVariant();
    }
    return m_rows.at(row).at(field);
}

bool SqlCipherResult::isNull(int field)
{
    return data(field).isNull();
}

QSqlRecord SqlCipherResult::record() const
{
    if (!isActive() || !isSelect())
        return QSqlRecord();
    return m_record;
}

QVariant SqlCipherResult::lastInsertId() const
{
    if (isActive() && db()) {
        const qint64 id = sqlite3_last_insert_rowid(db());
        if (id != 0)
            return QVariant::fromValue<qlonglong>(id);
    }
    return QVariant();
}

// QSqlResult::bindValue(int, ...) also maintains a name -> index map by formatting ":<index>"
// into a QString for every value, which dominated the cost of bulk inserts. Positional input
// values only need to land in boundValues(), which is what exec() reads; named placeholders
// (rewritten to '?' by QSqlResult) and output parameters keep the base implementation.
void SqlCipherResult::bindValue(int index, const QVariant &value, QSql::ParamType type)
{
    if (type != QSql::In || index < 0) {
        QSqlResult::bindValue(index, value, type);
        return;
    }
    QList<QVariant> &values = boundValues();
    if (values.size() <= index)
        values.resize(index + 1);
    values[index] = value;
}

void SqlCipherResult::detachFromResultSet()
{
    clearRows();
    if (m_stmt)
        sqlite3_reset(m_stmt);
}

// ----------------------------------------------------------------------------------------
// SqlCipherDriver

void registerSqlCipherDriver()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!QSqlDatabase::drivers().contains(QString(SqlCipherDriverName)))
            QSqlDatabase::registerSqlDriver(QString(SqlCipherDriverName), new QSqlDriverCreator<SqlCipherDriver>);
    });
}

SqlCipherDriver::SqlCipherDriver(QObject *parent)
    : QSqlDriver(parent)
{
}

SqlCipherDriver::~SqlCipherDriver()
{
    SqlCipherDriver::close();
}

bool SqlCipherDriver::hasFeature(DriverFeature feature) const
{
    switch (feature) {
    case Transactions:
    case BLOB:
    case Unicode:
    case PreparedQueries:
    case PositionalPlaceholders: // named placeholders are rewritten to '?' by QSqlResult
    case LastInsertId:
    case SimpleLocking:
    case FinishQuery:
    case LowPrecisionNumbers:
        return true;
    case QuerySize:
    case NamedPlaceholders:
    case BatchOperations:
    case EventNotifications:
    case MultipleResultSets:
    case CancelQuery:
        return false;
    }
    return false;
}

QSqlError SqlCipherDriver::errorFromDb(const QString &what, QSqlError::ErrorType type, int rc) const
{
    return QSqlError(what, sqliteMessage(m_db), type, QString::number(rc));
}

bool SqlCipherDriver::open(const QString &path, const QString &, const QString &, const QString &, int,
                           const QString &connectOptions)
{
    if (isOpen())
        close();

    int busyTimeoutMs = kDefaultBusyTimeoutMs;
    m_readOnly = false;
    const QStringList options = connectOptions.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &rawOption : options) {
        const QString option = rawOption.trimmed();
        if (option.startsWith(QLatin1StringView("QSQLCIPHER_BUSY_TIMEOUT="))) {
            bool ok = false;
            const int value = option.mid(option.indexOf(QLatin1Char('=')) + 1).toInt(&ok);
            if (ok && value >= 0)
                busyTimeoutMs = value;
            else
                qCWarning(lcStorage) << "ignoring invalid connect option" << option;
        } else if (option == QLatin1StringView("QSQLCIPHER_OPEN_READONLY")) {
            m_readOnly = true;
        } else if (!option.isEmpty()) {
            qCWarning(lcStorage) << "ignoring unknown connect option" << option;
        }
    }

    // NOMUTEX: a QSqlDatabase connection is only ever used by one thread at a time, so
    // SQLite's per-call connection mutex is pure overhead (QSQLITE does the same).
    const int flags = (m_readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        setLastError(errorFromDb(QStringLiteral("Error opening database"), QSqlError::ConnectionError, rc));
        sqlite3_close(m_db);
        m_db = nullptr;
        setOpenError(true);
        return false;
    }
    sqlite3_extended_result_codes(m_db, 0);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    setOpen(true);
    setOpenError(false);
    return true;
}

void SqlCipherDriver::close()
{
    if (!m_db)
        return;
    for (SqlCipherResult *result : std::as_const(m_results))
        result->finalizeStatement();
    const int rc = sqlite3_close_v2(m_db);
    if (rc != SQLITE_OK)
        setLastError(errorFromDb(QStringLiteral("Error closing database"), QSqlError::ConnectionError, rc));
    m_db = nullptr;
    setOpen(false);
    setOpenError(false);
}

QSqlResult *SqlCipherDriver::createResult() const
{
    return new SqlCipherResult(this);
}

QSqlError SqlCipherDriver::executeRaw(const QByteArray &utf8Sql)
{
    if (!m_db)
        return QSqlError(QStringLiteral("Database is not open"), QString(), QSqlError::ConnectionError);
    // sqlite3_exec needs a NUL-terminated string: QByteArray guarantees one.
    const int rc = sqlite3_exec(m_db, utf8Sql.constData(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return errorFromDb(QStringLiteral("Unable to execute statement"), QSqlError::StatementError, rc);
    return QSqlError();
}

bool SqlCipherDriver::runTransactionStatement(const char *sql, const QString &what, QSqlError::ErrorType type)
{
    if (!m_db)
        return false;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        setLastError(errorFromDb(what, type, rc));
        return false;
    }
    return true;
}

bool SqlCipherDriver::beginTransaction()
{
    if (!m_db)
        return false;
    // A transaction begun inside another one is a SAVEPOINT: a repository that keeps its own
    // writes atomic (db.transaction()) can then run inside a caller's transaction, e.g. an
    // operation and the audit entry that records it (api::AuditLog::transact), and its
    // rollback undoes only its own part.
    if (!sqlite3_get_autocommit(m_db)) {
        const QByteArray sql = "SAVEPOINT signiq_" + QByteArray::number(m_savepoints);
        if (!runTransactionStatement(sql.constData(), QStringLiteral("Unable to begin a nested transaction"), QSqlError::TransactionError))
            return false;
        ++m_savepoints;
        return true;
    }
    m_savepoints = 0;
    // IMMEDIATE takes the write lock up front, so two writers wait on the busy timeout instead
    // of failing with SQLITE_BUSY when a deferred transaction tries to upgrade its lock.
    return runTransactionStatement(m_readOnly ? "BEGIN" : "BEGIN IMMEDIATE",
                                   QStringLiteral("Unable to begin transaction"), QSqlError::TransactionError);
}

bool SqlCipherDriver::commitTransaction()
{
    if (m_savepoints > 0 && m_db && !sqlite3_get_autocommit(m_db)) {
        const QByteArray sql = "RELEASE signiq_" + QByteArray::number(m_savepoints - 1);
        --m_savepoints;
        return runTransactionStatement(sql.constData(), QStringLiteral("Unable to commit a nested transaction"), QSqlError::TransactionError);
    }
    m_savepoints = 0;
    return runTransactionStatement("COMMIT", QStringLiteral("Unable to commit transaction"), QSqlError::TransactionError);
}

bool SqlCipherDriver::rollbackTransaction()
{
    if (m_savepoints > 0 && m_db && !sqlite3_get_autocommit(m_db)) {
        const QByteArray name = "signiq_" + QByteArray::number(m_savepoints - 1);
        --m_savepoints;
        const QByteArray sql = "ROLLBACK TO " + name + "; RELEASE " + name;
        return runTransactionStatement(sql.constData(), QStringLiteral("Unable to roll back a nested transaction"), QSqlError::TransactionError);
    }
    m_savepoints = 0;
    return runTransactionStatement("ROLLBACK", QStringLiteral("Unable to roll back transaction"), QSqlError::TransactionError);
}

QList<QVariantList> SqlCipherDriver::selectRows(const QString &sql, QString *error) const
{
    QList<QVariantList> rows;
    if (!m_db) {
        if (error)
            *error = QStringLiteral("Database is not open");
        return rows;
    }
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare16_v2(m_db, sql.utf16(), int(sql.size() * 2), &stmt, nullptr);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            QVariantList row;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c)
                row.append(columnValue(stmt, c, QSql::HighPrecision, QMetaType()));
            rows.append(row);
        }
    }
    if (rc != SQLITE_DONE && error)
        *error = sqliteMessage(m_db);
    sqlite3_finalize(stmt);
    return rows;
}

QStringList SqlCipherDriver::tables(QSql::TableType type) const
{
    QStringList conditions;
    if (type & QSql::Tables)
        conditions << QStringLiteral("(type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\')");
    if (type & QSql::Views)
        conditions << QStringLiteral("type = 'view'");
    QStringList names;
    if (!conditions.isEmpty()) {
        QString error;
        const auto rows = selectRows(QStringLiteral("SELECT name FROM sqlite_master WHERE ")
                                         + conditions.join(QLatin1StringView(" OR ")) + QStringLiteral(" ORDER BY name"),
                                     &error);
        if (!error.isEmpty())
            qCWarning(lcStorage) << "tables():" << error;
        for (const auto &row : rows)
            names << row.value(0).toString();
    }
    if (type & QSql::SystemTables)
        names << QStringLiteral("sqlite_master");
    return names;
}

QSqlRecord SqlCipherDriver::record(const QString &tableName) const
{
    QSqlRecord record;
    QString error;
    // PRAGMA table_info: cid, name, type, notnull, dflt_value, pk
    const auto rows = selectRows(QStringLiteral("PRAGMA table_info(%1)").arg(escapeIdentifier(tableName, TableName)), &error);
    for (const auto &row : rows) {
        QSqlField field(row.value(1).toString(), metaTypeFromDeclType(row.value(2).toString().toUtf8().constData()),
                        tableName);
        field.setRequiredStatus(row.value(3).toInt() ? QSqlField::Required : QSqlField::Optional);
        if (!row.value(4).isNull())
            field.setDefaultValue(row.value(4));
        record.append(field);
    }
    return record;
}

QSqlIndex SqlCipherDriver::primaryIndex(const QString &tableName) const
{
    QSqlIndex index(tableName, QStringLiteral("primary"));
    QString error;
    const auto rows = selectRows(QStringLiteral("PRAGMA table_info(%1)").arg(escapeIdentifier(tableName, TableName)), &error);
    QList<std::pair<int, QSqlField>> keyFields; // (position in key, field)
    for (const auto &row : rows) {
        const int pk = row.value(5).toInt();
        if (pk > 0)
            keyFields.append({pk, QSqlField(row.value(1).toString(),
                                            metaTypeFromDeclType(row.value(2).toString().toUtf8().constData()),
                                            tableName)});
    }
    std::sort(keyFields.begin(), keyFields.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &entry : keyFields)
        index.append(entry.second);
    return index;
}

QString SqlCipherDriver::escapeIdentifier(const QString &identifier, IdentifierType type) const
{
    if (isIdentifierEscaped(identifier, type))
        return identifier;
    QString escaped = identifier;
    escaped.replace(QLatin1Char('"'), QLatin1StringView("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QVariant SqlCipherDriver::handle() const
{
    return QVariant::fromValue(static_cast<void *>(m_db));
}

} // namespace signiq::storage
