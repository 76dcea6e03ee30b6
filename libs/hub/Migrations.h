#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace signiq::hub {

class Database;

// One versioned migration: libs/hub/migrations/NNNN_<name>.sql, embedded as the Qt resource
// :/signiq/hub/migrations/. Migrations are append-only: the sha256 of each applied file is
// recorded in signiq.schema_migrations, and a file edited after it was applied is refused.
struct Migration {
    int version = 0;
    QString name;   // "tenancy"
    QByteArray sql;
    QString sha256; // hex
};

struct AppliedMigration {
    int version = 0;
    QString name;
    QString sha256;
    qint64 appliedAtMs = 0;
};

class Migrations {
public:
    // The embedded migrations in version order. Internal error when a resource is malformed
    // (a build problem, not a user one).
    [[nodiscard]] static core::Result<QList<Migration>> available();

    // What signiq.schema_migrations records (empty for a new database).
    [[nodiscard]] static core::Result<QList<AppliedMigration>> applied(Database &db);

    // Applies every pending migration in order, each in its own transaction together with its
    // schema_migrations row (a failure leaves the database at the previous version), under a
    // transaction-level advisory lock so that two concurrent migrators cannot interleave.
    // Returns the versions it applied: empty when the database is up to date (a no-op).
    // Must run as the migration owner: a superuser (who would own the objects) and the
    // application role signiq_app are refused (PermissionDenied). A database with a migration
    // this build does not know is Unsupported; an applied file whose sha256 differs is Corrupt.
    [[nodiscard]] static core::Result<QList<int>> apply(Database &db);
};

} // namespace signiq::hub
