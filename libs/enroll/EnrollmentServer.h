#pragma once

#include "crypto/TlsServer.h"
#include "enroll/EnrollmentAuthority.h"

#include <QHostAddress>
#include <QObject>

namespace signiq::enroll {

// The CA holder's enrollment endpoint: TLS 1.3 (TlsConfigurationFactory), client certificates
// optional but verified when present (chain at the authority's clock, not revoked). One request
// per connection, one JSON object per line each way:
//
//   {"op":"enroll","token":"sqe1...","csr":"-----BEGIN CERTIFICATE REQUEST-----..."}
//   {"op":"renew","csr":"..."}                  (must present the current device certificate)
//   {"op":"crl"}
// ->{"ok":true,"certificate":"PEM","ca":"PEM","crl":"PEM"}    (certificate/ca only for enroll/renew)
//   {"ok":false,"code":"PermissionDenied","error":"enrollment token ... was already used"}
class EnrollmentServer : public QObject {
    Q_OBJECT
public:
    // `identity`: the CA holder's own server certificate (issued by the same CA).
    EnrollmentServer(EnrollmentAuthority &authority, const crypto::TlsIdentity &identity, QObject *parent = nullptr);

    [[nodiscard]] core::Status listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_server.serverPort(); }
    crypto::TlsServer &tlsServer() { return m_server; }

    // Revokes and immediately refuses the certificate on this server's TLS layer too.
    [[nodiscard]] core::Status revoke(const QString &serialHex);

signals:
    void requestHandled(const QString &op, bool ok);

private:
    void handle(QSslSocket *socket);
    void refreshRevocationList();

    EnrollmentAuthority &m_authority;
    crypto::TlsServer m_server;
};

} // namespace signiq::enroll
