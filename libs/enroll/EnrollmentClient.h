#pragma once

#include "core/Result.h"
#include "crypto/TlsConfiguration.h"
#include "enroll/EnrollmentAuthority.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>

class QSslSocket;

namespace signiq::enroll {

// Where the CA holder's enrollment server is, and the CA certificate the device trusts for it
// (delivered with the token, out of band). The server's certificate must chain to it and match
// `host`.
struct EnrollmentEndpoint {
    QString host;
    quint16 port = 0;
    QSslCertificate caCertificate;
};

// The device side of the enrollment protocol (see EnrollmentServer). One request at a time;
// finished() is emitted when result() holds the outcome.
class EnrollmentClient : public QObject {
    Q_OBJECT
public:
    explicit EnrollmentClient(EnrollmentEndpoint endpoint, QObject *parent = nullptr);

    void enroll(const QString &token, const QByteArray &csrPem);
    // Authenticates with `current` (mutual TLS) and asks for a certificate for the CSR's new key.
    void renew(const crypto::TlsIdentity &current, const QByteArray &csrPem);
    void fetchRevocationList();

    bool isBusy() const { return !m_socket.isNull(); }
    const core::Result<EnrollmentReply> &result() const { return m_result; }

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

signals:
    void finished();

private:
    void send(const QJsonObject &request, const crypto::TlsIdentity &identity);
    void complete(core::Result<EnrollmentReply> result);

    EnrollmentEndpoint m_endpoint;
    QPointer<QSslSocket> m_socket;
    core::Result<EnrollmentReply> m_result;
    int m_timeoutMs = 30000;
};

} // namespace signiq::enroll
