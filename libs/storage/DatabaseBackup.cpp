#include "storage/DatabaseBackup.h"

#include "crypto/Envelope.h"
#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "storage/EncryptedDatabase.h"
#include "storage/RawSqlCipher.h"
#include "storage/StorageLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signiq::storage {

using core::ErrorCode;
using core::makeError;
using detail::RawSqlCipher;

namespace {

constexpr auto kFormat = "signiq-edge-db-backup";
constexpr int kFormatVersion = 1;
constexpr int kSnapshotKeySize = 32;

QStringList sidecars(const QString &db)
{
    return {db, db + QStringLiteral("-wal"), db + QStringLiteral("-shm"), db + QStringLiteral("-journal")};
}

// A private (0700) temporary directory next to `target`, so the final rename stays on one
// file system. Removed with its contents when it goes out of scope.
core::Result<std::unique_ptr<QTemporaryDir>> privateTempDirNextTo(const QString &target)
{
    const QFileInfo info(target);
    auto dir = std::make_unique<QTemporaryDir>(info.absolutePath() + QStringLiteral("/.signiq-tmp-XXXXXX"));
    if (!dir->isValid())
        return makeError(ErrorCode::Io, QStringLiteral("cannot create a temporary directory in %1: %2").arg(info.absolutePath(), dir->errorString()));
    QFile::setPermissions(dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return dir;
}

core::Result<BackupInfo> parseAad(const QByteArray &aad, const QByteArray &keyId)
{
    const QJsonObject o = QJsonDocument::fromJson(aad).object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1StringView(kFormat))
        return makeError(ErrorCode::Corrupt, QStringLiteral("not a Signiq database backup (the envelope holds something else)"));
    if (o.value(QStringLiteral("version")).toInt() != kFormatVersion)
        return makeError(ErrorCode::Unsupported, QStringLiteral("backup format version %1 is not supported (this build reads %2)")
                                                     .arg(o.value(QStringLiteral("version")).toInt()).arg(kFormatVersion));
    BackupInfo info;
    info.createdAtMs = o.value(QStringLiteral("created_ms")).toInteger();
    info.schemaVersion = o.value(QStringLiteral("schema_version")).toInt();
    info.databaseBytes = o.value(QStringLiteral("database_bytes")).toInteger();
    info.keyId = QString::fromLatin1(keyId.toHex());
    return info;
}

// Copies every page of `src` into `dst` in one step, i.e. inside one read transaction on the
// source: a consistent snapshot, and in WAL mode writers are not blocked meanwhile.
core::Status onlineCopy(sqlite3 *src, sqlite3 *dst, const QString &path)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        sqlite3_backup *backup = sqlite3_backup_init(dst, "main", src, "main");
        if (!backup)
            return makeError(ErrorCode::Io, QStringLiteral("cannot start the snapshot of %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(dst))));
        const int rc = sqlite3_backup_step(backup, -1);
        const int finished = sqlite3_backup_finish(backup);
        if (rc == SQLITE_DONE && finished == SQLITE_OK)
            return {};
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(20); // SQLite's own busy back-off; a writer holds a lock for milliseconds
            continue;
        }
        return makeError(ErrorCode::Io, QStringLiteral("snapshot of %1 failed: %2").arg(path, QString::fromUtf8(sqlite3_errstr(rc))));
    }
    return makeError(ErrorCode::Io, QStringLiteral("snapshot of %1 failed: the database stayed locked").arg(path));
}

} // namespace

