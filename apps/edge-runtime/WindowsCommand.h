#pragma once

#include <QStringList>

namespace signiq::edge {
// windows --db FILE --key-file FILE [--zone Z] [--from ISO] [--to ISO] [--json]
int runWindowsCommand(const QStringList &args);
}
