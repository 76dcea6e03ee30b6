#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace signiq::storage {

// One open, keyed, migrated SQLCipher database, owning a named QSqlDatabase connection.
// Move-only; the connection is closed and removed when the object is destroyed.
// Like every QSqlDatabase connection it must only be used from the thread that opened it.
class EncryptedDatabase {
public:
    static constexpr int KeySize = 32;           // raw AES-256 key
    static constexpr int CipherPageSize = 4096;
    static constexpr int BusyTimeoutMs = 5000;

    struct OpenOptions {
        bool migrate = true; // false: key and verify only (tests and tools)
    };

    // Start-up check that this process really talks to SQLCipher: `PRAGMA cipher_version`
    // must answer. Returns the SQLCipher version, or an Unsupported error explaining that the
    // process is linked against plain SQLite. Call it once at program start.
    [[nodiscard]] static core::Result<QString> selfCheck();

    // Registers the driver, opens (creating if needed) `path` under `connectionName`, applies
    // the 32-byte `key` (PRAGMA key = "x'..'", cipher_page_size 4096), verifies it by reading
    // sqlite_master, switches to WAL with a busy timeout and runs the schema migrations.
    // Errors: InvalidArgument (key size, connection name in use), WrongKey, Io,
    // Unsupported (plain SQLite linked, or a schema newer than this build), Internal.
    [[nodiscard]] static core::Result<EncryptedDatabase> open(const QString &path, const QByteArray &key,
                                                              const QString &connectionName);
    [[nodiscard]] static core::Result<EncryptedDatabase> open(const QString &path, const QByteArray &key,
                                                              const QString &connectionName, OpenOptions options);

    EncryptedDatabase(EncryptedDatabase &&other) noexcept;
    EncryptedDatabase &operator=(EncryptedDatabase &&other) noexcept;
    EncryptedDatabase(const EncryptedDatabase &) = delete;
    EncryptedDatabase &operator=(const EncryptedDatabase &) = delete;
    ~EncryptedDatabase();

    // The connection (a cheap handle; do not keep copies beyond this object's lifetime).
    QSqlDatabase database() const;
    QString connectionName() const { return m_connectionName; }
    QString path() const { return m_path; }
    bool isOpen() const;

    // PRAGMA user_version.
    [[nodiscard]] core::Result<int> schemaVersion() const;

    // Closes and removes the connection. Idempotent.
    void close();

private:
    EncryptedDatabase(QString path, QString connectionName);

    QString m_path;
    QString m_connectionName; // empty once closed or moved from
};

} // namespace signiq::storage
