#include "hub/Migrations.h"

#include "crypto/Hash.h"
#include "hub/Database.h"
#include "hub/HubLog.h"
#include "hub/SqlSupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

// Any constant: serialises migrators on one database (pg_advisory_xact_lock).
constexpr qint64 kMigrationLock = 0x5349474e49510001; // "SIGNIQ" 0001

const QString kBootstrap = QStringLiteral(R"sql(
CREATE SCHEMA IF NOT EXISTS signiq;
CREATE TABLE IF NOT EXISTS signiq.schema_migrations (
    version    integer     PRIMARY KEY CHECK (version > 0),
    name       text        NOT NULL,
    sha256     text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    applied_at timestamptz NOT NULL DEFAULT now()
))sql");

core::Status lock(Transaction &tx)
{
    auto locked = tx.exec(QStringLiteral("SELECT pg_advisory_xact_lock(?)"), {kMigrationLock});
    if (!locked)
        return locked.error();
    return {};
}

core::Result<QList<AppliedMigration>> readApplied(Transaction &tx)
{
    auto exists = tx.exec(QStringLiteral("SELECT to_regclass('signiq.schema_migrations') IS NOT NULL"));
    if (!exists)
        return exists.error();
    QList<AppliedMigration> applied;
    if (!exists->next() || !exists->value(0).toBool())
        return applied;
    auto rows = tx.exec(QStringLiteral("SELECT version, name, sha256, %1 FROM signiq.schema_migrations ORDER BY version")
                            .arg(sqlToMs(QStringLiteral("applied_at"))));
    if (!rows)
        return rows.error();
    while (rows->next())
        applied.append({rows->value(0).toInt(), rows->value(1).toString(), rows->value(2).toString(), rows->value(3).toLongLong()});
    return applied;
}

} // namespace

core::Result<QList<Migration>> Migrations::available()
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{4})_([a-z0-9_]+)\\.sql$"));
    const QDir dir(QStringLiteral(":/signiq/hub/migrations"));
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(ErrorCode::Internal, QStringLiteral("no migrations embedded in this build (resource :/signiq/hub/migrations)"));
    QList<Migration> migrations;
    for (const QString &file : files) {
        const auto match = pattern.match(file);
        if (!match.hasMatch())
            return makeError(ErrorCode::Internal, QStringLiteral("migration file name '%1' is not NNNN_name.sql").arg(file));
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Internal, QStringLiteral("cannot read embedded migration %1").arg(file));
        Migration m;
        m.version = match.captured(1).toInt();
        m.name = match.captured(2);
        m.sql = f.readAll();
        m.sha256 = QString::fromLatin1(crypto::sha256(m.sql).toHex());
        // Versions rise strictly; a gap is allowed, so that branches that each add a numbered
        // migration (e.g. 0003 and 0004) build and test on their own and merge as plain files.
        if (!migrations.isEmpty() && m.version <= migrations.last().version)
            return makeError(ErrorCode::Internal,
                             QStringLiteral("migration %1 is out of sequence (versions must rise after %2)").arg(file).arg(migrations.last().version));
        if (m.version < 1)
            return makeError(ErrorCode::Internal, QStringLiteral("migration %1: versions start at 0001").arg(file));
        migrations.append(std::move(m));
    }
    return migrations;
}

core::Result<QList<AppliedMigration>> Migrations::applied(Database &db)
{
    return db.maintenance([](Transaction &tx) { return readApplied(tx); });
}

core::Result<QList<int>> Migrations::apply(Database &db)
{
    auto migrations = available();
    if (!migrations)
        return migrations.error();

    // Who are we? The owner of the schema must be the role that runs migrations.
    auto role = db.maintenance([](Transaction &tx) -> core::Result<std::pair<QString, bool>> {
        auto q = tx.exec(QStringLiteral("SELECT current_user, rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"));
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("cannot read the current role"));
        return std::pair<QString, bool>(q->value(0).toString(), q->value(1).toBool());
    });
    if (!role)
        return role.error();
    if (role->second)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("refusing to migrate as the superuser '%1': the schema would be owned by a superuser. "
                                        "Connect as the migration owner (signiq_owner)")
                             .arg(role->first));
    if (role->first == QLatin1String("signiq_app"))
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("refusing to migrate as the application role signiq_app (it must own nothing). "
                                        "Connect as the migration owner (signiq_owner)"));

    auto bootstrap = db.maintenance([](Transaction &tx) -> core::Status {
        if (core::Status locked = lock(tx); !locked)
            return locked;
        auto created = tx.exec(kBootstrap);
        if (!created)
            return created.error();
        return {};
    });
    if (!bootstrap)
        return bootstrap.error();

    QList<int> done;
    for (const Migration &m : *migrations) {
        auto step = db.maintenance([&](Transaction &tx) -> core::Result<bool> {
            if (core::Status locked = lock(tx); !locked)
                return locked.error();
            auto applied = readApplied(tx);
            if (!applied)
                return applied.error();
            if (!applied->isEmpty() && applied->last().version > migrations->last().version)
                return makeError(ErrorCode::Unsupported,
                                 QStringLiteral("the database is at migration %1 (%2), newer than this build (latest %3): "
                                                "upgrade signiq-hub")
                                     .arg(applied->last().version)
                                     .arg(applied->last().name)
                                     .arg(migrations->last().version));
            for (const AppliedMigration &a : *applied) {
                if (a.version == m.version) {
                    if (a.sha256 != m.sha256)
                        return makeError(ErrorCode::Corrupt,
                                         QStringLiteral("migration %1 (%2) was changed after it was applied (sha256 %3 in the "
                                                        "database, %4 in this build): migrations are append-only")
                                             .arg(m.version, 4, 10, QLatin1Char('0'))
                                             .arg(m.name, a.sha256.left(12), m.sha256.left(12)));
                    return false;
                }
            }
            auto ran = tx.exec(QString::fromUtf8(m.sql));
            if (!ran)
                return makeError(ran.error().code, QStringLiteral("migration %1_%2.sql failed: %3")
                                                       .arg(m.version, 4, 10, QLatin1Char('0'))
                                                       .arg(m.name, ran.error().message));
            auto recorded = tx.exec(QStringLiteral("INSERT INTO signiq.schema_migrations (version, name, sha256) VALUES (?, ?, ?)"),
                                    {m.version, m.name, m.sha256});
            if (!recorded)
                return recorded.error();
            return true;
        });
        if (!step)
            return step.error();
        if (*step) {
            qCInfo(lcHub).noquote() << QStringLiteral("applied migration %1_%2").arg(m.version, 4, 10, QLatin1Char('0')).arg(m.name);
            done.append(m.version);
        }
    }
    return done;
}

} // namespace signiq::hub
