#pragma once

#include "devices/SecretStore.h"

#include <QObject>

namespace signiq::console {

// The OS keychain through QtKeychain (Secret Service / KWallet on Linux, Keychain on macOS,
// Credential Manager on Windows). Never falls back to plaintext.
class KeychainSecretStore final : public QObject, public SecretStore {
    Q_OBJECT

public:
    explicit KeychainSecretStore(QString service, QObject *parent = nullptr);

    QFuture<core::Result<QString>> readSecret(const QString &name) override;
    QFuture<core::Status> writeSecret(const QString &name, const QString &secret) override;
    QFuture<core::Status> removeSecret(const QString &name) override;
    QString backendName() const override;

private:
    QString m_service;
};

} // namespace signiq::console
