#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::storage {

// What a backup file says about itself (authenticated associated data of its envelope).
struct BackupInfo {
    qint64 createdAtMs = 0;
    int schemaVersion = 0;
    qint64 databaseBytes = 0; // size of the snapshot
    qint64 fileBytes = 0;     // size of the backup file
    QString keyId;            // hex id of the backup key (crypto::envelope::keyId)
};

// Encrypted backups of the edge database (see docs/security.md).
//
// A backup file is a crypto envelope (AES-256-GCM, chunked) under the BACKUP key, which is
// independent of the database key. Its plaintext is a fresh random 32-byte snapshot key
// followed by a SQLCipher snapshot of the database encrypted with that snapshot key; its AAD is
// a small JSON object (format, version, creation time, schema version, snapshot size). So the
// backup key alone restores it, rotating the database key never invalidates old backups, and
// no plaintext page ever touches the disk, not even in temporary files.
class DatabaseBackup {
public:
    // Takes a consistent online snapshot of `dbPath` (SQLite online backup API, one read
    // transaction: the WAL lets other connections and processes keep writing meanwhile) and
    // writes the backup to `outPath` with mode 0600. `outPath` must not exist (never
    // overwritten); it appears complete or not at all.
    // Errors: NotFound (no database), WrongKey (database key), InvalidArgument (out exists,
    // key sizes), Io.
    [[nodiscard]] static core::Result<BackupInfo> create(const QString &dbPath, const QByteArray &dbKey,
                                                         const QString &outPath, const QByteArray &backupKey,
                                                         const core::Clock &clock);

    // Verifies the whole backup (every chunk authenticated, nothing missing) and restores it
    // into the NEW database file `newDbPath`, keyed with `dbKey`, mode 0600. `newDbPath` must not
    // exist; an existing database is never touched. Until verification and re-keying are done
    // the data lives only in a private temporary directory, encrypted with the snapshot key.
    // Errors: NotFound (no backup), InvalidArgument (target exists), WrongKey (backup key),
    // Corrupt (truncated/tampered: names the chunk or field), Unsupported (format version).
    [[nodiscard]] static core::Result<BackupInfo> restore(const QString &backupPath, const QByteArray &backupKey,
                                                          const QString &newDbPath, const QByteArray &dbKey);

    // Reads the header without a key (AAD is not authenticated until a restore).
    [[nodiscard]] static core::Result<BackupInfo> inspect(const QString &backupPath);

    static constexpr int ChunkSize = 1024 * 1024;
};

} // namespace signiq::storage
