#include "protocol/Health.h"

namespace signiq::protocol {

namespace {

QJsonValue optionalNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

std::optional<double> readOptionalNumber(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}

} // namespace

QJsonObject HealthRecord::toJson() const
{
    return QJsonObject{
        {QStringLiteral("status"), status},
        {QStringLiteral("version"), version},
        {QStringLiteral("uptime_s"), uptimeS},
        {QStringLiteral("pipeline"), QJsonObject{
            {QStringLiteral("fps"), pipelineFps},
            {QStringLiteral("frames_processed"), framesProcessed},
            {QStringLiteral("capture_to_release_ms"), QJsonObject{{QStringLiteral("p50"), optionalNumber(captureToReleaseP50Ms)},
                                                                  {QStringLiteral("p99"), optionalNumber(captureToReleaseP99Ms)}}},
        }},
        {QStringLiteral("model_version"), modelVersion},
        {QStringLiteral("calibration_version"), calibrationVersion},
        {QStringLiteral("stored_calibration_version"), storedCalibrationVersion},
        {QStringLiteral("config_pending"), configPending},
        {QStringLiteral("restart_required"), restartRequired},
    };
}

core::Result<HealthRecord> HealthRecord::fromJson(const QJsonObject &o)
{
    if (!o.value(QStringLiteral("status")).isString())
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("health: status missing"));
    HealthRecord h;
    h.status = o.value(QStringLiteral("status")).toString();
    h.version = o.value(QStringLiteral("version")).toString();
    h.uptimeS = o.value(QStringLiteral("uptime_s")).toDouble();
    const QJsonObject pipeline = o.value(QStringLiteral("pipeline")).toObject();
    h.pipelineFps = pipeline.value(QStringLiteral("fps")).toDouble();
    h.framesProcessed = pipeline.value(QStringLiteral("frames_processed")).toInteger();
    const QJsonObject latency = pipeline.value(QStringLiteral("capture_to_release_ms")).toObject();
    h.captureToReleaseP50Ms = readOptionalNumber(latency.value(QStringLiteral("p50")));
    h.captureToReleaseP99Ms = readOptionalNumber(latency.value(QStringLiteral("p99")));
    h.modelVersion = o.value(QStringLiteral("model_version")).toString();
    h.calibrationVersion = o.value(QStringLiteral("calibration_version")).toString();
    h.storedCalibrationVersion = o.value(QStringLiteral("stored_calibration_version")).toString();
    h.configPending = o.value(QStringLiteral("config_pending")).toBool();
    h.restartRequired = o.value(QStringLiteral("restart_required")).toBool();
    return h;
}

} // namespace signiq::protocol
