#pragma once

#include <QStringList>

namespace signiq::edge {
// backup --db DB --key-file K --out FILE --backup-key-file BK
int runBackupCommand(const QStringList &args);
// restore --in FILE --backup-key-file BK --db NEWDB --key-file K [--init-key]
int runRestoreCommand(const QStringList &args);
// rekey --db DB --key-file K
int runRekeyCommand(const QStringList &args);
} // namespace signiq::edge
