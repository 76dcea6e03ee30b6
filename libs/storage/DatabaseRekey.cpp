#include "storage/DatabaseRekey.h"

#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "storage/KeyFile.h"
#include "storage/RawSqlCipher.h"
#include "storage/StorageLog.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace signiq::storage {

using core::ErrorCode;
using core::makeError;
using detail::RawSqlCipher;

namespace {

// Loads a key and wipes it when it goes out of scope.
struct Key {
    QByteArray bytes;
    ~Key() { crypto::secureZero(bytes); }
};

core::Status replaceKeyFile(const QString &pending, const QString &keyFile)
{
    if (std::rename(QFile::encodeName(pending).constData(), QFile::encodeName(keyFile).constData()) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot rename %1 to %2; the database is now keyed with %1: keep it").arg(pending, keyFile));
    return crypto::securefile::syncDirectoryOf(keyFile);
}

} // namespace

core::Result<DatabaseRekey::Outcome> DatabaseRekey::rotate(const QString &dbPath, const QString &keyFilePath)
{
    if (!QFileInfo(dbPath).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("database %1 does not exist").arg(dbPath));
    Key oldKey;
    {
        auto loaded = KeyFile::load(keyFilePath);
        if (!loaded)
            return loaded.error();
        oldKey.bytes = std::move(*loaded);
    }
    const QString pending = pendingKeyPath(keyFilePath);

    // An interrupted rotation?
    if (QFileInfo::exists(pending)) {
        Key pendingKey;
        auto loaded = KeyFile::load(pending);
        if (!loaded)
            return makeError(loaded.error().code,
                             QStringLiteral("a previous rekey left %1 behind and it cannot be read: %2").arg(pending, loaded.error().message));
        pendingKey.bytes = std::move(*loaded);
        if (RawSqlCipher::open(dbPath, pendingKey.bytes, false)) {
            if (auto ok = replaceKeyFile(pending, keyFilePath); !ok)
                return ok.error();
            qCInfo(lcStorage) << "completed an interrupted key rotation of" << dbPath;
            return Outcome::CompletedInterruptedRotation;
        }
        if (!RawSqlCipher::open(dbPath, oldKey.bytes, false))
            return makeError(ErrorCode::WrongKey,
                             QStringLiteral("%1 opens neither with %2 nor with %3; refusing to touch anything").arg(dbPath, keyFilePath, pending));
        QFile::remove(pending); // never used: the database still has the old key
    }

    auto db = RawSqlCipher::open(dbPath, oldKey.bytes, false);
    if (!db)
        return db.error();
    // Exclusive access: leave WAL mode (impossible while another connection has the file open).
    if (auto ok = db->exec("PRAGMA wal_checkpoint(TRUNCATE);"); !ok)
        return ok.error();
    auto mode = db->queryText("PRAGMA journal_mode = DELETE;");
    if (!mode || mode->compare(QLatin1StringView("delete"), Qt::CaseInsensitive) != 0)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("%1 is in use by another process (stop signiq-edge before rotating its key)%2")
                             .arg(dbPath, mode ? QString() : QStringLiteral(": ") + mode.error().message));

    if (auto ok = KeyFile::generate(pending); !ok)
        return ok.error();
    if (auto ok = crypto::securefile::syncDirectoryOf(pending); !ok)
        return ok.error();
    Key newKey;
    {
        auto loaded = KeyFile::load(pending); // exactly what is on disk
        if (!loaded)
            return loaded.error();
        newKey.bytes = std::move(*loaded);
    }
    if (auto ok = db->rekey(newKey.bytes); !ok)
        return makeError(ok.error().code, QStringLiteral("PRAGMA rekey failed (the database keeps its old key): %1").arg(ok.error().message));
    db->close();

    auto reopened = RawSqlCipher::open(dbPath, newKey.bytes, false);
    if (!reopened)
        return makeError(ErrorCode::Internal, QStringLiteral("the database does not open with the new key after rekey: %1 (the new key is in %2)")
                                                  .arg(reopened.error().message, pending));
    if (RawSqlCipher::open(dbPath, oldKey.bytes, false))
        return makeError(ErrorCode::Internal, QStringLiteral("the old key still opens %1 after rekey").arg(dbPath));
    if (auto wal = reopened->queryText("PRAGMA journal_mode = WAL;"); !wal)
        return wal.error();
    reopened->close();

    if (auto ok = replaceKeyFile(pending, keyFilePath); !ok)
        return ok.error();
    qCInfo(lcStorage) << "rotated the key of" << dbPath;
    return Outcome::Rotated;
}

} // namespace signiq::storage
