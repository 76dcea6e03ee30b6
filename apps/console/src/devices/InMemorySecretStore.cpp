#include "devices/InMemorySecretStore.h"

#include <QFuture>

namespace signiq::console {

QFuture<core::Result<QString>> InMemorySecretStore::readSecret(const QString &name)
{
    if (m_failure)
        return QtFuture::makeReadyFuture(core::Result<QString>(*m_failure));
    if (!m_secrets.contains(name))
        return QtFuture::makeReadyFuture(
            core::Result<QString>(core::makeError(core::ErrorCode::NotFound, QStringLiteral("no secret '%1'").arg(name))));
    return QtFuture::makeReadyFuture(core::Result<QString>(m_secrets.value(name)));
}

QFuture<core::Status> InMemorySecretStore::writeSecret(const QString &name, const QString &secret)
{
    if (m_failure)
        return QtFuture::makeReadyFuture(core::Status(*m_failure));
    m_secrets.insert(name, secret);
    return QtFuture::makeReadyFuture(core::Status());
}

QFuture<core::Status> InMemorySecretStore::removeSecret(const QString &name)
{
    m_secrets.remove(name);
    return QtFuture::makeReadyFuture(core::Status());
}

QString InMemorySecretStore::backendName() const
{
    return tr("memory only (demo)");
}

} // namespace signiq::console
