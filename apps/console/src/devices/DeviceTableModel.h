#pragma once

#include "client/DeviceTypes.h"
#include "devices/DeviceRegistry.h"

#include <QAbstractTableModel>
#include <QHash>

namespace signiq::console {

struct DeviceStatus {
    enum class State { Unknown, Checking, Online, Unreachable, KeyRefused };
    State state = State::Unknown;
    DeviceHealth health;
    QString problem; // translated, when unreachable
};

// The devices and their last known status, for the Devices page.
class DeviceTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Address, Status, Tls, Fps, ModelVersion, CalibrationVersion, AuditKey, ColumnCount };
    enum Role { DeviceIdRole = Qt::UserRole + 1 };

    using QAbstractTableModel::QAbstractTableModel;

    void setDevices(const QList<DeviceEntry> &devices);
    void setStatus(const QString &deviceId, const DeviceStatus &status);
    DeviceStatus status(const QString &deviceId) const { return m_status.value(deviceId); }
    void setCurrent(const QString &deviceId);
    QString deviceIdAt(int row) const;
    int rowOf(const QString &deviceId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<DeviceEntry> m_devices;
    QHash<QString, DeviceStatus> m_status;
    QString m_current;
};

} // namespace signiq::console
