#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

namespace signiq::api {

// GET /v1/audit (paged by sequence number) and /v1/audit/export (the whole chain as JSON
// lines or CSV, pro and enterprise tiers, audited before it is written so that it contains
// its own record).
class AuditEndpoint {
public:
    explicit AuditEndpoint(ApiServices &services) : m_s(services) {}
    void addRoutes(RouteTable &routes);

private:
    ApiResponse entries(const ApiRequest &request) const;
    ApiResponse exportChain(const ApiRequest &request, const Caller &caller) const;
    ApiServices &m_s;
};

} // namespace signiq::api
