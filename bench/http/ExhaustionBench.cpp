// signiq-bench-http [--hostile 100] [--seconds 12] [--baseline-seconds 3]
//
// Can an anonymous client exhaust the edge API? The real EdgeApiServer (libs/http front, its
// own SQLCipher database, TLS 1.3) runs in a child process so that its memory is measured
// alone. A well-behaved client sends GET /v1/health one after another on a keep-alive
// connection, first alone (baseline), then while N hostile connections (spread over source
// addresses 127.0.0.10–19) do, in equal shares and reconnecting whenever they are closed:
//   slow header — a header line every 200 ms, never the end of the header (slowloris);
//   big body    — Content-Length: 50 MB and the body as fast as TCP takes it;
//   huge header — header lines as fast as TCP takes them (8 MB and more);
//   idle        — a TLS connection that never sends anything.
// Prints the well-behaved client's p50/p99 in both phases and their ratio, the server's RSS
// before and its peak during the attack (sampled every 20 ms from /proc), and how often the
// server closed each kind of hostile connection. Goal (issue 12): peak RSS rises by less than
// 50 MB under 100 hostile connections.
#include "api/EdgeApiServer.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/TlsServer.h"
#include "storage/EncryptedDatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace signiq;

namespace {

int intArg(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

// --serve DIR: the server side. Writes DIR/ca.pem, prints "port N", runs until killed.
int serve(const QString &dir)
{
    const core::SystemClock clock;
    const QByteArray dbKey(32, '\x42');
    auto db = storage::EncryptedDatabase::open(dir + QStringLiteral("/bench.db"), dbKey, QStringLiteral("server"));
    if (!db)
        qFatal("%s", qPrintable(db.error().toString()));
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("bench CA"), 3600'000, clock);
    auto key = crypto::PrivateKey::generateEcP256();
    crypto::IssueOptions options;
    options.dnsNames = {QStringLiteral("localhost")};
    options.lifetimeMs = 3600'000;
    auto cert = ca->issue(*crypto::CertificateRequest::create(*key, QStringLiteral("bench")), options, clock);
    QFile pem(dir + QStringLiteral("/ca.pem"));
    if (!pem.open(QIODevice::WriteOnly) || pem.write(ca->certificate().toPem()) < 0)
        qFatal("cannot write ca.pem");
    pem.close();
    api::ApiServerContext context;
    context.database = &*db;
    context.clock = &clock;
    api::ApiServerOptions serverOptions; // the shipped HTTP limits
    // Rate limits out of the way: this measures the front, not the limiter.
    serverOptions.anonymousPolicy = api::RatePolicy{10'000'000, 60, 10'000'000};
    api::EdgeApiServer server(context, serverOptions);
    auto port = server.listenTls(crypto::TlsIdentity{cert->toQSslCertificate(), {}, key->toQSslKey()}, QHostAddress::Any, 0);
    if (!port)
        qFatal("%s", qPrintable(port.error().toString()));
    std::printf("port %d\n", int(*port));
    std::fflush(stdout);
    return QCoreApplication::exec();
}

qint64 rssKiB(qint64 pid, const char *field = "VmRSS:")
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

// One well-behaved client: GET /v1/health, the next when the answer is complete.
class GoodClient : public QObject {
public:
    GoodClient(quint16 port, QSslConfiguration config) : m_port(port), m_config(std::move(config)) {}

    std::vector<double> run(int seconds)
    {
        m_latencies.clear();
        QEventLoop loop;
        m_loop = &loop;
        m_deadline.start();
        m_seconds = seconds;
        // Whatever the server does, the phase ends: a hang here would be a finding, not a result.
        QTimer::singleShot(seconds * 1000 + 5000, &loop, [this] {
            ++m_stuck;
            m_loop->quit();
        });
        connectNew();
        loop.exec();
        if (m_socket) {
            m_socket->disconnect(this);
            m_socket->abort();
        }
        return m_latencies;
    }
    int errors() const { return m_errors; }
    int reconnects() const { return m_reconnects; }
    int refused() const { return m_refused; }
    void resetCounts() { m_reconnects = m_refused = m_errors = 0; }
    int stuck() const { return m_stuck; }

private:
    bool over() const { return m_deadline.elapsed() >= m_seconds * 1000LL; }
    void connectNew()
    {
        if (m_socket)
            m_socket.release()->deleteLater();
        m_socket = std::make_unique<QSslSocket>();
        m_socket->setSslConfiguration(m_config);
        m_buffer.clear();
        QSslSocket *s = m_socket.get();
        connect(s, &QSslSocket::encrypted, this, [this] {
            m_encrypted = true;
            send();
        });
        connect(s, &QIODevice::readyRead, this, [this] { onRead(); });
        m_encrypted = false;
        auto closed = [this, s] {
            if (s != m_socket.get())
                return;
            s->disconnect(this);
            if (over()) {
                m_loop->quit();
                return;
            }
            // Keep-alive limit reached: connect again at once. Refused before the handshake (the
            // per-address cap on new connections): wait 100 ms, as a client library would.
            const bool refused = !m_encrypted;
            ++(refused ? m_refused : m_reconnects);
            QTimer::singleShot(refused ? 100 : 0, this, [this] { connectNew(); });
        };
        connect(s, &QAbstractSocket::disconnected, this, closed);
        connect(s, &QAbstractSocket::errorOccurred, this, [s, closed](QAbstractSocket::SocketError) {
            if (s->state() == QAbstractSocket::UnconnectedState)
                closed();
        });
        // From 127.0.0.1, by address (the hostile clients use 127.0.0.10–19).
        s->bind(QHostAddress(QStringLiteral("127.0.0.1")));
        s->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port, QStringLiteral("localhost"));
    }
    void send()
    {
        if (m_deadline.elapsed() >= m_seconds * 1000LL) {
            m_loop->quit();
            return;
        }
        m_sent.start();
        m_socket->write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }
    void onRead()
    {
        m_buffer += m_socket->readAll();
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray head = m_buffer.left(headerEnd).toLower();
        const qsizetype at = head.indexOf("content-length: ");
        const qsizetype eol = head.indexOf("\r\n", at);
        const qsizetype length = at < 0 ? 0 : head.mid(at + 16, (eol < 0 ? head.size() : eol) - at - 16).toLongLong();
        if (m_buffer.size() < headerEnd + 4 + length)
            return;
        if (!head.startsWith("http/1.1 200"))
            ++m_errors;
        const bool closing = head.contains("connection: close");
        m_buffer.remove(0, headerEnd + 4 + length);
        m_latencies.push_back(double(m_sent.nsecsElapsed()) / 1e6);
        if (!closing)
            send();
        else if (m_deadline.elapsed() >= m_seconds * 1000LL)
            m_loop->quit();
    }

    quint16 m_port;
    QSslConfiguration m_config;
    std::unique_ptr<QSslSocket> m_socket;
    QByteArray m_buffer;
    QElapsedTimer m_sent;
    QElapsedTimer m_deadline;
    int m_seconds = 0;
    int m_errors = 0;
    int m_reconnects = 0;
    int m_refused = 0;
    int m_stuck = 0;
    bool m_encrypted = false;
    std::vector<double> m_latencies;
    QEventLoop *m_loop = nullptr;
};

enum class Kind { SlowHeader, BigBody, HugeHeader, Idle };
const char *kindName(Kind k)
{
    switch (k) {
    case Kind::SlowHeader: return "slow header";
    case Kind::BigBody: return "big body (50 MB declared)";
    case Kind::HugeHeader: return "huge header";
    case Kind::Idle: return "idle TLS";
    }
    return "?";
}

// One hostile connection that reconnects whenever the server closes it.
class Hostile : public QObject {
public:
    Hostile(Kind kind, quint16 port, QSslConfiguration config, QHostAddress from)
        : m_kind(kind), m_port(port), m_config(std::move(config)), m_from(std::move(from))
    {
        m_trickle.setInterval(200);
        connect(&m_trickle, &QTimer::timeout, this, [this] {
            if (m_socket && m_socket->isEncrypted())
                m_socket->write("X-Slow: a\r\n");
        });
    }
    void start()
    {
        m_running = true;
        open();
    }
    void stop()
    {
        m_running = false;
        m_trickle.stop();
        if (m_socket)
            m_socket->abort();
    }
    int closedByServer = 0;
    int refusedBeforeHandshake = 0;
    qint64 bytesSent = 0;

private:
    void open()
    {
        if (m_socket)
            m_socket.release()->deleteLater();
        m_socket = std::make_unique<QSslSocket>();
        m_closing = false;
        QSslSocket *s = m_socket.get();
        s->setSslConfiguration(m_config);
        connect(s, &QSslSocket::encrypted, this, [this, s] { begin(s); });
        connect(s, &QSslSocket::encryptedBytesWritten, this, [this, s](qint64 n) {
            bytesSent += n;
            feed(s);
        });
        connect(s, &QIODevice::readyRead, this, [s] { s->readAll(); });
        connect(s, &QAbstractSocket::disconnected, this, [this, s] { closed(s); });
        connect(s, &QAbstractSocket::errorOccurred, this, [this, s](QAbstractSocket::SocketError) {
            if (s->state() == QAbstractSocket::UnconnectedState)
                closed(s);
        });
        // By address, not by name: a name that resolves to ::1 first would make Qt open a new
        // socket for the IPv4 address and drop the bind, so every hostile client would share
        // 127.0.0.1 with the well-behaved one (and its per-address connection cap).
        s->bind(m_from);
        s->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port, QStringLiteral("localhost"));
    }
    void closed(QSslSocket *s)
    {
        if (s != m_socket.get() || !m_running || m_closing)
            return;
        m_closing = true;
        const bool begun = m_begun;
        if (begun)
            ++closedByServer;
        else
            ++refusedBeforeHandshake;
        m_begun = false;
        m_trickle.stop();
        // Refused before the handshake (a cap): try again shortly, as an attacker would.
        QTimer::singleShot(begun ? 0 : 50, this, [this] {
            if (m_running)
                open();
        });
    }
    void begin(QSslSocket *s)
    {
        m_begun = true;
        switch (m_kind) {
        case Kind::SlowHeader:
            s->write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n");
            m_trickle.start();
            break;
        case Kind::BigBody:
            s->write("PUT /v1/zones HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n");
            feed(s);
            break;
        case Kind::HugeHeader:
            s->write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n");
            feed(s);
            break;
        case Kind::Idle: break;
        }
    }
    void feed(QSslSocket *s)
    {
        if (s->encryptedBytesToWrite() + s->bytesToWrite() > 256 * 1024)
            return; // as fast as TCP takes it, no faster
        if (m_kind == Kind::BigBody)
            s->write(QByteArray(64 * 1024, '{'));
        else if (m_kind == Kind::HugeHeader)
            s->write("X-Filler: " + QByteArray(4084, 'h') + "\r\n");
    }

