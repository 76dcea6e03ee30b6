#include "HubCli.h"

#include "core/Credentials.h"
#include "core/ServiceNotifier.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "hub/KeyFile.h"
#include "protocol/AuditHead.h"
#include "hub/ApiKeyRepository.h"
#include "hub/Backup.h"
#include "http/HttpServer.h"
#include "hub/HubApiServer.h"
#include "hub/Database.h"
#include "hub/DatabaseSetup.h"
#include "hub/DeviceRepository.h"
#include "hub/WindowRepository.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SiteRepository.h"
#include "hub/SqlSupport.h"
#include "hub/SyncServer.h"
#include "hub/AuditRepository.h"
#include "hub/WebhookRepository.h"
#include "crypto/Certificate.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QTimeZone>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace signiq::hubapp {

using core::Error;
using core::ErrorCode;
using core::makeError;

namespace {

const QString kUsage = QStringLiteral(R"(Usage: signiq-hub <command> [options]

Commands:
  setup-db [--admin-host DIR] [--admin-user ROLE] [--credentials-dir DIR]
                                             run as root (or as the OS user postgres) next to Debian's
                                             postgresql: create or check the roles signiq_owner,
                                             signiq_app (no superuser, no BYPASSRLS), signiq_backup, their
                                             passwords (credential files in DIR, default
                                             /etc/signiq/hub/credentials) and the database, run the
                                             migrations, check that signiq_app logs in; prints the
                                             SIGNIQ_HUB_DB line of /etc/signiq/hub.env. Idempotent.
                                             --db (default $SIGNIQ_HUB_DB, else host=localhost port=5432
                                             dbname=signiq) is how the hub connects; --admin-host (default
                                             /var/run/postgresql) is the superuser's socket directory
  migrate                                    apply pending schema migrations (as the migration owner)
                                             and create the upcoming monthly partitions
  org create --name NAME --tier TIER         create an organisation (TIER: free, pro, enterprise);
                                             prints its id
  org set-tier --org ID --tier TIER          change an organisation's tier (audited)
  org show --org ID                          an organisation, its tier and limits
  site create --org ID --name NAME --time-zone ZONE
                                             create a site (ZONE: IANA, e.g. Europe/Paris); prints its id
  keys create --org ID --scopes S1,S2 [--site ID] [--name NAME] [--test]
                                             create an API key; prints the key ONCE (only its hash is stored)
  device create --org ID --name NAME --certificate FILE [--site ID]
                                             register a device by its enrolled certificate (its serial); prints its id
  ca register --org ID --ca-cert FILE        register the organisation's deployment CA: devices it issued may sync
  ca revoke --org ID --ca-cert FILE --serial HEX
                                             refuse that CA's device certificate HEX from now on (sync answers 401)
  serve --listen ADDR --port N --tls-cert FILE [--tls-key FILE] [--online-threshold S] [--audit-key-file FILE]
        [--sync-port N] [--webhook-key-file FILE [--webhook-mode production|development]
        [--webhook-interval S] [--webhook-timeout S] [--webhook-ca-file FILE]]
                                             serve the HTTP API (/v1, TLS 1.3) as signiq_app until SIGINT/SIGTERM;
                                             --sync-port also serves POST /v1/sync/batches (mutual TLS, device
                                             certificates of registered deployment CAs; docs/sync.md);
                                             --port is the HTTP port here (give the database's in --db);
                                             --tls-key defaults to the certificate file (under systemd: the
                                             credentials tls.crt, tls.key, audit.key); --audit-key-file
                                             signs the head of every audit export (Ed25519);
                                             --webhook-key-file (credential webhook.key: 32 bytes, 0600)
                                             seals the webhook secrets, enables /v1/webhooks and runs the
                                             webhook dispatcher every --webhook-interval S (default 5);
                                             --webhook-mode development also allows http:// and loopback
                                             targets (tests, local work; never in production);
                                             --webhook-timeout S per attempt (default 10); --webhook-ca-file
                                             PEM CAs trusted for https receivers besides the system's
  org set-webhook-ranges --org ID --ranges CIDR[,CIDR...]
                                             the non-public ranges the organisation's webhook targets may
                                             use (on-premises receivers; audited); --ranges "" clears them
  demo seed --org ID --site ID [--name NAME]  demo data: a device at the site, seen now, and generated windows
                                             (every 15 minutes of the last 3 days, this month); prints its id
  retention run [--date YYYY-MM-DD]          create upcoming partitions, drop expired ones and delete rows
                                             past each organisation's tier history (as the migration owner)
  backup --out FILE --backup-key-file KEY    pg_dump of the hub's schema in one snapshot (as signiq_backup),
                                             sealed (AES-256-GCM envelope) under the 32-byte backup key
  restore --in FILE --backup-key-file KEY    verify the whole file, then restore it into an EMPTY database
                                             in one transaction (as the database's owner, signiq_owner)

Database options (every command):
  --db CONNINFO        libpq-style "host=DIR|HOST port=N dbname=NAME user=ROLE [password_file=FILE]
                       [connect_timeout=S] [sslmode=MODE]" (default: $SIGNIQ_HUB_DB)
  --host, --port, --dbname, --user, --password-file
                       override single fields. Passwords are never taken from the command line:
                       --password-file FILE (mode 0600), else $CREDENTIALS_DIRECTORY/<user>.password,
                       else none (peer authentication). Default user: signiq_owner for migrate,
                       retention and restore, signiq_backup for backup, signiq_app otherwise.
)");

struct Command {
    QString name; // "migrate", "org create", ...
    bool asOwner = false;
    QString defaultUser; // empty: signiq_owner or signiq_app (asOwner)
};

core::Result<Command> commandOf(const QStringList &positional)
{
    const QString first = positional.value(0);
    const QString second = positional.value(1);
    const int extra = first == QLatin1String("migrate") ? 1 : 2;
    if (first == QLatin1String("migrate") && positional.size() == 1)
        return Command{first, true, QString()};
    if (first == QLatin1String("setup-db") && positional.size() == 1)
        return Command{first, true, QString()};
    if (first == QLatin1String("serve") && positional.size() == 1)
        return Command{first, false, QString()};
    if (first == QLatin1String("backup") && positional.size() == 1)
        return Command{first, false, QStringLiteral("signiq_backup")};
    if (first == QLatin1String("restore") && positional.size() == 1)
        return Command{first, true, QString()};
    for (const auto &[a, b, owner] : {std::tuple{"org", "create", false}, std::tuple{"org", "set-tier", false},
                                      std::tuple{"org", "show", false}, std::tuple{"org", "set-webhook-ranges", false},
                                      std::tuple{"site", "create", false},
                                      std::tuple{"keys", "create", false}, std::tuple{"retention", "run", true}, std::tuple{"demo", "seed", false},
                                      std::tuple{"device", "create", false}, std::tuple{"ca", "register", false},
                                      std::tuple{"ca", "revoke", false}}) {
        if (first == QLatin1String(a) && second == QLatin1String(b) && positional.size() == extra)
            return Command{first + QLatin1Char(' ') + second, owner, QString()};
    }
    if (positional.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no command given"));
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown command '%1'").arg(positional.join(QLatin1Char(' '))));
}

// The packaged SIGNIQ_HUB_DB (packaging/config/hub.env): what setup-db assumes without --db.
const QString kPackagedConnInfo = QStringLiteral("host=localhost port=5432 dbname=signiq");

core::Result<hub::ConnectionOptions> connectionFrom(const QCommandLineParser &p, const Command &command, bool portIsDatabase)
{
    QString conninfo = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : qEnvironmentVariable("SIGNIQ_HUB_DB");
    if (command.name == QLatin1String("setup-db") && !p.isSet(QStringLiteral("db")) && conninfo.trimmed().isEmpty())
        conninfo = kPackagedConnInfo;
    auto options = hub::ConnectionOptions::fromConnInfo(conninfo);
    if (!options)
        return options.error();
    if (p.isSet(QStringLiteral("host")))
        options->host = p.value(QStringLiteral("host"));
    if (portIsDatabase && p.isSet(QStringLiteral("port"))) {
        bool ok = false;
        options->port = p.value(QStringLiteral("port")).toInt(&ok);
        if (!ok)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("--port '%1' is not a number").arg(p.value(QStringLiteral("port"))));
    }
    if (p.isSet(QStringLiteral("dbname")))
        options->dbname = p.value(QStringLiteral("dbname"));
    if (p.isSet(QStringLiteral("user")))
        options->user = p.value(QStringLiteral("user"));
    if (p.isSet(QStringLiteral("password-file")))
        options->passwordFile = p.value(QStringLiteral("password-file"));
    if (options->user.isEmpty() && !command.defaultUser.isEmpty())
        options->user = command.defaultUser;
    if (options->user.isEmpty())
        options->user = command.asOwner ? QStringLiteral("signiq_owner") : QStringLiteral("signiq_app");
    return options;
}

core::Result<QString> required(const QCommandLineParser &p, const QString &name)
{
    if (!p.isSet(name) || p.value(name).trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--%1 is required").arg(name));
    return p.value(name);
}

// A file option, else the systemd credential of that name ($CREDENTIALS_DIRECTORY/<credential>).
core::Result<QString> fileOrCredential(const QCommandLineParser &p, const QString &name, const QString &credential)
{
    if (p.isSet(name))
        return required(p, name);
    const QString path = core::credentialFile(credential);
    if (path.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--%1 is required (or the systemd credential %2 in $CREDENTIALS_DIRECTORY)").arg(name, credential));
    return path;
}

core::Result<QUuid> requiredId(const QCommandLineParser &p, const QString &name)
{
    auto text = required(p, name);
    if (!text)
        return text.error();
    return hub::parseId(*text, QStringLiteral("--%1").arg(name));
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// SIGINT/SIGTERM end the event loop through a self-pipe (nothing but write() in the handler).
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

int HubCli::runServer(hub::Database &db, const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port,
                      const hub::HubApiOptions &options, std::optional<quint16> syncPort, const WebhookServe &webhooks)
{
    hub::HubApiServer server(db, m_clock, options);
    auto listening = server.listen(identity, address, port);
    if (!listening) {
        m_err << "signiq-hub serve: " << listening.error().message << '\n';
        return 1;
    }
    // Webhooks: a pass over the queue every interval (a pass still running is not doubled). A
    // delivery in flight when the hub stops is posted again once its lease runs out.
    std::unique_ptr<hub::WebhookRepository> webhookEndpoints;
    std::unique_ptr<hub::AuditRepository> webhookAudit;
    std::unique_ptr<hub::WebhookDispatcher> dispatcher;
    QTimer webhookTimer;
    if (webhooks.enabled) {
        webhookEndpoints = std::make_unique<hub::WebhookRepository>(db, options.webhooks.secretsKey);
        webhookAudit = std::make_unique<hub::AuditRepository>(db, m_clock);
        dispatcher = std::make_unique<hub::WebhookDispatcher>(db, *webhookEndpoints, *webhookAudit, m_clock,
                                                              hub::WebhookAddressPolicy(webhooks.mode), webhooks.dispatcher);
        QObject::connect(&webhookTimer, &QTimer::timeout, dispatcher.get(), [&dispatcher] { dispatcher->runOnce(); });
        webhookTimer.start(std::chrono::milliseconds(webhooks.intervalMs));
        QTimer::singleShot(0, dispatcher.get(), [&dispatcher] { dispatcher->runOnce(); });
        m_err << "signiq-hub: webhooks on (" << (webhooks.mode == hub::WebhookAddressPolicy::Mode::Development ? "development" : "production")
              << " mode), the queue is worked every " << webhooks.intervalMs / 1000.0 << " s\n";
    } else {
        m_err << "signiq-hub: webhooks off (no --webhook-key-file): /v1/webhooks answers 503\n";
    }
    std::unique_ptr<hub::SyncServer> sync;
    if (syncPort) {
        sync = std::make_unique<hub::SyncServer>(db, m_clock);
        auto syncListening = sync->listen(identity, address, *syncPort);
        if (!syncListening) {
            m_err << "signiq-hub serve: sync: " << syncListening.error().message << '\n';
            return 1;
        }
        m_err << "signiq-hub: sync on https://" << address.toString() << ':' << *syncListening
              << "/v1/sync/batches (mutual TLS 1.3, device certificates)\n";
    }
    // Deployment CAs registered while serving (signiq-hub ca register) are trusted within a minute.
    QTimer reload;
    if (sync) {
        QObject::connect(&reload, &QTimer::timeout, &reload, [this, &sync] {
            if (core::Status reloaded = sync->reloadTrustAnchors(); !reloaded)
                m_err << "signiq-hub serve: sync: cannot reload the deployment CAs: " << reloaded.error().message << '\n';
        });
        reload.start(60'000);
    }
    if (::pipe(g_signalPipe) != 0) {
        m_err << "signiq-hub serve: cannot create the signal pipe\n";
        return 1;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    m_err << "signiq-hub: serving https://" << address.toString() << ':' << *listening << "/v1 (TLS 1.3) as "
          << db.options().user << "; stop with Ctrl-C or SIGTERM\n";
    m_err.flush();
    // systemd (Type=notify): ready once listening; the watchdog is pinged from this event loop,
    // so a blocked loop stops pinging and systemd restarts the service.
    const core::ServiceNotifier systemd = core::ServiceNotifier::fromEnvironment();
    if (auto sent = systemd.ready(); !sent)
        m_err << "signiq-hub serve: warning: " << sent.error().message << '\n';
    QTimer watchdog;
    if (const qint64 ms = systemd.watchdogPingIntervalMs(); ms > 0) {
        QObject::connect(&watchdog, &QTimer::timeout, &watchdog, [&systemd] { (void)systemd.watchdog(); });
        watchdog.start(std::chrono::milliseconds(ms));
    }
    const int status = QCoreApplication::exec();
    watchdog.stop();
    (void)systemd.stopping();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    webhookTimer.stop();
    dispatcher.reset(); // aborts a post in flight; its lease returns it to the queue
    server.httpServer()->closeAll();
    if (sync)
        sync->httpServer()->closeAll();
    m_err << "signiq-hub: stopped\n";
    return status;
}

core::Status HubCli::migrate(hub::Database &db)
{
    auto applied = hub::Migrations::apply(db);
    if (!applied)
        return applied.error();
    if (applied->isEmpty())
        m_err << "schema up to date (nothing to apply)\n";
    for (int v : *applied)
        m_err << "applied migration " << v << '\n';
    const QDate today = hub::Retention::utcDay(m_clock);
    auto partitions = hub::Retention::createPartitions(db, today.addDays(1 - today.day()), today.addMonths(hub::Retention::kMonthsAhead));
    if (!partitions)
        return partitions.error();
    for (const QString &name : *partitions)
        m_err << "created partition " << name << '\n';
    return {};
}

int HubCli::runSetupDb(const QCommandLineParser &p, hub::ConnectionOptions connection)
{
    auto fail = [&](const Error &error) {
        m_err << "signiq-hub setup-db: " << error.message << '\n';
        return 1;
    };
    // The roles are fixed (the migrations grant to them by name); their passwords come from
    // the credentials directory.
    if (p.isSet(QStringLiteral("user")) || p.isSet(QStringLiteral("password-file")) || !connection.passwordFile.isEmpty()
        || connection.user != QLatin1String("signiq_owner"))
        return fail(makeError(ErrorCode::InvalidArgument,
                              QStringLiteral("--user, --password-file and user=/password_file= in --db do not apply: setup-db sets up the "
                                             "roles signiq_owner, signiq_app and signiq_backup with the password files in --credentials-dir")));
    hub::SetupOptions setup;
    if (p.isSet(QStringLiteral("admin-host")))
        setup.adminHost = p.value(QStringLiteral("admin-host"));
    if (p.isSet(QStringLiteral("admin-user")))
        setup.adminUser = p.value(QStringLiteral("admin-user"));
    if (p.isSet(QStringLiteral("credentials-dir")))
        setup.credentialsDir = p.value(QStringLiteral("credentials-dir"));
    setup.adminPort = connection.port;
    setup.dbname = connection.dbname;
    setup.connectTimeoutS = connection.connectTimeoutS;
    if (core::Status valid = connection.validate(); !valid)
        return fail(valid.error());
    auto report = hub::DatabaseSetup::run(setup);
    if (!report)
        return fail(report.error());
    for (const QString &line : report->lines)
        m_err << line << '\n';
    m_err.flush();

    // The schema, as the owner, over the connection the service uses (--db).
    connection.passwordFile = hub::DatabaseSetup::passwordFile(setup, QStringLiteral("signiq_owner"));
    auto owner = hub::Database::open(connection);
    if (!owner)
        return fail(makeError(owner.error().code, QStringLiteral("the roles and the database are set up, but signiq_owner cannot log in "
                                                                "over --db (pg_hba.conf?): %1")
                                                     .arg(owner.error().message)));
    if (core::Status migrated = migrate(*owner); !migrated)
        return fail(migrated.error());

    // What the service does: log in as signiq_app, to which row-level security applies.
    hub::ConnectionOptions app = connection;
    app.user = QStringLiteral("signiq_app");
    app.passwordFile = hub::DatabaseSetup::passwordFile(setup, app.user);
    auto appDb = hub::Database::open(app);
    if (!appDb)
        return fail(makeError(appDb.error().code, QStringLiteral("signiq_app cannot log in over --db: %1").arg(appDb.error().message)));
    auto attributes = appDb->maintenance([](hub::Transaction &tx) -> core::Result<std::pair<bool, bool>> {
        auto q = tx.exec(QStringLiteral("SELECT rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user"));
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("cannot read the attributes of signiq_app"));
        return std::pair<bool, bool>(q->value(0).toBool(), q->value(1).toBool());
    });
    if (!attributes)
        return fail(attributes.error());
    if (attributes->first || attributes->second)
        return fail(makeError(ErrorCode::PermissionDenied, QStringLiteral("signiq_app is a superuser or bypasses row-level security")));
    m_err << "signiq_app logs in over " << app.describe() << " (no superuser, no BYPASSRLS: row-level security applies)\n";

    QString conninfo = QStringLiteral("host=%1 port=%2 dbname=%3").arg(connection.host).arg(connection.port).arg(connection.dbname);
    if (connection.host.isEmpty())
        conninfo = QStringLiteral("port=%1 dbname=%2").arg(connection.port).arg(connection.dbname);
    m_out << "SIGNIQ_HUB_DB=\"" << conninfo << "\"\n";
    m_err << "done. signiq-hub.service reads SIGNIQ_HUB_DB (the line above) from /etc/signiq/hub.env and the password of "
             "signiq_app as the credential signiq_app.password (LoadCredential= from "
          << setup.credentialsDir << ")\n";
    return 0;
}

int HubCli::runBackupOrRestore(const QCommandLineParser &p, const QString &command, const hub::ConnectionOptions &connection)
{
    auto fail = [&](const Error &error) {
        m_err << "signiq-hub " << command << ": " << error.message << '\n';
        return 1;
    };
    const bool backup = command == QLatin1String("backup");
    auto file = required(p, backup ? QStringLiteral("out") : QStringLiteral("in"));
    if (!file)
        return fail(file.error());
    auto keyPath = fileOrCredential(p, QStringLiteral("backup-key-file"), QStringLiteral("backup.key"));
    if (!keyPath)
        return fail(keyPath.error());
    auto key = hub::Backup::loadKey(*keyPath);
    if (!key)
        return fail(key.error());
    auto progress = [this, backup](qint64 bytes) {
        m_err << (backup ? "backup: " : "restore: ") << QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) << " MiB of SQL so far\n";
        m_err.flush();
    };
    core::Result<hub::BackupManifest> result = makeError(ErrorCode::Internal, QString());
    if (backup) {
        hub::BackupOptions options;
        options.connection = connection;
        options.outPath = *file;
        options.backupKey = *key;
        options.progress = progress;
        result = hub::Backup::create(options, m_clock);
    } else {
        hub::RestoreOptions options;
        options.connection = connection;
        options.inPath = *file;
        options.backupKey = *key;
        options.progress = progress;
        result = hub::Backup::restore(options);
    }
    crypto::secureZero(*key);
    if (!result)
        return fail(result.error());
    m_err << (backup ? "backup of " : "restored ") << result->rowCounts.size() << " tables, " << result->totalRows() << " rows, "
          << result->migrations.size() << " migrations " << (backup ? "written to " : "from ") << *file << " (backup key id "
          << result->keyId << (backup ? ")\n" : "; row counts, row-level security and migrations checked)\n");
    return 0;
}

int HubCli::run(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Signiq hub: many organisations on PostgreSQL, isolated by row-level security."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Connection: libpq-style keyword=value list."), QStringLiteral("conninfo")},
        {QStringLiteral("host"), QStringLiteral("Database host or unix socket directory."), QStringLiteral("host")},
        {QStringLiteral("port"), QStringLiteral("Database port."), QStringLiteral("port")},
        {QStringLiteral("dbname"), QStringLiteral("Database name."), QStringLiteral("name")},
        {QStringLiteral("user"), QStringLiteral("Database role."), QStringLiteral("role")},
        {QStringLiteral("password-file"), QStringLiteral("File holding the role's password (mode 0600)."), QStringLiteral("file")},
        {QStringLiteral("name"), QStringLiteral("Name of the organisation, site or key."), QStringLiteral("name")},
        {QStringLiteral("tier"), QStringLiteral("free, pro or enterprise."), QStringLiteral("tier")},
        {QStringLiteral("org"), QStringLiteral("Organisation id."), QStringLiteral("id")},
        {QStringLiteral("site"), QStringLiteral("Site id."), QStringLiteral("id")},
        {QStringLiteral("time-zone"), QStringLiteral("IANA time zone, e.g. Europe/Paris."), QStringLiteral("zone")},
        {QStringLiteral("scopes"), QStringLiteral("Comma-separated key scopes."), QStringLiteral("scopes")},
        {QStringLiteral("test"), QStringLiteral("Create a test key (sq_test_...).")},
        {QStringLiteral("date"), QStringLiteral("Retention: the UTC day to run for (default: today)."), QStringLiteral("YYYY-MM-DD")},
        {QStringLiteral("listen"), QStringLiteral("Serve: address to listen on."), QStringLiteral("address")},
        {QStringLiteral("tls-cert"), QStringLiteral("Serve: PEM certificate (and chain)."), QStringLiteral("file")},
        {QStringLiteral("tls-key"), QStringLiteral("Serve: PEM private key (mode 0600)."), QStringLiteral("file")},
        {QStringLiteral("online-threshold"), QStringLiteral("Serve: seconds since last seen for a device to count as online."),
         QStringLiteral("seconds")},
        {QStringLiteral("out"), QStringLiteral("Backup: the file to write (FILE.partial until complete)."), QStringLiteral("file")},
        {QStringLiteral("in"), QStringLiteral("Restore: the backup file to read."), QStringLiteral("file")},
        {QStringLiteral("backup-key-file"), QStringLiteral("Backup/restore: the 32-byte backup key (64 hex characters, mode 0600)."),
         QStringLiteral("file")},
        {QStringLiteral("sync-port"), QStringLiteral("Serve: also serve device sync (mutual TLS) on this port."), QStringLiteral("port")},
        {QStringLiteral("certificate"), QStringLiteral("Device create: the device's enrolled certificate (PEM)."), QStringLiteral("file")},
        {QStringLiteral("ca-cert"), QStringLiteral("Ca register/revoke: the deployment CA certificate (PEM)."), QStringLiteral("file")},
        {QStringLiteral("serial"), QStringLiteral("Ca revoke: the device certificate's serial (hex)."), QStringLiteral("hex")},
        {QStringLiteral("webhook-key-file"),
         QStringLiteral("Serve: the 32-byte key sealing webhook secrets (64 hex characters, mode 0600); enables webhooks."),
         QStringLiteral("file")},
        {QStringLiteral("webhook-mode"), QStringLiteral("Serve: production (https, public targets) or development."), QStringLiteral("mode")},
        {QStringLiteral("webhook-interval"), QStringLiteral("Serve: seconds between webhook dispatcher passes (default 5)."),
         QStringLiteral("seconds")},
        {QStringLiteral("webhook-timeout"), QStringLiteral("Serve: seconds per webhook attempt (default 10)."), QStringLiteral("seconds")},
        {QStringLiteral("webhook-ca-file"), QStringLiteral("Serve: PEM CA certificates trusted for https webhook receivers."),
         QStringLiteral("file")},
        {QStringLiteral("ranges"), QStringLiteral("Org set-webhook-ranges: comma-separated CIDR ranges (empty: none)."), QStringLiteral("cidrs")},
        {QStringLiteral("admin-host"), QStringLiteral("Setup-db: the superuser's unix socket directory (default /var/run/postgresql)."),
         QStringLiteral("dir")},
        {QStringLiteral("admin-user"), QStringLiteral("Setup-db: PostgreSQL's superuser, also its OS user (default postgres)."),
         QStringLiteral("role")},
        {QStringLiteral("credentials-dir"),
         QStringLiteral("Setup-db: where the roles' password files go (default /etc/signiq/hub/credentials)."), QStringLiteral("dir")},
        {QStringLiteral("audit-key-file"),
         QStringLiteral("Serve: the audit-signing key (Ed25519 seed, 64 hex characters, mode 0600; not the backup key): "
                        "every audit export ends with a head signed by it."),
         QStringLiteral("file")},
    });
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("setup-db | migrate | org create|set-tier|show|set-webhook-ranges | site create | device create | ca register|revoke | keys create | retention run | serve | demo seed | backup | restore"));
    if (!p.parse(arguments)) {
        m_err << "signiq-hub: " << p.errorText() << "\n\n" << kUsage;
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        m_out << kUsage;
        return 0;
    }
    if (p.isSet(QStringLiteral("version"))) {
        m_out << "signiq-hub " << SIGNIQ_VERSION << '\n';
        return 0;
    }
    auto command = commandOf(p.positionalArguments());
    if (!command) {
        m_err << "signiq-hub: " << command.error().message << "\n\n" << kUsage;
        return 2;
    }

    auto fail = [&](const Error &error) {
        m_err << "signiq-hub " << command->name << ": " << error.message << '\n';
        return 1;
    };

    // Validate the command's own arguments before connecting.
    std::optional<protocol::Tier> tier;
    if (p.isSet(QStringLiteral("tier")) || command->name == QLatin1String("org create") || command->name == QLatin1String("org set-tier")) {
        auto parsed = protocol::tierFromName(p.value(QStringLiteral("tier")));
        if (!parsed)
            return fail(parsed.error());
        tier = *parsed;
    }

    // serve: its own arguments, checked before connecting.
    struct Serve {
        QHostAddress address;
        quint16 port = 0;
        crypto::TlsIdentity identity;
        hub::HubApiOptions api;
        std::optional<crypto::Ed25519SigningKey> auditKey;
        std::optional<quint16> syncPort;
        WebhookServe webhooks;
    } serve;
    if (command->name == QLatin1String("serve")) {
        auto listen = required(p, QStringLiteral("listen"));
        if (!listen)
            return fail(listen.error());
        if (!serve.address.setAddress(*listen))
            return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--listen '%1' is not an IP address").arg(*listen)));
        bool ok = false;
        const int port = p.value(QStringLiteral("port")).toInt(&ok);
        if (!ok || port < 0 || port > 65535)
            return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--port '%1' is not a port (0..65535)").arg(p.value(QStringLiteral("port")))));
        serve.port = quint16(port);
        if (p.isSet(QStringLiteral("sync-port"))) {
            const int syncPort = p.value(QStringLiteral("sync-port")).toInt(&ok);
            if (!ok || syncPort < 0 || syncPort > 65535)
                return fail(makeError(ErrorCode::InvalidArgument,
                                      QStringLiteral("--sync-port '%1' is not a port (0..65535)").arg(p.value(QStringLiteral("sync-port")))));
            serve.syncPort = quint16(syncPort);
        }
        const QString auditKeyFile = p.isSet(QStringLiteral("audit-key-file")) ? p.value(QStringLiteral("audit-key-file"))
                                                                               : core::credentialFile(QStringLiteral("audit.key"));
        if (!auditKeyFile.isEmpty()) {
            auto seed = hub::loadKeyFile(auditKeyFile, QStringLiteral("audit"), QStringLiteral("--audit-key-file"));
            if (!seed)
                return fail(seed.error());
            auto key = crypto::Ed25519SigningKey::fromSeed(*seed);
            crypto::secureZero(*seed);
            if (!key)
                return fail(key.error());
            serve.auditKey = *key;
            serve.api.auditKey = &*serve.auditKey;
            m_err << "signiq-hub serve: audit exports are signed by key id " << protocol::AuditHead::keyIdOf(key->publicKey()) << '\n';
        }
        const QString webhookKeyFile = p.isSet(QStringLiteral("webhook-key-file")) ? p.value(QStringLiteral("webhook-key-file"))
                                                                                   : core::credentialFile(QStringLiteral("webhook.key"));
        if (!webhookKeyFile.isEmpty()) {
            auto key = hub::loadKeyFile(webhookKeyFile, QStringLiteral("webhook"), QStringLiteral("--webhook-key-file"));
            if (!key)
                return fail(key.error());
            serve.api.webhooks.secretsKey = *key;
            serve.webhooks.enabled = true;
        }
        for (const QString &name : {QStringLiteral("webhook-mode"), QStringLiteral("webhook-interval"), QStringLiteral("webhook-timeout"),
                                    QStringLiteral("webhook-ca-file")}) {
            if (p.isSet(name) && !serve.webhooks.enabled)
                return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--%1 needs --webhook-key-file (webhooks are off without it)").arg(name)));
        }
        if (p.isSet(QStringLiteral("webhook-mode"))) {
            const QString mode = p.value(QStringLiteral("webhook-mode"));
            if (mode == QLatin1String("development"))
                serve.webhooks.mode = hub::WebhookAddressPolicy::Mode::Development;
            else if (mode != QLatin1String("production"))
                return fail(makeError(ErrorCode::InvalidArgument,
                                      QStringLiteral("--webhook-mode '%1' is not production or development").arg(mode.left(40))));
            serve.api.webhooks.mode = serve.webhooks.mode;
            if (serve.webhooks.mode == hub::WebhookAddressPolicy::Mode::Development)
                m_err << "signiq-hub serve: warning: webhooks in development mode accept http:// and loopback targets\n";
        }
        if (p.isSet(QStringLiteral("webhook-interval"))) {
            const double s = p.value(QStringLiteral("webhook-interval")).toDouble(&ok);
            if (!ok || s < 0.1 || s > 3600)
                return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--webhook-interval must be 0.1..3600 seconds")));
            serve.webhooks.intervalMs = qint64(s * 1000);
        }
        if (p.isSet(QStringLiteral("webhook-timeout"))) {
            const int s = p.value(QStringLiteral("webhook-timeout")).toInt(&ok);
            if (!ok || s < 1 || s > 60)
                return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--webhook-timeout must be 1..60 seconds")));
            serve.webhooks.dispatcher.timeoutMs = s * 1000;
        }
        if (p.isSet(QStringLiteral("webhook-ca-file"))) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(p.value(QStringLiteral("webhook-ca-file")), QSsl::Pem);
            if (cas.isEmpty())
                return fail(makeError(ErrorCode::InvalidArgument,
                                      QStringLiteral("--webhook-ca-file '%1' holds no PEM certificate").arg(p.value(QStringLiteral("webhook-ca-file")))));
            serve.webhooks.dispatcher.extraCaCertificates = cas;
        }
        auto cert = fileOrCredential(p, QStringLiteral("tls-cert"), QStringLiteral("tls.crt"));
        if (!cert)
            return fail(cert.error());
        auto tlsKey = fileOrCredential(p, QStringLiteral("tls-key"), QStringLiteral("tls.key"));
        auto identity = crypto::TlsIdentity::load(*cert, tlsKey ? *tlsKey : *cert);
        if (!identity)
            return fail(identity.error());
        serve.identity = *identity;
        if (p.isSet(QStringLiteral("online-threshold"))) {
            const qint64 s = p.value(QStringLiteral("online-threshold")).toLongLong(&ok);
            if (!ok || s < 1)
                return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--online-threshold must be a positive number of seconds")));
            serve.api.onlineThresholdMs = s * 1000;
        }
    }

