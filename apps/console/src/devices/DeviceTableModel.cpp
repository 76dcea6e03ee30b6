#include "devices/DeviceTableModel.h"

#include "audit/AuditPublicKey.h"

#include <QFont>

namespace signiq::console {

void DeviceTableModel::setDevices(const QList<DeviceEntry> &devices)
{
    beginResetModel();
    m_devices = devices;
    endResetModel();
}

void DeviceTableModel::setStatus(const QString &deviceId, const DeviceStatus &status)
{
    m_status.insert(deviceId, status);
    const int row = rowOf(deviceId);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void DeviceTableModel::setCurrent(const QString &deviceId)
{
    m_current = deviceId;
    if (!m_devices.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_devices.size()) - 1, ColumnCount - 1));
}

QString DeviceTableModel::deviceIdAt(int row) const
{
    return row >= 0 && row < m_devices.size() ? m_devices.at(row).id : QString();
}

int DeviceTableModel::rowOf(const QString &deviceId) const
{
    for (int i = 0; i < m_devices.size(); ++i)
        if (m_devices.at(i).id == deviceId)
            return i;
    return -1;
}

int DeviceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_devices.size())
        return {};
    const DeviceEntry &d = m_devices.at(index.row());
    const DeviceStatus s = m_status.value(d.id);
    if (role == DeviceIdRole)
        return d.id;
    if (role == Qt::FontRole && d.id == m_current) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && index.column() == Status && !s.problem.isEmpty())
        return s.problem;
    if (role == Qt::ToolTipRole && index.column() == AuditKey && !d.auditPublicKey.isEmpty())
        return QString::fromLatin1(d.auditPublicKey.toHex());
    if (role != Qt::DisplayRole)
        return {};
    const bool online = s.state == DeviceStatus::State::Online || s.state == DeviceStatus::State::KeyRefused;
    switch (index.column()) {
    case Name:
        return d.name;
    case Address:
        return d.address.toString();
    case Status:
        switch (s.state) {
        case DeviceStatus::State::Unknown:
            return tr("not checked");
        case DeviceStatus::State::Checking:
            return tr("checking…");
        case DeviceStatus::State::Online:
            return s.health.status == QStringLiteral("ok") ? tr("reachable") : tr("reachable (%1)").arg(s.health.status);
        case DeviceStatus::State::Unreachable:
            return tr("unreachable");
        case DeviceStatus::State::KeyRefused: // /v1/health answers without a key; the key itself was refused
            return tr("key refused");
        }
        return {};
    case Tls:
        return online ? s.health.tlsProtocol : QString();
    case Fps:
        return online ? QString::number(s.health.pipelineFps, 'f', 1) : QString();
    case ModelVersion:
        return online ? s.health.modelVersion : QString();
    case CalibrationVersion:
        return online ? s.health.calibrationVersion : QString();
    case AuditKey: // the key id, as exports name their signing key
        return d.auditPublicKey.isEmpty() ? tr("not pinned") : auditKeyId(d.auditPublicKey);
    default:
        return {};
    }
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Address:
        return tr("Address");
    case Status:
        return tr("Status");
    case Tls:
        return tr("TLS");
    case Fps:
        return tr("FPS");
    case ModelVersion:
        return tr("Model");
    case CalibrationVersion:
        return tr("Calibration");
    case AuditKey:
        return tr("Audit key");
    default:
        return {};
    }
}

} // namespace signiq::console
