#include "audit/AuditFilter.h"

namespace signiq::console {

namespace {
bool inRange(const protocol::AuditEntry &entry, const AuditQuery &query)
{
    if (query.fromMs > 0 && entry.timestampMs < query.fromMs)
        return false;
    if (query.toMs > 0 && entry.timestampMs >= query.toMs)
        return false;
    return true;
}
} // namespace

QList<protocol::AuditEntry> filterAuditEntries(const QList<protocol::AuditEntry> &entries, const AuditQuery &query)
{
    QList<protocol::AuditEntry> out;
    for (const protocol::AuditEntry &entry : entries) {
        if (!inRange(entry, query))
            continue;
        if (!query.actor.isEmpty() && entry.actor != query.actor)
            continue;
        if (!query.action.isEmpty() && !entry.action.startsWith(query.action))
            continue;
        out.append(entry);
    }
    return out;
}

QList<protocol::AuditEntry> auditTimeSlice(const QList<protocol::AuditEntry> &entries, const AuditQuery &query)
{
    QList<protocol::AuditEntry> out;
    for (const protocol::AuditEntry &entry : entries)
        if (inRange(entry, query))
            out.append(entry);
    return out;
}

} // namespace signiq::console
