#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

namespace signiq::api {

// /v1/keys: list, create (the secret is shown once), rotate with an overlap, revoke
// (immediately; the key's open streams end). Admin scope.
class KeysEndpoint {
public:
    explicit KeysEndpoint(ApiServices &services) : m_s(services) {}
    void addRoutes(RouteTable &routes);

private:
    ApiResponse listKeys() const;
    ApiResponse createKey(const ApiRequest &request, const Caller &caller) const;
    ApiResponse rotateKey(const ApiRequest &request, const Caller &caller, const QString &keyId) const;
    ApiResponse revokeKey(const Caller &caller, const QString &keyId) const;
    // A refused key operation (4xx: bad body, unknown or revoked key, past expiry) is audited
    // as "denied: HTTP <status> <code>", like a refused authentication.
    ApiResponse auditRefusal(const Caller &caller, const QString &action, const QString &target, ApiResponse response) const;
    ApiServices &m_s;
};

} // namespace signiq::api
