#include "devices/KeychainSecretStore.h"

#include "ConsoleLog.h"

#include <qt6keychain/keychain.h>

#include <QPromise>

#include <memory>

namespace signiq::console {

namespace {
core::Error toError(QKeychain::Job *job)
{
    using core::ErrorCode;
    ErrorCode code = ErrorCode::Io;
    switch (job->error()) {
    case QKeychain::EntryNotFound:
        code = ErrorCode::NotFound;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        code = ErrorCode::PermissionDenied;
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        code = ErrorCode::Unsupported;
        break;
    case QKeychain::OtherError: {
        // Without a usable keychain service QtKeychain reports OtherError: "... org.freedesktop.secrets
        // was not provided by any .service files" (libsecret, no daemon), "Could not open wallet: …"
        // (KWallet over D-Bus, none running), "D-Bus is not running", or "Unknown error" (no backend
        // library could be loaded). None of these is a failure of a keychain that works.
        const QString text = job->errorString();
        const bool noService = text.contains(QStringLiteral("org.freedesktop")) ||
                               text.contains(QStringLiteral("D-Bus"), Qt::CaseInsensitive) ||
                               text.contains(QStringLiteral("Could not open wallet")) ||
                               text.contains(QStringLiteral("No keychain service")) ||
                               text == QStringLiteral("Unknown error") || text.isEmpty();
        code = noService ? ErrorCode::Unsupported : ErrorCode::Io;
        break;
    }
    default:
        break;
    }
    if (code == ErrorCode::Unsupported)
        return core::makeError(code, QStringLiteral("keychain: no keychain service is available (QtKeychain: %1)")
                                         .arg(job->errorString()));
    return core::makeError(code, QStringLiteral("keychain: %1").arg(job->errorString()));
}

template <typename Job>
Job *makeJob(const QString &service, const QString &name, QObject *parent)
{
    auto *job = new Job(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    return job;
}
} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent) : QObject(parent), m_service(std::move(service)) {}

QFuture<core::Result<QString>> KeychainSecretStore::readSecret(const QString &name)
{
    auto promise = std::make_shared<QPromise<core::Result<QString>>>();
    promise->start();
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, name, this);
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError)
            promise->addResult(core::Result<QString>(toError(finished)));
        else
            promise->addResult(core::Result<QString>(static_cast<QKeychain::ReadPasswordJob *>(finished)->textData()));
        promise->finish();
    });
    job->start();
    return promise->future();
}

QFuture<core::Status> KeychainSecretStore::writeSecret(const QString &name, const QString &secret)
{
    auto promise = std::make_shared<QPromise<core::Status>>();
    promise->start();
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, name, this);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        promise->addResult(finished->error() != QKeychain::NoError ? core::Status(toError(finished)) : core::Status());
        promise->finish();
    });
    job->start();
    return promise->future();
}

QFuture<core::Status> KeychainSecretStore::removeSecret(const QString &name)
{
    auto promise = std::make_shared<QPromise<core::Status>>();
    promise->start();
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, name, this);
    connect(job, &QKeychain::Job::finished, this, [promise](QKeychain::Job *finished) {
        const bool ok = finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound;
        promise->addResult(ok ? core::Status() : core::Status(toError(finished)));
        promise->finish();
    });
    job->start();
    return promise->future();
}

QString KeychainSecretStore::backendName() const
{
    return tr("system keychain");
}

} // namespace signiq::console
