#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::hub {

// A 32-byte key in a file of its own: 64 hex characters (a trailing newline is fine) or exactly
// 32 raw bytes, mode 0600 (crypto::securefile::readSecret refuses anything readable by others).
// `what` names the key in messages ("backup", "audit") and `option` the option that gave it.
// NotFound says how to create one.
[[nodiscard]] core::Result<QByteArray> loadKeyFile(const QString &path, const QString &what, const QString &option);

} // namespace signiq::hub
