#include "KeyCommand.h"

#include "CommandOutput.h"

#include "storage/KeyFile.h"

#include <QCommandLineParser>

namespace signiq::edge {

int runInitKeyCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Create a database key file: 32 random bytes from the system CSPRNG, written as 64 hex characters\n"
        "with mode 0600. An existing file is never overwritten."));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Key file to create."), QStringLiteral("FILE"));
    if (auto code = parseCommandLine(parser, QStringLiteral("init-key"), args))
        return *code;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return fail(QStringLiteral("init-key takes exactly one FILE"), ExitUsage);
    if (auto created = storage::KeyFile::generate(files.first()); !created)
        return fail(created.error());
    printOut(QStringLiteral("created key file %1 (mode 0600); keep a copy somewhere safe: without it the database cannot be read\n")
                 .arg(files.first()));
    return ExitOk;
}

} // namespace signiq::edge
