#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace signiq::edge {

// Exit codes shared by every command.
// ExitUnverified: `audit verify` found nothing wrong but could not prove the log (unsigned,
// no public key given, an export without a head): never to be read as "intact".
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitUnverified = 3 };

// stdout: results (tables, JSON). stderr: progress and errors. Both UTF-8.
void printOut(const QString &text);
void printErr(const QString &text);
// "signiq-edge: error: <message>" on stderr; returns `code` so callers can `return fail(...)`.
int fail(const QString &message, int code = ExitFailure);
int fail(const core::Error &error, int code = ExitFailure);

bool stderrIsTerminal();

// A certificate's SHA-256 fingerprint as the console shows it when a device is added
// ("3F:A0:…", 32 upper-case hex pairs), from the raw 32-byte digest of its DER.
QString fingerprintText(const QByteArray &sha256);

// A one-line progress bar redrawn in place on a terminal ("[#####.....]  50%  400/795 frames").
QString progressBar(qint64 done, qint64 total, const QString &suffix, int width = 30);

} // namespace signiq::edge

class QCommandLineParser;

namespace signiq::edge {

// Parses `args` (without the program and command names) for `command`. Handles --help.
// Returns an exit code when the command must stop here (help shown or a usage error printed).
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args);

} // namespace signiq::edge
