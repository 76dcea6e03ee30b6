#pragma once

#include "devices/SecretStore.h"

#include <QObject>

#include <memory>

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::console {

// The fallback when no keychain service runs: a SQLCipher database (storage::EncryptedDatabase)
// in the console's data directory, keyed by a random 256-bit key file (mode 0600, created on
// first use) next to it. The executable must be linked with signiq_link_sqlcipher().
// Operations are small and run synchronously; the futures are already finished.
class EncryptedFileSecretStore final : public QObject, public SecretStore {
    Q_OBJECT

public:
    EncryptedFileSecretStore(QString databasePath, QString keyPath, QObject *parent = nullptr);
    ~EncryptedFileSecretStore() override;

    QFuture<core::Result<QString>> readSecret(const QString &name) override;
    QFuture<core::Status> writeSecret(const QString &name, const QString &secret) override;
    QFuture<core::Status> removeSecret(const QString &name) override;
    QString backendName() const override;

    // Opens (creating database and key file if needed). Called lazily by every operation.
    [[nodiscard]] core::Status open();

private:
    QString m_databasePath;
    QString m_keyPath;
    std::unique_ptr<storage::EncryptedDatabase> m_database;
};

} // namespace signiq::console
