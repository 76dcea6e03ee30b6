#pragma once

#include "core/Result.h"
#include "crypto/TlsConfiguration.h"
#include "http/HttpLimits.h"
#include "http/HttpMessage.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>

#include <functional>
#include <optional>

class QSslSocket;

namespace signiq::crypto {
class TlsServer;
}

namespace signiq::http {

class Connection;

// A long-lived answer (the installer's overlay): the server has sent the status line and the
// header block ("Connection: close", no Content-Length); the body is what write() sends, and
// it ends when close() is called or the client goes. Owned by its connection.
class ResponseStream : public QObject {
    Q_OBJECT
public:
    explicit ResponseStream(QSslSocket *socket, QObject *parent = nullptr);

    bool isOpen() const;
    void write(const QByteArray &bytes);
    // Bytes handed to write() that the client has not taken yet (a slow client: skip frames).
    qint64 bytesToWrite() const;
    // Sends what is queued, then closes the connection.
    void close();

signals:
    // The connection ended (the client went, close() finished, or the server stopped).
    void closed();

private:
    QPointer<QSslSocket> m_socket;
};

// What a handler gets to turn its request into a stream instead of one answer.
class StreamOpener {
public:
    virtual ~StreamOpener() = default;
    // Sends `head` (its status and headers; its body is ignored) and hands the connection to the
    // returned stream. At most once per request.
    virtual ResponseStream *open(const Response &head) = 0;
};

// Returns the answer, or nothing after it opened a stream.
using Handler = std::function<std::optional<Response>(const Request &, StreamOpener &)>;

// The HTTP/1.1 front of the edge API and the hub (docs/security.md, "HTTP front"): TLS 1.3 only
// through crypto::TlsServer, and every Limit enforced while reading — header size and count,
// body size before it is buffered, idle/header/body timeouts, connection caps in total and per
// address (before the TLS handshake), requests per connection, and a bound on unsent output.
// Requests the front refuses get their 4xx (JSON error body) and the connection is closed;
// the handler only ever sees complete, well-formed requests.
class HttpServer : public QObject {
    Q_OBJECT
public:
    HttpServer(Limits limits, Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens with TLS 1.3 (TlsConfigurationFactory::server). Returns the port (useful with 0).
    [[nodiscard]] core::Result<quint16> listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port,
                                               const QList<QSslCertificate> &trustAnchors = {},
                                               crypto::ClientCertificates clientCertificates = crypto::ClientCertificates::None);
    crypto::TlsServer *tlsServer() const { return m_tls; }
    const Limits &limits() const { return m_limits; }

    // Connections past the TLS handshake that are open now.
    int openConnections() const { return int(m_connections.size()); }
    // Closes every connection (streams included) now.
    void closeAll();

signals:
    // The front answered a request itself and closed the connection: 400, 408, 413, 417, 431, 505.
    void requestRefused(int status, const QString &reason);
    // A connection was closed before the handshake because a cap was reached.
    void connectionRefused(const QString &reason);

private:
    friend class Connection;
    void onPending();
    void forget(Connection *connection);

    Limits m_limits;
    Handler m_handler;
    crypto::TlsServer *m_tls = nullptr;
    QList<Connection *> m_connections;
};

} // namespace signiq::http
