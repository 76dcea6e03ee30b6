#include "hub/DatabaseSetup.h"

#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "hub/Database.h"
#include "hub/HubLog.h"
#include "hub/SqlSupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <cerrno>
#include <cstring>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

const QString kOwner = QStringLiteral("signiq_owner");
const QString kApp = QStringLiteral("signiq_app");
const QString kBackup = QStringLiteral("signiq_backup");

QString osUserName(uid_t uid)
{
    const passwd *pw = ::getpwuid(uid);
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(uid);
}

// Opens a connection as the superuser. PostgreSQL authenticates it by peer (the OS user on the
// other end of the unix socket, SO_PEERCRED: the effective uid at connect time), so root
// connects with the effective uid of the OS user of that name and switches back right after.
core::Result<Database> openAsAdmin(const SetupOptions &setup, const QString &dbname)
{
    ConnectionOptions o;
    o.host = setup.adminHost;
    o.port = setup.adminPort;
    o.dbname = dbname;
    o.user = setup.adminUser;
    o.connectTimeoutS = setup.connectTimeoutS;
    const uid_t euid = ::geteuid();
    bool switched = false;
    if (euid == 0) {
        const passwd *pw = ::getpwnam(setup.adminUser.toLocal8Bit().constData());
        if (!pw)
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("there is no OS user '%1' to log in as PostgreSQL's superuser by peer authentication "
                                            "(install Debian's postgresql package, or give --admin-user)")
                                 .arg(setup.adminUser));
        if (pw->pw_uid != 0) {
            if (::seteuid(pw->pw_uid) != 0)
                return makeError(ErrorCode::PermissionDenied,
                                 QStringLiteral("cannot switch to the OS user '%1': %2").arg(setup.adminUser, QString::fromLocal8Bit(strerror(errno))));
            switched = true;
        }
    } else if (osUserName(euid) != setup.adminUser) {
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("not allowed: run signiq-hub setup-db as root (sudo) or as the OS user '%1' (you are '%2'): "
                                        "PostgreSQL's superuser '%1' logs in by peer authentication")
                             .arg(setup.adminUser, osUserName(euid)));
    }
    auto db = Database::open(o);
    if (switched && ::seteuid(0) != 0)
        return makeError(ErrorCode::Internal, QStringLiteral("cannot switch back to root: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    if (db)
        return db;
    core::Error error = db.error();
    const QString socket = QDir(setup.adminHost).filePath(QStringLiteral(".s.PGSQL.%1").arg(setup.adminPort));
    if (error.message.contains(QLatin1String("No such file or directory")) || error.message.contains(QLatin1String("Connection refused")))
        return makeError(ErrorCode::Io, QStringLiteral("PostgreSQL is not running: nothing listens on %1 (start it: systemctl start "
                                                       "postgresql; Debian package postgresql, or give --admin-host DIR and the port in --db). %2")
                                            .arg(socket, error.message));
    if (error.message.contains(QLatin1String("authentication failed")) || error.message.contains(QLatin1String("Permission denied"))
        || error.message.contains(QLatin1String("does not exist")))
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("not allowed to log in as PostgreSQL's superuser '%1' on %2 (run as root or as the OS user '%1'). %3")
                             .arg(setup.adminUser, socket, error.message));
    return error;
}

// A statement outside any transaction (CREATE DATABASE cannot run in one).
core::Result<QSqlQuery> exec(Database &db, const QString &sql, const QVariantList &params = {})
{
    QSqlQuery query(QSqlDatabase::database(db.connectionName(), false));
    query.setForwardOnly(true);
    bool ok = false;
    if (params.isEmpty()) {
        ok = query.exec(sql);
    } else if (query.prepare(sql)) {
        for (const QVariant &param : params)
            query.addBindValue(param);
        ok = query.exec();
    }
    if (!ok)
        return sqlError(QStringLiteral("'%1'").arg(sql.section(QLatin1String(" PASSWORD "), 0, 0).left(120)), query.lastError());
    return query;
}

core::Result<bool> exists(Database &db, const QString &sql, const QString &name)
{
    auto q = exec(db, sql, {name});
    if (!q)
        return q.error();
    return q->next();
}

