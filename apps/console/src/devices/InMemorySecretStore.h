#pragma once

#include "devices/SecretStore.h"

#include <QCoreApplication>
#include <QHash>

namespace signiq::console {

// Secrets in RAM only: for --demo (nothing of the demo touches the real keychain) and tests.
class InMemorySecretStore final : public SecretStore {
    Q_DECLARE_TR_FUNCTIONS(InMemorySecretStore)

public:
    QFuture<core::Result<QString>> readSecret(const QString &name) override;
    QFuture<core::Status> writeSecret(const QString &name, const QString &secret) override;
    QFuture<core::Status> removeSecret(const QString &name) override;
    QString backendName() const override;

    void setFailure(std::optional<core::Error> failure) { m_failure = std::move(failure); }
    bool contains(const QString &name) const { return m_secrets.contains(name); }

private:
    QHash<QString, QString> m_secrets;
    std::optional<core::Error> m_failure;
};

} // namespace signiq::console
