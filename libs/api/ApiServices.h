#pragma once

#include "api/ApiExchange.h"
#include "api/AuditLog.h"
#include "api/ApiServerConfig.h"
#include "api/KeyStore.h"
#include "api/RateLimiter.h"

#include <functional>

namespace signiq::api {

// What the endpoints share: the server's context and options, the key store, the audit log,
// the rate limiter. Owned by EdgeApiServer; endpoints hold a reference.
struct ApiServices {
    ApiServerContext &context;
    const ApiServerOptions &options;
    KeyStore &keys;
    AuditLog &auditLog;
    RateLimiter &limiter;
    qint64 startedAtMs = 0;
    // Set by the server: a key was revoked (its open streams end).
    std::function<void(const QString &keyId)> keyRevoked;

    // Records a refusal or a read (a failure is only logged: nothing was changed).
    void audit(const Caller &caller, const QString &action, const QString &target, const QString &result) const;
    // The event for AuditLog::transact (a change and its record in one transaction).
    static AuditEvent event(const Caller &caller, const QString &action, const QString &target, const QString &result);
};

} // namespace signiq::api
