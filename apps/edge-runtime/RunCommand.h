#pragma once

#include <QStringList>

namespace signiq::edge {
int runRunCommand(const QStringList &args);
}
