#pragma once

#include "devices/SecretStore.h"

#include <QObject>

namespace signiq::console {

// Uses `primary` (the OS keychain) and switches to `fallback` (the encrypted file) for the rest
// of the session as soon as the primary reports Unsupported (no keychain service). A read that
// misses in the primary also looks in the fallback, for keys saved while the keychain was down.
class FallbackSecretStore final : public QObject, public SecretStore {
    Q_OBJECT

public:
    FallbackSecretStore(SecretStore &primary, SecretStore &fallback, QObject *parent = nullptr);

    bool isUsingFallback() const { return m_usingFallback; }

    QFuture<core::Result<QString>> readSecret(const QString &name) override;
    QFuture<core::Status> writeSecret(const QString &name, const QString &secret) override;
    QFuture<core::Status> removeSecret(const QString &name) override;
    QString backendName() const override;

signals:
    void fallbackActivated(const QString &reason);

private:
    void activateFallback(const core::Error &error);

    SecretStore &m_primary;
    SecretStore &m_fallback;
    bool m_usingFallback = false;
};

} // namespace signiq::console
