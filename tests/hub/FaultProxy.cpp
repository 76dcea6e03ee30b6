#include "FaultProxy.h"

#include <QHostAddress>
#include <QMetaEnum>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <utility>

#include <sys/socket.h>

namespace signiq::test {

struct FaultProxy::Pipe : QObject {
    int id = 0;
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> server;
    Plan plan;
    Hold hold = Hold::Off;
    qint64 holdBytes = 0;
    qint64 up = 0;   // request bytes forwarded
    qint64 down = 0; // answer bytes forwarded
    bool connected = false;
    bool stalled = false;
    bool struck = false;
    bool heldUp = false;
    bool heldDown = false;
    bool closing = false;
    QByteArray pendingUp;
    QByteArray pendingDown;
};

FaultProxy::FaultProxy(quint32 seed, QObject *parent) : QObject(parent), m_rng(seed)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::accepted);
}

FaultProxy::~FaultProxy()
{
    m_server.close();
    for (Pipe *pipe : std::as_const(m_pipes)) {
        if (pipe->client)
            pipe->client->abort();
        if (pipe->server)
            pipe->server->abort();
    }
}

quint16 FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0) ? m_server.serverPort() : 0;
}

void FaultProxy::setFaultRate(double rate, int maxFaultsInARow)
{
    m_faultRate = rate;
    m_maxFaultsInARow = maxFaultsInARow;
    m_faultsInARow = 0;
}

void FaultProxy::setHold(Hold hold, qint64 requestBytes)
{
    m_hold = hold;
    m_holdBytes = requestBytes;
}

void FaultProxy::releaseHeld(Release how)
{
    for (Pipe *pipe : m_pipes.values()) {
        if (pipe->heldUp || pipe->heldDown)
            finish(pipe, how);
    }
}

QString FaultProxy::summary() const
{
    QStringList parts;
    const QMetaEnum names = QMetaEnum::fromType<Fault>();
    for (auto it = m_faults.cbegin(); it != m_faults.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(QString::fromLatin1(names.valueToKey(int(it.key()))));
    return QStringLiteral("%1 connections, faults: %2").arg(m_connections).arg(parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", ")));
}

FaultProxy::Plan FaultProxy::nextPlan()
{
    // The same draws for every connection, so that connection n gets the same plan in every run.
    // The kinds take turns (each is exercised as often as the others); where a fault strikes and
    // how long a stall lasts are drawn. Request offsets stay within the first RequestFaultBytes,
    // which every request of a batch of a few windows exceeds (the handshake is ~1.3 KB), so a
    // request fault always strikes; an answer is shorter and may end before its offset.
    const double chance = std::uniform_real_distribution<double>(0, 1)(m_rng);
    const qint64 requestByte = std::uniform_int_distribution<qint64>(1, RequestFaultBytes)(m_rng);
    const qint64 answerByte = std::uniform_int_distribution<qint64>(1, 3000)(m_rng);
    const int stallMs = std::uniform_int_distribution<int>(50, 400)(m_rng);
    if (m_faultRate <= 0 || chance >= m_faultRate || m_faultsInARow >= m_maxFaultsInARow) {
        m_faultsInARow = 0;
        return {};
    }
    ++m_faultsInARow;
    const auto fault = Fault(1 + m_nextKind++ % 5);
    switch (fault) {
    case Fault::Drop:
        return {fault, 0, 0};
    case Fault::Stall:
        return {fault, requestByte, stallMs};
    case Fault::TruncateResponse:
        return {fault, answerByte, 0};
    default:
        return {fault, requestByte, 0};
    }
}

void FaultProxy::accepted()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *pipe = new Pipe;
        pipe->setParent(this);
        pipe->id = ++m_connections;
        pipe->plan = nextPlan();
        pipe->hold = m_hold;
        pipe->holdBytes = m_holdBytes;
        pipe->client = client;
        client->setParent(this);
        m_pipes.insert(pipe->id, pipe);
        if (pipe->plan.fault == Fault::Drop) {
            strike(pipe);
            continue;
        }
        auto *server = new QTcpSocket(this);
        pipe->server = server;
        connect(client, &QTcpSocket::readyRead, pipe, [this, pipe] { forwardUp(pipe, pipe->client->readAll()); });
        connect(client, &QTcpSocket::disconnected, pipe, [this, pipe] { finish(pipe, Release::Close); });
        connect(server, &QTcpSocket::connected, pipe, [this, pipe] {
            pipe->connected = true;
            flushPending(pipe);
        });
        connect(server, &QTcpSocket::readyRead, pipe, [this, pipe] { forwardDown(pipe, pipe->server->readAll()); });
        connect(server, &QTcpSocket::disconnected, pipe, [this, pipe] { finish(pipe, Release::Close); });
        connect(server, &QTcpSocket::errorOccurred, pipe, [this, pipe](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                finish(pipe, Release::Close); // the hub is down (refused) or gone
        });
        server->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        if (client->bytesAvailable() > 0)
            forwardUp(pipe, client->readAll());
    }
}

