#include "protocol/SyncBatch.h"

#include "protocol/StrictJson.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <limits>

namespace signiq::protocol {

namespace {

using core::ErrorCode;
using core::makeError;

const QString kBatchId = QStringLiteral("batch_id");
const QString kSentAt = QStringLiteral("sent_at");
const QString kAudience = QStringLiteral("audience_windows");
const QString kDemographic = QStringLiteral("demographic_windows");
const QString kDeviceId = QStringLiteral("device_id");

core::Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidArgument, message);
}

} // namespace

QJsonObject SyncBatch::toJson() const
{
    QJsonArray audienceArray;
    for (const core::AudienceWindow &w : audience)
        audienceArray.append(w.toJson());
    QJsonArray demographicArray;
    for (const core::DemographicWindow &w : demographics)
        demographicArray.append(w.toJson());
    QJsonObject o{{kBatchId, batchId}, {kSentAt, isoTime(sentAtMs)}, {kAudience, audienceArray}, {kDemographic, demographicArray}};
    if (deviceId)
        o.insert(kDeviceId, deviceId->toString(QUuid::WithoutBraces));
    return o;
}

QByteArray SyncBatch::toBody() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

core::Result<SyncBatch> SyncBatch::fromBody(const QByteArray &body)
{
    auto parsed = strictjson::parseObject(body);
    if (!parsed)
        return parsed.error();
    const QJsonObject &o = *parsed;
    static const QSet<QString> known{kBatchId, kSentAt, kDeviceId, kAudience, kDemographic};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(QStringLiteral("unknown field '%1' (a batch has batch_id, sent_at, device_id, audience_windows, "
                                          "demographic_windows)")
                               .arg(it.key()));
    }
    SyncBatch batch;
    const QUuid id = QUuid::fromString(o.value(kBatchId).toString());
    if (id.isNull() || o.value(kBatchId).toString().size() != 36)
        return invalid(QStringLiteral("batch_id must be a UUID (36 characters, without braces)"));
    batch.batchId = id.toString(QUuid::WithoutBraces);
    const auto sentAt = o.value(kSentAt).isString() ? parseTime(o.value(kSentAt).toString()) : std::nullopt;
    if (!sentAt)
        return invalid(QStringLiteral("sent_at must be an ISO 8601 date-time (the device's clock when it sent the batch)"));
    batch.sentAtMs = *sentAt;
    if (o.contains(kDeviceId)) {
        const QUuid device = QUuid::fromString(o.value(kDeviceId).toString());
        if (device.isNull())
            return invalid(QStringLiteral("device_id must be a UUID"));
        batch.deviceId = device;
    }
    for (const QString &key : {kAudience, kDemographic}) {
        if (!o.contains(key))
            continue;
        if (!o.value(key).isArray())
            return invalid(QStringLiteral("%1 must be an array").arg(key));
    }
    const QJsonArray audience = o.value(kAudience).toArray();
    const QJsonArray demographic = o.value(kDemographic).toArray();
    if (audience.size() + demographic.size() > MaxWindows)
        return invalid(QStringLiteral("a batch holds at most %1 windows (got %2)").arg(MaxWindows).arg(audience.size() + demographic.size()));
    if (audience.isEmpty() && demographic.isEmpty())
        return invalid(QStringLiteral("a batch holds at least one window"));
    for (qsizetype i = 0; i < audience.size(); ++i) {
        auto w = audience.at(i).isObject() ? core::AudienceWindow::fromJson(audience.at(i).toObject())
                                           : core::Result<core::AudienceWindow>(invalid(QStringLiteral("not an object")));
        if (!w)
            return invalid(QStringLiteral("%1[%2]: %3").arg(kAudience).arg(i).arg(w.error().message));
        batch.audience.append(std::move(*w));
    }
    for (qsizetype i = 0; i < demographic.size(); ++i) {
        auto w = demographic.at(i).isObject() ? core::DemographicWindow::fromJson(demographic.at(i).toObject())
                                              : core::Result<core::DemographicWindow>(invalid(QStringLiteral("not an object")));
        if (!w)
            return invalid(QStringLiteral("%1[%2]: %3").arg(kDemographic).arg(i).arg(w.error().message));
        batch.demographics.append(std::move(*w));
    }
    return batch;
}

QJsonObject SyncAck::toJson() const
{
    return QJsonObject{{kBatchId, batchId},
                       {QStringLiteral("status"), duplicate ? QStringLiteral("duplicate") : QStringLiteral("stored")},
                       {kAudience, audienceWindows},
                       {kDemographic, demographicWindows},
                       {QStringLiteral("received_at"), isoTime(receivedAtMs)},
                       {QStringLiteral("clock_skew_ms"), clockSkewMs},
                       {QStringLiteral("clock_skewed"), clockSkewed}};
}

core::Result<SyncAck> SyncAck::fromJson(const QJsonObject &o)
{
    SyncAck ack;
    ack.batchId = o.value(kBatchId).toString();
    const QString status = o.value(QStringLiteral("status")).toString();
    if (ack.batchId.isEmpty() || (status != QLatin1String("stored") && status != QLatin1String("duplicate")))
        return makeError(ErrorCode::Parse, QStringLiteral("not a sync acknowledgement (batch_id and status stored|duplicate expected)"));
    ack.duplicate = status == QLatin1String("duplicate");
    const auto count = [&](const QString &key) { return strictjson::wholeNumber(o.value(key), 0, SyncBatch::MaxWindows); };
    const auto audience = count(kAudience);
    const auto demographic = count(kDemographic);
    const auto received = parseTime(o.value(QStringLiteral("received_at")).toString());
    const auto skew = strictjson::wholeNumber(o.value(QStringLiteral("clock_skew_ms")), std::numeric_limits<qint64>::min() / 2,
                                              std::numeric_limits<qint64>::max() / 2);
    if (!audience || !demographic || !received || !skew || !o.value(QStringLiteral("clock_skewed")).isBool())
        return makeError(ErrorCode::Parse, QStringLiteral("sync acknowledgement of batch %1: a count, received_at or the clock skew is missing")
                                               .arg(ack.batchId));
    ack.audienceWindows = int(*audience);
    ack.demographicWindows = int(*demographic);
    ack.receivedAtMs = *received;
    ack.clockSkewMs = *skew;
    ack.clockSkewed = o.value(QStringLiteral("clock_skewed")).toBool();
    return ack;
}

} // namespace signiq::protocol
