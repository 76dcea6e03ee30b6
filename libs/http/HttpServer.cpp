#include "http/HttpServer.h"

#include "crypto/TlsServer.h"
#include "http/HttpLog.h"
#include "http/RequestParser.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QTimer>

namespace signiq::http {

namespace {
constexpr qint64 kReadChunk = 16 * 1024;

// What waits to be sent: QSslSocket::bytesToWrite() counts only plaintext not yet encrypted;
// once encrypted, bytes wait in the encrypted buffer, which is what a slow reader fills.
qint64 unsent(const QSslSocket &socket)
{
    return socket.bytesToWrite() + socket.encryptedBytesToWrite();
}

// How long a connection that is being closed may take to accept its last bytes.
constexpr int kLingerMs = 2000;
// After a refusal the client may still be sending (the body of a 413): its input is read and
// dropped until it has been quiet this long, for at most kLingerMs and kMaxDiscard bytes, so that
// closing does not reset the connection before the client has read the answer (a "lingering
// close", as nginx does).
constexpr int kQuietMs = 250;
constexpr qint64 kMaxDiscard = 256 * 1024;
} // namespace

ResponseStream::ResponseStream(QSslSocket *socket, QObject *parent) : QObject(parent), m_socket(socket) {}

bool ResponseStream::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void ResponseStream::write(const QByteArray &bytes)
{
    if (isOpen())
        m_socket->write(bytes);
}

qint64 ResponseStream::bytesToWrite() const
{
    return m_socket ? unsent(*m_socket) : 0;
}

void ResponseStream::close()
{
    if (isOpen())
        m_socket->disconnectFromHost();
}

// One client connection: reads, parses, answers, keeps time. Owns its socket.
class Connection : public QObject, public StreamOpener {
public:
    Connection(HttpServer &server, QSslSocket *socket)
        : QObject(&server), m_server(server), m_socket(socket), m_parser(server.limits())
    {
        m_socket->setParent(this);
        m_socket->setReadBufferSize(kReadChunk * 4);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] { onTimeout(); });
        connect(m_socket, &QSslSocket::readyRead, this, [this] { onReadable(); });
        connect(m_socket, &QSslSocket::bytesWritten, this, [this] { onWritten(); });
        connect(m_socket, &QSslSocket::encryptedBytesWritten, this, [this] { onWritten(); });
        connect(m_socket, &QSslSocket::disconnected, this, [this] { finish(); });
        connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                finish();
        });
        enter(Phase::Idle);
        if (m_socket->bytesAvailable() > 0)
            QTimer::singleShot(0, this, [this] { onReadable(); });
    }

    ResponseStream *open(const Response &head) override
    {
        m_socket->write(serializeHead(head, false, false));
        m_stream = new ResponseStream(m_socket, this);
        enter(Phase::Streaming);
        return m_stream;
    }

    void closeNow()
    {
        m_socket->abort();
        finish();
    }

