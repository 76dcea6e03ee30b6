#include "enroll/DeviceIdentityStore.h"

#include "crypto/Random.h"
#include "crypto/SecureFile.h"

#include <QDir>

namespace signiq::enroll {

using core::ErrorCode;
using core::makeError;

DeviceIdentityStore::DeviceIdentityStore(QString directory) : m_dir(std::move(directory)) {}

QString DeviceIdentityStore::identityPath() const { return QDir(m_dir).filePath(QStringLiteral("device.pem")); }
QString DeviceIdentityStore::caPath() const { return QDir(m_dir).filePath(QStringLiteral("ca.crt")); }
QString DeviceIdentityStore::revocationListPath() const { return QDir(m_dir).filePath(QStringLiteral("crl.pem")); }

core::Status DeviceIdentityStore::save(const crypto::PrivateKey &key, const EnrollmentReply &reply, const core::Clock &clock,
                                       const QSslCertificate &expectedCa)
{
    auto cert = crypto::Certificate::fromPem(reply.certificatePem);
    if (!cert)
        return makeError(ErrorCode::Corrupt, QStringLiteral("the CA holder sent no valid certificate: %1").arg(cert.error().message));
    auto ca = crypto::Certificate::fromPem(reply.caCertificatePem);
    if (!ca)
        return makeError(ErrorCode::Corrupt, QStringLiteral("the CA holder sent no valid CA certificate: %1").arg(ca.error().message));
    if (!expectedCa.isNull() && ca->toQSslCertificate() != expectedCa)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("the CA holder sent a different CA certificate than the one trusted"));
    if (cert->publicKeyDer() != key.publicKeyDer())
        return makeError(ErrorCode::Corrupt, QStringLiteral("the issued certificate is not for this device's key"));
    if (auto ok = crypto::verifyChain(*cert, {*ca}, crypto::VerifyOptions(clock.nowMs())); !ok)
        return ok;
    if (!reply.revocationListPem.isEmpty()) {
        auto crl = crypto::RevocationList::fromPem(reply.revocationListPem);
        if (!crl)
            return crl.error();
        if (auto ok = crl->verifySignature(*ca); !ok)
            return ok;
    }
    if (!QDir().mkpath(m_dir))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create %1").arg(m_dir));
    QByteArray keyPem = key.toPem();
    QByteArray combined = cert->toPem() + keyPem;
    crypto::secureZero(keyPem);
    auto written = crypto::securefile::writeSecret(identityPath(), combined, crypto::securefile::Replace::Atomically);
    crypto::secureZero(combined);
    if (!written)
        return written;
    if (auto ok = ca->save(caPath()); !ok)
        return ok;
    if (!reply.revocationListPem.isEmpty())
        return crypto::securefile::writeFile(revocationListPath(), reply.revocationListPem, 0644, crypto::securefile::Replace::Atomically);
    return {};
}

core::Status DeviceIdentityStore::saveRevocationList(const QByteArray &crlPem)
{
    auto ca = crypto::Certificate::load(caPath());
    if (!ca)
        return ca.error();
    auto crl = crypto::RevocationList::fromPem(crlPem);
    if (!crl)
        return crl.error();
    if (auto ok = crl->verifySignature(*ca); !ok)
        return ok;
    return crl->save(revocationListPath());
}

core::Result<crypto::TlsIdentity> DeviceIdentityStore::identity() const
{
    return crypto::TlsIdentity::load(identityPath(), identityPath());
}

core::Result<crypto::Certificate> DeviceIdentityStore::certificate() const
{
    return crypto::Certificate::load(identityPath());
}

core::Result<QSslCertificate> DeviceIdentityStore::caCertificate() const
{
    auto ca = crypto::Certificate::load(caPath());
    if (!ca)
        return ca.error();
    return ca->toQSslCertificate();
}

core::Result<crypto::RevocationList> DeviceIdentityStore::revocationList() const
{
    return crypto::RevocationList::load(revocationListPath());
}

} // namespace signiq::enroll
