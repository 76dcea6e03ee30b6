// The HTTP front over real TLS 1.3 on loopback: answers, keep-alive, pipelining, and what a
// hostile client cannot do — slow or endless headers, huge declared bodies, idle connections,
// too many connections (per address and in total), more output than it reads.
#include "../crypto/TlsTestSupport.h"
#include "crypto/TlsServer.h"
#include "http/HttpServer.h"

#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace signiq;
using namespace signiq::crypto;
using namespace signiq::crypto::test;
using namespace signiq::http;

namespace {

// A raw TLS client: writes bytes, collects what comes back, sees the close.
struct RawClient {
    std::unique_ptr<QSslSocket> socket = std::make_unique<QSslSocket>();
    QByteArray received;
    bool closed = false;

    bool connect(const QSslConfiguration &config, quint16 port, const QHostAddress &from = {})
    {
        socket->setSslConfiguration(config);
        QObject::connect(socket.get(), &QIODevice::readyRead, socket.get(), [this] { received += socket->readAll(); });
        QObject::connect(socket.get(), &QAbstractSocket::disconnected, socket.get(), [this] { closed = true; });
        if (!from.isNull())
            socket->bind(from);
        QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
        socket->connectToHostEncrypted(QStringLiteral("localhost"), port, QStringLiteral("localhost"));
        (void)QTest::qWaitFor([&] { return !encrypted.isEmpty() || closed || socket->state() == QAbstractSocket::UnconnectedState; }, 10000);
        return !encrypted.isEmpty() && !closed;
    }
    bool waitClosed(int ms = 10000)
    {
        return QTest::qWaitFor([&] { return closed || socket->state() == QAbstractSocket::UnconnectedState; }, ms);
    }
    // Waits until `count` complete answers (by their Content-Length) have arrived.
    QList<QByteArray> answers(int count, int ms = 10000)
    {
        QList<QByteArray> out;
        auto parse = [&] {
            out.clear();
            qsizetype at = 0;
            while (true) {
                const qsizetype end = received.indexOf("\r\n\r\n", at);
                if (end < 0)
                    break;
                const QByteArray head = received.mid(at, end - at);
                qsizetype length = 0;
                for (const QByteArray &line : head.split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
                if (received.size() < end + 4 + length)
                    break;
                out.append(received.mid(at, end + 4 + length - at));
                at = end + 4 + length;
            }
            return out.size() >= count;
        };
        (void)QTest::qWaitFor([&] { return parse() || closed; }, ms);
        parse();
        return out;
    }
};

int statusOf(const QByteArray &answer)
{
    return answer.mid(9, 3).toInt();
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

    core::ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    std::optional<CertificateAuthority> m_ca;
    std::optional<Issued> m_serverId;
    int m_handled = 0;

    QSslConfiguration clientConfig() const
    {
        return *TlsConfigurationFactory::client({m_ca->certificate().toQSslCertificate()});
    }

    // A server whose handler answers "/echo" with the body, "/big" with 256 KiB, "/stream" as a stream.
    std::unique_ptr<HttpServer> start(const Limits &limits, quint16 &port, ResponseStream **stream = nullptr)
    {
        auto server = std::make_unique<HttpServer>(limits, [this, stream](const Request &r, StreamOpener &opener) -> std::optional<Response> {
            ++m_handled;
            if (r.path == QLatin1String("/stream") && stream) {
                Response head;
                head.contentType = "text/plain";
                *stream = opener.open(head);
                return std::nullopt;
            }
            Response out;
            out.contentType = "text/plain";
            out.body = r.path == QLatin1String("/big") ? QByteArray(256 * 1024, 'x') : r.method + ' ' + r.target + ' ' + r.body;
            return out;
        });
        auto listening = server->listen(m_serverId->identity(), QHostAddress::LocalHost, 0);
        if (!listening)
            qFatal("listen: %s", qPrintable(listening.error().message));
        port = *listening;
        return server;
    }

private slots:
    void initTestCase()
    {
        m_ca.emplace(*CertificateAuthority::create(QStringLiteral("Signiq test CA"), 24 * kHourMs, m_clock));
        m_serverId.emplace(issue(*m_ca, m_clock, QStringLiteral("server")));
    }
    void init() { m_handled = 0; }

    void answersAndKeepsAlive()
    {
        Limits limits;
        limits.maxRequestsPerConnection = 3;
        quint16 port = 0;
        auto server = start(limits, port);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->write("GET /echo?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        QList<QByteArray> a = c.answers(1);
        QCOMPARE(a.size(), 1);
        QCOMPARE(statusOf(a[0]), 200);
        QVERIFY(a[0].contains("Connection: keep-alive"));
        QVERIFY(a[0].endsWith("GET /echo?a=1 "));
        // The second and third on the same connection; the third is the last one allowed.
        c.socket->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        a = c.answers(3);
        QCOMPARE(a.size(), 3);
        QVERIFY(a[1].endsWith("POST /echo abc"));
        QVERIFY(a[2].contains("Connection: close"));
        QVERIFY(c.waitClosed());
        QCOMPARE(m_handled, 3);
    }

    void declaredHugeBodyIsRefusedBeforeItIsSent()
    {
        quint16 port = 0;
        auto server = start(Limits{}, port);
        QSignalSpy refused(server.get(), &HttpServer::requestRefused);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        // Only the header: the server answers without waiting for (or buffering) 50 MB.
        c.socket->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n");
        const QList<QByteArray> a = c.answers(1);
        QCOMPARE(a.size(), 1);
        QCOMPARE(statusOf(a[0]), 413);
        QVERIFY(a[0].contains("\"payload_too_large\""));
        QVERIFY(c.waitClosed());
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0][0].toInt(), 413);
        QCOMPARE(m_handled, 0);
    }