    auto options = connectionFrom(p, *command, command->name != QLatin1String("serve"));
    if (!options)
        return fail(options.error());
    if (command->name == QLatin1String("backup") || command->name == QLatin1String("restore"))
        return runBackupOrRestore(p, command->name, *options);
    if (command->name == QLatin1String("setup-db"))
        return runSetupDb(p, *options);
    auto db = hub::Database::open(*options);
    if (!db)
        return fail(db.error());
    const QString actor = QStringLiteral("cli");

    if (command->name == QLatin1String("migrate")) {
        if (core::Status migrated = migrate(*db); !migrated)
            return fail(migrated.error());
        return 0;
    }
    if (command->name == QLatin1String("retention run")) {
        QDate day = hub::Retention::utcDay(m_clock);
        if (p.isSet(QStringLiteral("date"))) {
            day = QDate::fromString(p.value(QStringLiteral("date")), Qt::ISODate);
            if (!day.isValid())
                return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--date '%1' is not YYYY-MM-DD").arg(p.value(QStringLiteral("date")))));
        }
        auto report = hub::Retention::run(*db, day);
        if (!report)
            return fail(report.error());
        for (const QString &name : report->createdPartitions)
            m_out << "created " << name << '\n';
        for (const QString &name : report->droppedPartitions)
            m_out << "dropped " << name << '\n';
        for (const auto &[target, rows] : report->deletedRows)
            m_out << "deleted " << rows << " rows from " << target << '\n';
        m_err << "retention for " << day.toString(Qt::ISODate) << ": " << report->createdPartitions.size() << " partitions created, "
              << report->droppedPartitions.size() << " dropped, " << report->deletedRows.size() << " tables trimmed\n";
        return 0;
    }

