#include "crypto/TlsServer.h"

#include "crypto/CryptoLog.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

namespace signiq::crypto {

using core::ErrorCode;
using core::makeError;

core::Status verifyPeer(const QSslSocket &socket, const PeerCheck &check, bool required)
{
    const QSslCertificate peer = socket.peerCertificate();
    if (peer.isNull()) {
        if (required)
            return makeError(ErrorCode::PermissionDenied, QStringLiteral("the peer presented no certificate"));
        return {};
    }
    auto leaf = Certificate::fromQSslCertificate(peer);
    if (!leaf)
        return makeError(ErrorCode::Corrupt, QStringLiteral("the peer certificate cannot be parsed: %1").arg(leaf.error().message));
    if (!check.revocations.isNull() && check.revocations.isRevoked(*leaf))
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("the peer certificate '%1' (serial %2) is revoked").arg(leaf->subjectCommonName(), leaf->serialHex()));
    QList<Certificate> anchors;
    for (const QSslCertificate &a : check.trustAnchors) {
        if (auto c = Certificate::fromQSslCertificate(a))
            anchors.append(*c);
    }
    QList<Certificate> intermediates;
    const QList<QSslCertificate> chain = socket.peerCertificateChain();
    for (qsizetype i = 1; i < chain.size(); ++i) {
        if (auto c = Certificate::fromQSslCertificate(chain.at(i)))
            intermediates.append(*c);
    }
    core::SystemClock systemClock;
    const core::Clock &clock = check.clock ? *check.clock : static_cast<const core::Clock &>(systemClock);
    VerifyOptions options;
    options.atMs = clock.nowMs();
    // The CRL's own validity is not enforced here (an offline peer keeps its last list); its
    // entries were checked above.
    return verifyChain(*leaf, anchors, options, intermediates);
}

QString normalisedAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}

TlsServer::TlsServer(QObject *parent) : QSslServer(parent) {}

void TlsServer::setConnectionLimits(int total, int perAddress)
{
    m_maxTotal = total;
    m_maxPerAddress = perAddress;
}

void TlsServer::setNewConnectionRate(double perSecond, int burst, int maxTrackedAddresses)
{
    m_maxTracked = std::max(1, maxTrackedAddresses);
    m_ratePerSecond = perSecond > 0 ? perSecond : 0;
    m_rateBurst = perSecond > 0 ? std::max(1, burst) : 0;
    m_buckets.clear();
}

// The bucket of an address as of nowMs: full (burst) when unknown, refilled at the rate since it
// was last touched. Takes one token if there is one.
bool TlsServer::takeConnectionToken(const QString &peer, qint64 nowMs)
{
    if (m_ratePerSecond <= 0)
        return true;
    auto it = m_buckets.find(peer);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_maxTracked)
            sweepBuckets(nowMs);
        it = m_buckets.insert(peer, Bucket{double(m_rateBurst), nowMs});
    } else {
        const double elapsedS = double(std::max<qint64>(0, nowMs - it->atMs)) / 1000.0;
        it->tokens = std::min(double(m_rateBurst), it->tokens + elapsedS * m_ratePerSecond);
        it->atMs = nowMs;
    }
    if (it->tokens < 1.0)
        return false;
    it->tokens -= 1.0;
    return true;
}

// Forgets every address whose bucket would be full again by now (it is the same as unknown).
// If that frees nothing (a flood from more than the bound's addresses within one refill
// time), the table is cleared: the cost is that those addresses get a fresh burst, never that
// memory grows.
void TlsServer::sweepBuckets(qint64 nowMs)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        const double elapsedS = double(std::max<qint64>(0, nowMs - it->atMs)) / 1000.0;
        if (it->tokens + elapsedS * m_ratePerSecond >= double(m_rateBurst))
            it = m_buckets.erase(it);
        else
            ++it;
    }
    if (m_buckets.size() >= m_maxTracked) {
        qCWarning(lcCrypto) << "new-connection rate table full:" << m_buckets.size() << "addresses within one refill time; cleared";
        m_buckets.clear();
    }
}

