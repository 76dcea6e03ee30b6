#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "protocol/AuditChain.h"

#include <QList>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;
class Transaction;

// What happened, before it is chained: AuditRepository fills seq, timestamp, prev_hash, hash.
struct AuditEvent {
    QString actor;    // key id, "cli", "system" (<= 64)
    QString sourceIp; // (<= 64)
    QString action;   // "org.create", "org.tier", "key.create", ... (<= 64)
    QString target;   // (<= 200)
    QString result = QStringLiteral("ok"); // (<= 500)
};

// signiq.audit_entries: one hash chain per organisation in the edge's format
// (protocol::AuditChain), so /v1/audit/export verifies with the same verifier.
class AuditRepository {
public:
    AuditRepository(Database &db, const core::Clock &clock) : m_db(db), m_clock(clock) {}

    // Appends as organisation `org` in its own transaction.
    [[nodiscard]] core::Result<protocol::AuditEntry> append(const QUuid &org, const AuditEvent &event);
    // Appends inside a transaction already running as an organisation (so that a change and
    // its audit entry commit together). Appends of one organisation are serialised by a row
    // lock on its organisations row. InvalidArgument when a field is too long.
    [[nodiscard]] static core::Result<protocol::AuditEntry> appendIn(Transaction &tx, const AuditEvent &event, qint64 nowMs);

    // Entries with seq > afterSeq (and, when given, seq <= throughSeq and a timestamp in
    // [fromMs, toMs)), oldest first, at most `limit` (1..10000).
    struct Range {
        qint64 afterSeq = 0;
        std::optional<qint64> throughSeq;
        std::optional<qint64> fromMs;
        std::optional<qint64> toMs;
    };
    [[nodiscard]] core::Result<QList<protocol::AuditEntry>> list(const QUuid &org, const Range &range, int limit);
    [[nodiscard]] core::Result<QList<protocol::AuditEntry>> list(const QUuid &org, qint64 afterSeq = 0, int limit = 1000)
    {
        return list(org, Range{afterSeq, {}, {}, {}}, limit);
    }
    // The newest entry (the chain's head), std::nullopt for an empty chain.
    [[nodiscard]] core::Result<std::optional<protocol::AuditEntry>> last(const QUuid &org);
    // Verifies the organisation's whole chain: std::nullopt when intact.
    [[nodiscard]] core::Result<std::optional<protocol::ChainBreak>> verify(const QUuid &org);

private:
    Database &m_db;
    const core::Clock &m_clock;
};

} // namespace signiq::hub
