#include "ModelsCommand.h"

#include "CommandOutput.h"

#include "vision/models/ModelStore.h"

#include <QCommandLineParser>

namespace signiq::edge {

using vision::InstallProgress;
using vision::ModelStatus;
using vision::ModelStore;

namespace {

core::Result<ModelStore> openStore(const QString &dir)
{
    return dir.isEmpty() ? ModelStore::openDefault() : ModelStore::open(dir);
}

int install(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Install model files into the model directory, verifying size and sha256.\n"
        "With --from, files are copied from a local mirror directory; without it they are downloaded\n"
        "from the upstream URLs in models/models.json. Files already installed and valid are skipped."));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("Local mirror directory."), QStringLiteral("DIR"));
    const QCommandLineOption dir(QStringLiteral("dir"),
                                 QStringLiteral("Model directory (default: $SIGNIQ_MODELS_DIR or %1).")
                                     .arg(ModelStore::defaultDirectory()),
                                 QStringLiteral("MODELDIR"));
    parser.addOption(from);
    parser.addOption(dir);
    parser.addPositionalArgument(QStringLiteral("names"), QStringLiteral("Models to install (default: all)."),
                                 QStringLiteral("[NAME...]"));
    if (auto code = parseCommandLine(parser, QStringLiteral("models install"), args))
        return *code;

    auto store = openStore(parser.value(dir));
    if (!store)
        return fail(store.error());
    const bool terminal = stderrIsTerminal();
    const auto progress = [terminal](const InstallProgress &p) {
        const bool transient = p.stage == InstallProgress::Stage::Transferring || p.stage == InstallProgress::Stage::Checking;
        if (transient && !terminal)
            return; // logs get one line per file
        printErr((terminal ? QStringLiteral("\r\033[K") : QString()) + vision::describeInstallProgress(p)
                 + (transient ? QString() : QStringLiteral("\n")));
    };
    const QStringList names = parser.positionalArguments();
    auto report = parser.isSet(from) ? store->install(names, parser.value(from), progress)
                                     : store->installFromUpstream(names, progress);
    if (!report)
        return fail(report.error());
    printOut(QStringLiteral("models in %1: %2 installed, %3 already present\n")
                 .arg(store->directory())
                 .arg(report->installed.size())
                 .arg(report->skipped.size()));
    return ExitOk;
}

int list(const QStringList &args, bool verifyOnly)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(verifyOnly ? QStringLiteral("Verify every installed model file (size and sha256).")
                                                : QStringLiteral("List the models this build knows and their state."));
    const QCommandLineOption dir(QStringLiteral("dir"), QStringLiteral("Model directory."), QStringLiteral("MODELDIR"));
    parser.addOption(dir);
    if (auto code = parseCommandLine(parser, verifyOnly ? QStringLiteral("models verify") : QStringLiteral("models list"), args))
        return *code;
    auto store = openStore(parser.value(dir));
    if (!store)
        return fail(store.error());

    int bad = 0;
    QString out = QStringLiteral("model directory: %1\n").arg(store->directory());
    for (const ModelStatus &s : store->status()) {
        QString state;
        switch (s.state) {
        case ModelStatus::State::Installed: state = QStringLiteral("installed"); break;
        case ModelStatus::State::Missing: state = QStringLiteral("missing"); ++bad; break;
        case ModelStatus::State::Corrupt: state = QStringLiteral("CORRUPT"); ++bad; break;
        }
        out += QStringLiteral("  %1 %2 %3 %4%5\n")
                   .arg(s.info.name, -26)
                   .arg(s.info.task, -18)
                   .arg(state, -10)
                   .arg(s.info.isDefault ? QStringLiteral("(default) ") : QString())
                   .arg(s.detail);
    }
    printOut(out);
    if (verifyOnly && bad)
        return fail(QStringLiteral("%1 model(s) missing or corrupt; fix with: %2").arg(bad).arg(ModelStore::installHint()));
    return ExitOk;
}

} // namespace

int runModelsCommand(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("install"))
        return install(args.mid(1));
    if (sub == QLatin1String("list"))
        return list(args.mid(1), false);
    if (sub == QLatin1String("verify"))
        return list(args.mid(1), true);
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        printOut(QStringLiteral("Usage: signiq-edge models install [--from DIR] [--dir MODELDIR] [NAME...]\n"
                                "       signiq-edge models list [--dir MODELDIR]\n"
                                "       signiq-edge models verify [--dir MODELDIR]\n"));
        return sub.isEmpty() ? ExitUsage : ExitOk;
    }
    return fail(QStringLiteral("unknown models command '%1' (install, list, verify)").arg(sub), ExitUsage);
}

} // namespace signiq::edge