void FaultProxy::forwardUp(Pipe *pipe, QByteArray data)
{
    if (pipe->closing || data.isEmpty())
        return;
    if (!pipe->connected || pipe->stalled || pipe->heldUp) {
        pipe->pendingUp += data;
        return;
    }
    if (pipe->hold == Hold::Request && pipe->up + data.size() >= pipe->holdBytes) {
        const qint64 n = std::max<qint64>(0, pipe->holdBytes - pipe->up);
        pipe->server->write(data.left(n));
        pipe->up += n;
        pipe->pendingUp = data.mid(n) + pipe->pendingUp;
        pipe->heldUp = true;
        emit held(pipe->id);
        return;
    }
    const Fault fault = pipe->plan.fault;
    if (!pipe->struck && (fault == Fault::Stall || fault == Fault::Reset || fault == Fault::TruncateRequest)
        && pipe->up + data.size() >= pipe->plan.atByte) {
        const qint64 n = std::max<qint64>(0, pipe->plan.atByte - pipe->up);
        pipe->server->write(data.left(n));
        pipe->up += n;
        if (fault == Fault::Stall) {
            pipe->pendingUp = data.mid(n) + pipe->pendingUp;
            pipe->stalled = true;
            strike(pipe);
            QTimer::singleShot(pipe->plan.stallMs, pipe, [this, pipe] {
                pipe->stalled = false;
                flushPending(pipe);
            });
            return;
        }
        strike(pipe);
        return;
    }
    pipe->server->write(data);
    pipe->up += data.size();
}

void FaultProxy::forwardDown(Pipe *pipe, QByteArray data)
{
    if (pipe->closing || data.isEmpty())
        return;
    if (pipe->stalled || pipe->heldDown) {
        pipe->pendingDown += data;
        return;
    }
    if (pipe->hold == Hold::Response && pipe->up >= pipe->holdBytes) {
        pipe->pendingDown = data + pipe->pendingDown;
        pipe->heldDown = true;
        emit held(pipe->id);
        return;
    }
    if (!pipe->struck && pipe->plan.fault == Fault::TruncateResponse && pipe->down + data.size() >= pipe->plan.atByte) {
        const qint64 n = std::max<qint64>(0, pipe->plan.atByte - pipe->down);
        pipe->client->write(data.left(n));
        pipe->down += n;
        strike(pipe);
        return;
    }
    pipe->client->write(data);
    pipe->down += data.size();
}

void FaultProxy::flushPending(Pipe *pipe)
{
    const QByteArray up = std::exchange(pipe->pendingUp, {});
    forwardUp(pipe, up);
    const QByteArray down = std::exchange(pipe->pendingDown, {});
    forwardDown(pipe, down);
}

void FaultProxy::strike(Pipe *pipe)
{
    pipe->struck = true;
    ++m_faults[pipe->plan.fault];
    emit faulted(pipe->id, pipe->plan.fault);
    switch (pipe->plan.fault) {
    case Fault::Drop:
    case Fault::TruncateRequest:
    case Fault::TruncateResponse:
        finish(pipe, Release::Close);
        break;
    case Fault::Reset:
        finish(pipe, Release::Reset);
        break;
    case Fault::Stall:
    case Fault::None:
        break;
    }
}

void FaultProxy::finish(Pipe *pipe, Release how)
{
    if (pipe->closing)
        return;
    pipe->closing = true;
    m_pipes.remove(pipe->id);
    for (QTcpSocket *socket : {pipe->client.data(), pipe->server.data()}) {
        if (!socket)
            continue;
        QObject::disconnect(socket, nullptr, pipe, nullptr);
        if (how == Release::Reset || socket->state() != QAbstractSocket::ConnectedState) {
            if (how == Release::Reset && socket->socketDescriptor() != -1) {
                const linger abortive{1, 0}; // close() sends RST instead of FIN
                ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
            }
            socket->abort();
            socket->deleteLater();
        } else {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost(); // after what is already written
        }
    }
    pipe->deleteLater();
}

} // namespace signiq::test
