#pragma once

#include "protocol/AuditChain.h"
#include "protocol/AuditHead.h"
#include "protocol/AuditVerification.h"
#include "core/Clock.h"
#include "core/Result.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace signiq::crypto {
class Ed25519SigningKey;
}

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::api {

// The entry, its chain, the signed head and the verifier are protocol types (the console and
// the hub verify the same chain with the same code).
using protocol::AuditChain;
using protocol::AuditEntry;
using protocol::AuditHead;
using protocol::AuditTrust;
using protocol::AuditVerification;
using protocol::AuditVerifyOptions;
using protocol::ChainBreak;

// What happened; the log adds the time, the sequence number and the chain.
struct AuditEvent {
    QString actor;    // key id, "cli", "system", "anonymous"
    QString sourceIp; // empty for local (command-line) actions
    QString action;   // "key.create", "key.rotate", "key.revoke", "zones.update", "calibration.update",
                      // "windows.export", "audit.export", "audit.checkpoint", "audit.adopt", "overlay.open",
                      // "overlay.close", "auth.failed", "auth.denied", "db.backup", "db.restore", "db.rekey"
    QString target;
    QString result;   // "ok", "denied", "error: ..."

    // What is stored is bounded whatever the caller passes (a 1 MB path once grew the database
    // by 1 MB per request): actor, source and action 64 characters, target 200, result 500; a
    // cut field ends in "…".
    static constexpr int MaxShortField = 64;
    static constexpr int MaxTarget = 200;
    static constexpr int MaxResult = 500;
};

struct AuditLogOptions {
    qint64 checkpointEvery = 1000; // a signed checkpoint is stored at every N-th entry (with an audit key)
};

// The whole log and its head, read in one transaction (an export).
struct AuditSnapshot {
    QList<AuditEntry> entries;
    AuditHead head;
};

// The hash-chained audit log in the encrypted database (audit_log, audit_head,
// audit_checkpoints). Appends are serialised with BEGIN IMMEDIATE, so the API server and a
// command-line tool in another process can both write without forking the chain.
//
// With an audit key (`signer`, Ed25519 from its own key file, never the database key) every
// append first checks the current head's signature — so an edit made with only the database
// key is never signed over — and then signs the new head (seq, count, hash). The rules:
//   - no key, unsigned log: the entry is added unsigned (verification says "chain only");
//   - no key, signed log: refused (PermissionDenied): a signed log stays signed;
//   - key, head signature does not verify with it: refused (Corrupt);
//   - key, entries but an unsigned head: refused until `adopt` (PermissionDenied).
class AuditLog {
public:
    AuditLog(const storage::EncryptedDatabase &database, const core::Clock &clock, const crypto::Ed25519SigningKey *signer = nullptr,
             AuditLogOptions options = {});

    [[nodiscard]] core::Result<AuditEntry> record(const AuditEvent &event);
    // The operation and the entry that records it in ONE transaction: `operation` does its
    // writes on the same connection and returns the event to record (or an error: nothing is
    // written, not even the audit entry). If the entry cannot be written, the operation is
    // rolled back too: an Internal error "… nothing was changed".
    [[nodiscard]] core::Result<AuditEntry> transact(const std::function<core::Result<AuditEvent>()> &operation);
    // Records `event` and stores a signed checkpoint of the head after it, which therefore
    // covers its own record. Needs the audit key.
    [[nodiscard]] core::Result<AuditHead> checkpoint(const AuditEvent &event);
    // Starts signing a log that has no head signed by this key (a log from before the audit key,
    // or restored onto a device with a new key): the chain must be intact; `event` (its result
    // gets what was found appended) is the first entry signed with the key.
    [[nodiscard]] core::Result<AuditEntry> adopt(const AuditEvent &event);
    // Whether record() would be accepted now (the key rules above), without writing: backup and
    // rekey check this before they start, so that they are never done unaudited.
    [[nodiscard]] core::Status checkWritable() const;

    // fromMs <= timestamp < toMs, seq > afterSeq, by seq, at most `limit`.
    [[nodiscard]] core::Result<QList<AuditEntry>> entries(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const;
    [[nodiscard]] core::Result<QList<AuditEntry>> all() const;
    [[nodiscard]] core::Result<AuditSnapshot> snapshot() const;
    [[nodiscard]] core::Result<QList<AuditHead>> storedCheckpoints() const;

private:
    core::Result<AuditEntry> append(const AuditEvent &event, bool adopting);

    const storage::EncryptedDatabase &m_database;
    const core::Clock &m_clock;
    const crypto::Ed25519SigningKey *m_signer;
    AuditLogOptions m_options;
};

// The chain in the database from entry 1, its head row and signature, the checkpoints stored
// in the database and those in `options` (kept off the device): an edited, inserted or deleted
// entry — also the newest ones — is reported with where the chain breaks; with the audit
// public key, a log rewritten by whoever holds only the database key is Broken too.
[[nodiscard]] core::Result<AuditVerification> verifyAuditLog(const storage::EncryptedDatabase &database,
                                                             const AuditVerifyOptions &options = {});
// An export (JSON lines or CSV) on its own: it must start at entry 1 and end at its head
// trailer (a cut at either end is Broken); an export without a head is at best ChainOnly.
using protocol::verifyAuditExport;
[[nodiscard]] core::Result<AuditVerification> verifyAuditExportFile(const QString &path, const AuditVerifyOptions &options = {});

} // namespace signiq::api
