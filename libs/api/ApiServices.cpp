#include "api/ApiServices.h"

#include "api/ApiLog.h"

namespace signiq::api {

void ApiServices::audit(const Caller &caller, const QString &action, const QString &target, const QString &result) const
{
    auto recorded = auditLog.record(event(caller, action, target, result));
    if (!recorded)
        qCWarning(lcApi) << "cannot write audit entry" << action << target << ":" << recorded.error().toString();
}

AuditEvent ApiServices::event(const Caller &caller, const QString &action, const QString &target, const QString &result)
{
    return AuditEvent{caller.actor(), caller.ip, action, target, result};
}

} // namespace signiq::api
