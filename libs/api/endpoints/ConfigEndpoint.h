#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

namespace signiq::api {

// GET/PUT /v1/zones and /v1/calibration: one stored zone configuration (zones.json), its
// calibration section editable on its own. Changes are validated, checked by the pipeline
// (ApiServerContext::checkConfig), stored, audited and handed to the running pipeline.
class ConfigEndpoint {
public:
    explicit ConfigEndpoint(ApiServices &services) : m_s(services) {}
    void addRoutes(RouteTable &routes);

private:
    ApiResponse getConfig(bool calibration) const;
    ApiResponse putConfig(const ApiRequest &request, const Caller &caller, bool calibration) const;
    ApiServices &m_s;
};

} // namespace signiq::api
