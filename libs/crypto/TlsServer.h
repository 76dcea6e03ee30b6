#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/Certificate.h"
#include "crypto/TlsConfiguration.h"

#include <QHash>
#include <QHostAddress>
#include <QSslServer>

class QSslSocket;

namespace signiq::crypto {

// What a peer's certificate must satisfy beyond the TLS handshake: it must chain to one of
// `trustAnchors` at the injected clock's time and must not be on the revocation list.
struct PeerCheck {
    QList<QSslCertificate> trustAnchors;
    RevocationList revocations; // null: no revocation check (not yet fetched)
    const core::Clock *clock = nullptr; // null: the system clock
};

// Checks the peer certificate of an encrypted socket against `check`. Clients call it in
// QSslSocket::encrypted (a server's certificate on a fetched CRL is refused this way);
// TlsServer calls it for every client certificate. A socket without a peer certificate is
// PermissionDenied when `required`, otherwise fine.
[[nodiscard]] core::Status verifyPeer(const QSslSocket &socket, const PeerCheck &check, bool required);

// A QSslServer whose TLS configuration always comes from TlsConfigurationFactory, whose
// identity can be swapped while it runs, and that checks client certificates (chain at the
// injected clock's time and the revocation list) before a connection is handed out.
//
//  - setIdentity(): connections accepted afterwards use the new certificate; connections that
//    are already open keep theirs (TLS does not re-authenticate an open session), so the
//    service never drops during a certificate renewal.
//  - A connection is only queued (pendingConnectionAvailable) once its handshake has finished
//    and the peer check passed; refused peers are reported with peerRefused() and closed.
//    Note: QTcpServer::newConnection is emitted before the handshake; listen to
//    pendingConnectionAvailable instead.
//  - Handshakes that do not finish within handshakeTimeoutMs are aborted.
//  - Connection caps (setConnectionLimits): every socket this server created counts, from the
//    TCP accept through the handshake until whoever took it deletes it. A connection over
//    the total or over the per-address cap is closed at once, before any TLS work, and
//    reported with connectionRefused().
//  - New-connection rate per address (setNewConnectionRate): a token bucket per source address
//    (burst, then `perSecond`), on the injected clock. A connection over it is closed at once,
//    before the TLS handshake (the expensive part: an X25519 and a signature per handshake), and
//    reported with connectionRefused(). Memory stays bounded: an address whose bucket has
//    refilled is forgotten, and the table is swept when it reaches its bound.
class TlsServer : public QSslServer {
    Q_OBJECT
public:
    explicit TlsServer(QObject *parent = nullptr);

    // Builds the configuration with TlsConfigurationFactory::server().
    [[nodiscard]] core::Status configure(const TlsIdentity &identity, const QList<QSslCertificate> &trustAnchors,
                                         ClientCertificates clientCertificates);
    // Swaps the certificate and key (renewal). Takes effect for the next accepted connection.
    [[nodiscard]] core::Status setIdentity(const TlsIdentity &identity);
    const TlsIdentity &identity() const { return m_identity; }

    // A revocation list already verified against the CA (RevocationList::verifySignature).
    void setRevocationList(const RevocationList &revocations);
    void setClock(const core::Clock *clock) { m_check.clock = clock; }
    void setHandshakeTimeoutMs(int ms) { m_handshakeTimeoutMs = ms; }
    // 0 = no cap. Counted per source address (IPv4-mapped IPv6 counts as the IPv4 address).
    void setConnectionLimits(int total, int perAddress);
    // 0 = no rate cap. At most `burst` connections at once from one address, then `perSecond`.
    // `maxTrackedAddresses` bounds the table of buckets (see sweepBuckets).
    void setNewConnectionRate(double perSecond, int burst, int maxTrackedAddresses = 16384);
    int trackedAddresses() const { return int(m_buckets.size()); }
    int openConnections() const { return m_open; }
    int openConnectionsFrom(const QHostAddress &address) const;

signals:
    void peerRefused(const QString &reason);
    void handshakeFailed(const QString &reason);
    void connectionRefused(const QString &reason);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    TlsIdentity m_identity;
    ClientCertificates m_clientCertificates = ClientCertificates::None;
    PeerCheck m_check;
    int m_handshakeTimeoutMs = 10000;
    int m_maxTotal = 0;
    int m_maxPerAddress = 0;
    int m_open = 0;
    QHash<QString, int> m_openByAddress;
    struct Bucket {
        double tokens = 0;
        qint64 atMs = 0;
    };
    bool takeConnectionToken(const QString &peer, qint64 nowMs);
    void sweepBuckets(qint64 nowMs);
    double m_ratePerSecond = 0;
    int m_maxTracked = 16384;
    int m_rateBurst = 0;
    QHash<QString, Bucket> m_buckets;
};

// The address as one string per host: an IPv4-mapped IPv6 address becomes the IPv4 address.
QString normalisedAddress(const QHostAddress &address);

} // namespace signiq::crypto
