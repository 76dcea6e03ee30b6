#pragma once

#include <QStringList>

namespace signiq::edge {
// models install [--from DIR] [--dir MODELDIR] [NAME...] | models list | models verify
int runModelsCommand(const QStringList &args);
}