    if (command->name == QLatin1String("serve"))
        return runServer(*db, serve.identity, serve.address, serve.port, serve.api, serve.syncPort, serve.webhooks);

    hub::OrganisationRepository orgs(*db, m_clock);
    if (command->name == QLatin1String("org create")) {
        auto name = required(p, QStringLiteral("name"));
        if (!name)
            return fail(name.error());
        auto org = orgs.create(*name, *tier, actor);
        if (!org)
            return fail(org.error());
        m_out << idText(org->id) << '\n';
        m_err << "organisation '" << org->name << "' created (tier " << protocol::tierName(org->tier) << ")\n";
        return 0;
    }
    auto org = requiredId(p, QStringLiteral("org"));
    if (!org)
        return fail(org.error());
    if (command->name == QLatin1String("org set-tier")) {
        auto changed = orgs.setTier(*org, *tier, actor);
        if (!changed)
            return fail(changed.error());
        m_err << "organisation " << idText(*org) << " is now on tier " << protocol::tierName(changed->tier) << " (audited)\n";
        return 0;
    }
    if (command->name == QLatin1String("org show")) {
        auto found = orgs.find(*org);
        if (!found)
            return fail(found.error());
        auto limits = orgs.limits(*org);
        if (!limits)
            return fail(limits.error());
        m_out << "id " << idText(found->id) << "\nname " << found->name << "\ntier " << protocol::tierName(found->tier)
              << "\nmax_devices " << limits->maxDevices << "\nhistory_days " << limits->historyDays << "\nrate_per_minute "
              << limits->ratePerMinute << "\nburst " << limits->burst << "\nexports_allowed " << (limits->exportsAllowed ? "yes" : "no")
              << '\n';
        return 0;
    }
    if (command->name == QLatin1String("org set-webhook-ranges")) {
        if (!p.isSet(QStringLiteral("ranges")))
            return fail(makeError(ErrorCode::InvalidArgument, QStringLiteral("--ranges is required (\"\" clears the list)")));
        QStringList ranges;
        for (const QString &r : p.value(QStringLiteral("ranges")).split(QLatin1Char(','), Qt::SkipEmptyParts))
            ranges << r.trimmed();
        const qint64 now = m_clock.nowMs();
        auto set = db->inOrg(*org, [&](hub::Transaction &tx) -> core::Status {
            if (core::Status exists = hub::requireOrganisation(tx); !exists)
                return exists;
            if (core::Status ok = hub::WebhookRepository::setAllowedRangesIn(tx, ranges); !ok)
                return ok;
            auto audited = hub::AuditRepository::appendIn(tx, {actor, QString(), QStringLiteral("webhook.allowed_ranges"),
                                                               ranges.join(QLatin1Char(',')).left(200), QStringLiteral("ok")},
                                                          now);
            if (!audited)
                return audited.error();
            return {};
        });
        if (!set)
            return fail(set.error());
        for (const QString &r : ranges)
            m_out << r << '\n';
        m_err << "webhook targets of organisation " << idText(*org) << " may use " << ranges.size() << " non-public ranges\n";
        return 0;
    }
    if (command->name == QLatin1String("site create")) {
        auto name = required(p, QStringLiteral("name"));
        if (!name)
            return fail(name.error());
        auto zone = required(p, QStringLiteral("time-zone"));
        if (!zone)
            return fail(zone.error());
        hub::SiteRepository sites(*db);
        auto site = sites.create(*org, *name, *zone);
        if (!site)
            return fail(site.error());
        m_out << idText(site->id) << '\n';
        m_err << "site '" << site->name << "' created (" << site->timeZone << ")\n";
        return 0;
    }
    if (command->name == QLatin1String("device create")) {
        auto name = required(p, QStringLiteral("name"));
        if (!name)
            return fail(name.error());
        auto path = required(p, QStringLiteral("certificate"));
        if (!path)
            return fail(path.error());
        auto certificate = crypto::Certificate::load(*path);
        if (!certificate)
            return fail(certificate.error());
        std::optional<QUuid> site;
        if (p.isSet(QStringLiteral("site"))) {
            auto id = requiredId(p, QStringLiteral("site"));
            if (!id)
                return fail(id.error());
            site = *id;
        }
        auto device = hub::DeviceRepository(*db).create(*org, hub::NewDevice{site, *name, certificate->serialHex()});
        if (!device)
            return fail(device.error());
        m_out << idText(device->id) << '\n';
        m_err << "device '" << device->name << "' registered (certificate serial " << device->certificateSerial << ")\n";
        return 0;
    }
    if (command->name == QLatin1String("ca register") || command->name == QLatin1String("ca revoke")) {
        auto path = required(p, QStringLiteral("ca-cert"));
        if (!path)
            return fail(path.error());
        auto ca = crypto::Certificate::load(*path);
        if (!ca)
            return fail(ca.error());
        hub::SyncIngest ingest(*db, m_clock);
        if (command->name == QLatin1String("ca register")) {
            if (core::Status registered = ingest.registerDeploymentCa(*org, *ca); !registered)
                return fail(registered.error());
            m_err << "deployment CA '" << ca->subjectCommonName() << "' (SHA-256 " << QString::fromLatin1(ca->sha256Fingerprint().toHex())
                  << ") registered; a running sync listener trusts it within a minute\n";
            return 0;
        }
        auto serial = required(p, QStringLiteral("serial"));
        if (!serial)
            return fail(serial.error());
        if (core::Status revoked = ingest.revokeCertificate(*org, *ca, *serial); !revoked)
            return fail(revoked.error());
        m_err << "certificate " << *serial << " of '" << ca->subjectCommonName() << "' revoked for sync\n";
        return 0;
    }
    if (command->name == QLatin1String("demo seed")) {
        auto site = requiredId(p, QStringLiteral("site"));
        if (!site)
            return fail(site.error());
        hub::DeviceRepository devices(*db);
        const qint64 now = m_clock.nowMs();
        const QString name = p.isSet(QStringLiteral("name")) ? p.value(QStringLiteral("name")) : QStringLiteral("demo screen");
        auto device = devices.create(*org, hub::NewDevice{*site, name, QString::number(now, 16) + QString::number(qHash(name), 16)});
        if (!device)
            return fail(device.error());
        if (core::Status seen = devices.recordSeen(*org, device->id, now, QStringLiteral("person-detector@demo"), QStringLiteral("cal-demo"));
            !seen)
            return fail(seen.error());
        const QDateTime monthStart(QDate(hub::Retention::utcDay(m_clock).year(), hub::Retention::utcDay(m_clock).month(), 1), QTime(0, 0),
                                   QTimeZone::utc());
        const qint64 step = 15 * 60'000;
        qint64 start = qMax(now - 3 * 24 * 3600'000LL, monthStart.toMSecsSinceEpoch());
        start -= start % step;
        QList<core::AudienceWindow> windows;
        for (qint64 t = start; t + step <= now; t += step) {
            for (const QString &zone : {QStringLiteral("entrance"), QStringLiteral("screen")}) {
                const int hour = int((t / 3600'000) % 24);
                const int busy = 2 + (hour >= 8 && hour < 20 ? 10 : 0) + int(qHash(t) % 5);
                core::AudienceWindow w;
                w.zone = zone;
                w.startMs = t;
                w.endMs = t + step;
                w.ots = busy;
                w.entries = busy;
                w.exits = busy;
                w.meanOccupancy = busy / 4.0;
                w.peakOccupancy = busy / 2 + 1;
                w.viewers = busy / 3;
                w.confidence = 0.9;
                w.modelVersion = QStringLiteral("person-detector@demo");
                w.calibrationVersion = QStringLiteral("cal-demo");
                windows << w;
            }
        }
        hub::WindowRepository store(*db);
        auto written = store.insertAudience(*org, device->id, windows);
        if (!written)
            return fail(written.error());
        m_out << idText(device->id) << '\n';
        m_err << "device '" << device->name << "' created with " << *written << " windows\n";
        return 0;
    }
    if (command->name == QLatin1String("keys create")) {
        auto scopeText = required(p, QStringLiteral("scopes"));
        if (!scopeText)
            return fail(scopeText.error());
        auto scopes = protocol::scopesFromNames(scopeText->split(QLatin1Char(','), Qt::SkipEmptyParts));
        if (!scopes)
            return fail(scopes.error());
        hub::NewKey request;
        request.name = p.value(QStringLiteral("name"));
        request.scopes = *scopes;
        request.environment = p.isSet(QStringLiteral("test")) ? protocol::KeyEnvironment::Test : protocol::KeyEnvironment::Live;
        if (p.isSet(QStringLiteral("site"))) {
            auto site = requiredId(p, QStringLiteral("site"));
            if (!site)
                return fail(site.error());
            request.siteId = *site;
        }
        hub::ApiKeyRepository keys(*db, m_clock);
        auto issued = keys.create(*org, request, actor);
        if (!issued)
            return fail(issued.error());
        m_out << issued->token << '\n';
        m_err << "key " << issued->key.keyId << " created (scopes " << protocol::scopeNames(issued->key.scopes).join(QLatin1Char(','))
              << (request.siteId ? QStringLiteral(", site ") + idText(*request.siteId) : QString())
              << "). The key above is shown only once: only its SHA-256 is stored.\n";
        return 0;
    }
    return fail(makeError(ErrorCode::Internal, QStringLiteral("command not implemented")));
}

} // namespace signiq::hubapp
