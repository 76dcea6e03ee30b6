#pragma once

#include "devices/FallbackSecretStore.h"
#include "devices/KeychainService.h"
#include "devices/SecretStore.h"

#include <QObject>

#include <functional>
#include <optional>

namespace signiq::console {

// The secret store the console uses, as chosen in Settings ("secrets/backend"):
//   auto      the OS keychain when a keychain service is there (detectKeychainService()), with
//             the encrypted file as fallback if the keychain later reports it is unavailable;
//             the encrypted file straight away when there is none (a minimal desktop)
//   keychain  the OS keychain only (adding a device fails, with the reason, without a service)
//   file      the encrypted file only
// A read that misses in the chosen store (or finds it unavailable) also looks in the other one,
// so keys saved before the choice changed keep working; removing removes from both.
// backendChanged() fires whenever the store in use or its explanation changes.
class SecretStoreSelector final : public QObject, public SecretStore {
    Q_OBJECT

public:
    enum class Choice { Auto, Keychain, File };
    using ServiceProbe = std::function<KeychainServiceState()>;

    SecretStoreSelector(SecretStore &keychain, SecretStore &file, Choice choice = Choice::Auto,
                        ServiceProbe probe = &detectKeychainService, QObject *parent = nullptr);

    static std::optional<Choice> parseChoice(const QString &name); // auto|keychain|file
    static QString choiceName(Choice choice);

    Choice choice() const { return m_choice; }
    // Probes again in Auto (a keychain service may have started since).
    void setChoice(Choice choice);
    bool isUsingFile() const;
    const KeychainServiceState &keychainState() const { return m_state; }
    // Translated: where keys are stored and, when it is the file, why.
    QString explanation() const;

    QFuture<core::Result<QString>> readSecret(const QString &name) override;
    QFuture<core::Status> writeSecret(const QString &name, const QString &secret) override;
    QFuture<core::Status> removeSecret(const QString &name) override;
    QString backendName() const override;

signals:
    void backendChanged();

private:
    SecretStore &active();
    SecretStore *other();

    SecretStore &m_keychain;
    SecretStore &m_file;
    ServiceProbe m_probe;
    FallbackSecretStore m_fallback;
    Choice m_choice = Choice::Auto;
    KeychainServiceState m_state;
    QString m_fallbackReason; // the keychain failed at run time in Auto
};

} // namespace signiq::console
