#include "protocol/Health.h"

#include "protocol/Time.h"

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

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoTime(*ms)) : QJsonValue(QJsonValue::Null);
}

std::optional<qint64> readOptionalTime(const QJsonValue &v)
{
    return v.isString() ? parseTime(v.toString()) : std::nullopt;
}

QJsonValue syncJson(const std::optional<SyncHealth> &sync)
{
    if (!sync)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{QStringLiteral("outbox_depth"), sync->outboxDepth},
                       {QStringLiteral("oldest_unsent"), optionalTime(sync->oldestUnsentMs)},
                       {QStringLiteral("poisoned_windows"), sync->poisonedWindows},
                       {QStringLiteral("dropped_windows"), sync->droppedWindows},
                       {QStringLiteral("last_success"), optionalTime(sync->lastSuccessMs)},
                       {QStringLiteral("last_error"), sync->lastError},
                       {QStringLiteral("last_error_at"), optionalTime(sync->lastErrorMs)}};
}

std::optional<SyncHealth> readSync(const QJsonValue &v)
{
    if (!v.isObject())
        return std::nullopt;
    const QJsonObject o = v.toObject();
    SyncHealth s;
    s.outboxDepth = o.value(QStringLiteral("outbox_depth")).toInteger();
    s.oldestUnsentMs = readOptionalTime(o.value(QStringLiteral("oldest_unsent")));
    s.poisonedWindows = o.value(QStringLiteral("poisoned_windows")).toInteger();
    s.droppedWindows = o.value(QStringLiteral("dropped_windows")).toInteger();
    s.lastSuccessMs = readOptionalTime(o.value(QStringLiteral("last_success")));
    s.lastError = o.value(QStringLiteral("last_error")).toString();
    s.lastErrorMs = readOptionalTime(o.value(QStringLiteral("last_error_at")));
    return s;
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
        {QStringLiteral("sync"), syncJson(sync)},
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
    h.sync = readSync(o.value(QStringLiteral("sync")));
    return h;
}

} // namespace signiq::protocol
