#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;

struct Device {
    QUuid id;
    std::optional<QUuid> siteId;
    QString name;
    QString certificateSerial; // hex, as issued by the deployment's CA
    std::optional<qint64> lastSeenAtMs;
    QString modelVersion;
    QString calibrationVersion;
    qint64 createdAtMs = 0;
    std::optional<qint64> clockSkewMs; // of its last sync batch (device clock - hub clock); empty: never synced
    bool operator==(const Device &) const = default;
};

struct NewDevice {
    std::optional<QUuid> siteId;
    QString name;
    QString certificateSerial;
};

// signiq.devices (screens/players). Every call runs as `org`.
class DeviceRepository {
public:
    explicit DeviceRepository(Database &db) : m_db(db) {}

    // NotFound: unknown organisation or site (another organisation's site is unknown too).
    // InvalidArgument: bad name or serial, a serial already registered in the organisation, or
    // the tier's device limit reached ("... free allows 5 devices").
    [[nodiscard]] core::Result<Device> create(const QUuid &org, const NewDevice &device);
    [[nodiscard]] core::Result<Device> find(const QUuid &org, const QUuid &device);
    // Oldest first; only those of `site` when given.
    [[nodiscard]] core::Result<QList<Device>> list(const QUuid &org, const std::optional<QUuid> &site = std::nullopt);
    // A sync or heartbeat: last seen time and the versions the device runs. NotFound.
    [[nodiscard]] core::Status recordSeen(const QUuid &org, const QUuid &device, qint64 atMs, const QString &modelVersion,
                                          const QString &calibrationVersion);

private:
    Database &m_db;
};

} // namespace signiq::hub
