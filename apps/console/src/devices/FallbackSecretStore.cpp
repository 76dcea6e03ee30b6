#include "devices/FallbackSecretStore.h"

#include "ConsoleLog.h"

#include <QPromise>

#include <memory>

namespace signiq::console {

namespace {
template <typename T>
void forward(QFuture<T> future, QObject *context, std::shared_ptr<QPromise<T>> promise)
{
    future.then(context, [promise](T value) {
        promise->addResult(std::move(value));
        promise->finish();
    });
}
} // namespace

FallbackSecretStore::FallbackSecretStore(SecretStore &primary, SecretStore &fallback, QObject *parent)
    : QObject(parent), m_primary(primary), m_fallback(fallback)
{
}

void FallbackSecretStore::activateFallback(const core::Error &error)
{
    if (m_usingFallback)
        return;
    m_usingFallback = true;
    qCWarning(lcConsole) << "no keychain service, using the encrypted secrets file:" << error.message;
    emit fallbackActivated(error.message);
}

QFuture<core::Result<QString>> FallbackSecretStore::readSecret(const QString &name)
{
    if (m_usingFallback)
        return m_fallback.readSecret(name);
    auto promise = std::make_shared<QPromise<core::Result<QString>>>();
    promise->start();
    m_primary.readSecret(name).then(this, [this, promise, name](core::Result<QString> result) {
        if (result || (result.error().code != core::ErrorCode::Unsupported && result.error().code != core::ErrorCode::NotFound)) {
            promise->addResult(std::move(result));
            promise->finish();
            return;
        }
        if (result.error().code == core::ErrorCode::Unsupported)
            activateFallback(result.error());
        forward(m_fallback.readSecret(name), this, promise);
    });
    return promise->future();
}

QFuture<core::Status> FallbackSecretStore::writeSecret(const QString &name, const QString &secret)
{
    if (m_usingFallback)
        return m_fallback.writeSecret(name, secret);
    auto promise = std::make_shared<QPromise<core::Status>>();
    promise->start();
    m_primary.writeSecret(name, secret).then(this, [this, promise, name, secret](core::Status status) {
        if (status || status.error().code != core::ErrorCode::Unsupported) {
            promise->addResult(std::move(status));
            promise->finish();
            return;
        }
        activateFallback(status.error());
        forward(m_fallback.writeSecret(name, secret), this, promise);
    });
    return promise->future();
}

QFuture<core::Status> FallbackSecretStore::removeSecret(const QString &name)
{
    // Remove from both, so no copy is left behind.
    auto promise = std::make_shared<QPromise<core::Status>>();
    promise->start();
    auto fromFallback = [this, promise, name](core::Status primaryStatus) {
        m_fallback.removeSecret(name).then(this, [promise, primaryStatus](core::Status fallbackStatus) {
            const bool primaryOk = primaryStatus || primaryStatus.error().code == core::ErrorCode::Unsupported ||
                                   primaryStatus.error().code == core::ErrorCode::NotFound;
            promise->addResult(!primaryOk ? primaryStatus : fallbackStatus);
            promise->finish();
        });
    };
    if (m_usingFallback)
        fromFallback(core::Status());
    else
        m_primary.removeSecret(name).then(this, fromFallback);
    return promise->future();
}

QString FallbackSecretStore::backendName() const
{
    return m_usingFallback ? m_fallback.backendName() : m_primary.backendName();
}

} // namespace signiq::console
