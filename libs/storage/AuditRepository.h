#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace signiq::storage {

class EncryptedDatabase;

// One row of audit_log. The hash chain itself is computed by libs/api (AuditChain); storage
// only keeps rows and the head in one transaction.
struct StoredAuditEntry {
    qint64 seq = 0;
    qint64 timestampMs = 0;
    QString actor;
    QString sourceIp;
    QString action;
    QString target;
    QString result;
    QString prevHash;
    QString hash;
    bool operator==(const StoredAuditEntry &) const = default;
};

// The head row: the newest entry, the number of entries and (schema version 7) the audit
// key's signature over them; keyId and signature empty when written without an audit key.
struct AuditHead {
    qint64 seq = 0;
    QString hash;
    qint64 count = 0; // rows written before version 7 have none: count = seq
    QString keyId;
    QByteArray signature;
    bool operator==(const AuditHead &) const = default;
};

// A signed head kept in audit_checkpoints (every N entries, or on demand).
struct StoredAuditCheckpoint {
    AuditHead head;
    qint64 createdAtMs = 0;
};

// The audit_log, audit_head (schema version 5, signed from 7) and audit_checkpoints (7) tables.
class AuditRepository {
public:
    // Fills seq, prevHash and hash of `draft` so it follows `last` (std::nullopt: first entry).
    using Linker = std::function<StoredAuditEntry(const StoredAuditEntry &draft, const std::optional<StoredAuditEntry> &last)>;
    // The new head for `entry`, given the newest stored entry and the current head (checked and
    // signed by libs/api); an error rolls the append back.
    using Sealer = std::function<core::Result<AuditHead>(const StoredAuditEntry &entry, const std::optional<StoredAuditEntry> &last,
                                                         const std::optional<AuditHead> &head)>;

    explicit AuditRepository(const EncryptedDatabase &database);

    // One transaction (BEGIN IMMEDIATE, which serialises writers also across processes; a
    // SAVEPOINT inside a caller's transaction): reads the newest entry and the head, links the
    // draft, seals the new head, inserts the entry and moves the head. Returns the stored entry.
    [[nodiscard]] core::Result<StoredAuditEntry> append(const StoredAuditEntry &draft, const Linker &link, const Sealer &seal);
    [[nodiscard]] core::Status addCheckpoint(const StoredAuditCheckpoint &checkpoint);
    // By seq.
    [[nodiscard]] core::Result<QList<StoredAuditCheckpoint>> checkpoints() const;
    [[nodiscard]] core::Result<std::optional<StoredAuditEntry>> newest() const;

    // fromMs <= timestamp_ms < toMs and seq > afterSeq, by seq, at most `limit` rows.
    [[nodiscard]] core::Result<QList<StoredAuditEntry>> range(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const;
    // Every entry by seq (verification, export).
    [[nodiscard]] core::Result<QList<StoredAuditEntry>> all() const;
    [[nodiscard]] core::Result<std::optional<AuditHead>> head() const;

private:
    QString m_connectionName;
};

} // namespace signiq::storage