core::Status checkOptions(const SetupOptions &o)
{
    static const QRegularExpression identifier(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    if (!identifier.match(o.dbname).hasMatch())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("bad database name '%1' (dbname: lower-case letters, digits and _, at most 63)").arg(o.dbname));
    if (DatabaseSetup::roles().contains(o.dbname) || o.dbname == QLatin1String("postgres") || o.dbname.startsWith(QLatin1String("template")))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("database name '%1' is reserved; choose another dbname").arg(o.dbname));
    static const QRegularExpression user(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,62}$"));
    if (!user.match(o.adminUser).hasMatch())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad --admin-user '%1'").arg(o.adminUser));
    if (o.adminHost.isEmpty() || !o.adminHost.startsWith(QLatin1Char('/')))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--admin-host '%1' must be the directory of PostgreSQL's unix socket (Debian: /var/run/postgresql)")
                             .arg(o.adminHost));
    if (o.adminPort < 1 || o.adminPort > 65535)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("database port %1 is out of range (1..65535)").arg(o.adminPort));
    if (o.credentialsDir.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--credentials-dir is empty"));
    return {};
}

// The credentials directory: created 0700 when missing; refused when group or others may enter it.
core::Status prepareCredentialsDir(const QString &dir, QStringList &lines)
{
    const QFileInfo info(dir);
    if (!info.exists()) {
        if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
            return makeError(ErrorCode::Io, QStringLiteral("cannot create the credentials directory %1 (run as root?)").arg(dir));
        lines << QStringLiteral("credentials directory %1: created (mode 0700)").arg(dir);
        return {};
    }
    if (!info.isDir())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("credentials directory %1 is not a directory").arg(dir));
    const int mode = crypto::securefile::mode(dir);
    if (mode < 0 || (mode & 077) != 0)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("credentials directory %1 is open to group or others (mode %2): chmod 0700 %1")
                             .arg(dir, QString::number(mode, 8)));
    if (!info.isWritable())
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("cannot write to the credentials directory %1 (run as root)").arg(dir));
    return {};
}

// The role's password: kept from its credential file, else a new random one written there.
core::Result<QString> rolePassword(const QString &path, bool &written)
{
    written = false;
    if (QFileInfo::exists(path)) {
        auto bytes = crypto::securefile::readSecret(path, 4096);
        if (!bytes)
            return makeError(bytes.error().code, QStringLiteral("password file: %1").arg(bytes.error().message));
        const QString password = QString::fromUtf8(*bytes).trimmed();
        if (password.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("password file %1 is empty: delete it for a new password").arg(path));
        return password;
    }
    auto random = crypto::randomBytes(24);
    if (!random)
        return random.error();
    const QByteArray password = random->toHex();
    crypto::secureZero(*random);
    if (core::Status saved = crypto::securefile::writeSecret(path, password + '\n'); !saved)
        return saved.error();
    written = true;
    return QString::fromLatin1(password);
}

} // namespace

const QStringList &DatabaseSetup::roles()
{
    static const QStringList all{kOwner, kApp, kBackup};
    return all;
}

QString DatabaseSetup::passwordFile(const SetupOptions &options, const QString &role)
{
    return QDir(options.credentialsDir).filePath(role + QStringLiteral(".password"));
}

core::Result<QString> DatabaseSetup::scramVerifier(const QString &password)
{
    constexpr int kIterations = 4096;
    auto salt = crypto::randomBytes(16);
    if (!salt)
        return salt.error();
    const QByteArray salted =
        QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), *salt, kIterations, 32);
    if (salted.size() != 32)
        return makeError(ErrorCode::Internal, QStringLiteral("PBKDF2-HMAC-SHA256 failed"));
    const QByteArray clientKey = QMessageAuthenticationCode::hash(QByteArrayLiteral("Client Key"), salted, QCryptographicHash::Sha256);
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, QCryptographicHash::Sha256);
    const QByteArray serverKey = QMessageAuthenticationCode::hash(QByteArrayLiteral("Server Key"), salted, QCryptographicHash::Sha256);
    return QStringLiteral("SCRAM-SHA-256$%1:%2$%3:%4")
        .arg(kIterations)
        .arg(QString::fromLatin1(salt->toBase64()), QString::fromLatin1(storedKey.toBase64()), QString::fromLatin1(serverKey.toBase64()));
}

