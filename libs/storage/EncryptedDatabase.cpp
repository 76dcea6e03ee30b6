#include "storage/EncryptedDatabase.h"

#include "crypto/Random.h"
#include "storage/SchemaMigrations.h"
#include "storage/SqlCipherDriver.h"
#include "storage/StorageLog.h"

#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <utility>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

constexpr int kSqliteNotADb = 26; // SQLITE_NOTADB

QString plainSqliteMessage()
{
    return QStringLiteral(
        "SQLCipher self-check failed: PRAGMA cipher_version returned nothing, so this process is linked "
        "against plain SQLite (libsqlite3) instead of SQLCipher and databases would NOT be encrypted. "
        "Link the executable with signiq_link_sqlcipher() so that libsqlcipher comes before OpenCV/libsqlite3, "
        "and never load the QSQLITE plugin in this process (see docs/storage.md)");
}

// Empty string when the linked library is plain SQLite.
core::Result<QString> queryCipherVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA cipher_version")))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("PRAGMA cipher_version failed: %1").arg(query.lastError().text()));
    if (!query.next())
        return QString();
    return query.value(0).toString();
}

core::Status configure(QSqlDatabase &db, const QString &path, const QByteArray &key)
{
    auto *driver = qobject_cast<SqlCipherDriver *>(db.driver());
    if (!driver)
        return makeError(ErrorCode::Internal, QStringLiteral("connection does not use the QSQLCIPHER driver"));

    // 1. SQLCipher, not SQLite: with plain SQLite, PRAGMA key would be silently ignored.
    auto version = queryCipherVersion(db);
    if (!version)
        return version.error();
    if (version->isEmpty())
        return makeError(ErrorCode::Unsupported, plainSqliteMessage());

    // 2. The raw key, then the page size, before anything reads the file.
    QByteArray hex = key.toHex();
    QByteArray pragma = QByteArrayLiteral("PRAGMA key = \"x'") + hex + QByteArrayLiteral("'\";");
    const QSqlError keyError = driver->executeRaw(pragma);
    crypto::secureZero(pragma);
    crypto::secureZero(hex);
    if (keyError.isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot apply the key to %1: %2").arg(path, keyError.text()));
    const QSqlError pageError =
        driver->executeRaw(QByteArrayLiteral("PRAGMA cipher_page_size = ") + QByteArray::number(EncryptedDatabase::CipherPageSize) + ';');
    if (pageError.isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot set cipher_page_size on %1: %2").arg(path, pageError.text()));

    // 3. Verify the key: the first read decrypts page 1.
    const QSqlError readError = driver->executeRaw(QByteArrayLiteral("SELECT count(*) FROM sqlite_master;"));
    if (readError.isValid()) {
        if (readError.nativeErrorCode().toInt() == kSqliteNotADb)
            return makeError(ErrorCode::WrongKey,
                             QStringLiteral("cannot open %1: wrong database key or not a Signiq database").arg(path));
        return makeError(ErrorCode::Io, QStringLiteral("cannot open %1: %2").arg(path, readError.databaseText()));
    }

    // 4. WAL, busy timeout, foreign keys.
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
        return makeError(ErrorCode::Io, QStringLiteral("cannot switch %1 to WAL: %2").arg(path, query.lastError().text()));
    const QString mode = query.value(0).toString();
    if (mode.compare(QLatin1StringView("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcStorage) << "journal mode of" << path << "is" << mode << "instead of wal";
    query.finish();
    for (const QString &sql : {QStringLiteral("PRAGMA busy_timeout = %1").arg(EncryptedDatabase::BusyTimeoutMs),
                               QStringLiteral("PRAGMA foreign_keys = ON")}) {
        if (!query.exec(sql))
            return makeError(ErrorCode::Internal, QStringLiteral("%1 failed on %2: %3").arg(sql, path, query.lastError().text()));
        query.finish();
    }
    return {};
}

} // namespace

core::Result<QString> EncryptedDatabase::selfCheck()
{
    registerSqlCipherDriver();
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("signiq-selfcheck-%1").arg(counter.fetch_add(1));
    core::Result<QString> result = QString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QString(SqlCipherDriverName), name);
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (!db.open()) {
            result = makeError(ErrorCode::Internal,
                               QStringLiteral("SQLCipher self-check: cannot open an in-memory database: %1").arg(db.lastError().text()));
        } else {
            result = queryCipherVersion(db);
            if (result && result->isEmpty())
                result = makeError(ErrorCode::Unsupported, plainSqliteMessage());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    if (result)
        qCDebug(lcStorage) << "SQLCipher" << *result << "linked";
    return result;
}

core::Result<EncryptedDatabase> EncryptedDatabase::open(const QString &path, const QByteArray &key,
                                                        const QString &connectionName)
{
    return open(path, key, connectionName, OpenOptions{});
}

core::Result<EncryptedDatabase> EncryptedDatabase::open(const QString &path, const QByteArray &key,
                                                        const QString &connectionName, OpenOptions options)
{
    if (key.size() != KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot open %1: the database key must be %2 bytes, got %3").arg(path).arg(KeySize).arg(key.size()));
    if (connectionName.isEmpty() || QSqlDatabase::contains(connectionName))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot open %1: connection name '%2' is empty or already in use").arg(path, connectionName));
    // Refuse before touching the file when the process is linked against plain SQLite.
    static const core::Result<QString> linkedCipher = selfCheck();
    if (!linkedCipher)
        return linkedCipher.error();

    EncryptedDatabase handle(path, connectionName); // closes and removes the connection on failure
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QString(SqlCipherDriverName), connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLCIPHER_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
        if (!db.open())
            return makeError(ErrorCode::Io, QStringLiteral("cannot open %1: %2").arg(path, db.lastError().databaseText()));
        const core::Status configured = configure(db, path, key);
        if (!configured)
            return configured.error();
        if (options.migrate) {
            const core::Status migrated = SchemaMigrations::migrate(db);
            if (!migrated)
                return makeError(migrated.error().code, QStringLiteral("%1: %2").arg(path, migrated.error().message));
        }
    }
    qCInfo(lcStorage) << "opened encrypted database" << path << "as" << connectionName;
    return handle;
}

EncryptedDatabase::EncryptedDatabase(QString path, QString connectionName)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName))
{
}

EncryptedDatabase::EncryptedDatabase(EncryptedDatabase &&other) noexcept
    : m_path(std::move(other.m_path)), m_connectionName(std::exchange(other.m_connectionName, QString()))
{
}

EncryptedDatabase &EncryptedDatabase::operator=(EncryptedDatabase &&other) noexcept
{
    if (this != &other) {
        close();
        m_path = std::move(other.m_path);
        m_connectionName = std::exchange(other.m_connectionName, QString());
    }
    return *this;
}

EncryptedDatabase::~EncryptedDatabase()
{
    close();
}

void EncryptedDatabase::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    m_connectionName.clear();
}

QSqlDatabase EncryptedDatabase::database() const
{
    if (m_connectionName.isEmpty())
        return QSqlDatabase();
    return QSqlDatabase::database(m_connectionName, false);
}

bool EncryptedDatabase::isOpen() const
{
    return !m_connectionName.isEmpty() && database().isOpen();
}

core::Result<int> EncryptedDatabase::schemaVersion() const
{
    return SchemaMigrations::currentVersion(database());
}

} // namespace signiq::storage
