#pragma once

#include <QStringList>

namespace signiq::edge {

// `signiq-edge <command> [options]`; returns the process exit code.
int runEdgeCli(const QStringList &arguments);

} // namespace signiq::edge
