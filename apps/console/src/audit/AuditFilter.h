#pragma once

#include "api/AuditChain.h"
#include "client/DeviceTypes.h"

#include <QList>

namespace signiq::console {

// Entries matching the whole query (time range, exact actor, action prefix), in order.
QList<api::AuditEntry> filterAuditEntries(const QList<api::AuditEntry> &entries, const AuditQuery &query);
// Entries in the query's time range only: a contiguous slice of the chain, so still verifiable.
QList<api::AuditEntry> auditTimeSlice(const QList<api::AuditEntry> &entries, const AuditQuery &query);

} // namespace signiq::console
