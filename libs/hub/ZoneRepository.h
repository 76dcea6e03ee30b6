#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

namespace signiq::hub {

class Database;

// A zone or counting line as a device reports it (from its zones.json).
struct ReportedZone {
    QString name;
    QString kind = QStringLiteral("zone"); // "zone" | "line"
    QJsonObject definition;
    qint64 reportedAtMs = 0;
    bool operator==(const ReportedZone &) const = default;
};

// signiq.zones. Every call runs as `org`.
class ZoneRepository {
public:
    explicit ZoneRepository(Database &db) : m_db(db) {}

    // Replaces the device's reported zones with `zones` (one transaction). NotFound for an
    // unknown device; InvalidArgument for a bad name or kind.
    [[nodiscard]] core::Status replace(const QUuid &org, const QUuid &device, const QList<ReportedZone> &zones);
    // By name.
    [[nodiscard]] core::Result<QList<ReportedZone>> list(const QUuid &org, const QUuid &device);

private:
    Database &m_db;
};

} // namespace signiq::hub
