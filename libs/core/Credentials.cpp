#include "core/Credentials.h"

#include <QDir>
#include <QFileInfo>

namespace signiq::core {

QString credentialFile(const QString &name)
{
    const QString directory = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
    if (directory.isEmpty() || name.isEmpty() || name.contains(QLatin1Char('/')))
        return {};
    const QString path = QDir(directory).filePath(name);
    return QFileInfo(path).isFile() ? path : QString();
}

} // namespace signiq::core
