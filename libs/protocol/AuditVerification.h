#pragma once

#include "protocol/AuditChain.h"
#include "protocol/AuditHead.h"
#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace signiq::protocol {

// How far a verification could go.
enum class AuditTrust {
    Intact,    // chain from entry 1, head matches the last entry and the count, head signature
               // verified with the given audit public key, every checkpoint found unchanged
    ChainOnly, // nothing contradicts, but the head signature was not checked: no public key
               // given, an unsigned head (no audit key on the device), or an export from before
               // heads existed. Whoever holds the database key could have recomputed the chain.
    Broken,    // tampered or cut: chainBreak says where
};

QString auditTrustName(AuditTrust trust); // "intact", "chain only", "BROKEN"

struct AuditVerifyOptions {
    QByteArray publicKey;          // 32 bytes Ed25519 (readAuditPublicKey); empty: signatures not checked
    QList<AuditHead> checkpoints;  // kept off the device: each must still be a prefix of the log
    // An export that does not start at entry 1 is checked as a contiguous slice (at best
    // ChainOnly) instead of being reported as cut at the start — only when it has no head.
    // For slices people cut on purpose (the console's time range); a device export always
    // starts at entry 1 and carries its head.
    bool acceptSlice = false;
};

// The outcome: how many entries were checked, what is proved, and where it breaks.
struct AuditVerification {
    AuditTrust trust = AuditTrust::ChainOnly;
    qint64 entries = 0;
    QString headHash; // hash of the last entry checked
    std::optional<AuditHead> head;
    std::optional<ChainBreak> chainBreak;
    QStringList warnings;        // why the result is only ChainOnly, and other remarks
    qint64 checkpointsMatched = 0;

    bool intact() const { return trust == AuditTrust::Intact; }
    bool broken() const { return trust == AuditTrust::Broken; }
    QString summary() const; // one line for people (plus the warnings)
};

// The one verifier, shared by the edge (database and export files) and the console.
// `entries` must be the whole log from entry 1 (unless options.acceptSlice); `head` the signed
// head that goes with it (the database's head row, an export's trailer). `requireHead`: a
// missing head is Broken (the database always has one) instead of ChainOnly (old exports).
[[nodiscard]] AuditVerification verifyAuditEntries(const QList<AuditEntry> &entries, const std::optional<AuditHead> &head,
                                                   const AuditVerifyOptions &options, bool requireHead);
// An export (JSON lines or CSV, with or without the head trailer). Parse errors are errors.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExport(const QByteArray &data, const AuditVerifyOptions &options = {});
// Reads a checkpoint file (AuditHead::toCheckpointFile). NotFound / Io / Parse name the file.
[[nodiscard]] core::Result<AuditHead> readAuditCheckpointFile(const QString &path);

} // namespace signiq::protocol
