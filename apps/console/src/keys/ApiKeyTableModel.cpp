#include "keys/ApiKeyTableModel.h"

#include <QBrush>
#include <QDateTime>
#include <QLocale>
#include <QPalette>

namespace signiq::console {

namespace {
QString dateText(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
}
} // namespace

ApiKeyTableModel::ApiKeyTableModel(const core::Clock &clock, QObject *parent) : QAbstractTableModel(parent), m_clock(clock) {}

void ApiKeyTableModel::setKeys(const QList<ApiKeyInfo> &keys)
{
    beginResetModel();
    m_keys = keys;
    endResetModel();
}

QString ApiKeyTableModel::statusText(const ApiKeyInfo &key, qint64 nowMs)
{
    if (key.revokedAtMs)
        return tr("revoked");
    if (key.expiresAtMs && *key.expiresAtMs <= nowMs)
        return tr("expired");
    if (key.previousValidUntilMs && *key.previousValidUntilMs > nowMs)
        return tr("rotating (old secret valid until %1)").arg(dateText(*key.previousValidUntilMs));
    return tr("active");
}

QString ApiKeyTableModel::tierText(protocol::Tier tier)
{
    switch (tier) {
    case protocol::Tier::Free:
        return tr("Free");
    case protocol::Tier::Pro:
        return tr("Pro");
    case protocol::Tier::Enterprise:
        return tr("Enterprise");
    }
    return {};
}

int ApiKeyTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int ApiKeyTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ApiKeyTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_keys.size())
        return {};
    const ApiKeyInfo &k = m_keys.at(index.row());
    if (role == KeyIdRole)
        return k.keyId;
    if (role == RevokedRole)
        return k.revokedAtMs.has_value();
    if (role == Qt::ForegroundRole && k.revokedAtMs)
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case KeyId:
        return k.keyId;
    case Label:
        return k.name;
    case Scopes:
        return protocol::scopeNames(k.scopes).join(QStringLiteral(", "));
    case Tier:
        return tierText(k.tier);
    case Created:
        return dateText(k.createdAtMs);
    case LastUsed:
        return k.lastUsedAtMs ? dateText(*k.lastUsedAtMs) : tr("never");
    case Expires:
        return k.expiresAtMs ? dateText(*k.expiresAtMs) : tr("no expiry");
    case Status:
        return statusText(k, m_clock.nowMs());
    default:
        return {};
    }
}

QVariant ApiKeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KeyId:
        return tr("Key ID");
    case Label:
        return tr("Label");
    case Scopes:
        return tr("Scopes");
    case Tier:
        return tr("Tier");
    case Created:
        return tr("Created");
    case LastUsed:
        return tr("Last used");
    case Expires:
        return tr("Expires");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace signiq::console
