#pragma once

// A TCP proxy for fault injection between the edge and the hub (docs/sync.md "Fault matrix"):
// it listens on 127.0.0.1 and forwards each connection to 127.0.0.1:upstreamPort, applying to
// each new connection a fault drawn from a seeded RNG (so a run is repeatable): drop it at
// accept, stall it for a while at a byte offset, reset it (RST) after N bytes of the request,
// or truncate it (FIN) after N bytes of the request or of the answer (the kinds take turns, the
// offsets and stall times are drawn). The bytes are TLS records
// it does not understand; offsets count bytes of one direction.
//
// For the kill -9 cases the test can also hold a connection at a point instead: the request
// after N bytes (the hub has part of a batch), or every answer byte once N request bytes went
// through (the hub may commit, the edge never hears it). held() is emitted; the test then kills
// a process, or releaseHeld(Release::Reset) resets the held connections.

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <random>

namespace signiq::test {

class FaultProxy : public QObject {
    Q_OBJECT

public:
    enum class Fault { None, Drop, Stall, Reset, TruncateRequest, TruncateResponse };
    Q_ENUM(Fault)
    enum class Hold { Off, Request, Response };
    enum class Release { Reset, Close };

    static constexpr qint64 RequestFaultBytes = 2500;

    explicit FaultProxy(quint32 seed, QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on 127.0.0.1 (port 0: any); 0 on failure.
    quint16 listen();
    void setUpstreamPort(quint16 port) { m_upstreamPort = port; }
    // The share of new connections that get a fault (0: none, the default). A connection after
    // `maxFaultsInARow` faulted ones always passes, so that every run makes progress.
    void setFaultRate(double rate, int maxFaultsInARow = 3);
    // Hold new connections at a point (see above); Off stops holding new ones.
    void setHold(Hold hold, qint64 requestBytes);
    // Ends the held connections: Reset (RST both ends) or Close (FIN both ends).
    void releaseHeld(Release how);

    int connections() const { return m_connections; }
    int faultCount(Fault fault) const { return m_faults.value(fault); }
    QString summary() const; // "12 connections: 3 Drop, 1 Stall, ..."

signals:
    void held(int connection);
    void faulted(int connection, signiq::test::FaultProxy::Fault fault);

private:
    struct Pipe;
    void accepted();
    struct Plan {
        Fault fault = Fault::None;
        qint64 atByte = 0;
        int stallMs = 0;
    };
    Plan nextPlan();
    void forwardUp(Pipe *pipe, QByteArray data);
    void forwardDown(Pipe *pipe, QByteArray data);
    void flushPending(Pipe *pipe);
    void strike(Pipe *pipe);
    void finish(Pipe *pipe, Release how);

    QTcpServer m_server;
    quint16 m_upstreamPort = 0;
    std::mt19937 m_rng;
    double m_faultRate = 0;
    int m_maxFaultsInARow = 3;
    int m_faultsInARow = 0;
    int m_nextKind = 0;
    Hold m_hold = Hold::Off;
    qint64 m_holdBytes = 0;
    int m_connections = 0;
    QMap<Fault, int> m_faults;
    QHash<int, Pipe *> m_pipes;
};

} // namespace signiq::test
