#pragma once

#include "protocol/AuditChain.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace signiq::console {

// Audit entries as a table; optionally marks the entry where a verified chain breaks.
class AuditTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Seq, Time, Actor, SourceIp, Action, Target, Result, Hash, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(const QList<protocol::AuditEntry> &entries, std::optional<qint64> breakIndex = std::nullopt);
    const QList<protocol::AuditEntry> &entries() const { return m_entries; }
    std::optional<qint64> breakIndex() const { return m_breakIndex; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<protocol::AuditEntry> m_entries;
    std::optional<qint64> m_breakIndex;
};

} // namespace signiq::console
