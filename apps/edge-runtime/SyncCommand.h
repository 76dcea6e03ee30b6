#pragma once

#include "sync/HubClient.h"

#include <QStringList>

#include <optional>

namespace signiq::edge {

// The hub endpoint of `sync --once` and `run --sync-hub`: the device's enrolled identity from
// identityDir and the hub's CA certificates from caFile (the option `caOption`), or the enrolled
// DIR/ca.crt when caFile is empty. On failure it prints the error and sets *exitCode.
std::optional<sync::HubEndpoint> loadHubEndpoint(const QUrl &url, const QString &identityDir, const QString &caOption,
                                                 const QString &caFile, int *exitCode);

// sync --once --db FILE --key-file FILE --hub https://HOST:PORT --identity-dir DIR [--hub-ca FILE]
//      [--batches N] [--json]
int runSyncCommand(const QStringList &args);
}
