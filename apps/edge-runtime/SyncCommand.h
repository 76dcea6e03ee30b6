#pragma once

#include <QStringList>

namespace signiq::edge {
// sync --once --db FILE --key-file FILE --hub https://HOST:PORT --identity-dir DIR [--hub-ca FILE]
//      [--batches N] [--json]
int runSyncCommand(const QStringList &args);
}
