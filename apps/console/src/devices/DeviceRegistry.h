#pragma once

#include "client/DeviceTypes.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::console {

// A device the console knows. No secret here: the API key lives in the SecretStore under
// secretKey(); the certificate pin and the audit key pin are public information.
struct DeviceEntry {
    QString id; // random, stable
    QString name;
    DeviceAddress address;
    QString pinnedSha256; // leaf certificate fingerprint accepted by the admin (hex); empty = CA-trusted
    qint64 addedAtMs = 0;
    // The device's Ed25519 audit public key (32 bytes) pinned by the admin (AuditKeyPins): exports
    // whose head it verifies are "intact". Empty: none pinned, verification stops at "chain only".
    QByteArray auditPublicKey;

    QString secretKey() const { return QStringLiteral("device/%1/api-key").arg(id); }
    QJsonObject toJson() const;
    // Parse errors name the field (`audit_public_key: …`).
    static core::Result<DeviceEntry> fromJson(const QJsonObject &object);
    bool operator==(const DeviceEntry &) const = default;
};

// The list of devices, kept as JSON in the console's configuration directory.
class DeviceRegistry {
public:
    explicit DeviceRegistry(QString path);

    // A missing file is an empty registry; a malformed one is a Parse error naming the file.
    [[nodiscard]] core::Status load();
    [[nodiscard]] core::Status save() const;

    const QList<DeviceEntry> &devices() const { return m_devices; }
    std::optional<DeviceEntry> find(const QString &id) const;
    // InvalidArgument when the address is already registered or the name is empty.
    [[nodiscard]] core::Status add(const DeviceEntry &entry);
    [[nodiscard]] core::Status update(const DeviceEntry &entry);
    bool remove(const QString &id);

private:
    QString m_path;
    QList<DeviceEntry> m_devices;
};

} // namespace signiq::console
