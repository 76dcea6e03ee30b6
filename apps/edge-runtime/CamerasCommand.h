#pragma once

#include <QStringList>

namespace signiq::edge {
int runCamerasCommand(const QStringList &args);
}
