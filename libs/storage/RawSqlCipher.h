#pragma once

// Private to libs/storage: a bare SQLCipher connection (no Qt driver, no WAL switch, no
// migrations) for backup snapshots, restore and rekey, which must control journal modes and
// keys precisely.

#include "core/Result.h"

#include <QByteArray>
#include <QString>

struct sqlite3;

namespace signiq::storage::detail {

class RawSqlCipher {
public:
    // Opens (creating if `create`) `path`, applies the raw 32-byte key and the page size, and
    // verifies the key (WrongKey when it does not open the file).
    [[nodiscard]] static core::Result<RawSqlCipher> open(const QString &path, const QByteArray &key, bool create);

    RawSqlCipher(RawSqlCipher &&other) noexcept;
    RawSqlCipher &operator=(RawSqlCipher &&other) noexcept;
    RawSqlCipher(const RawSqlCipher &) = delete;
    RawSqlCipher &operator=(const RawSqlCipher &) = delete;
    ~RawSqlCipher();

    sqlite3 *handle() const { return m_db; }
    // Runs SQL (one or more statements); Io with SQLite's message on failure.
    [[nodiscard]] core::Status exec(const QByteArray &sql) const;
    // The first column of the first row as text.
    [[nodiscard]] core::Result<QString> queryText(const QByteArray &sql) const;
    // PRAGMA rekey to `newKey` (32 bytes).
    [[nodiscard]] core::Status rekey(const QByteArray &newKey) const;
    void close();

private:
    RawSqlCipher(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}
    sqlite3 *m_db = nullptr;
    QString m_path;
};

// `PRAGMA key`-style SQL for a raw key: PRAGMA <pragma> = "x'<hex>'";  Wipe it after use.
QByteArray keyPragma(const char *pragma, const QByteArray &key);

} // namespace signiq::storage::detail
