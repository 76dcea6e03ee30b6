#include "EdgeCli.h"

#include "ApiCommands.h"
#include "BackupCommand.h"
#include "CaCommand.h"
#include "CamerasCommand.h"
#include "CommandOutput.h"
#include "KeyCommand.h"
#include "ModelsCommand.h"
#include "RunCommand.h"
#include "SyncCommand.h"
#include "WindowsCommand.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <sys/stat.h>

namespace signiq::edge {

namespace {

QString usage()
{
    return QStringLiteral(
        "Usage: signiq-edge <command> [options]\n"
        "\n"
        "Privacy-first audience measurement: video in, anonymous aggregate audience windows out.\n"
        "\n"
        "Commands:\n"
        "  run        Run the pipeline on a camera, stream, video file or image directory\n"
        "  windows    Print the audience windows stored in an encrypted database\n"
        "  sync       Push the sync outbox to the hub once (sync --once, mutual TLS with the device certificate)\n"
        "  models     Install, list and verify the model files (models install --from DIR)\n"
        "  cameras    List the video cameras of this machine\n"
        "  init-key   Create a new random 256-bit database key file (mode 0600)\n"
        "  backup     Write an encrypted backup (separate backup key) while the pipeline keeps writing\n"
        "  restore    Verify a backup and restore it into a new database file\n"
        "  rekey      Rotate the database key (crash-safe)\n"
        "  ca         Deployment CA holder: init, token, revoke, serve (enrollment server)\n"
        "  enroll     Get this device's certificate with a one-time token\n"
        "  keys       API keys: create --scope admin (secret printed once), list, revoke, rotate\n"
        "  audit      Signed, hash-chained audit log: verify [--file EXPORT], export, checkpoint, adopt, public-key\n"
        "\n"
        "  signiq-edge --init-key FILE    same as init-key FILE\n"
        "  signiq-edge <command> --help   options of a command\n"
        "  signiq-edge --version\n"
        "  --verbose (any command)        log what the libraries do (signiq.* categories) to stderr\n");
}

} // namespace

int runEdgeCli(const QStringList &arguments)
{
    // Everything this service creates (database, WAL, report, key files) is private to its account.
    ::umask(0077);
    QStringList args = arguments.mid(1);
    // Library logs (signiq.*) at info level only when asked for; warnings always show.
    if (args.removeAll(QStringLiteral("--verbose")) == 0 && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("signiq.*.info=false\nsigniq.*.debug=false"));
    if (args.isEmpty()) {
        printErr(usage());
        return ExitUsage;
    }
    const QString &first = args.first();
    if (first == QLatin1String("--help") || first == QLatin1String("-h") || first == QLatin1String("help")) {
        printOut(usage());
        return ExitOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        printOut(QStringLiteral("signiq-edge %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    const QStringList rest = args.mid(1);
    if (first == QLatin1String("--init-key") || first == QLatin1String("init-key"))
        return runInitKeyCommand(rest);
    if (first == QLatin1String("run"))
        return runRunCommand(rest);
    if (first == QLatin1String("windows"))
        return runWindowsCommand(rest);
    if (first == QLatin1String("sync"))
        return runSyncCommand(rest);
    if (first == QLatin1String("models"))
        return runModelsCommand(rest);
    if (first == QLatin1String("cameras"))
        return runCamerasCommand(rest);
    if (first == QLatin1String("backup"))
        return runBackupCommand(rest);
    if (first == QLatin1String("restore"))
        return runRestoreCommand(rest);
    if (first == QLatin1String("rekey"))
        return runRekeyCommand(rest);
    if (first == QLatin1String("ca"))
        return runCaCommand(rest);
    if (first == QLatin1String("enroll"))
        return runEnrollCommand(rest);
    if (first == QLatin1String("keys"))
        return runKeysCommand(rest);
    if (first == QLatin1String("audit"))
        return runAuditCommand(rest);
    return fail(QStringLiteral("unknown command '%1' (try signiq-edge --help)").arg(first), ExitUsage);
}

} // namespace signiq::edge
