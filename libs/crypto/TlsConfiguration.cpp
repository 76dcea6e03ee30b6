#include "crypto/TlsConfiguration.h"

#include "crypto/Certificate.h"
#include "crypto/PrivateKey.h"

#include <QFile>
#include <QSslSocket>

namespace signiq::crypto {

using core::ErrorCode;
using core::makeError;

core::Result<TlsIdentity> TlsIdentity::load(const QString &certificatePath, const QString &keyPath)
{
    auto key = PrivateKey::load(keyPath);
    if (!key)
        return key.error();
    auto leaf = Certificate::load(certificatePath);
    if (!leaf)
        return leaf.error();
    if (leaf->publicKeyDer() != key->publicKeyDer())
        return makeError(ErrorCode::WrongKey, QStringLiteral("the key %1 does not belong to the certificate %2").arg(keyPath, certificatePath));
    QFile file(certificatePath);
    QList<QSslCertificate> all;
    if (file.open(QIODevice::ReadOnly))
        all = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    TlsIdentity identity;
    identity.certificate = leaf->toQSslCertificate();
    identity.chain = all.mid(1);
    identity.privateKey = key->toQSslKey();
    if (identity.privateKey.isNull())
        return makeError(ErrorCode::Internal, QStringLiteral("Qt's TLS backend cannot use the key %1").arg(keyPath));
    return identity;
}

namespace {

QSslConfiguration base()
{
    QSslConfiguration c; // not defaultConfiguration(): nothing inherited from process-wide state
    c.setProtocol(QSsl::TlsV1_3OrLater);
    c.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
    c.setSslOption(QSsl::SslOptionDisableCompression, true);
    c.setSslOption(QSsl::SslOptionDisableLegacyRenegotiation, true);
    return c;
}

core::Status checkIdentity(const TlsIdentity &identity)
{
    if (identity.certificate.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("TLS identity without a certificate"));
    if (identity.privateKey.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("TLS identity without a private key"));
    return {};
}

} // namespace

core::Result<QSslConfiguration> TlsConfigurationFactory::server(const TlsIdentity &identity, const QList<QSslCertificate> &trustAnchors,
                                                                ClientCertificates clientCertificates)
{
    if (auto ok = checkIdentity(identity); !ok)
        return ok.error();
    if (clientCertificates != ClientCertificates::None && trustAnchors.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a server that accepts client certificates needs the deployment CA as trust anchor"));
    QSslConfiguration c = base();
    c.setLocalCertificateChain(QList<QSslCertificate>{identity.certificate} + identity.chain);
    c.setPrivateKey(identity.privateKey);
    c.setCaCertificates(trustAnchors); // also disables on-demand loading of system roots
    switch (clientCertificates) {
    case ClientCertificates::None:
        c.setPeerVerifyMode(QSslSocket::VerifyNone); // a server has no host name to check; clients are not asked
        break;
    case ClientCertificates::Optional:
        c.setPeerVerifyMode(QSslSocket::QueryPeer); // verified by TlsServer with crypto::verifyChain
        break;
    case ClientCertificates::Required:
        c.setPeerVerifyMode(QSslSocket::VerifyPeer);
        break;
    }
    return c;
}

core::Result<QSslConfiguration> TlsConfigurationFactory::client(const QList<QSslCertificate> &trustAnchors, const TlsIdentity &clientIdentity)
{
    QSslConfiguration c = base();
    if (!trustAnchors.isEmpty())
        c.setCaCertificates(trustAnchors); // only these; system roots are not loaded
    else
        c.setCaCertificates(QSslConfiguration::systemCaCertificates());
    c.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!clientIdentity.certificate.isNull()) {
        if (auto ok = checkIdentity(clientIdentity); !ok)
            return ok.error();
        c.setLocalCertificateChain(QList<QSslCertificate>{clientIdentity.certificate} + clientIdentity.chain);
        c.setPrivateKey(clientIdentity.privateKey);
    }
    return c;
}

bool TlsConfigurationFactory::isCompliant(const QSslConfiguration &c)
{
    return (c.protocol() == QSsl::TlsV1_3OrLater || c.protocol() == QSsl::TlsV1_3)
           && c.peerVerifyMode() != QSslSocket::AutoVerifyPeer && c.testSslOption(QSsl::SslOptionDisableSessionTickets);
}

core::Status TlsConfigurationFactory::checkBackend()
{
    if (!QSslSocket::supportsSsl())
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("Qt has no usable TLS backend (is the Qt OpenSSL TLS plugin installed? backend: '%1')")
                             .arg(QSslSocket::activeBackend()));
    if (!QSslSocket::isProtocolSupported(QSsl::TlsV1_3OrLater))
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("the TLS backend '%1' (%2) cannot do TLS 1.3")
                             .arg(QSslSocket::activeBackend(), QSslSocket::sslLibraryVersionString()));
    return {};
}

} // namespace signiq::crypto
