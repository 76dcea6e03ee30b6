#include "CommandOutput.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace signiq::edge {

void printOut(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

void printErr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fflush(stderr);
}

int fail(const QString &message, int code)
{
    printErr(QStringLiteral("signiq-edge: error: ") + message + QLatin1Char('\n'));
    return code;
}

int fail(const core::Error &error, int code)
{
    return fail(error.message, code);
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

QString progressBar(qint64 done, qint64 total, const QString &suffix, int width)
{
    if (total <= 0)
        return QStringLiteral("%1 frames  %2").arg(done).arg(suffix);
    const double fraction = std::clamp(double(done) / double(total), 0.0, 1.0);
    const int filled = int(fraction * width + 0.5);
    return QStringLiteral("[%1%2] %3%  %4/%5 frames  %6")
        .arg(QString(filled, QLatin1Char('#')), QString(width - filled, QLatin1Char('.')))
        .arg(int(fraction * 100.0), 3)
        .arg(done)
        .arg(total)
        .arg(suffix);
}

} // namespace signiq::edge

#include <QCommandLineParser>

namespace signiq::edge {

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QString &command, const QStringList &args)
{
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    QStringList argv{QStringLiteral("signiq-edge %1").arg(command)};
    argv += args;
    if (!parser.parse(argv))
        return fail(parser.errorText() + QStringLiteral(" (try signiq-edge %1 --help)").arg(command), ExitUsage);
    if (parser.isSet(help)) {
        printOut(parser.helpText());
        return ExitOk;
    }
    return std::nullopt;
}

QString fingerprintText(const QByteArray &sha256)
{
    return QString::fromLatin1(sha256.toHex(':').toUpper());
}

} // namespace signiq::edge
