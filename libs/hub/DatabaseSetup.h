#pragma once

#include "core/Result.h"
#include "hub/ConnectionOptions.h"

#include <QString>
#include <QStringList>

namespace signiq::hub {

class Database;

// `signiq-hub setup-db`: creates what the hub needs in a PostgreSQL 15 server (Debian's
// `postgresql` package) as its superuser, idempotently (docs/operations.md):
//  - the roles of the isolation design (docs/hub.md): signiq_owner (owns the schema, runs
//    migrations), signiq_app (what `serve` logs in as: owns nothing, NOSUPERUSER, NOBYPASSRLS,
//    so row-level security applies to it), signiq_backup (read-only, BYPASSRLS for pg_dump).
//    Attributes are (re)set on every run, so a role that was altered by hand is put right.
//  - their passwords: kept from <credentialsDir>/<role>.password when the file exists (it must
//    be mode 0600), else random and written there (0600), the files that signiq-hub.service
//    hands over with LoadCredential=. The server only ever sees a SCRAM-SHA-256 verifier
//    (ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...'), never the password.
//  - the database, owned by signiq_owner, with CONNECT for the three roles only and no CREATE
//    on schema public for anyone.
// The schema migrations and the first login as signiq_app are the caller's (HubCli), through
// the same connection settings the service uses.
struct SetupOptions {
    // The superuser connection: unix socket directory (Debian: /var/run/postgresql), port,
    // superuser role (peer authentication, so the process must be that OS user: when it runs as
    // root it connects with the effective uid of the OS user of that name).
    QString adminHost = QStringLiteral("/var/run/postgresql");
    int adminPort = 5432;
    QString adminUser = QStringLiteral("postgres");
    QString dbname = QStringLiteral("signiq");
    QString credentialsDir = QStringLiteral("/etc/signiq/hub/credentials");
    int connectTimeoutS = 10;
};

struct SetupReport {
    QStringList lines; // what was created, what already existed ("role signiq_app: already existed ...")
    bool databaseCreated = false;
    QStringList rolesCreated;
    QStringList passwordsWritten; // credential files written by this run
};

class DatabaseSetup {
public:
    // The three roles, in creation order.
    static const QStringList &roles();
    // The file `role`'s password is kept in.
    static QString passwordFile(const SetupOptions &options, const QString &role);

    // Checks the options (InvalidArgument naming the option), the process identity
    // (PermissionDenied: "run as root or as the OS user postgres"), connects as the superuser
    // (Io "PostgreSQL is not running ..." when nothing listens), checks that it is one
    // (PermissionDenied), then creates or checks roles, passwords and the database.
    [[nodiscard]] static core::Result<SetupReport> run(const SetupOptions &options);

    // The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, 4096
    // iterations, 16-byte random salt): "SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>".
    [[nodiscard]] static core::Result<QString> scramVerifier(const QString &password);
};

} // namespace signiq::hub
