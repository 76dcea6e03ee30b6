#pragma once

#include "client/DeviceTypes.h"
#include "core/Clock.h"

#include <QAbstractTableModel>
#include <QList>

namespace signiq::console {

class ApiKeyTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { KeyId, Label, Scopes, Tier, Created, LastUsed, Expires, Status, ColumnCount };
    enum Role { KeyIdRole = Qt::UserRole + 1, RevokedRole };

    explicit ApiKeyTableModel(const core::Clock &clock, QObject *parent = nullptr);

    void setKeys(const QList<ApiKeyInfo> &keys);
    const QList<ApiKeyInfo> &keys() const { return m_keys; }
    // Translated status of a key at `nowMs`: active, rotating (old secret valid until ...),
    // expired, revoked.
    static QString statusText(const ApiKeyInfo &key, qint64 nowMs);
    static QString tierText(protocol::Tier tier);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ApiKeyInfo> m_keys;
    const core::Clock &m_clock;
};

} // namespace signiq::console
