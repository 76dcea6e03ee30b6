#pragma once

#include "protocol/AuditChain.h"
#include "protocol/AuditVerification.h"
#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::console {

// The result of checking an exported audit file offline, by the verifier the edge uses too
// (protocol::verifyAuditExport).
struct AuditVerification {
    QList<protocol::AuditEntry> entries;
    std::optional<protocol::ChainBreak> chainBreak; // empty: nothing contradicts
    protocol::AuditTrust trust = protocol::AuditTrust::ChainOnly;
    std::optional<protocol::AuditHead> head; // the export's signed head (trailer), if it has one
    QStringList warnings;                    // why it is only "chain only"
    // True when the file starts at the first entry of the device's chain (seq 1, genesis hash).
    // A file without a head that starts later (a time range cut by the console) is checked as a
    // slice: its links are verified, but its first entry's link to the entries before it cannot
    // be. A file WITH a head must start at entry 1: otherwise it was cut.
    bool startsAtGenesis = false;

    // Intact only with the signature verified under the device's audit public key.
    bool isIntact() const { return trust == protocol::AuditTrust::Intact; }
    bool isBroken() const { return trust == protocol::AuditTrust::Broken; }
};

// Parse errors (not an export, malformed line) are Parse errors naming the line.
// `auditPublicKey`: the device's audit public key (32 bytes); empty: signatures not checked.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExport(const QByteArray &data, const QByteArray &auditPublicKey = {});
// NotFound / Io / PermissionDenied for the file; then as above. Files above 512 MiB are refused.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExportFile(const QString &path, const QByteArray &auditPublicKey = {});

} // namespace signiq::console
