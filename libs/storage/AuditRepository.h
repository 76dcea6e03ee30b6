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

struct AuditHead {
    qint64 seq = 0;
    QString hash;
};

// The audit_log and audit_head tables (schema version 5).
class AuditRepository {
public:
    // Fills seq, prevHash and hash of `draft` so it follows `last` (std::nullopt: first entry).
    using Linker = std::function<StoredAuditEntry(const StoredAuditEntry &draft, const std::optional<StoredAuditEntry> &last)>;

    explicit AuditRepository(const EncryptedDatabase &database);

    // BEGIN IMMEDIATE (serialises writers, also across processes), reads the newest entry,
    // links the draft to it, inserts it and moves the head, COMMIT. Returns the stored entry.
    [[nodiscard]] core::Result<StoredAuditEntry> append(const StoredAuditEntry &draft, const Linker &link);

    // fromMs <= timestamp_ms < toMs and seq > afterSeq, by seq, at most `limit` rows.
    [[nodiscard]] core::Result<QList<StoredAuditEntry>> range(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const;
    // Every entry by seq (verification, export).
    [[nodiscard]] core::Result<QList<StoredAuditEntry>> all() const;
    [[nodiscard]] core::Result<std::optional<AuditHead>> head() const;

private:
    QString m_connectionName;
};

} // namespace signiq::storage
