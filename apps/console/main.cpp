#include <QApplication>
#include <QCommandLineParser>
#include <QLabel>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("signiq-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Signiq Console"));
    QApplication::setApplicationVersion(QStringLiteral(SIGNIQ_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Signiq console: zones, calibration, dashboards, API keys and audit for Signiq edge devices."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    QLabel placeholder(QApplication::translate("main", "Signiq Console %1 — device management arrives with the console issue.")
                           .arg(QApplication::applicationVersion()));
    placeholder.setMargin(24);
    placeholder.show();
    return app.exec();
}
