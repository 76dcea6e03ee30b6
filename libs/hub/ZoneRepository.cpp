#include "hub/ZoneRepository.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"

#include <QJsonDocument>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

core::Status ZoneRepository::replace(const QUuid &org, const QUuid &device, const QList<ReportedZone> &zones)
{
    for (const ReportedZone &z : zones) {
        if (z.name.isEmpty() || z.name.size() > 200)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("a zone name must have 1..200 characters"));
        if (z.kind != QLatin1String("zone") && z.kind != QLatin1String("line"))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("zone '%1': kind '%2' is not zone or line").arg(z.name, z.kind));
    }
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Status {
        auto known = tx.exec(QStringLiteral("SELECT 1 FROM signiq.devices WHERE org_id = ? AND device_id = ? FOR UPDATE"),
                             {uuidParam(org), uuidParam(device)});
        if (!known)
            return known.error();
        if (!known->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown device %1").arg(device.toString(QUuid::WithoutBraces)));
        auto cleared = tx.exec(QStringLiteral("DELETE FROM signiq.zones WHERE org_id = ? AND device_id = ?"), {uuidParam(org), uuidParam(device)});
        if (!cleared)
            return cleared.error();
        for (const ReportedZone &z : zones) {
            auto q = tx.exec(QStringLiteral("INSERT INTO signiq.zones (org_id, device_id, zone, kind, definition, reported_at) "
                                            "VALUES (?, ?, ?, ?, CAST(? AS jsonb), %1)")
                                 .arg(msToSql()),
                             {uuidParam(org), uuidParam(device), z.name, z.kind,
                              QString::fromUtf8(QJsonDocument(z.definition).toJson(QJsonDocument::Compact)), z.reportedAtMs});
            if (!q)
                return makeError(q.error().code, QStringLiteral("zone '%1': %2").arg(z.name, q.error().message));
        }
        return {};
    });
}

core::Result<QList<ReportedZone>> ZoneRepository::list(const QUuid &org, const QUuid &device)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<ReportedZone>> {
        auto q = tx.exec(QStringLiteral("SELECT zone, kind, definition::text, %1 FROM signiq.zones WHERE org_id = ? AND device_id = ? ORDER BY zone")
                             .arg(sqlToMs(QStringLiteral("reported_at"))),
                         {uuidParam(org), uuidParam(device)});
        if (!q)
            return q.error();
        QList<ReportedZone> zones;
        while (q->next())
            zones.append({q->value(0).toString(), q->value(1).toString(),
                          QJsonDocument::fromJson(q->value(2).toString().toUtf8()).object(), q->value(3).toLongLong()});
        return zones;
    });
}

} // namespace signiq::hub