core::Result<BackupInfo> DatabaseBackup::create(const QString &dbPath, const QByteArray &dbKey, const QString &outPath,
                                                const QByteArray &backupKey, const core::Clock &clock)
{
    if (backupKey.size() != crypto::envelope::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the backup key must be 32 bytes"));
    if (backupKey == dbKey)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the backup key must not be the database key (use a separate key file: signiq-edge init-key)"));
    if (!QFileInfo(dbPath).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("database %1 does not exist").arg(dbPath));
    if (QFileInfo::exists(outPath))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 already exists; refusing to overwrite it").arg(outPath));

    auto tmp = privateTempDirNextTo(outPath);
    if (!tmp)
        return tmp.error();
    const QString snapshotPath = (*tmp)->filePath(QStringLiteral("snapshot.db"));
    auto snapshotKey = crypto::randomBytes(kSnapshotKeySize);
    if (!snapshotKey)
        return snapshotKey.error();

    BackupInfo info;
    info.createdAtMs = clock.nowMs();
    {
        auto source = RawSqlCipher::open(dbPath, dbKey, false);
        if (!source)
            return source.error();
        auto snapshot = RawSqlCipher::open(snapshotPath, *snapshotKey, true);
        if (!snapshot)
            return snapshot.error();
        if (auto ok = onlineCopy(source->handle(), snapshot->handle(), dbPath); !ok)
            return ok.error();
        auto version = snapshot->queryText("PRAGMA user_version;");
        if (!version)
            return version.error();
        info.schemaVersion = version->toInt();
    } // both closed: the snapshot file is complete (rollback-journal mode, no WAL)

    QFile snapshotFile(snapshotPath);
    if (!snapshotFile.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read the snapshot: %1").arg(snapshotFile.errorString()));
    info.databaseBytes = snapshotFile.size();
    info.keyId = QString::fromLatin1(crypto::envelope::keyId(backupKey).toHex());
    const QByteArray aad = QJsonDocument(QJsonObject{{QStringLiteral("format"), QLatin1StringView(kFormat)},
                                                     {QStringLiteral("version"), kFormatVersion},
                                                     {QStringLiteral("created_ms"), info.createdAtMs},
                                                     {QStringLiteral("schema_version"), info.schemaVersion},
                                                     {QStringLiteral("database_bytes"), info.databaseBytes}})
                               .toJson(QJsonDocument::Compact);

    // The sealed file is written inside the private directory, then moved into place.
    const QString sealedPath = (*tmp)->filePath(QStringLiteral("backup.sqev"));
    QFile sealed(sealedPath);
    if (!sealed.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(sealedPath, sealed.errorString()));
    sealed.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto writer = crypto::EnvelopeWriter::begin(backupKey, sealed, aad, ChunkSize);
    if (!writer)
        return writer.error();
    auto written = writer->write(*snapshotKey);
    crypto::secureZero(*snapshotKey);
    if (!written)
        return written.error();
    QByteArray buffer(ChunkSize, Qt::Uninitialized);
    while (true) {
        const qint64 n = snapshotFile.read(buffer.data(), buffer.size());
        if (n < 0)
            return makeError(ErrorCode::Io, QStringLiteral("cannot read the snapshot: %1").arg(snapshotFile.errorString()));
        if (n == 0)
            break;
        if (auto ok = writer->write(QByteArrayView(buffer.constData(), n)); !ok)
            return ok.error();
    }
    if (auto ok = writer->finish(); !ok)
        return ok.error();
    if (!sealed.flush() || ::fsync(sealed.handle()) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot flush %1").arg(sealedPath));
    info.fileBytes = sealed.size();
    sealed.close();
    if (auto ok = crypto::securefile::renameNoReplace(sealedPath, outPath); !ok)
        return ok.error();
    qCInfo(lcStorage) << "backup of" << dbPath << "written to" << outPath << info.databaseBytes << "bytes";
    return info;
}

core::Result<BackupInfo> DatabaseBackup::restore(const QString &backupPath, const QByteArray &backupKey, const QString &newDbPath,
                                                 const QByteArray &dbKey)
{
    if (dbKey.size() != EncryptedDatabase::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the database key must be 32 bytes"));
    for (const QString &f : sidecars(newDbPath)) {
        if (QFileInfo::exists(f))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("%1 already exists; restore only creates a new database and never overwrites one").arg(f));
    }
    QFile in(backupPath);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(in.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("cannot read backup %1: %2").arg(backupPath, in.errorString()));
    const auto withPath = [&](const core::Error &e) {
        return makeError(e.code, QStringLiteral("backup %1: %2").arg(backupPath, e.message));
    };
    auto reader = crypto::EnvelopeReader::begin(backupKey, in);
    if (!reader)
        return withPath(reader.error());
    auto info = parseAad(reader->header().aad, reader->header().keyId);
    if (!info)
        return withPath(info.error());
    info->fileBytes = in.size();

    auto tmp = privateTempDirNextTo(newDbPath);
    if (!tmp)
        return tmp.error();
    const QString restoredPath = (*tmp)->filePath(QStringLiteral("restored.db"));
    QFile out(restoredPath);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(restoredPath, out.errorString()));
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray snapshotKey;
    while (!reader->atEnd()) {
        auto chunk = reader->readChunk();
        if (!chunk) {
            crypto::secureZero(snapshotKey);
            return withPath(chunk.error());
        }
        QByteArrayView data(*chunk);
        if (snapshotKey.size() < kSnapshotKeySize) {
            const qsizetype take = qMin<qsizetype>(kSnapshotKeySize - snapshotKey.size(), data.size());
            snapshotKey.append(data.first(take));
            data = data.sliced(take);
        }
        if (!data.isEmpty() && out.write(data.data(), data.size()) != data.size())
            return makeError(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(restoredPath, out.errorString()));
        crypto::secureZero(*chunk);
    }
    if (snapshotKey.size() != kSnapshotKeySize || out.size() != info->databaseBytes) {
        crypto::secureZero(snapshotKey);
        return withPath(makeError(ErrorCode::Corrupt, QStringLiteral("the snapshot is incomplete")));
    }
    if (!out.flush() || ::fsync(out.handle()) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot flush %1").arg(restoredPath));
    out.close();

    // Everything is authenticated. Check the snapshot, then re-key it to the database key.
    {
        auto restored = RawSqlCipher::open(restoredPath, snapshotKey, false);
        crypto::secureZero(snapshotKey);
        if (!restored)
            return withPath(restored.error());
        auto integrity = restored->queryText("PRAGMA quick_check;");
        if (!integrity)
            return integrity.error();
        if (*integrity != QLatin1StringView("ok"))
            return makeError(ErrorCode::Corrupt, QStringLiteral("the restored database fails its integrity check: %1").arg(*integrity));
        // The snapshot carries the source's WAL flag; re-key in rollback-journal mode so that
        // the whole file is rewritten in one journalled transaction.
        if (auto mode = restored->queryText("PRAGMA journal_mode = DELETE;"); !mode)
            return mode.error();
        if (auto ok = restored->rekey(dbKey); !ok)
            return ok.error();
    }
    {
        auto check = RawSqlCipher::open(restoredPath, dbKey, false);
        if (!check)
            return makeError(ErrorCode::Internal, QStringLiteral("the restored database does not open with the database key: %1").arg(check.error().message));
    }
    if (auto ok = crypto::securefile::renameNoReplace(restoredPath, newDbPath); !ok)
        return ok.error();
    qCInfo(lcStorage) << "restored backup" << backupPath << "to" << newDbPath;
    return info;
}

core::Result<BackupInfo> DatabaseBackup::inspect(const QString &backupPath)
{
    QFile in(backupPath);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(in.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("cannot read backup %1: %2").arg(backupPath, in.errorString()));
    auto header = crypto::EnvelopeReader::peekHeader(in);
    if (!header)
        return header.error();
    auto info = parseAad(header->aad, header->keyId);
    if (info)
        info->fileBytes = in.size();
    return info;
}

} // namespace signiq::storage
