#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "hub/ConnectionOptions.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>

namespace signiq::hub {

// What a hub backup holds besides the dump, read from one REPEATABLE READ snapshot as the
// backup role; the same snapshot is handed to pg_dump (--snapshot), so counts and dump agree.
// Stored as the envelope's associated data (JSON), so every chunk authenticates it.
struct BackupManifest {
    struct Migration {
        int version = 0;
        QString name;
        QString sha256;
    };
    qint64 createdAtMs = 0;
    QString database;
    QString serverVersion; // server_version_num of the source, e.g. "150008"
    QList<Migration> migrations; // signiq.schema_migrations, by version
    QMap<QString, qint64> rowCounts; // every table in schema signiq ("signiq.sites"), partitions included
    QStringList forcedRlsTables; // tables with ENABLE + FORCE ROW LEVEL SECURITY at backup time
    QString keyId; // hex id of the backup key (not the key)
    qint64 dumpBytes = 0; // SQL bytes in the file (known after verify())

    qint64 totalRows() const;
};

struct BackupOptions {
    ConnectionOptions connection; // as the backup role (BYPASSRLS, read-only): signiq_backup
    QString outPath; // written as <outPath>.partial, renamed at the end
    QByteArray backupKey; // 32 bytes, independent of every other key
    QString pgBinDir; // where pg_dump is; empty: $SIGNIQ_PG_BINDIR or /usr/lib/postgresql/15/bin
    int chunkSize = 64 * 1024; // plaintext bytes per envelope chunk
    // Called with the dump bytes sealed so far (every few MiB and at the end).
    std::function<void(qint64)> progress;
};

struct RestoreOptions {
    ConnectionOptions connection; // as the database's owner (signiq_owner), into an empty database
    QString inPath;
    QByteArray backupKey;
    QString pgBinDir; // where psql is (as for BackupOptions)
    std::function<void(qint64)> progress;
};

// `signiq-hub backup` / `restore` (docs/hub.md, "Backup and restore").
//
// The file is one Signiq envelope (crypto::EnvelopeWriter: chunked AES-256-GCM, each chunk
// bound to its index and to the header, the last chunk marked) under the backup key; the
// manifest is its associated data. The plaintext is a sequence of records
// [type u8][length u32 big-endian][payload]: plain-format pg_dump SQL of the sections pre-data,
// data and post-data of schema signiq (three pg_dump runs on the same exported snapshot), then
// one end record with the byte count of each section.
//
// Restore verifies the whole file first (every tag, the sequence, the end marker, the record
// structure) and only then streams the SQL through `psql --single-transaction` as the owner.
// Between the data and post-data sections it runs a check of every table's row count against
// the manifest, and after post-data a check of RLS (ENABLE, FORCE, tenant_isolation policy)
// and schema_migrations; any failure aborts the one transaction, so nothing is restored.
class Backup {
public:
    // The 32-byte key of a backup key file (64 hex characters or 32 raw bytes, mode 0600 or
    // stricter). NotFound names the file and how to create one.
    [[nodiscard]] static core::Result<QByteArray> loadKey(const QString &path);

    // Dumps and seals. On any failure <outPath>.partial is removed and the error names the
    // problem (wrong role, pg_dump's exit status or signal and its last message, I/O).
    [[nodiscard]] static core::Result<BackupManifest> create(const BackupOptions &options, const core::Clock &clock);

    // Reads the whole file and checks it without a database: Corrupt (tampered, truncated,
    // reordered), WrongKey, Unsupported. The manifest with dumpBytes set.
    [[nodiscard]] static core::Result<BackupManifest> verify(const QString &path, const QByteArray &backupKey);

    // verify(), then refuses a target database that is not empty or a role that is not the
    // database's (non-superuser) owner, then restores in one transaction and checks it.
    [[nodiscard]] static core::Result<BackupManifest> restore(const RestoreOptions &options);
};

} // namespace signiq::hub
