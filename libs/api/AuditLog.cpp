#include "api/AuditLog.h"

#include "storage/AuditRepository.h"

#include <QFile>

namespace signiq::api {

using core::ErrorCode;
using core::makeError;

namespace {

AuditEntry fromStored(const storage::StoredAuditEntry &s)
{
    return AuditEntry{s.seq, s.timestampMs, s.actor, s.sourceIp, s.action, s.target, s.result, s.prevHash, s.hash};
}

storage::StoredAuditEntry toStored(const AuditEntry &e)
{
    return storage::StoredAuditEntry{e.seq, e.timestampMs, e.actor, e.sourceIp, e.action, e.target, e.result, e.prevHash, e.hash};
}

QList<AuditEntry> fromStored(const QList<storage::StoredAuditEntry> &rows)
{
    QList<AuditEntry> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.append(fromStored(r));
    return out;
}

} // namespace

AuditLog::AuditLog(const storage::EncryptedDatabase &database, const core::Clock &clock)
    : m_database(database), m_clock(clock)
{
}

core::Result<AuditEntry> AuditLog::record(const AuditEvent &event)
{
    storage::StoredAuditEntry draft;
    draft.timestampMs = m_clock.nowMs();
    const auto capped = [](const QString &field, int max) {
        return field.size() <= max ? field : field.left(max - 1) + QChar(0x2026);
    };
    draft.actor = capped(event.actor, AuditEvent::MaxShortField);
    draft.sourceIp = capped(event.sourceIp, AuditEvent::MaxShortField);
    draft.action = capped(event.action, AuditEvent::MaxShortField);
    draft.target = capped(event.target, AuditEvent::MaxTarget);
    draft.result = capped(event.result, AuditEvent::MaxResult);
    storage::AuditRepository repo(m_database);
    auto stored = repo.append(draft, [](const storage::StoredAuditEntry &d, const std::optional<storage::StoredAuditEntry> &last) {
        const AuditEntry previous = last ? fromStored(*last) : AuditEntry{};
        return toStored(AuditChain::link(fromStored(d), last ? &previous : nullptr));
    });
    if (!stored)
        return stored.error();
    return fromStored(*stored);
}

core::Result<QList<AuditEntry>> AuditLog::entries(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const
{
    auto rows = storage::AuditRepository(m_database).range(fromMs, toMs, afterSeq, limit);
    if (!rows)
        return rows.error();
    return fromStored(*rows);
}

core::Result<QList<AuditEntry>> AuditLog::all() const
{
    auto rows = storage::AuditRepository(m_database).all();
    if (!rows)
        return rows.error();
    return fromStored(*rows);
}

QString AuditVerification::summary() const
{
    if (chainBreak)
        return QStringLiteral("audit chain BROKEN at entry %1 (position %2 of %3): %4")
            .arg(chainBreak->seq).arg(chainBreak->index + 1).arg(entries).arg(chainBreak->reason);
    return QStringLiteral("audit chain intact: %1 entries, head %2").arg(entries).arg(headHash.isEmpty() ? QStringLiteral("-") : headHash);
}

core::Result<AuditVerification> verifyAuditLog(const storage::EncryptedDatabase &database)
{
    storage::AuditRepository repo(database);
    auto rows = repo.all();
    if (!rows)
        return rows.error();
    auto head = repo.head();
    if (!head)
        return head.error();
    const QList<AuditEntry> entries = fromStored(*rows);
    AuditVerification v;
    v.entries = entries.size();
    v.headHash = entries.isEmpty() ? QString() : entries.last().hash;
    v.chainBreak = AuditChain::verify(entries);
    if (v.chainBreak)
        return v;
    // The chain cannot see its own tail being cut off: the head row can.
    const qint64 lastSeq = entries.isEmpty() ? 0 : entries.last().seq;
    if (head->has_value()) {
        const storage::AuditHead &h = **head;
        if (h.seq > lastSeq)
            v.chainBreak = ChainBreak{entries.size(), lastSeq + 1,
                                      QStringLiteral("entries %1..%2 were deleted from the end of the log (the head records entry %2)")
                                          .arg(lastSeq + 1).arg(h.seq)};
        else if (h.seq < lastSeq)
            v.chainBreak = ChainBreak{qsizetype(h.seq), h.seq + 1,
                                      QStringLiteral("entries after %1 were added without moving the head").arg(h.seq)};
        else if (h.hash != v.headHash)
            v.chainBreak = ChainBreak{entries.size() - 1, lastSeq,
                                      QStringLiteral("entry %1 does not match the recorded head hash (replaced)").arg(lastSeq)};
    } else if (!entries.isEmpty()) {
        v.chainBreak = ChainBreak{0, entries.first().seq, QStringLiteral("the audit head is missing")};
    }
    return v;
}

core::Result<AuditVerification> verifyAuditExport(const QByteArray &data)
{
    auto entries = AuditChain::parseExport(data);
    if (!entries)
        return entries.error();
    AuditVerification v;
    v.entries = entries->size();
    v.headHash = entries->isEmpty() ? QString() : entries->last().hash;
    const bool fromGenesis = entries->isEmpty() || entries->first().seq == 1;
    v.chainBreak = AuditChain::verify(*entries, fromGenesis ? AuditChain::genesisHash() : entries->first().prevHash);
    return v;
}

core::Result<AuditVerification> verifyAuditExportFile(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("audit export %1 does not exist").arg(path));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    auto v = verifyAuditExport(f.readAll());
    if (!v)
        return makeError(v.error().code, QStringLiteral("%1: %2").arg(path, v.error().message));
    return v;
}

} // namespace signiq::api