core::Result<SetupReport> DatabaseSetup::run(const SetupOptions &options)
{
    if (core::Status valid = checkOptions(options); !valid)
        return valid.error();
    SetupReport report;
    auto admin = openAsAdmin(options, QStringLiteral("postgres"));
    if (!admin)
        return admin.error();
    {
        auto q = exec(*admin, QStringLiteral("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user"));
        if (!q)
            return q.error();
        if (!q->next() || !q->value(0).toBool())
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("not allowed: the PostgreSQL role '%1' is not a superuser (it cannot create roles and databases)")
                                 .arg(options.adminUser));
    }
    if (core::Status dir = prepareCredentialsDir(options.credentialsDir, report.lines); !dir)
        return dir.error();

    // Roles: created when missing; attributes and password (re)set every time.
    for (const QString &role : roles()) {
        auto found = exists(*admin, QStringLiteral("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?"), role);
        if (!found)
            return found.error();
        const QString path = passwordFile(options, role);
        bool written = false;
        auto password = rolePassword(path, written);
        if (!password)
            return password.error();
        auto verifier = scramVerifier(*password);
        if (!verifier)
            return verifier.error();
        if (!*found) {
            if (auto created = exec(*admin, QStringLiteral("CREATE ROLE %1").arg(role)); !created)
                return created.error();
            report.rolesCreated << role;
        }
        // Only signiq_backup bypasses row-level security (pg_dump must see every organisation);
        // the application role never does, and no role is a superuser.
        const QString bypass = role == kBackup ? QStringLiteral("BYPASSRLS") : QStringLiteral("NOBYPASSRLS");
        if (auto altered = exec(*admin, QStringLiteral("ALTER ROLE %1 LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION %2 PASSWORD '%3'")
                                            .arg(role, bypass, *verifier));
            !altered)
            return altered.error();
        if (written)
            report.passwordsWritten << path;
        report.lines << QStringLiteral("role %1: %2 (LOGIN NOSUPERUSER %3); password %4 %5")
                            .arg(role, *found ? QStringLiteral("already existed, attributes checked") : QStringLiteral("created"), bypass,
                                 written ? QStringLiteral("new, written to") : QStringLiteral("kept from"), path);
    }

    // The database, owned by signiq_owner.
    {
        auto q = exec(*admin, QStringLiteral("SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_catalog.pg_database WHERE datname = ?"),
                      {options.dbname});
        if (!q)
            return q.error();
        if (q->next()) {
            const QString owner = q->value(0).toString();
            if (owner != kOwner)
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("database %1 already exists but is owned by '%2', not %3: ALTER DATABASE %1 OWNER TO %3 "
                                                "if it is the hub's, or choose another dbname")
                                     .arg(options.dbname, owner, kOwner));
            report.lines << QStringLiteral("database %1: already existed (owner %2)").arg(options.dbname, kOwner);
        } else {
            if (auto created = exec(*admin, QStringLiteral("CREATE DATABASE %1 OWNER %2 TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'")
                                                .arg(options.dbname, kOwner));
                !created)
                return created.error();
            report.databaseCreated = true;
            report.lines << QStringLiteral("database %1: created (owner %2, UTF8)").arg(options.dbname, kOwner);
        }
    }
    auto target = openAsAdmin(options, options.dbname);
    if (!target)
        return target.error();
    for (const QString &sql : {QStringLiteral("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
                               QStringLiteral("REVOKE ALL ON DATABASE %1 FROM PUBLIC").arg(options.dbname),
                               QStringLiteral("GRANT CONNECT ON DATABASE %1 TO %2").arg(options.dbname, roles().join(QStringLiteral(", ")))}) {
        if (auto done = exec(*target, sql); !done)
            return done.error();
    }
    report.lines << QStringLiteral("database %1: CONNECT for %2 only; nobody may CREATE in schema public")
                        .arg(options.dbname, roles().join(QStringLiteral(", ")));
    qCInfo(lcHub) << "setup-db:" << report.lines.join(QStringLiteral("; "));
    return report;
}

} // namespace signiq::hub
