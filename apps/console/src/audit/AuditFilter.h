#pragma once

#include "protocol/AuditChain.h"
#include "client/DeviceTypes.h"

#include <QList>

namespace signiq::console {

// Entries matching the whole query (time range, exact actor, action prefix), in order.
QList<protocol::AuditEntry> filterAuditEntries(const QList<protocol::AuditEntry> &entries, const AuditQuery &query);
// Entries in the query's time range only: a contiguous slice of the chain, so still verifiable.
QList<protocol::AuditEntry> auditTimeSlice(const QList<protocol::AuditEntry> &entries, const AuditQuery &query);

} // namespace signiq::console
