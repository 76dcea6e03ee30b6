#pragma once

#include <QStringList>

namespace signiq::edge {
// signiq-edge keys create|list|revoke|rotate (offline, on the device; audited as actor "cli").
int runKeysCommand(const QStringList &args);
// signiq-edge audit verify [--file EXPORT] | export [--format jsonl|csv] [--out FILE].
int runAuditCommand(const QStringList &args);
} // namespace signiq::edge
