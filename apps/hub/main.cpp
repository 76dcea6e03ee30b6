#include "HubCli.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("signiq-hub"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGNIQ_VERSION));

    signiq::core::SystemClock clock;
    QTextStream out(stdout);
    QTextStream err(stderr);
    return signiq::hubapp::HubCli(clock, out, err).run(QCoreApplication::arguments());
}
