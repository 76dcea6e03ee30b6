#pragma once

#include "protocol/AuditChain.h"
#include "core/Clock.h"
#include "core/Result.h"

#include <QList>
#include <QString>

#include <optional>

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::api {

// The entry and its chain are protocol types (the console and the hub verify the same chain).
using protocol::AuditChain;
using protocol::AuditEntry;
using protocol::ChainBreak;

// What happened; the log adds the time, the sequence number and the chain.
struct AuditEvent {
    QString actor;    // key id, "cli", "system", "anonymous"
    QString sourceIp; // empty for local (command-line) actions
    QString action;   // "key.create", "key.rotate", "key.revoke", "zones.update", "calibration.update",
                      // "windows.export", "audit.export", "overlay.open", "overlay.close", "auth.failed", "auth.denied"
    QString target;
    QString result;   // "ok", "denied", "error: ..."

    // What is stored is bounded whatever the caller passes (a 1 MB path once grew the database
    // by 1 MB per request): actor, source and action 64 characters, target 200, result 500; a
    // cut field ends in "…".
    static constexpr int MaxShortField = 64;
    static constexpr int MaxTarget = 200;
    static constexpr int MaxResult = 500;
};

// The hash-chained audit log in the encrypted database (audit_log + audit_head). Appends are
// serialised with BEGIN IMMEDIATE, so the API server and a command-line tool in another
// process can both write without forking the chain.
class AuditLog {
public:
    AuditLog(const storage::EncryptedDatabase &database, const core::Clock &clock);

    [[nodiscard]] core::Result<AuditEntry> record(const AuditEvent &event);
    // fromMs <= timestamp < toMs, seq > afterSeq, by seq, at most `limit`.
    [[nodiscard]] core::Result<QList<AuditEntry>> entries(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const;
    [[nodiscard]] core::Result<QList<AuditEntry>> all() const;

private:
    const storage::EncryptedDatabase &m_database;
    const core::Clock &m_clock;
};

// The outcome of a verification: how many entries were checked and, when the chain is broken,
// where. Library functions the console reuses.
struct AuditVerification {
    qint64 entries = 0;
    QString headHash; // hash of the last entry checked
    std::optional<ChainBreak> chainBreak;

    bool intact() const { return !chainBreak.has_value(); }
    QString summary() const; // one line for people
};

// The chain in the database from entry 1, and the head row: an edited, inserted or deleted
// entry — also the newest ones — is reported with where the chain breaks.
[[nodiscard]] core::Result<AuditVerification> verifyAuditLog(const storage::EncryptedDatabase &database);
// An export (JSON lines or CSV) on its own: from entry 1 when it starts there, otherwise as a
// contiguous slice that starts at its first entry's prev_hash.
[[nodiscard]] core::Result<AuditVerification> verifyAuditExport(const QByteArray &data);
[[nodiscard]] core::Result<AuditVerification> verifyAuditExportFile(const QString &path);

} // namespace signiq::api
