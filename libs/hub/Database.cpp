#include "hub/Database.h"

#include "hub/HubLog.h"
#include "hub/SqlSupport.h"

#include <QAtomicInteger>
#include <QSqlError>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("signiq-hub-%1").arg(counter.fetchAndAddRelaxed(1) + 1);
}

QString firstLine(const QString &sql)
{
    const QString trimmed = sql.trimmed();
    const qsizetype newline = trimmed.indexOf(QLatin1Char('\n'));
    return newline < 0 ? trimmed.left(120) : trimmed.left(std::min<qsizetype>(newline, 120));
}

} // namespace

core::Result<QSqlQuery> Transaction::exec(const QString &sql, const QVariantList &params)
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    bool ok = false;
    QString what;
    if (params.isEmpty()) {
        // Simple query protocol: DDL (which cannot be PREPAREd) and multi-statement scripts.
        ok = query.exec(sql);
        what = QStringLiteral("'%1'").arg(firstLine(sql));
    } else if (!query.prepare(sql)) {
        what = QStringLiteral("preparing '%1'").arg(firstLine(sql));
    } else {
        for (const QVariant &param : params) {
            if (param.metaType() == QMetaType::fromType<QString>() && param.toString().isNull())
                query.addBindValue(QStringLiteral(""));
            else
                query.addBindValue(param);
        }
        ok = query.exec();
        what = QStringLiteral("'%1'").arg(firstLine(sql));
    }
    // Keep the query (and its server-side prepared statement) until the transaction has ended:
    // freeing it inside an aborted transaction fails. Only now, because QSqlQuery detaches a
    // shared copy on prepare()/exec().
    m_queries.append(query);
    if (!ok)
        return sqlError(what, query.lastError());
    return query;
}

QSqlDatabase Transaction::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

core::Status requireOrganisation(Transaction &tx)
{
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("this needs an organisation context"));
    auto q = tx.exec(QStringLiteral("SELECT 1 FROM signiq.organisations WHERE org_id = ?"), {uuidParam(*tx.org())});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation %1").arg(tx.org()->toString(QUuid::WithoutBraces)));
    return {};
}

Database::Database(QString connectionName, ConnectionOptions options)
    : m_connectionName(std::move(connectionName)), m_options(std::move(options))
{
}

Database::Database(Database &&other) noexcept
    : m_connectionName(std::exchange(other.m_connectionName, QString())), m_options(std::move(other.m_options))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        Database gone(std::move(*this));
        m_connectionName = std::exchange(other.m_connectionName, QString());
        m_options = std::move(other.m_options);
    }
    return *this;
}

Database::~Database()
{
    if (m_connectionName.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

core::Result<Database> Database::open(const ConnectionOptions &options)
{
    if (core::Status valid = options.validate(); !valid)
        return valid.error();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("the Qt PostgreSQL driver QPSQL is not installed (Debian package libqt6sql6-psql)"));
    auto password = options.password();
    if (!password)
        return password.error();

    Database database(nextConnectionName(), options);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), database.m_connectionName);
    if (!options.host.isEmpty())
        db.setHostName(options.host);
    db.setPort(options.port);
    db.setDatabaseName(options.dbname);
    db.setUserName(options.user);
    if (!password->isEmpty())
        db.setPassword(*password);
    db.setConnectOptions(options.driverOptions());
    if (!db.open()) {
        core::Error error = sqlError(QStringLiteral("cannot connect to PostgreSQL (%1)").arg(options.describe()), db.lastError());
        if (error.code == ErrorCode::Internal)
            error.code = ErrorCode::Io;
        return error;
    }
    db.setPassword(QString());
    QSqlQuery quiet(db);
    if (!quiet.exec(QStringLiteral("SET client_min_messages = warning")))
        return sqlError(QStringLiteral("SET client_min_messages"), quiet.lastError());
    QSqlQuery version(db);
    if (!version.exec(QStringLiteral("SHOW server_version_num")) || !version.next())
        return sqlError(QStringLiteral("reading the server version"), version.lastError());
    if (version.value(0).toInt() < 150000)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("PostgreSQL %1 is too old: the hub needs 15 or newer").arg(version.value(0).toString()));
    qCDebug(lcHub) << "connected:" << options.describe();
    return database;
}

core::Result<QString> Database::currentUser()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT current_user")) || !query.next())
        return sqlError(QStringLiteral("SELECT current_user"), query.lastError());
    return query.value(0).toString();
}

core::Status Database::begin(const std::optional<QUuid> &org, bool snapshot)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isOpen())
        return makeError(ErrorCode::Io, QStringLiteral("the database connection (%1) is closed").arg(m_options.describe()));
    if (!db.transaction())
        return sqlError(QStringLiteral("BEGIN"), db.lastError());
    // Always set the context, to the organisation or to '' (no organisation): a transaction
    // never sees a value left over from anything else on this connection.
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // Before any other statement: the snapshot is taken by the first query.
    if (snapshot && !query.exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))) {
        const core::Error error = sqlError(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"), query.lastError());
        db.rollback();
        return error;
    }
    const QString value = org ? org->toString(QUuid::WithoutBraces) : QString();
    if (org && org->isNull()) {
        db.rollback();
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no organisation id"));
    }
    if (!query.prepare(QStringLiteral("SELECT set_config('signiq.org_id', ?, true)"))) {
        const core::Error error = sqlError(QStringLiteral("setting the organisation context"), query.lastError());
        db.rollback();
        return error;
    }
    query.addBindValue(value);
    if (!query.exec()) {
        const core::Error error = sqlError(QStringLiteral("setting the organisation context"), query.lastError());
        db.rollback();
        return error;
    }
    return {};
}

core::Status Database::commit()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.commit()) {
        const core::Error error = sqlError(QStringLiteral("COMMIT"), db.lastError());
        db.rollback();
        return error;
    }
    return {};
}

void Database::rollback()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.rollback())
        qCWarning(lcHub) << "ROLLBACK failed:" << db.lastError().text();
}

} // namespace signiq::hub
