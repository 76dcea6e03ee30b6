#include "api/endpoints/HealthEndpoint.h"

#include "storage/ConfigRepository.h"

namespace signiq::api {

void HealthEndpoint::addRoutes(RouteTable &routes)
{
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/health"), {}, true, [this](const ApiRequest &, const Caller &) { return health(); }, {}});
}

ApiResponse HealthEndpoint::health() const
{
    const qint64 now = m_s.context.clock->nowMs();
    HealthSnapshot h;
    if (m_s.context.health)
        h = m_s.context.health();
    else
        h.startedAtMs = m_s.startedAtMs;
    auto optionalNumber = [](const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); };
    QString stored;
    storage::ConfigRepository configs(*m_s.context.database, *m_s.context.clock);
    if (auto current = configs.currentZoneConfig(); current && current->has_value())
        stored = (*current)->version;
    QJsonObject o{
        {QStringLiteral("status"), h.status},
        {QStringLiteral("version"), QStringLiteral(SIGNIQ_VERSION)},
        {QStringLiteral("uptime_s"), double(std::max<qint64>(0, now - (h.startedAtMs ? h.startedAtMs : m_s.startedAtMs))) / 1000.0},
        {QStringLiteral("pipeline"), QJsonObject{
            {QStringLiteral("fps"), h.pipelineFps},
            {QStringLiteral("frames_processed"), h.framesProcessed},
            {QStringLiteral("capture_to_release_ms"), QJsonObject{{QStringLiteral("p50"), optionalNumber(h.captureToReleaseP50Ms)},
                                                                  {QStringLiteral("p99"), optionalNumber(h.captureToReleaseP99Ms)}}},
        }},
        {QStringLiteral("model_version"), h.modelVersion},
        {QStringLiteral("calibration_version"), h.calibrationVersion},
        {QStringLiteral("stored_calibration_version"), stored},
        // A stored configuration the pipeline is not counting with yet: it switches at the next
        // window boundary when the pipeline runs with this server (configChanged), else at the
        // next start.
        {QStringLiteral("config_pending"), !h.calibrationVersion.isEmpty() && !stored.isEmpty() && stored != h.calibrationVersion},
        {QStringLiteral("restart_required"), !m_s.context.configChanged && !h.calibrationVersion.isEmpty() && !stored.isEmpty()
                                                 && stored != h.calibrationVersion},
    };
    return ApiResponse::json(200, o);
}

} // namespace signiq::api
