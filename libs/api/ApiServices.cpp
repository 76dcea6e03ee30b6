#include "api/ApiServices.h"

#include "api/ApiLog.h"

namespace signiq::api {

void ApiServices::audit(const Caller &caller, const QString &action, const QString &target, const QString &result) const
{
    auto recorded = auditLog.record(AuditEvent{caller.actor(), caller.ip, action, target, result});
    if (!recorded)
        qCWarning(lcApi) << "cannot write audit entry" << action << target << ":" << recorded.error().toString();
}

} // namespace signiq::api
