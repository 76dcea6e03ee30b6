#pragma once

#include <QStringList>

namespace signiq::edge {
// ca init|token|revoke|serve --dir DIR ...: the deployment CA holder's side of device certificates.
int runCaCommand(const QStringList &args);
// enroll --server HOST:PORT --token T --ca-cert FILE --dir DIR: the device's side.
int runEnrollCommand(const QStringList &args);
} // namespace signiq::edge
