#include "EdgeCli.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("signiq-edge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SIGNIQ_VERSION));
    return signiq::edge::runEdgeCli(QCoreApplication::arguments());
}
