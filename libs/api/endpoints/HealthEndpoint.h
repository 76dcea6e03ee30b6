#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

namespace signiq::api {

// GET /v1/health: status, version, uptime, pipeline figures, model and calibration versions.
// No key needed, no counts.
class HealthEndpoint {
public:
    explicit HealthEndpoint(ApiServices &services) : m_s(services) {}
    void addRoutes(RouteTable &routes);

private:
    ApiResponse health() const;
    ApiServices &m_s;
};

} // namespace signiq::api
