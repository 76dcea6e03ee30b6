#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace signiq::console {

class DeviceRegistry;

// The Ed25519 audit public key pinned per device, kept in the device list next to the TLS pin
// (DeviceEntry::auditPublicKey, `audit_public_key` in devices.json). The console trusts only a
// pinned key: the key id inside an export merely names a key (docs/security.md, "Audit log").
// Every change is saved at once; a change that cannot be saved is not kept.
class AuditKeyPins : public QObject {
    Q_OBJECT

public:
    explicit AuditKeyPins(DeviceRegistry &registry, QObject *parent = nullptr);

    // Empty: no key pinned, or no such device.
    QByteArray pinnedKey(const QString &deviceId) const;
    // True when a different key is pinned for the device: replacing it is security-relevant
    // (whoever swaps the pin decides which signatures count), so the UI asks first.
    bool wouldReplace(const QString &deviceId, const QByteArray &publicKey) const;

    // InvalidArgument for a key that is not a usable Ed25519 public key (message says why),
    // NotFound for an unknown device, Io when the device list cannot be written.
    [[nodiscard]] core::Status pin(const QString &deviceId, const QByteArray &publicKey);
    [[nodiscard]] core::Status clear(const QString &deviceId);

signals:
    // After a saved change; `publicKey` empty: cleared.
    void pinChanged(const QString &deviceId, const QByteArray &publicKey);

private:
    core::Status store(const QString &deviceId, const QByteArray &publicKey);

    DeviceRegistry &m_registry;
};

} // namespace signiq::console