private:
    enum class Phase { Idle, Header, Body, Streaming, Lingering, Closing };

    void enter(Phase phase)
    {
        m_phase = phase;
        const Limits &l = m_server.limits();
        switch (phase) {
        case Phase::Idle: m_timer.start(l.idleTimeoutMs); break;
        case Phase::Header: m_timer.start(l.headerTimeoutMs); break;
        case Phase::Body: m_timer.start(l.bodyTimeoutMs); break;
        case Phase::Streaming: m_timer.stop(); break;
        case Phase::Lingering:
            m_lingerStarted.start();
            m_timer.start(kQuietMs);
            break;
        case Phase::Closing: m_timer.start(std::min(kLingerMs, std::max(1, l.idleTimeoutMs))); break;
        }
    }

    void onTimeout()
    {
        switch (m_phase) {
        case Phase::Idle:
            qCDebug(lcHttp) << "closing idle connection from" << peer();
            m_socket->disconnectFromHost();
            enter(Phase::Closing);
            break;
        case Phase::Header:
            refuse(408, QStringLiteral("request_timeout"),
                   QStringLiteral("the request header did not arrive within %1 ms").arg(m_server.limits().headerTimeoutMs));
            break;
        case Phase::Body:
            refuse(408, QStringLiteral("request_timeout"),
                   QStringLiteral("the request body did not arrive within %1 ms").arg(m_server.limits().bodyTimeoutMs));
            break;
        case Phase::Streaming: break;
        case Phase::Lingering:
            m_socket->disconnectFromHost();
            enter(Phase::Closing);
            break;
        case Phase::Closing:
            m_socket->abort(); // the client does not take its last bytes: drop it
            finish();
            break;
        }
    }

    QString peer() const { return crypto::normalisedAddress(m_socket->peerAddress()); }

    void refuse(int status, const QString &code, const QString &message)
    {
        qCInfo(lcHttp) << "refused a request from" << peer() << status << message;
        Response r = Response::error(status, code, message);
        r.headers = {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
                     {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")}};
        m_socket->write(serializeHead(r, false, true) + r.body);
        enter(Phase::Lingering);
        emit m_server.requestRefused(status, message);
    }

    bool paused() const { return unsent(*m_socket) > m_server.limits().maxPendingWriteBytes; }

    void onWritten()
    {
        if (m_phase != Phase::Closing && m_phase != Phase::Streaming && !paused() && m_waitingForOutput) {
            m_waitingForOutput = false;
            onReadable();
        }
    }

    void onReadable()
    {
        if (m_phase == Phase::Streaming || m_phase == Phase::Closing || m_phase == Phase::Lingering) {
            // Nothing more is parsed; what the client still sends is read and dropped so that its
            // last answer reaches it (closing with unread input would reset the connection).
            m_discarded += m_socket->readAll().size();
            if (m_phase == Phase::Lingering) {
                if (m_discarded > kMaxDiscard || m_lingerStarted.elapsed() > kLingerMs) {
                    m_socket->disconnectFromHost();
                    enter(Phase::Closing);
                } else {
                    m_timer.start(kQuietMs);
                }
            }
            return;
        }
        while (!m_finished && m_phase != Phase::Closing && m_phase != Phase::Streaming && m_phase != Phase::Lingering) {
            if (paused()) {
                m_waitingForOutput = true; // resumes in onWritten()
                return;
            }
            RequestParser::State state;
            if (m_parsePending) { // bytes after an answered request are parsed before reading more
                m_parsePending = false;
                state = m_parser.feed({});
            } else {
                const QByteArray chunk = m_socket->read(kReadChunk);
                if (chunk.isEmpty())
                    return;
                state = m_parser.feed(chunk);
            }
            if (state == RequestParser::State::Failed) {
                const auto &f = m_parser.failure();
                refuse(f.status, f.code, f.message);
                return;
            }
            if (state == RequestParser::State::Complete) {
                answer(m_parser.takeRequest());
                m_parsePending = true;
                continue;
            }
            if (m_parser.headerDone()) {
                if (m_phase != Phase::Body)
                    enter(Phase::Body);
                if (m_parser.wantsContinue()) {
                    m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
                    m_parser.continueSent();
                }
            } else if (m_parser.inRequest() && m_phase == Phase::Idle) {
                enter(Phase::Header);
            }
        }
    }

    void answer(Request request)
    {
        request.remoteAddress = QHostAddress(crypto::normalisedAddress(m_socket->peerAddress()));
        request.peerCertificate = m_socket->peerCertificate();
        ++m_served;
        const bool keep = request.keepAlive && m_served < m_server.limits().maxRequestsPerConnection;
        std::optional<Response> response = m_server.m_handler(request, *this);
        if (!response)
            return; // a stream took the connection over (open() set the phase)
        const bool head = request.method == "HEAD";
        m_socket->write(serializeHead(*response, keep, true) + (head ? QByteArray() : response->body));
        if (keep) {
            enter(Phase::Idle);
        } else {
            m_socket->disconnectFromHost();
            enter(Phase::Closing);
        }
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_timer.stop();
        if (m_stream)
            emit m_stream->closed();
        m_server.forget(this);
        deleteLater();
    }

    HttpServer &m_server;
    QSslSocket *m_socket;
    RequestParser m_parser;
    QTimer m_timer;
    Phase m_phase = Phase::Idle;
    QPointer<ResponseStream> m_stream;
    int m_served = 0;
    bool m_waitingForOutput = false;
    bool m_parsePending = false;
    QElapsedTimer m_lingerStarted;
    qint64 m_discarded = 0;
    bool m_finished = false;
};

HttpServer::HttpServer(Limits limits, Handler handler, QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler))
{
}

HttpServer::~HttpServer()
{
    closeAll();
}

void HttpServer::closeAll()
{
    const QList<Connection *> open = m_connections;
    for (Connection *c : open)
        c->closeNow();
}

core::Result<quint16> HttpServer::listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port,
                                         const QList<QSslCertificate> &trustAnchors, crypto::ClientCertificates clientCertificates)
{
    auto *tls = new crypto::TlsServer(this);
    if (auto configured = tls->configure(identity, trustAnchors, clientCertificates); !configured) {
        delete tls;
        return configured.error();
    }
    tls->setHandshakeTimeoutMs(m_limits.handshakeTimeoutMs);
    tls->setConnectionLimits(m_limits.maxConnections, m_limits.maxConnectionsPerAddress);
    tls->setNewConnectionRate(m_limits.newConnectionsPerSecond, m_limits.newConnectionBurst);
    if (!tls->listen(address, port)) {
        const QString why = tls->errorString();
        delete tls;
        return core::makeError(core::ErrorCode::Io, QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    connect(tls, &crypto::TlsServer::pendingConnectionAvailable, this, &HttpServer::onPending);
    connect(tls, &crypto::TlsServer::connectionRefused, this, &HttpServer::connectionRefused);
    m_tls = tls;
    return tls->serverPort();
}

void HttpServer::onPending()
{
    while (m_tls->hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(m_tls->nextPendingConnection());
        if (!socket)
            continue;
        m_connections.append(new Connection(*this, socket));
    }
}

void HttpServer::forget(Connection *connection)
{
    m_connections.removeAll(connection);
}

} // namespace signiq::http
