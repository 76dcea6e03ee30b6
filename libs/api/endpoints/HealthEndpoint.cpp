#include "api/endpoints/HealthEndpoint.h"

#include "storage/ConfigRepository.h"

namespace signiq::api {

void HealthEndpoint::addRoutes(RouteTable &routes)
{
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/health"), {}, true, [this](const ApiRequest &, const Caller &) { return health(); }, {}});
}

ApiResponse HealthEndpoint::health() const
{
    protocol::HealthRecord h;
    if (m_s.context.health)
        h = m_s.context.health();
    else
        h.uptimeS = double(std::max<qint64>(0, m_s.context.clock->nowMs() - m_s.startedAtMs)) / 1000.0;
    h.version = QStringLiteral(SIGNIQ_VERSION);
    storage::ConfigRepository configs(*m_s.context.database, *m_s.context.clock);
    if (auto current = configs.currentZoneConfig(); current && current->has_value())
        h.storedCalibrationVersion = (*current)->version;
    // A stored configuration the pipeline is not counting with yet: it switches at the next
    // window boundary when the pipeline runs with this server (configChanged), else at the next
    // start.
    const bool differs = !h.calibrationVersion.isEmpty() && !h.storedCalibrationVersion.isEmpty()
        && h.storedCalibrationVersion != h.calibrationVersion;
    h.configPending = differs;
    h.restartRequired = differs && !m_s.context.configChanged;
    return ApiResponse::json(200, h.toJson());
}

} // namespace signiq::api
