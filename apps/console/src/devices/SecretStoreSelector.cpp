#include "devices/SecretStoreSelector.h"

#include "ConsoleLog.h"

#include <QPromise>

#include <memory>

namespace signiq::console {

SecretStoreSelector::SecretStoreSelector(SecretStore &keychain, SecretStore &file, Choice choice, ServiceProbe probe,
                                         QObject *parent)
    : QObject(parent), m_keychain(keychain), m_file(file), m_probe(std::move(probe)), m_fallback(keychain, file)
{
    connect(&m_fallback, &FallbackSecretStore::fallbackActivated, this, [this](const QString &reason) {
        m_fallbackReason = reason;
        emit backendChanged();
    });
    setChoice(choice);
}

std::optional<SecretStoreSelector::Choice> SecretStoreSelector::parseChoice(const QString &name)
{
    if (name == QStringLiteral("auto"))
        return Choice::Auto;
    if (name == QStringLiteral("keychain"))
        return Choice::Keychain;
    if (name == QStringLiteral("file"))
        return Choice::File;
    return std::nullopt;
}

QString SecretStoreSelector::choiceName(Choice choice)
{
    switch (choice) {
    case Choice::Auto:
        return QStringLiteral("auto");
    case Choice::Keychain:
        return QStringLiteral("keychain");
    case Choice::File:
        return QStringLiteral("file");
    }
    return QStringLiteral("auto");
}

void SecretStoreSelector::setChoice(Choice choice)
{
    m_choice = choice;
    m_state = m_probe ? m_probe() : KeychainServiceState{true, QStringLiteral("system keychain"), QString()};
    if (!m_state.available)
        qCInfo(lcConsole) << "keychain service:" << m_state.reason;
    qCInfo(lcConsole) << "secret store:" << choiceName(choice) << "->" << (isUsingFile() ? "encrypted file" : "keychain");
    emit backendChanged();
}

bool SecretStoreSelector::isUsingFile() const
{
    switch (m_choice) {
    case Choice::File:
        return true;
    case Choice::Keychain:
        return false;
    case Choice::Auto:
        return !m_state.available || m_fallback.isUsingFallback();
    }
    return false;
}

SecretStore &SecretStoreSelector::active()
{
    switch (m_choice) {
    case Choice::File:
        return m_file;
    case Choice::Keychain:
        return m_keychain;
    case Choice::Auto:
        break;
    }
    return m_state.available ? static_cast<SecretStore &>(m_fallback) : m_file;
}

SecretStore *SecretStoreSelector::other()
{
    switch (m_choice) {
    case Choice::File:
        return m_state.available ? &m_keychain : nullptr;
    case Choice::Keychain:
        return &m_file;
    case Choice::Auto:
        break;
    }
    return nullptr; // the fallback store already looks in both
}

QFuture<core::Result<QString>> SecretStoreSelector::readSecret(const QString &name)
{
    SecretStore *second = other();
    if (!second)
        return active().readSecret(name);
    auto promise = std::make_shared<QPromise<core::Result<QString>>>();
    promise->start();
    active().readSecret(name).then(this, [this, promise, name, second](core::Result<QString> first) {
        // Not there, or the chosen store cannot be used here: the other one may have it.
        if (first || (first.error().code != core::ErrorCode::NotFound && first.error().code != core::ErrorCode::Unsupported)) {
            promise->addResult(std::move(first));
            promise->finish();
            return;
        }
        second->readSecret(name).then(this, [promise, first](core::Result<QString> found) {
            // Not there either (or unusable): the miss of the chosen store is the answer.
            promise->addResult(found ? std::move(found) : first);
            promise->finish();
        });
    });
    return promise->future();
}

QFuture<core::Status> SecretStoreSelector::writeSecret(const QString &name, const QString &secret)
{
    return active().writeSecret(name, secret);
}

QFuture<core::Status> SecretStoreSelector::removeSecret(const QString &name)
{
    SecretStore *second = other();
    if (!second)
        return active().removeSecret(name);
    auto promise = std::make_shared<QPromise<core::Status>>();
    promise->start();
    active().removeSecret(name).then(this, [this, promise, name, second](core::Status first) {
        second->removeSecret(name).then(this, [promise, first](core::Status) {
            promise->addResult(first); // the other store is cleaned as far as it can be
            promise->finish();
        });
    });
    return promise->future();
}

QString SecretStoreSelector::backendName() const
{
    return isUsingFile() ? m_file.backendName() : m_keychain.backendName();
}

QString SecretStoreSelector::explanation() const
{
    if (&m_keychain == &m_file) // --demo: one store in memory
        return tr("API keys are stored in: %1.").arg(m_file.backendName());
    switch (m_choice) {
    case Choice::File:
        return tr("API keys are stored in the encrypted file (chosen in Settings).");
    case Choice::Keychain:
        return m_state.available
                   ? tr("API keys are stored in the system keychain (%1, chosen in Settings).").arg(m_state.service)
                   : tr("API keys must be stored in the system keychain (chosen in Settings), but none is available: %1. "
                        "Choose “Automatic” or “Encrypted file” in Settings.")
                         .arg(m_state.reason);
    case Choice::Auto:
        break;
    }
    if (!m_state.available)
        return tr("API keys are stored in the encrypted file, because this desktop has no keychain service: %1.")
            .arg(m_state.reason);
    if (m_fallback.isUsingFallback())
        return tr("API keys are stored in the encrypted file, because the system keychain failed: %1.").arg(m_fallbackReason);
    return tr("API keys are stored in the system keychain (%1).").arg(m_state.service);
}

} // namespace signiq::console
