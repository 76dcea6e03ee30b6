#include "hub/AuditRepository.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

core::Status checkLength(const QString &field, const QString &value, int max)
{
    if (value.size() > max)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("audit %1 is %2 characters long (at most %3)").arg(field).arg(value.size()).arg(max));
    return {};
}

protocol::AuditEntry entryFrom(const QSqlQuery &q)
{
    protocol::AuditEntry e;
    e.seq = q.value(0).toLongLong();
    e.timestampMs = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.sourceIp = q.value(3).toString();
    e.action = q.value(4).toString();
    e.target = q.value(5).toString();
    e.result = q.value(6).toString();
    e.prevHash = q.value(7).toString();
    e.hash = q.value(8).toString();
    return e;
}

const QString kColumns = QStringLiteral("seq, timestamp_ms, actor, source_ip, action, target, result, prev_hash, hash");

} // namespace

core::Result<protocol::AuditEntry> AuditRepository::appendIn(Transaction &tx, const AuditEvent &event, qint64 nowMs)
{
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("audit entries need an organisation context"));
    for (const auto &[field, value, max] : {std::tuple{QStringLiteral("actor"), event.actor, 64},
                                            std::tuple{QStringLiteral("source_ip"), event.sourceIp, 64},
                                            std::tuple{QStringLiteral("action"), event.action, 64},
                                            std::tuple{QStringLiteral("target"), event.target, 200},
                                            std::tuple{QStringLiteral("result"), event.result, 500}}) {
        if (core::Status ok = checkLength(field, value, max); !ok)
            return ok.error();
    }
    // One writer per organisation at a time: the chain head must not move under us.
    auto locked = tx.exec(QStringLiteral("SELECT org_id FROM signiq.organisations WHERE org_id = ? FOR UPDATE"), {uuidParam(*tx.org())});
    if (!locked)
        return locked.error();
    if (!locked->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation %1").arg(tx.org()->toString(QUuid::WithoutBraces)));
    auto head = tx.exec(QStringLiteral("SELECT %1 FROM signiq.audit_entries WHERE org_id = ? ORDER BY seq DESC LIMIT 1").arg(kColumns),
                        {uuidParam(*tx.org())});
    if (!head)
        return head.error();
    std::optional<protocol::AuditEntry> previous;
    if (head->next())
        previous = entryFrom(*head);
    protocol::AuditEntry entry;
    entry.timestampMs = nowMs;
    entry.actor = event.actor;
    entry.sourceIp = event.sourceIp;
    entry.action = event.action;
    entry.target = event.target;
    entry.result = event.result;
    entry = protocol::AuditChain::link(std::move(entry), previous ? &*previous : nullptr);
    auto inserted = tx.exec(QStringLiteral("INSERT INTO signiq.audit_entries (org_id, %1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").arg(kColumns),
                            {uuidParam(*tx.org()), entry.seq, entry.timestampMs, entry.actor, entry.sourceIp, entry.action,
                             entry.target, entry.result, entry.prevHash, entry.hash});
    if (!inserted)
        return inserted.error();
    return entry;
}

core::Result<protocol::AuditEntry> AuditRepository::append(const QUuid &org, const AuditEvent &event)
{
    const qint64 now = m_clock.nowMs();
    return m_db.inOrg(org, [&](Transaction &tx) { return appendIn(tx, event, now); });
}

core::Result<QList<protocol::AuditEntry>> AuditRepository::list(const QUuid &org, const Range &range, int limit)
{
    if (limit < 1 || limit > 10000)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("audit limit %1 is out of range (1..10000)").arg(limit));
    QString where = QStringLiteral("org_id = ? AND seq > ?");
    QVariantList params{uuidParam(org), range.afterSeq};
    if (range.throughSeq) {
        where += QStringLiteral(" AND seq <= ?");
        params << *range.throughSeq;
    }
    if (range.fromMs) {
        where += QStringLiteral(" AND timestamp_ms >= ?");
        params << *range.fromMs;
    }
    if (range.toMs) {
        where += QStringLiteral(" AND timestamp_ms < ?");
        params << *range.toMs;
    }
    params << limit;
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<protocol::AuditEntry>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.audit_entries WHERE %2 ORDER BY seq LIMIT ?").arg(kColumns, where), params);
        if (!q)
            return q.error();
        QList<protocol::AuditEntry> entries;
        while (q->next())
            entries.append(entryFrom(*q));
        return entries;
    });
}

core::Result<std::optional<protocol::AuditEntry>> AuditRepository::last(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<std::optional<protocol::AuditEntry>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.audit_entries WHERE org_id = ? ORDER BY seq DESC LIMIT 1").arg(kColumns),
                         {uuidParam(org)});
        if (!q)
            return q.error();
        if (!q->next())
            return std::optional<protocol::AuditEntry>();
        return std::optional<protocol::AuditEntry>(entryFrom(*q));
    });
}

core::Result<std::optional<protocol::ChainBreak>> AuditRepository::verify(const QUuid &org)
{
    QList<protocol::AuditEntry> all;
    qint64 after = 0;
    while (true) {
        auto page = list(org, after, 10000);
        if (!page)
            return page.error();
        all.append(*page);
        if (page->size() < 10000)
            break;
        after = page->last().seq;
    }
    return protocol::AuditChain::verify(all);
}

} // namespace signiq::hub
