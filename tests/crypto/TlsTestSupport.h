#pragma once

// A deployment CA, identities issued by it, and a small TLS echo/HTTP server for the real-TLS
// loopback tests.

#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/TlsConfiguration.h"
#include "crypto/TlsServer.h"

#include <QDateTime>
#include <QHostAddress>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

#include <memory>

namespace signiq::crypto::test {

inline constexpr qint64 kHourMs = 3600 * 1000;

struct Issued {
    PrivateKey key;
    Certificate certificate;
    TlsIdentity identity() const
    {
        return TlsIdentity{certificate.toQSslCertificate(), {}, key.toQSslKey()};
    }
};

inline Issued issue(const CertificateAuthority &ca, const core::Clock &clock, const QString &cn,
                    const QStringList &dns = {QStringLiteral("localhost")},
                    const QStringList &ips = {QStringLiteral("127.0.0.1")}, qint64 lifetimeMs = kHourMs)
{
    Issued out;
    out.key = *PrivateKey::generateEcP256();
    auto csr = CertificateRequest::create(out.key, cn);
    IssueOptions options;
    options.dnsNames = dns;
    options.ipAddresses = ips;
    options.lifetimeMs = lifetimeMs;
    auto cert = ca.issue(*csr, options, clock);
    if (!cert)
        qFatal("issue failed: %s", qPrintable(cert.error().toString()));
    out.certificate = *cert;
    return out;
}

// Answers "ping\n" with "pong <serial of the certificate it presented>\n", and an HTTP GET
// with "200 ok" (for curl).
class EchoServer : public QObject {
    Q_OBJECT
public:
    TlsServer server;
    QList<QSslSocket *> accepted;

    explicit EchoServer(QObject *parent = nullptr) : QObject(parent)
    {
        connect(&server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                auto *socket = qobject_cast<QSslSocket *>(s);
                accepted.append(socket);
                connect(socket, &QIODevice::readyRead, this, [socket] {
                    while (socket->canReadLine()) {
                        const QByteArray line = socket->readLine();
                        if (line.startsWith("GET ")) {
                            socket->readAll();
                            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                            socket->disconnectFromHost();
                            return;
                        }
                        if (line == "ping\n")
                            socket->write("pong " + socket->sslConfiguration().localCertificate().serialNumber() + "\n");
                    }
                });
            }
        });
    }
    quint16 listen()
    {
        return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
    }
};

// A client connection and the outcome of its handshake.
struct Client {
    std::unique_ptr<QSslSocket> socket = std::make_unique<QSslSocket>();
    bool encrypted = false;
    QList<QSslError> sslErrors;
    QString error;

    // Connects and waits for the handshake to succeed or fail. Returns whether it succeeded.
    bool connect(const QSslConfiguration &config, quint16 port, const QString &host = QStringLiteral("localhost"),
                 const QString &verifyName = {})
    {
        socket->setSslConfiguration(config);
        QObject::connect(socket.get(), &QSslSocket::sslErrors, socket.get(), [this](const QList<QSslError> &e) { sslErrors += e; });
        QObject::connect(socket.get(), &QSslSocket::errorOccurred, socket.get(),
                         [this](QAbstractSocket::SocketError) { error = socket->errorString(); });
        QSignalSpy done(socket.get(), &QSslSocket::encrypted);
        QSignalSpy failed(socket.get(), &QSslSocket::errorOccurred);
        QSignalSpy closed(socket.get(), &QSslSocket::disconnected);
        if (verifyName.isEmpty())
            socket->connectToHostEncrypted(host, port);
        else
            socket->connectToHostEncrypted(host, port, verifyName);
        for (int i = 0; i < 100 && done.isEmpty() && failed.isEmpty() && closed.isEmpty(); ++i)
            done.wait(100);
        encrypted = !done.isEmpty() && failed.isEmpty();
        return encrypted;
    }

    // Sends "ping" and returns the answer line (empty when the server closed the connection).
    QByteArray ping()
    {
        socket->write("ping\n");
        for (int i = 0; i < 50 && !socket->canReadLine() && socket->state() == QAbstractSocket::ConnectedState; ++i)
            QSignalSpy(socket.get(), &QIODevice::readyRead).wait(100);
        return socket->canReadLine() ? socket->readLine().trimmed() : QByteArray();
    }
};

} // namespace signiq::crypto::test
