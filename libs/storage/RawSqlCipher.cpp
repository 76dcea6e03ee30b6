#include "storage/RawSqlCipher.h"

#include "crypto/Random.h"
#include "storage/EncryptedDatabase.h"

#include <QFile>

#include <sqlite3.h>

#include <utility>

namespace signiq::storage::detail {

using core::ErrorCode;
using core::makeError;

QByteArray keyPragma(const char *pragma, const QByteArray &key)
{
    QByteArray hex = key.toHex();
    QByteArray sql = QByteArrayLiteral("PRAGMA ") + pragma + QByteArrayLiteral(" = \"x'") + hex + QByteArrayLiteral("'\";");
    crypto::secureZero(hex);
    return sql;
}

core::Result<RawSqlCipher> RawSqlCipher::open(const QString &path, const QByteArray &key, bool create)
{
    if (key.size() != EncryptedDatabase::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the database key must be 32 bytes"));
    sqlite3 *raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, flags, nullptr);
    RawSqlCipher db(raw, path);
    if (rc != SQLITE_OK)
        return makeError(rc == SQLITE_CANTOPEN ? ErrorCode::NotFound : ErrorCode::Io,
                         QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
    sqlite3_busy_timeout(raw, EncryptedDatabase::BusyTimeoutMs);
    QByteArray pragma = keyPragma("key", key);
    const core::Status keyed = db.exec(pragma);
    crypto::secureZero(pragma);
    if (!keyed)
        return keyed.error();
    if (auto ok = db.exec(QByteArrayLiteral("PRAGMA cipher_page_size = ") + QByteArray::number(EncryptedDatabase::CipherPageSize) + ';'); !ok)
        return ok.error();
    char *error = nullptr;
    const int check = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master;", nullptr, nullptr, &error);
    sqlite3_free(error);
    if (check == SQLITE_NOTADB)
        return makeError(ErrorCode::WrongKey, QStringLiteral("cannot open %1: wrong database key or not a Signiq database").arg(path));
    if (check != SQLITE_OK)
        return makeError(ErrorCode::Io, QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(raw))));
    return db;
}

RawSqlCipher::RawSqlCipher(RawSqlCipher &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path))
{
}

RawSqlCipher &RawSqlCipher::operator=(RawSqlCipher &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

RawSqlCipher::~RawSqlCipher()
{
    close();
}

void RawSqlCipher::close()
{
    if (m_db)
        sqlite3_close_v2(std::exchange(m_db, nullptr));
}

core::Status RawSqlCipher::exec(const QByteArray &sql) const
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK)
        return {};
    const QString message = error ? QString::fromUtf8(error) : QString::fromUtf8(sqlite3_errstr(rc));
    sqlite3_free(error);
    return makeError(rc == SQLITE_NOTADB ? ErrorCode::WrongKey : ErrorCode::Io, QStringLiteral("%1: %2").arg(m_path, message));
}

core::Result<QString> RawSqlCipher::queryText(const QByteArray &sql) const
{
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db, sql.constData(), int(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(m_path, QString::fromUtf8(sqlite3_errmsg(m_db))));
    rc = sqlite3_step(stmt);
    QString out;
    if (rc == SQLITE_ROW)
        out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return makeError(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ErrorCode::PermissionDenied : ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(m_path, message));
    return out;
}

core::Status RawSqlCipher::rekey(const QByteArray &newKey) const
{
    if (newKey.size() != EncryptedDatabase::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the new database key must be 32 bytes"));
    QByteArray pragma = keyPragma("rekey", newKey);
    auto ok = exec(pragma);
    crypto::secureZero(pragma);
    return ok;
}

} // namespace signiq::storage::detail
