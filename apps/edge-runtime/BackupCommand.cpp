#include "BackupCommand.h"

#include "AuditKey.h"
#include "CommandOutput.h"

#include "api/AuditLog.h"

#include "core/Clock.h"
#include "crypto/Random.h"
#include "storage/DatabaseBackup.h"
#include "storage/DatabaseRekey.h"
#include "storage/EncryptedDatabase.h"
#include "storage/KeyFile.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>

namespace signiq::edge {

namespace {

struct Options {
    QString db;
    QString keyFile;
    QString backupFile;
    QString backupKeyFile;
};

// The named options must all be given; returns the usage error otherwise.
std::optional<int> require(const QCommandLineParser &parser, const QString &command, const QStringList &names)
{
    for (const QString &name : names) {
        if (parser.value(name).isEmpty())
            return fail(QStringLiteral("%1 needs --%2 (try signiq-edge %1 --help)").arg(command, name), ExitUsage);
    }
    return std::nullopt;
}

core::Status selfCheck()
{
    auto version = storage::EncryptedDatabase::selfCheck();
    if (!version)
        return version.error();
    return {};
}

// Backup, restore and rekey write their own audit entry (actor "cli", result ok/error) into
// the database they work on, signed when --audit-key-file is given.
api::AuditEvent cliEvent(const QString &action, const QString &target, const QString &result)
{
    return api::AuditEvent{QStringLiteral("cli"), QString(), action, target, result};
}

core::Status recordIn(const QString &dbPath, const QByteArray &dbKey, const crypto::Ed25519SigningKey *signer, const api::AuditEvent &event)
{
    auto db = storage::EncryptedDatabase::open(dbPath, dbKey, QStringLiteral("signiq-edge-audit"));
    if (!db)
        return db.error();
    const core::SystemClock clock;
    auto recorded = api::AuditLog(*db, clock, signer).record(event);
    if (!recorded)
        return recorded.error();
    return {};
}

// Before an operation starts: would its audit entry be accepted? (Never back up or rekey unaudited.)
core::Status auditWritable(const QString &dbPath, const QByteArray &dbKey, const crypto::Ed25519SigningKey *signer)
{
    auto db = storage::EncryptedDatabase::open(dbPath, dbKey, QStringLiteral("signiq-edge-audit"));
    if (!db)
        return db.error();
    const core::SystemClock clock;
    return api::AuditLog(*db, clock, signer).checkWritable();
}

QString sizeText(qint64 bytes)
{
    return bytes >= 1024 * 1024 ? QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
                                : QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
}

} // namespace

int runBackupCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write an encrypted backup of the edge database: a consistent snapshot taken while signiq-edge keeps\n"
        "running, sealed with AES-256-GCM under a backup key that is independent of the database key.\n"
        "Create the backup key once with: signiq-edge init-key BACKUP_KEY_FILE (and keep it off the device)."));
    parser.addOption({QStringLiteral("db"), QStringLiteral("The SQLCipher database."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("key-file"), QStringLiteral("Its 256-bit key file (mode 0600)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Backup file to create (mode 0600; never overwritten)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("backup-key-file"), QStringLiteral("The 256-bit backup key file (mode 0600)."), QStringLiteral("FILE")});
    addAuditKeyOption(parser);
    if (auto code = parseCommandLine(parser, QStringLiteral("backup"), args))
        return *code;
    if (auto code = require(parser, QStringLiteral("backup"), {QStringLiteral("db"), QStringLiteral("key-file"), QStringLiteral("out"), QStringLiteral("backup-key-file")}))
        return *code;
    if (auto ok = selfCheck(); !ok)
        return fail(ok.error());
    auto auditKey = loadAuditKey(parser, parser.value(QStringLiteral("key-file")));
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    const crypto::Ed25519SigningKey *signer = *auditKey ? &**auditKey : nullptr;
    auto dbKey = storage::KeyFile::load(parser.value(QStringLiteral("key-file")));
    if (!dbKey)
        return fail(dbKey.error());
    auto backupKey = storage::KeyFile::load(parser.value(QStringLiteral("backup-key-file")));
    if (!backupKey) {
        crypto::secureZero(*dbKey);
        return fail(backupKey.error());
    }
    const QString dbPath = parser.value(QStringLiteral("db"));
    const QString outPath = parser.value(QStringLiteral("out"));
    // A database that does not exist has no log to record in (and must not be created here).
    const bool auditable = QFileInfo::exists(dbPath);
    if (auditable) {
        if (auto writable = auditWritable(dbPath, *dbKey, signer); !writable) {
            crypto::secureZero(*dbKey);
            crypto::secureZero(*backupKey);
            return fail(QStringLiteral("refusing to back up without an audit entry: ") + writable.error().message);
        }
    }
    core::SystemClock clock;
    QElapsedTimer timer;
    timer.start();
    auto info = storage::DatabaseBackup::create(dbPath, *dbKey, outPath, *backupKey, clock);
    crypto::secureZero(*backupKey);
    core::Status audited;
    if (auditable)
        audited = recordIn(dbPath, *dbKey, signer,
                           cliEvent(QStringLiteral("db.backup"), outPath,
                                    info ? QStringLiteral("ok: schema %1, %2 bytes, backup key id %3").arg(info->schemaVersion).arg(info->fileBytes).arg(info->keyId)
                                         : QStringLiteral("error: ") + info.error().message));
    crypto::secureZero(*dbKey);
    if (!info)
        return fail(info.error());
    if (!audited)
        return fail(QStringLiteral("backup %1 written, but its audit entry could not be: %2").arg(outPath, audited.error().message));
    printOut(QStringLiteral("backup %1 written: snapshot of %2 (schema %3), %4, backup key id %5, %6 ms\n")
                 .arg(parser.value(QStringLiteral("out")), parser.value(QStringLiteral("db")))
                 .arg(info->schemaVersion)
                 .arg(sizeText(info->fileBytes), info->keyId)
                 .arg(timer.elapsed()));
    return ExitOk;
}

int runRestoreCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Verify an encrypted backup completely, then restore it into a NEW database file keyed with the\n"
        "given database key. An existing database is never touched or overwritten."));
    parser.addOption({QStringLiteral("in"), QStringLiteral("The backup file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("backup-key-file"), QStringLiteral("The backup key file it was made with."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("db"), QStringLiteral("The database file to create (must not exist)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("key-file"), QStringLiteral("Database key file for the new database."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("init-key"), QStringLiteral("Create --key-file first if it does not exist.")});
    addAuditKeyOption(parser);
    if (auto code = parseCommandLine(parser, QStringLiteral("restore"), args))
        return *code;
    if (auto code = require(parser, QStringLiteral("restore"), {QStringLiteral("in"), QStringLiteral("backup-key-file"), QStringLiteral("db"), QStringLiteral("key-file")}))
        return *code;
    if (auto ok = selfCheck(); !ok)
        return fail(ok.error());
    const QString keyFile = parser.value(QStringLiteral("key-file"));
    if (parser.isSet(QStringLiteral("init-key")) && !QFileInfo::exists(keyFile)) {
        if (auto created = storage::KeyFile::generate(keyFile); !created)
            return fail(created.error());
    }
    auto auditKey = loadAuditKey(parser, keyFile);
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    auto backupKey = storage::KeyFile::load(parser.value(QStringLiteral("backup-key-file")));
    if (!backupKey)
        return fail(backupKey.error());
    auto dbKey = storage::KeyFile::load(keyFile);
    if (!dbKey) {
        crypto::secureZero(*backupKey);
        return fail(dbKey.error());
    }
    auto info = storage::DatabaseBackup::restore(parser.value(QStringLiteral("in")), *backupKey, parser.value(QStringLiteral("db")), *dbKey);
    crypto::secureZero(*backupKey);
    if (!info) {
        crypto::secureZero(*dbKey);
        // Nothing was created, so there is no log to record the failure in: stderr only.
        return fail(info.error());
    }
    // The restored database records its own restore (signed with --audit-key-file when its log is signed).
    auto audited = recordIn(parser.value(QStringLiteral("db")), *dbKey, *auditKey ? &**auditKey : nullptr,
                            cliEvent(QStringLiteral("db.restore"), parser.value(QStringLiteral("in")),
                                     QStringLiteral("ok: backup taken %1, schema %2")
                                         .arg(QDateTime::fromMSecsSinceEpoch(info->createdAtMs, Qt::UTC).toString(Qt::ISODate))
                                         .arg(info->schemaVersion)));
    crypto::secureZero(*dbKey);
    if (!audited)
        printErr(QStringLiteral("signiq-edge: warning: the restore is not in the audit log of %1: %2 (restore again with the "
                                "--audit-key-file the log is signed with, or sign the log with a new key: signiq-edge audit adopt)\n")
                     .arg(parser.value(QStringLiteral("db")), audited.error().message));
    printOut(QStringLiteral("restored %1 (taken %2, schema %3) into %4\n")
                 .arg(parser.value(QStringLiteral("in")),
                      QDateTime::fromMSecsSinceEpoch(info->createdAtMs, Qt::UTC).toString(Qt::ISODate))
                 .arg(info->schemaVersion)
                 .arg(parser.value(QStringLiteral("db"))));
    return ExitOk;
}

int runRekeyCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Rotate the database key: a new random key replaces the one in --key-file and the database is\n"
        "re-encrypted with it. Stop signiq-edge first. Crash-safe: the new key is written to KEY.new before\n"
        "the database changes; running rekey again completes or discards an interrupted rotation."));
    parser.addOption({QStringLiteral("db"), QStringLiteral("The SQLCipher database."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("key-file"), QStringLiteral("Its key file; replaced by the new key."), QStringLiteral("FILE")});
    addAuditKeyOption(parser);
    if (auto code = parseCommandLine(parser, QStringLiteral("rekey"), args))
        return *code;
    if (auto code = require(parser, QStringLiteral("rekey"), {QStringLiteral("db"), QStringLiteral("key-file")}))
        return *code;
    if (auto ok = selfCheck(); !ok)
        return fail(ok.error());
    const QString dbPath = parser.value(QStringLiteral("db"));
    const QString keyFile = parser.value(QStringLiteral("key-file"));
    auto auditKey = loadAuditKey(parser, keyFile);
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    const crypto::Ed25519SigningKey *signer = *auditKey ? &**auditKey : nullptr;
    // Checked (and recorded) with whatever key in KEY opens the database; when it does not
    // (wrong key, interrupted rotation), rotate() reports that and nothing can be recorded.
    const auto withCurrentKey = [&](const auto &use) -> std::optional<core::Status> {
        if (!QFileInfo::exists(dbPath))
            return std::nullopt;
        auto key = storage::KeyFile::load(keyFile);
        if (!key)
            return std::nullopt;
        core::Status status = use(*key);
        crypto::secureZero(*key);
        if (!status && status.error().code == core::ErrorCode::WrongKey)
            return std::nullopt;
        return status;
    };
    if (auto writable = withCurrentKey([&](const QByteArray &key) { return auditWritable(dbPath, key, signer); }); writable && !*writable)
        return fail(QStringLiteral("refusing to rotate the key without an audit entry: ") + writable->error().message);
    auto outcome = storage::DatabaseRekey::rotate(dbPath, keyFile);
    const QString resultText = !outcome ? QStringLiteral("error: ") + outcome.error().message
        : *outcome == storage::DatabaseRekey::Outcome::CompletedInterruptedRotation ? QStringLiteral("ok: completed an interrupted rotation")
                                                                                    : QStringLiteral("ok: rotated");
    auto audited = withCurrentKey([&](const QByteArray &key) {
        return recordIn(dbPath, key, signer, cliEvent(QStringLiteral("db.rekey"), dbPath, resultText));
    });
    if (!outcome)
        return fail(outcome.error());
    if (audited && !*audited)
        return fail(QStringLiteral("the key was rotated, but its audit entry could not be written: ") + audited->error().message);
    if (*outcome == storage::DatabaseRekey::Outcome::CompletedInterruptedRotation)
        printOut(QStringLiteral("completed an interrupted key rotation: %1 now holds the key of %2\n")
                     .arg(parser.value(QStringLiteral("key-file")), parser.value(QStringLiteral("db"))));
    else
        printOut(QStringLiteral("rotated the key of %1; the new key is in %2 (the old key no longer opens it)\n")
                     .arg(parser.value(QStringLiteral("db")), parser.value(QStringLiteral("key-file"))));
    return ExitOk;
}

} // namespace signiq::edge
