#include "hub/DeviceRepository.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"

#include <QRegularExpression>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

const QString kColumns = QStringLiteral("device_id, site_id, name, certificate_serial, %1, model_version, calibration_version, %2, "
                                        "clock_skew_ms")
                             .arg(sqlToMs(QStringLiteral("last_seen_at")), sqlToMs(QStringLiteral("created_at")));

Device deviceFrom(const QSqlQuery &q)
{
    return Device{uuidValue(q.value(0)),      optionalUuidValue(q.value(1)), q.value(2).toString(), q.value(3).toString(),
                  optionalMsValue(q.value(4)), q.value(5).toString(),        q.value(6).toString(), q.value(7).toLongLong(),
                  q.value(8).isNull() ? std::nullopt : std::optional<qint64>(q.value(8).toLongLong())};
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace

core::Result<Device> DeviceRepository::create(const QUuid &org, const NewDevice &device)
{
    static const QRegularExpression serialShape(QStringLiteral("^[0-9A-Fa-f]{1,64}$"));
    if (device.name.trimmed().isEmpty() || device.name.size() > 200)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a device name must have 1..200 characters"));
    if (!serialShape.match(device.certificateSerial).hasMatch())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("certificate serial '%1' is not 1..64 hex digits").arg(device.certificateSerial.left(80)));
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Device> {
        // The tier's device limit; the organisations row lock serialises concurrent registrations.
        auto limit = tx.exec(QStringLiteral("SELECT t.tier, t.max_devices, (SELECT count(*) FROM signiq.devices AS d WHERE d.org_id = o.org_id) "
                                            "FROM signiq.organisations AS o JOIN signiq.tiers AS t ON t.tier = o.tier "
                                            "WHERE o.org_id = ? FOR UPDATE OF o"),
                             {uuidParam(org)});
        if (!limit)
            return limit.error();
        if (!limit->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation %1").arg(idText(org)));
        if (limit->value(2).toLongLong() >= limit->value(1).toLongLong())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("the organisation has reached its tier's device limit (%1 allows %2 devices)")
                                                             .arg(limit->value(0).toString())
                                                             .arg(limit->value(1).toLongLong()));
        if (device.siteId) {
            auto site = tx.exec(QStringLiteral("SELECT 1 FROM signiq.sites WHERE org_id = ? AND site_id = ?"), {uuidParam(org), uuidParam(*device.siteId)});
            if (!site)
                return site.error();
            if (!site->next())
                return makeError(ErrorCode::NotFound, QStringLiteral("unknown site %1").arg(idText(*device.siteId)));
        }
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.devices (org_id, site_id, name, certificate_serial) VALUES (?, ?, ?, ?) "
                                        "RETURNING %1")
                             .arg(kColumns),
                         {uuidParam(org), optionalUuidParam(device.siteId), device.name.trimmed(), device.certificateSerial.toUpper()});
        if (!q) {
            if (q.error().message.contains(QLatin1String("SQLSTATE 23505")))
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("a device with certificate serial %1 is already registered").arg(device.certificateSerial));
            return q.error();
        }
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("INSERT ... RETURNING returned no device"));
        return deviceFrom(*q);
    });
}

core::Result<Device> DeviceRepository::find(const QUuid &org, const QUuid &device)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Device> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.devices WHERE org_id = ? AND device_id = ?").arg(kColumns),
                         {uuidParam(org), uuidParam(device)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown device %1").arg(idText(device)));
        return deviceFrom(*q);
    });
}

core::Result<QList<Device>> DeviceRepository::list(const QUuid &org, const std::optional<QUuid> &site)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<Device>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.devices WHERE org_id = ? AND (CAST(? AS uuid) IS NULL OR site_id = CAST(? AS uuid)) "
                                        "ORDER BY created_at, device_id")
                             .arg(kColumns),
                         {uuidParam(org), optionalUuidParam(site), optionalUuidParam(site)});
        if (!q)
            return q.error();
        QList<Device> devices;
        while (q->next())
            devices.append(deviceFrom(*q));
        return devices;
    });
}

core::Status DeviceRepository::recordSeen(const QUuid &org, const QUuid &device, qint64 atMs, const QString &modelVersion,
                                          const QString &calibrationVersion)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.devices SET last_seen_at = %1, model_version = ?, calibration_version = ? "
                                        "WHERE org_id = ? AND device_id = ?")
                             .arg(msToSql()),
                         {atMs, modelVersion, calibrationVersion, uuidParam(org), uuidParam(device)});
        if (!q)
            return q.error();
        if (q->numRowsAffected() != 1)
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown device %1").arg(idText(device)));
        return {};
    });
}

} // namespace signiq::hub
