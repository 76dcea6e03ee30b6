#include "audit/AuditTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace signiq::console {

void AuditTableModel::setEntries(const QList<protocol::AuditEntry> &entries, std::optional<qint64> breakIndex)
{
    beginResetModel();
    m_entries = entries;
    m_breakIndex = breakIndex;
    endResetModel();
}

int AuditTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const protocol::AuditEntry &e = m_entries.at(index.row());
    const bool isBreak = m_breakIndex && *m_breakIndex == index.row();
    if (role == Qt::BackgroundRole && isBreak)
        return QBrush(QColor(255, 205, 205));
    if (role == Qt::ToolTipRole && isBreak)
        return tr("The chain breaks here.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Seq:
        return e.seq;
    case Time:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timestampMs), QLocale::ShortFormat);
    case Actor:
        return e.actor;
    case SourceIp:
        return e.sourceIp;
    case Action:
        return e.action;
    case Target:
        return e.target;
    case Result:
        return e.result;
    case Hash:
        return e.hash.left(16);
    default:
        return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Seq:
        return tr("#");
    case Time:
        return tr("Time");
    case Actor:
        return tr("Actor");
    case SourceIp:
        return tr("Source IP");
    case Action:
        return tr("Action");
    case Target:
        return tr("Target");
    case Result:
        return tr("Result");
    case Hash:
        return tr("Hash");
    default:
        return {};
    }
}

} // namespace signiq::console
