#pragma once

#include "core/Result.h"
#include "protocol/AuditHead.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::protocol {

// One audit record. `hash` = SHA-256(prevHash || canonical()), hex; the first entry's prevHash
// is 64 zeros. Editing, inserting or deleting any entry breaks the chain at that point.
struct AuditEntry {
    qint64 seq = 0;  // 1, 2, 3, ... without gaps
    qint64 timestampMs = 0;
    QString actor;   // key id, "cli", "system"
    QString sourceIp;
    QString action;  // e.g. "key.create", "zones.update", "auth.denied"
    QString target;
    QString result;  // "ok", "denied", "error: ..."
    QString prevHash;
    QString hash;

    // Stable JSON of every field but `hash` (sorted keys, compact): what the hash covers.
    QByteArray canonical() const;
    QString computeHash() const;

    QJsonObject toJson() const;
    static core::Result<AuditEntry> fromJson(const QJsonObject &object);
    bool operator==(const AuditEntry &) const = default;
};

struct ChainBreak {
    qint64 index = -1; // position in the list (0-based) where the chain first fails
    qint64 seq = 0;
    QString reason;    // "entry 17 was edited (hash mismatch)", "entry 18 missing: ..."
};

class AuditChain {
public:
    static QString genesisHash();

    // Fills seq, prevHash and hash of `entry` so it follows `previous` (or starts a chain).
    static AuditEntry link(AuditEntry entry, const AuditEntry *previous);

    // Checks a whole chain, or a contiguous slice of one when `expectedFirstPrevHash` is given.
    // Returns std::nullopt when intact, else where and why it breaks.
    static std::optional<ChainBreak> verify(const QList<AuditEntry> &entries, const QString &expectedFirstPrevHash = genesisHash());

    // Export formats. JSON lines: one entry per line, with its hash chain, then (given a head)
    // the head object as the last line. CSV: header + rows, then the head row
    // (AuditHead::toCsvFields). docs/api.md, "Audit export".
    static QByteArray toJsonLines(const QList<AuditEntry> &entries, const AuditHead *head = nullptr);
    static QByteArray toCsv(const QList<AuditEntry> &entries, const AuditHead *head = nullptr);
    // Parses an export (JSON lines or CSV, detected) for offline verification: its entries
    // only (a head trailer is skipped).
    static core::Result<QList<AuditEntry>> parseExport(const QByteArray &data);
    // Entries and the head trailer (std::nullopt for an export written before heads existed).
    // A head anywhere but at the end, or twice, is a Parse error.
    struct Export {
        QList<AuditEntry> entries;
        std::optional<AuditHead> head;
    };
    static core::Result<Export> parseExportWithHead(const QByteArray &data);
};

} // namespace signiq::protocol
