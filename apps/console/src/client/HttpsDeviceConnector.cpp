#include "client/HttpsDeviceConnector.h"

#include "client/DeviceJson.h"
#include "client/HttpsDeviceClient.h"
#include "crypto/TlsConfiguration.h"
#include "devices/CertificateTrust.h"

#include <QNetworkProxy>
#include <QPromise>
#include <QSslSocket>
#include <QTimer>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

HttpsDeviceConnector::HttpsDeviceConnector(const CertificateTrust &trust, QObject *parent) : QObject(parent), m_trust(trust) {}

QFuture<core::Result<PeerIdentity>> HttpsDeviceConnector::probe(const DeviceAddress &address)
{
    using Answer = core::Result<PeerIdentity>;
    auto tls = crypto::TlsConfigurationFactory::client(m_trust.deploymentCa());
    if (!tls)
        return QtFuture::makeReadyFuture(Answer(makeError(ErrorCode::Unsupported, tls.error().message)));
    auto promise = std::make_shared<QPromise<Answer>>();
    promise->start();
    QFuture<Answer> future = promise->future();

    auto *socket = new QSslSocket(this);
    socket->setProxy(QNetworkProxy::NoProxy);
    socket->setSslConfiguration(tls.value());
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    const QString where = address.toString();
    auto finish = [promise, socket, done = std::make_shared<bool>(false)](Answer answer) {
        if (std::exchange(*done, true))
            return;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
        promise->addResult(std::move(answer));
        promise->finish();
    };
    // No trust decision here: the chain is only shown to the admin, and nothing is sent.
    QObject::connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &) { socket->ignoreSslErrors(); });
    QObject::connect(socket, &QSslSocket::encrypted, socket, [socket, finish] {
        PeerIdentity identity;
        identity.chain = socket->peerCertificateChain();
        identity.tlsProtocol = devicejson::tlsProtocolName(socket->sessionProtocol());
        finish(identity);
    });
    QObject::connect(socket, &QAbstractSocket::errorOccurred, socket, [socket, finish, where](QAbstractSocket::SocketError error) {
        const QString detail = socket->errorString();
        if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError)
            finish(makeError(ErrorCode::Io, QStringLiteral("%1: TLS 1.3 handshake failed: %2").arg(where, detail)));
        else
            finish(makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(where, detail)));
    });
    QObject::connect(timer, &QTimer::timeout, socket, [finish, where, ms = m_probeTimeoutMs] {
        finish(makeError(ErrorCode::Io, QStringLiteral("%1 did not answer within %2 s").arg(where).arg(ms / 1000)));
    });
    timer->start(m_probeTimeoutMs);
    socket->connectToHostEncrypted(address.host, address.port);
    return future;
}

std::unique_ptr<DeviceClient> HttpsDeviceConnector::connect(const DeviceAddress &address, const QString &pinnedSha256,
                                                            const QString &apiKey)
{
    return std::make_unique<HttpsDeviceClient>(address, DeviceTrust{pinnedSha256, m_trust.deploymentCa()}, apiKey);
}

} // namespace signiq::console