    void endlessHeaderIsRefusedAtTheLimit()
    {
        Limits limits;
        limits.maxHeaderBytes = 8 * 1024;
        quint16 port = 0;
        auto server = start(limits, port);
        QSignalSpy refused(server.get(), &HttpServer::requestRefused);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->write("GET /echo HTTP/1.1\r\n");
        // 8 MB of header lines, 4 KiB at a time, until the server has had enough.
        for (int i = 0; i < 2048 && refused.isEmpty() && !c.closed; ++i) {
            c.socket->write("X-Filler: " + QByteArray(4084, 'h') + "\r\n");
            QSignalSpy written(c.socket.get(), &QIODevice::bytesWritten);
            QVERIFY(written.wait(5000) || !refused.isEmpty() || c.closed);
        }
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 10000);
        QCOMPARE(refused[0][0].toInt(), 431);
        QVERIFY(c.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void slowHeaderTimesOut()
    {
        Limits limits;
        limits.headerTimeoutMs = 300;
        quint16 port = 0;
        auto server = start(limits, port);
        QSignalSpy refused(server.get(), &HttpServer::requestRefused);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->write("GET /echo HTTP/1.1\r\nHost: x\r\n"); // and never the empty line
        QVERIFY(c.waitClosed());
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0][0].toInt(), 408);
        QVERIFY2(c.received.startsWith("HTTP/1.1 408 "), c.received.constData());
    }

