#pragma once

#include <QStringList>

namespace signiq::edge {
// init-key FILE: a new random 256-bit key, hex, mode 0600; never overwrites.
int runInitKeyCommand(const QStringList &args);
}
