#include "devices/AuditKeyPins.h"

#include "ConsoleLog.h"
#include "audit/AuditPublicKey.h"
#include "crypto/Signature.h"
#include "devices/DeviceRegistry.h"

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

AuditKeyPins::AuditKeyPins(DeviceRegistry &registry, QObject *parent) : QObject(parent), m_registry(registry) {}

QByteArray AuditKeyPins::pinnedKey(const QString &deviceId) const
{
    const auto entry = m_registry.find(deviceId);
    return entry ? entry->auditPublicKey : QByteArray();
}

bool AuditKeyPins::wouldReplace(const QString &deviceId, const QByteArray &publicKey) const
{
    const QByteArray pinned = pinnedKey(deviceId);
    return !pinned.isEmpty() && pinned != publicKey;
}

core::Status AuditKeyPins::pin(const QString &deviceId, const QByteArray &publicKey)
{
    if (const core::Status usable = crypto::ed25519CheckPublicKey(publicKey); !usable)
        return usable; // InvalidArgument naming the problem
    return store(deviceId, publicKey);
}

core::Status AuditKeyPins::clear(const QString &deviceId)
{
    return store(deviceId, QByteArray());
}

core::Status AuditKeyPins::store(const QString &deviceId, const QByteArray &publicKey)
{
    auto entry = m_registry.find(deviceId);
    if (!entry)
        return makeError(ErrorCode::NotFound, QStringLiteral("no device '%1'").arg(deviceId));
    if (entry->auditPublicKey == publicKey)
        return {};
    const DeviceEntry before = entry.value();
    entry->auditPublicKey = publicKey;
    if (const core::Status updated = m_registry.update(entry.value()); !updated)
        return updated;
    if (const core::Status saved = m_registry.save(); !saved) {
        (void)m_registry.update(before); // not saved: not kept
        return saved;
    }
    qCInfo(lcConsole) << "audit key" << (publicKey.isEmpty() ? QStringLiteral("cleared") : QStringLiteral("pinned"))
                      << "for device" << entry->name << auditKeyId(before.auditPublicKey) << "->" << auditKeyId(publicKey);
    emit pinChanged(deviceId, publicKey);
    return {};
}

} // namespace signiq::console
