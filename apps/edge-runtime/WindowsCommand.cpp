#include "WindowsCommand.h"

#include "CommandOutput.h"
#include "EdgeSession.h"

#include "storage/WindowRepository.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <limits>

namespace signiq::edge {

int runWindowsCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the audience windows stored in the encrypted database."));
    EdgeSessionOptions::addOptions(parser);
    const QCommandLineOption zone(QStringLiteral("zone"), QStringLiteral("Only this zone."), QStringLiteral("NAME"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("Windows starting at or after (ISO 8601)."), QStringLiteral("ISO"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Windows starting before (ISO 8601)."), QStringLiteral("ISO"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON instead of a table."));
    for (const auto &o : {zone, from, to, json})
        parser.addOption(o);
    if (auto code = parseCommandLine(parser, QStringLiteral("windows"), args))
        return *code;

    qint64 fromMs = 0;
    qint64 toMs = std::numeric_limits<qint64>::max();
    for (const auto &[option, target] : {std::pair{from, &fromMs}, std::pair{to, &toMs}}) {
        if (!parser.isSet(option))
            continue;
        const QDateTime t = QDateTime::fromString(parser.value(option), Qt::ISODate);
        if (!t.isValid())
            return fail(QStringLiteral("--%1 '%2' is not an ISO 8601 date-time").arg(option.names().first(), parser.value(option)),
                        ExitUsage);
        *target = t.toMSecsSinceEpoch();
    }

    auto options = EdgeSessionOptions::fromParser(parser);
    if (!options)
        return fail(options.error(), ExitUsage);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    storage::WindowRepository repo(session->database());
    auto windows = repo.windows(fromMs, toMs, parser.value(zone));
    if (!windows)
        return fail(windows.error());

    if (parser.isSet(json)) {
        QJsonArray array;
        for (const auto &w : *windows)
            array.append(w.toJson());
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    QString out = QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n")
                      .arg(QStringLiteral("start (UTC)"), -20)
                      .arg(QStringLiteral("zone"), -16)
                      .arg(QStringLiteral("OTS"), 4)
                      .arg(QStringLiteral("in"), 4)
                      .arg(QStringLiteral("out"), 4)
                      .arg(QStringLiteral("occ"), 5)
                      .arg(QStringLiteral("peak"), 4)
                      .arg(QStringLiteral("conf"), 5)
                      .arg(QStringLiteral("dwell 0-5/5-15/15-30/30-60/60+  flags"));
    for (const auto &w : *windows) {
        QStringList bands;
        for (int d : w.dwellBands)
            bands << QString::number(d);
        out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9  %10\n")
                   .arg(QDateTime::fromMSecsSinceEpoch(w.startMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), -20)
                   .arg(w.zone.left(16), -16)
                   .arg(w.ots, 4)
                   .arg(w.entries, 4)
                   .arg(w.exits, 4)
                   .arg(w.meanOccupancy, 5, 'f', 2)
                   .arg(w.peakOccupancy, 4)
                   .arg(w.confidence, 5, 'f', 2)
                   .arg(bands.join(QLatin1Char('/')), -14)
                   .arg(core::qualityFlagNames(w.qualityFlags).join(QLatin1Char(',')));
    }
    out += QStringLiteral("%1 windows\n").arg(windows->size());
    printOut(out);
    return ExitOk;
}

} // namespace signiq::edge
