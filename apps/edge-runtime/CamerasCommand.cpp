#include "CamerasCommand.h"

#include "CommandOutput.h"

#include "vision/capture/CameraSource.h"

#include <QCommandLineParser>

namespace signiq::edge {

int runCamerasCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List the video cameras of this machine (Qt Multimedia). Use one with --source camera:<index|id>.\n"
        "No audio device is ever opened."));
    if (auto code = parseCommandLine(parser, QStringLiteral("cameras"), args))
        return *code;
    const auto cameras = vision::listCameras();
    if (cameras.isEmpty()) {
        printOut(QStringLiteral("no cameras found\n"));
        return ExitOk;
    }
    QString out;
    for (int i = 0; i < cameras.size(); ++i) {
        const auto &c = cameras.at(i);
        out += QStringLiteral("camera:%1  %2  %3%4\n")
                   .arg(i)
                   .arg(c.id, -24)
                   .arg(c.description)
                   .arg(c.isDefault ? QStringLiteral("  (default)") : QString());
    }
    printOut(out);
    return ExitOk;
}

} // namespace signiq::edge
