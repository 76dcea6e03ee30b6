#include "api/endpoints/ConfigEndpoint.h"

#include "api/RequestDecoding.h"
#include "storage/ConfigRepository.h"

#include <QJsonDocument>

namespace signiq::api {

void ConfigEndpoint::addRoutes(RouteTable &routes)
{
    const Scopes read = Scope::Read;
    const Scopes write = Scope::Write;
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/zones"), {read}, false,
                [this](const ApiRequest &, const Caller &) { return getConfig(false); }, {}});
    routes.add({QStringLiteral("PUT"), QStringLiteral("/v1/zones"), {write}, false,
                [this](const ApiRequest &r, const Caller &c) { return putConfig(r, c, false); }, {}});
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/calibration"), {read | Scope::Calibrate}, false,
                [this](const ApiRequest &, const Caller &) { return getConfig(true); }, {}});
    routes.add({QStringLiteral("PUT"), QStringLiteral("/v1/calibration"), {write | Scope::Calibrate}, false,
                [this](const ApiRequest &r, const Caller &c) { return putConfig(r, c, true); }, {}});
}

ApiResponse ConfigEndpoint::getConfig(bool calibration) const
{
    storage::ConfigRepository configs(*m_s.context.database, *m_s.context.clock);
    auto current = configs.currentZoneConfig();
    if (!current)
        return ApiResponse::internal(current.error());
    if (!current->has_value())
        return ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no zone configuration is stored yet"));
    const QJsonObject stored = QJsonDocument::fromJson((*current)->json).object();
    QJsonObject out{{QStringLiteral("calibration_version"), (*current)->version},
                    {QStringLiteral("updated_at"), isoTime((*current)->importedAtMs)}};
    if (calibration) {
        out.insert(QStringLiteral("calibration"), stored.value(QStringLiteral("calibration")));
        if (!stored.contains(QStringLiteral("calibration")))
            out.insert(QStringLiteral("calibration"), QJsonValue::Null);
    } else {
        QJsonObject config = stored;
        config.remove(QStringLiteral("calibration"));
        out.insert(QStringLiteral("config"), config);
    }
    return ApiResponse::json(200, out);
}

ApiResponse ConfigEndpoint::putConfig(const ApiRequest &request, const Caller &caller, bool calibration) const
{
    const QString action = calibration ? QStringLiteral("calibration.update") : QStringLiteral("zones.update");
    QJsonObject bodyObject;
    if (auto bad = parseJsonBody(request, false, bodyObject))
        return *bad;
    storage::ConfigRepository configs(*m_s.context.database, *m_s.context.clock);
    auto current = configs.currentZoneConfig();
    if (!current)
        return ApiResponse::internal(current.error());
    QJsonObject merged = current->has_value() ? QJsonDocument::fromJson((*current)->json).object() : QJsonObject();
    if (calibration) {
        // The body is the calibration object itself; everything else is kept.
        merged.insert(QStringLiteral("calibration"), bodyObject);
    } else {
        if (bodyObject.contains(QStringLiteral("calibration")))
            return ApiResponse::error(400, QStringLiteral("unknown_field"),
                                   QStringLiteral("calibration: not part of /v1/zones (use PUT /v1/calibration)"));
        // The body replaces everything but the calibration; unknown keys are refused by the
        // validator with their name.
        const QJsonValue keptCalibration = merged.value(QStringLiteral("calibration"));
        merged = bodyObject;
        if (!keptCalibration.isUndefined())
            merged.insert(QStringLiteral("calibration"), keptCalibration);
    }
    auto config = core::ZoneConfig::fromJson(QJsonDocument(merged).toJson(QJsonDocument::Compact));
    if (!config) {
        const bool unknown = config.error().message.contains(QLatin1String("unknown key"));
        const QString message = calibration ? QStringLiteral("calibration: ") + config.error().message : config.error().message;
        m_s.audit(caller, action, QString(), QStringLiteral("error: invalid: ") + message.left(200));
        return ApiResponse::error(unknown ? 400 : 422, unknown ? QStringLiteral("unknown_field") : QStringLiteral("invalid_config"), message);
    }
    if (m_s.context.checkConfig) {
        if (auto usable = m_s.context.checkConfig(*config); !usable) {
            const QString message = usable.error().message;
            m_s.audit(caller, action, QString(), QStringLiteral("error: invalid: ") + message.left(200));
            return ApiResponse::error(422, QStringLiteral("invalid_config"), message);
        }
    }
    const QString previous = current->has_value() ? (*current)->version : QString();
    // The configuration and its audit entry in one transaction.
    auto done = m_s.auditLog.transact([&]() -> core::Result<AuditEvent> {
        if (auto saved = configs.saveZoneConfig(config->toJson(), config->version()); !saved)
            return saved.error();
        return ApiServices::event(caller, action, config->version(),
                                  QStringLiteral("ok: %1 -> %2").arg(previous.isEmpty() ? QStringLiteral("none") : previous, config->version()));
    });
    if (!done)
        return ApiResponse::internal(done.error());
    if (m_s.context.configChanged)
        m_s.context.configChanged(*config);
    return ApiResponse::json(200, QJsonObject{{QStringLiteral("calibration_version"), config->version()},
                                           {QStringLiteral("previous_calibration_version"), previous.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(previous)},
                                           {QStringLiteral("applies"), m_s.context.configChanged
                                                                               ? QStringLiteral("at the next window boundary")
                                                                               : QStringLiteral("at the next start of the pipeline")}});
}

} // namespace signiq::api