    void slowBodyTimesOut()
    {
        Limits limits;
        limits.bodyTimeoutMs = 300;
        quint16 port = 0;
        auto server = start(limits, port);
        QSignalSpy refused(server.get(), &HttpServer::requestRefused);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b");
        QVERIFY(c.waitClosed());
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0][0].toInt(), 408);
        QCOMPARE(m_handled, 0);
    }

    void idleConnectionIsClosed()
    {
        Limits limits;
        limits.idleTimeoutMs = 300;
        quint16 port = 0;
        auto server = start(limits, port);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        QTRY_COMPARE_WITH_TIMEOUT(server->openConnections(), 1, 5000);
        QVERIFY(c.waitClosed()); // after the handshake, nothing sent: closed without an answer
        QVERIFY(c.received.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(server->openConnections(), 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server->tlsServer()->openConnections(), 0, 5000);

        // Keep-alive idle: after an answer, the same timeout closes the connection.
        RawClient k;
        QVERIFY(k.connect(clientConfig(), port));
        k.socket->write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(k.answers(1).size(), 1);
        QVERIFY(k.waitClosed());
    }

    void connectionCapPerAddress()
    {
        Limits limits;
        limits.maxConnectionsPerAddress = 3;
        quint16 port = 0;
        auto server = start(limits, port);
        QSignalSpy refused(server.get(), &HttpServer::connectionRefused);
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<RawClient>());
            QVERIFY(clients.back()->connect(clientConfig(), port));
        }
        RawClient fourth;
        QVERIFY(!fourth.connect(clientConfig(), port));
        QCOMPARE(refused.size(), 1);
        QVERIFY2(refused[0][0].toString().contains(QStringLiteral("per address")), qPrintable(refused[0][0].toString()));
        // Another address is not affected (all of 127.0.0.0/8 is loopback).
        RawClient other;
        QVERIFY(other.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.2"))));
        other.socket->write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(other.answers(1).size(), 1);
        // One closes: room again.
        clients.front()->socket->disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(server->tlsServer()->openConnectionsFrom(QHostAddress::LocalHost), 2, 5000);
        RawClient again;
        QVERIFY(again.connect(clientConfig(), port));
    }

    void newConnectionRatePerAddress()
    {
        // A client that reconnects as fast as it can is refused before the TLS handshake once
        // its burst is spent, then gets one connection per 1/rate s (the injected clock).
        Limits limits;
        limits.newConnectionsPerSecond = 1;
        limits.newConnectionBurst = 3;
        quint16 port = 0;
        auto server = start(limits, port);
        server->tlsServer()->setClock(&m_clock);
        QSignalSpy refused(server.get(), &HttpServer::connectionRefused);
        for (int i = 0; i < 3; ++i) {
            RawClient c;
            QVERIFY2(c.connect(clientConfig(), port), qPrintable(QString::number(i)));
        }
        RawClient fourth;
        QVERIFY(!fourth.connect(clientConfig(), port));
        QCOMPARE(refused.size(), 1);
        QVERIFY2(refused[0][0].toString().contains(QStringLiteral("rate cap")), qPrintable(refused[0][0].toString()));
        // Another address has its own bucket.
        RawClient other;
        QVERIFY(other.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.5"))));
        // 999 ms later there is still no token; at 1000 ms there is one, and only one.
        m_clock.advanceMs(999);
        RawClient early;
        QVERIFY(!early.connect(clientConfig(), port));
        m_clock.advanceMs(1);
        RawClient onTime, tooMany;
        QVERIFY(onTime.connect(clientConfig(), port));
        QVERIFY(!tooMany.connect(clientConfig(), port));
        QCOMPARE(refused.size(), 3);

        // The table of buckets is bounded: with room for two addresses, a third address sweeps
        // the ones that have refilled (or clears the table), never grows it.
        server->tlsServer()->setNewConnectionRate(1, 3, 2);
        for (const char *from : {"127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9"}) {
            RawClient c;
            QVERIFY(c.connect(clientConfig(), port, QHostAddress(QString::fromLatin1(from))));
            QVERIFY(server->tlsServer()->trackedAddresses() <= 2);
        }
        m_clock.advanceMs(10'000);
        RawClient afterRefill;
        QVERIFY(afterRefill.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.10"))));
        QCOMPARE(server->tlsServer()->trackedAddresses(), 1); // the refilled buckets were forgotten
    }

    void connectionCapInTotal()
    {
        Limits limits;
        limits.maxConnections = 2;
        limits.maxConnectionsPerAddress = 0;
        quint16 port = 0;
        auto server = start(limits, port);
        QSignalSpy refused(server.get(), &HttpServer::connectionRefused);
        RawClient a, b, c;
        QVERIFY(a.connect(clientConfig(), port));
        QVERIFY(b.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.3"))));
        QVERIFY(!c.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.4"))));
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused[0][0].toString().contains(QStringLiteral("the cap")));
    }

    void clientThatDoesNotReadStallsOnlyItself()
    {
        // 200 pipelined requests for 256 KiB each (50 MB of answers) from a client that reads
        // nothing for a while: the server stops reading its requests once 1 MiB waits to be sent,
        // and every answer still arrives, in order, once the client reads.
        Limits limits;
        limits.maxRequestsPerConnection = 1000;
        quint16 port = 0;
        auto server = start(limits, port);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->setReadBufferSize(64 * 1024); // the client's side fills up: TCP pushes back
        QObject::disconnect(c.socket.get(), &QIODevice::readyRead, nullptr, nullptr);
        QByteArray requests;
        for (int i = 0; i < 200; ++i)
            requests += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
        c.socket->write(requests);
        RawClient other; // meanwhile another client is answered
        QVERIFY(other.connect(clientConfig(), port, QHostAddress(QStringLiteral("127.0.0.5"))));
        other.socket->write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(other.answers(1).size(), 1);
        QVERIFY2(m_handled < 201, qPrintable(QString::number(m_handled)));
        const int handledWhileStalled = m_handled - 1;
        qInfo("answers produced while the client read nothing: %d of 200", handledWhileStalled);
        QVERIFY2(handledWhileStalled < 200, qPrintable(QString::number(handledWhileStalled)));
        // Now read everything.
        c.socket->setReadBufferSize(0);
        QObject::connect(c.socket.get(), &QIODevice::readyRead, c.socket.get(), [&c] { c.received += c.socket->readAll(); });
        c.received += c.socket->readAll();
        const QList<QByteArray> all = c.answers(200, 60000);
        QCOMPARE(all.size(), 200);
        for (const QByteArray &a : all)
            QCOMPARE(statusOf(a), 200);
    }

    void streamTakesTheConnection()
    {
        quint16 port = 0;
        ResponseStream *stream = nullptr;
        auto server = start(Limits{}, port, &stream);
        RawClient c;
        QVERIFY(c.connect(clientConfig(), port));
        c.socket->write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(stream != nullptr, 5000);
        QSignalSpy closed(stream, &ResponseStream::closed);
        stream->write("part one;");
        stream->write("part two;");
        QTRY_VERIFY_WITH_TIMEOUT(c.received.endsWith("part two;"), 5000);
        QVERIFY(c.received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(c.received.contains("Connection: close\r\n"));
        QVERIFY(!c.received.contains("Content-Length"));
        c.socket->disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 5000);
    }

    void responseHeadersCannotBeSplit()
    {
        Response r;
        r.headers = {{"X-Ok", "fine"}, {"X-Bad", "a\r\nSet-Cookie: evil"}};
        const QByteArray head = serializeHead(r, true, true);
        QVERIFY(head.contains("X-Ok: fine\r\n"));
        QVERIFY(!head.contains("evil"));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "TestHttpServer.moc"