    Kind m_kind;
    quint16 m_port;
    QSslConfiguration m_config;
    QHostAddress m_from;
    std::unique_ptr<QSslSocket> m_socket;
    QTimer m_trickle;
    bool m_running = false;
    bool m_begun = false;
    bool m_closing = false;
};

struct Latency {
    double p50 = 0, p99 = 0;
    size_t n = 0;
};
Latency summarise(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    Latency l;
    l.n = v.size();
    if (!v.empty()) {
        l.p50 = v[v.size() / 2];
        l.p99 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))];
    }
    return l;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(QStringLiteral("--serve")); i >= 0 && i + 1 < args.size())
        return serve(args.at(i + 1));
    const int hostileCount = intArg(args, QStringLiteral("--hostile"), 100);
    const int seconds = intArg(args, QStringLiteral("--seconds"), 12);
    const int baselineSeconds = intArg(args, QStringLiteral("--baseline-seconds"), 3);

    QTemporaryDir dir;
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--serve"), dir.path()});
    if (!child.waitForStarted() || !child.waitForReadyRead(30000))
        qFatal("the server process did not start");
    const QByteArray line = child.readLine().trimmed();
    if (!line.startsWith("port "))
        qFatal("unexpected server output: %s", line.constData());
    const quint16 port = quint16(line.mid(5).toUInt());
    const qint64 pid = child.processId();
    QFile caFile(dir.filePath(QStringLiteral("ca.pem")));
    if (!caFile.open(QIODevice::ReadOnly))
        qFatal("no ca.pem");
    const QSslConfiguration config = *crypto::TlsConfigurationFactory::client(QSslCertificate::fromData(caFile.readAll()));

    std::printf("signiq-bench-http: EdgeApiServer (libs/http front, shipped limits) in process %lld on port %d\n", pid, int(port));
    GoodClient good(port, config);
    (void)good.run(1); // warm-up
    good.resetCounts();
    const qint64 rssBefore = rssKiB(pid);
    const Latency alone = summarise(good.run(baselineSeconds));
    const int aloneReconnects = good.reconnects(), aloneRefused = good.refused();
    good.resetCounts();

    std::vector<std::unique_ptr<Hostile>> hostile;
    for (int i = 0; i < hostileCount; ++i) {
        const Kind kind = Kind(i % 4);
        const QHostAddress from(QStringLiteral("127.0.0.%1").arg(10 + i % 10));
        hostile.push_back(std::make_unique<Hostile>(kind, port, config, from));
        hostile.back()->start();
    }
    qint64 peak = rssBefore;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] { peak = std::max(peak, rssKiB(pid)); });
    sampler.start(20);
    const Latency attacked = summarise(good.run(seconds));
    sampler.stop();
    peak = std::max(peak, rssKiB(pid));
    for (auto &h : hostile)
        h->stop();

    std::printf("well-behaved client alone        : %6zu requests  p50 %6.2f ms  p99 %6.2f ms; %d new connections (100 requests "
                "each), %d refused by the per-address cap\n",
                alone.n, alone.p50, alone.p99, aloneReconnects, aloneRefused);
    std::printf("well-behaved client, %3d hostile : %6zu requests  p50 %6.2f ms  p99 %6.2f ms  (p99 ratio %.2f x), errors %d; "
                "%d new connections, %d refused by the per-address cap%s\n",
                hostileCount, attacked.n, attacked.p50, attacked.p99, alone.p99 > 0 ? attacked.p99 / alone.p99 : 0.0, good.errors(),
                good.reconnects(), good.refused(), good.stuck() ? ", STUCK (a phase ran 5 s past its end)" : "");
    std::printf("server RSS before %.1f MB, peak under attack %.1f MB: rise %.1f MB (goal < 50 MB)\n", double(rssBefore) / 1024,
                double(peak) / 1024, double(peak - rssBefore) / 1024);
    for (int k = 0; k < 4; ++k) {
        int closed = 0, refused = 0;
        qint64 sent = 0;
        for (size_t i = k; i < hostile.size(); i += 4) {
            closed += hostile[i]->closedByServer;
            refused += hostile[i]->refusedBeforeHandshake;
            sent += hostile[i]->bytesSent;
        }
        std::printf("  %-26s: closed by the server %5d times, refused before the handshake %4d, %8.1f MB sent\n", kindName(Kind(k)),
                    closed, refused, double(sent) / 1e6);
    }
    child.kill();
    child.waitForFinished();
    return 0;
}
