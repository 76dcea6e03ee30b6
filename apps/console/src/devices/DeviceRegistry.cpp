#include "devices/DeviceRegistry.h"

#include "audit/AuditPublicKey.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

QJsonObject DeviceEntry::toJson() const
{
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("address"), address.toString()},
                       {QStringLiteral("pinned_sha256"), pinnedSha256},
                       {QStringLiteral("audit_public_key"), QString::fromLatin1(auditPublicKey.toHex())},
                       {QStringLiteral("added_at_ms"), double(addedAtMs)}};
}

core::Result<DeviceEntry> DeviceEntry::fromJson(const QJsonObject &object)
{
    DeviceEntry entry;
    entry.id = object.value(QStringLiteral("id")).toString();
    entry.name = object.value(QStringLiteral("name")).toString();
    entry.pinnedSha256 = object.value(QStringLiteral("pinned_sha256")).toString();
    entry.addedAtMs = qint64(object.value(QStringLiteral("added_at_ms")).toDouble());
    if (entry.id.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("id: missing"));
    // Absent in device lists written before audit keys could be pinned.
    if (const QString auditKey = object.value(QStringLiteral("audit_public_key")).toString(); !auditKey.isEmpty()) {
        auto key = parseAuditPublicKey(auditKey);
        if (!key)
            return makeError(ErrorCode::Parse, QStringLiteral("audit_public_key: %1").arg(key.error().message));
        entry.auditPublicKey = key.value();
    }
    auto address = DeviceAddress::parse(object.value(QStringLiteral("address")).toString());
    if (!address)
        return makeError(ErrorCode::Parse, QStringLiteral("address: %1").arg(address.error().message));
    entry.address = address.value();
    return entry;
}

DeviceRegistry::DeviceRegistry(QString path) : m_path(std::move(path)) {}

core::Status DeviceRegistry::load()
{
    m_devices.clear();
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(m_path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::Parse, QStringLiteral("%1: not a device list (%2)").arg(m_path, error.errorString()));
    const QJsonArray devices = doc.object().value(QStringLiteral("devices")).toArray();
    for (qsizetype i = 0; i < devices.size(); ++i) {
        auto entry = DeviceEntry::fromJson(devices.at(i).toObject());
        if (!entry)
            return makeError(ErrorCode::Parse, QStringLiteral("%1: devices[%2].%3").arg(m_path).arg(i).arg(entry.error().message));
        m_devices.append(entry.value());
    }
    return {};
}

core::Status DeviceRegistry::save() const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QJsonArray devices;
    for (const DeviceEntry &entry : m_devices)
        devices.append(entry.toJson());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(m_path, file.errorString()));
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("devices"), devices}}).toJson());
    if (!file.commit())
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(m_path, file.errorString()));
    return {};
}

std::optional<DeviceEntry> DeviceRegistry::find(const QString &id) const
{
    for (const DeviceEntry &entry : m_devices)
        if (entry.id == id)
            return entry;
    return std::nullopt;
}

core::Status DeviceRegistry::add(const DeviceEntry &entry)
{
    if (entry.name.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the device name is empty"));
    for (const DeviceEntry &existing : m_devices) {
        if (existing.address == entry.address)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 is already registered as '%2'")
                                                             .arg(entry.address.toString(), existing.name));
        if (existing.id == entry.id)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("duplicate device id"));
    }
    m_devices.append(entry);
    return {};
}

core::Status DeviceRegistry::update(const DeviceEntry &entry)
{
    for (DeviceEntry &existing : m_devices)
        if (existing.id == entry.id) {
            existing = entry;
            return {};
        }
    return makeError(ErrorCode::NotFound, QStringLiteral("no device '%1'").arg(entry.id));
}

bool DeviceRegistry::remove(const QString &id)
{
    return m_devices.removeIf([&id](const DeviceEntry &e) { return e.id == id; }) > 0;
}

} // namespace signiq::console
