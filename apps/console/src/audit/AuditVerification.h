#pragma once

#include "protocol/AuditChain.h"
#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::console {

// The result of checking an exported audit file offline (protocol::AuditChain::parseExport + verify).
struct AuditVerification {
    QList<protocol::AuditEntry> entries;
    std::optional<protocol::ChainBreak> chainBreak; // empty: intact
    // True when the file starts at the first entry of the device's chain (seq 1, genesis hash).
    // A file that starts later is checked as a slice: its links are verified, but its first
    // entry's link to the entries before it cannot be checked without them.
    bool startsAtGenesis = false;

    bool isIntact() const { return !chainBreak.has_value(); }
};

// Parse errors (not an export, malformed line) are Parse errors naming the line.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExport(const QByteArray &data);
// NotFound / Io / PermissionDenied for the file; then as above. Files above 512 MiB are refused.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExportFile(const QString &path);

} // namespace signiq::console
