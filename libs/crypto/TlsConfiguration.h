#pragma once

#include "core/Result.h"

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

class QSslSocket;

namespace signiq::crypto {

class RevocationList;

// A certificate, the chain up to (not including) the trust anchor, and its private key.
struct TlsIdentity {
    QSslCertificate certificate;
    QList<QSslCertificate> chain; // intermediates; empty when the deployment CA signs directly
    QSslKey privateKey;

    bool isNull() const { return certificate.isNull() || privateKey.isNull(); }
    // PEM certificate (+ chain) file and a 0600 PEM key file (PermissionDenied otherwise).
    [[nodiscard]] static core::Result<TlsIdentity> load(const QString &certificatePath, const QString &keyPath);
};

// Whether a server asks connecting clients for a certificate.
enum class ClientCertificates {
    None,     // server authentication only (API clients authenticate with API keys)
    Optional, // requested; a client that sends one must pass TlsServer's chain/CRL check
    Required, // mutual TLS: a client without a valid certificate is refused in the handshake
};

// THE one place that decides TLS settings. Every QSslSocket and server in Signiq (edge API,
// enrollment, sync, hub API, console) takes its QSslConfiguration from here:
//   - TLS 1.3 only (QSsl::TlsV1_3OrLater): a TLS 1.2 peer fails the handshake;
//   - peer verification on (clients: VerifyPeer, so the server certificate must chain to a
//     trust anchor and match the host name passed to connectToHostEncrypted);
//   - trust anchors: exactly `trustAnchors` (the deployment CA) when given — the system CA
//     store is then NOT consulted; the system store only when the list is empty (e.g. a hub
//     behind a public certificate);
//   - no resumption: SslOptionDisableSessionTickets, and each accepted socket has its own SSL
//     context, so no session outlives its connection (TLS 1.3 stateful tickets are still sent;
//     docs/security.md), no compression.
class TlsConfigurationFactory {
public:
    // For a server presenting `identity`. With ClientCertificates::Optional/Required,
    // `trustAnchors` must contain the CA that issues client certificates.
    [[nodiscard]] static core::Result<QSslConfiguration> server(const TlsIdentity &identity,
                                                                const QList<QSslCertificate> &trustAnchors = {},
                                                                ClientCertificates clientCertificates = ClientCertificates::None);

    // For a client. `clientIdentity` (optional) is presented when the server asks for it.
    [[nodiscard]] static core::Result<QSslConfiguration> client(const QList<QSslCertificate> &trustAnchors,
                                                                const TlsIdentity &clientIdentity = TlsIdentity());

    // True when `configuration` follows the policy above (used by tests and as a guard).
    static bool isCompliant(const QSslConfiguration &configuration);

    // The TLS backend Qt loaded ("openssl"), and whether it can do TLS 1.3.
    [[nodiscard]] static core::Status checkBackend();
};

} // namespace signiq::crypto