int TlsServer::openConnectionsFrom(const QHostAddress &address) const
{
    return m_openByAddress.value(normalisedAddress(address));
}

core::Status TlsServer::configure(const TlsIdentity &identity, const QList<QSslCertificate> &trustAnchors,
                                  ClientCertificates clientCertificates)
{
    auto config = TlsConfigurationFactory::server(identity, trustAnchors, clientCertificates);
    if (!config)
        return config.error();
    m_identity = identity;
    m_clientCertificates = clientCertificates;
    m_check.trustAnchors = trustAnchors;
    setSslConfiguration(*config);
    return {};
}

core::Status TlsServer::setIdentity(const TlsIdentity &identity)
{
    if (auto ok = configure(identity, m_check.trustAnchors, m_clientCertificates); !ok)
        return ok;
    qCInfo(lcCrypto) << "TLS server now presents" << identity.certificate.subjectInfo(QSslCertificate::CommonName)
                     << "serial" << identity.certificate.serialNumber() << "until" << identity.certificate.expiryDate();
    return {};
}

void TlsServer::setRevocationList(const RevocationList &revocations)
{
    m_check.revocations = revocations;
}

void TlsServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(sslConfiguration()); // a snapshot: later swaps do not affect it
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    const QString peer = normalisedAddress(socket->peerAddress());
    const int fromPeer = m_openByAddress.value(peer);
    QString refusal;
    if (m_maxTotal > 0 && m_open >= m_maxTotal)
        refusal = QStringLiteral("%1 connections open (the cap)").arg(m_open);
    else if (m_maxPerAddress > 0 && fromPeer >= m_maxPerAddress)
        refusal = QStringLiteral("%1 connections open from %2 (the cap per address)").arg(fromPeer).arg(peer);
    else if (!takeConnectionToken(peer, m_check.clock ? m_check.clock->nowMs() : core::SystemClock().nowMs()))
        refusal = QStringLiteral("more than %1 new connections from %2 (the rate cap per address: %3/s)")
                      .arg(m_rateBurst)
                      .arg(peer)
                      .arg(m_ratePerSecond);
    if (!refusal.isEmpty()) {
        qCWarning(lcCrypto) << "refused a connection from" << peer << ":" << refusal;
        emit connectionRefused(refusal);
        socket->abort();
        delete socket;
        return;
    }
    ++m_open;
    ++m_openByAddress[peer];
    connect(socket, &QObject::destroyed, this, [this, peer] {
        --m_open;
        auto it = m_openByAddress.find(peer);
        if (it != m_openByAddress.end() && --it.value() <= 0)
            m_openByAddress.erase(it);
    });
    QPointer<QSslSocket> guard(socket);
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [this, socket] {
        emit handshakeFailed(QStringLiteral("TLS handshake timed out"));
        socket->abort();
        socket->deleteLater();
    });
    connect(socket, &QSslSocket::errorOccurred, socket, [this, socket](QAbstractSocket::SocketError) {
        if (socket->isEncrypted())
            return; // errors after the handshake belong to whoever took the connection
        emit handshakeFailed(socket->errorString());
        socket->deleteLater();
    });
    connect(socket, &QSslSocket::encrypted, socket, [this, socket, timer] {
        timer->stop();
        const bool required = m_clientCertificates == ClientCertificates::Required;
        if (m_clientCertificates != ClientCertificates::None) {
            if (auto ok = verifyPeer(*socket, m_check, required); !ok) {
                qCWarning(lcCrypto) << "refused TLS peer" << socket->peerAddress().toString() << ok.error().message;
                emit peerRefused(ok.error().message);
                socket->abort();
                socket->deleteLater();
                return;
            }
        }
        addPendingConnection(socket);
    });
    timer->start(m_handshakeTimeoutMs);
    socket->startServerEncryption();
}

} // namespace signiq::crypto
