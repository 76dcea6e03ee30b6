// signiq-bench-api [--connections N] [--requests N] [--windows N]
//
// The edge API server on its own thread (own SQLCipher connection, as in signiq-edge), a Qt
// load generator on the main thread: N keep-alive TLS 1.3 connections, each sending the next
// request when the previous answer is complete. Measures GET /v1/health (no key) and the
// authenticated GET /v1/windows (key lookup + constant-time hash compare + rate limiter +
// SQLCipher query + JSON), and prints requests/s, p50/p99 and the ratio.
#include "api/EdgeApiServer.h"
#include "api/KeyStore.h"
#include "core/AudienceWindow.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/TlsServer.h"
#include "storage/EncryptedDatabase.h"
#include "storage/WindowRepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace signiq;

namespace {

struct Figures {
    double rps = 0;
    double p50 = 0;
    double p99 = 0;
    int errors = 0;
};

class Load : public QObject {
public:
    Load(quint16 port, QSslConfiguration config, QByteArray request, int connections, int total)
        : m_port(port), m_config(std::move(config)), m_request(std::move(request)), m_connections(connections), m_total(total)
    {
    }

    Figures run()
    {
        QEventLoop loop;
        m_loop = &loop;
        m_wall.start();
        for (int i = 0; i < m_connections; ++i) {
            auto *s = new QSslSocket(this);
            s->setSslConfiguration(m_config);
            auto state = std::make_shared<Conn>();
            connect(s, &QSslSocket::encrypted, this, [this, s, state] { send(s, state); });
            connect(s, &QIODevice::readyRead, this, [this, s, state] { onRead(s, state); });
            s->connectToHostEncrypted(QStringLiteral("localhost"), m_port);
        }
        loop.exec();
        const double seconds = double(m_wall.nsecsElapsed()) / 1e9;
        std::sort(m_latencies.begin(), m_latencies.end());
        Figures f;
        f.rps = double(m_latencies.size()) / seconds;
        f.p50 = m_latencies.empty() ? 0 : m_latencies[m_latencies.size() / 2];
        f.p99 = m_latencies.empty() ? 0 : m_latencies[std::min(m_latencies.size() - 1, size_t(double(m_latencies.size()) * 0.99))];
        f.errors = m_errors;
        return f;
    }

private:
    struct Conn {
        QByteArray buffer;
        QElapsedTimer sent;
    };

    void send(QSslSocket *s, const std::shared_ptr<Conn> &c)
    {
        if (m_started >= m_total) {
            s->disconnectFromHost();
            return;
        }
        ++m_started;
        c->sent.start();
        s->write(m_request);
    }

    void onRead(QSslSocket *s, const std::shared_ptr<Conn> &c)
    {
        c->buffer += s->readAll();
        for (;;) {
            const qsizetype headerEnd = c->buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QByteArray head = c->buffer.left(headerEnd);
            const qsizetype at = head.toLower().indexOf("content-length: ");
            const qsizetype eol = head.indexOf("\r\n", at);
            const qsizetype length = at < 0 ? 0 : head.mid(at + 16, (eol < 0 ? head.size() : eol) - at - 16).toLongLong();
            if (c->buffer.size() < headerEnd + 4 + length)
                return;
            if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200"))
                ++m_errors;
            c->buffer.remove(0, headerEnd + 4 + length);
            m_latencies.push_back(double(c->sent.nsecsElapsed()) / 1e6);
            if (qsizetype(m_latencies.size()) + m_errors * 0 >= m_total) {
                m_loop->quit();
                return;
            }
            send(s, c);
        }
    }

    quint16 m_port;
    QSslConfiguration m_config;
    QByteArray m_request;
    int m_connections;
    int m_total;
    int m_started = 0;
    int m_errors = 0;
    std::vector<double> m_latencies;
    QElapsedTimer m_wall;
    QEventLoop *m_loop = nullptr;
};

int intArg(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int connections = intArg(args, QStringLiteral("--connections"), 16);
    const int requests = intArg(args, QStringLiteral("--requests"), 4000);
    const int windowCount = intArg(args, QStringLiteral("--windows"), 1440);

    QTemporaryDir dir;
    const QString dbPath = dir.filePath(QStringLiteral("bench.db"));
    const QByteArray dbKey(32, '\x42');
    const core::SystemClock clock;
    const qint64 t0 = 1'795'000'000'000;
    QString token;
    {
        auto db = storage::EncryptedDatabase::open(dbPath, dbKey, QStringLiteral("setup"));
        if (!db)
            qFatal("%s", qPrintable(db.error().toString()));
        QList<core::AudienceWindow> windows;
        for (int i = 0; i < windowCount; ++i) {
            core::AudienceWindow w;
            w.zone = QStringLiteral("entrance");
            w.startMs = t0 + qint64(i) * 60'000;
            w.endMs = w.startMs + 60'000;
            w.ots = i % 17;
            windows << w;
        }
        if (!storage::WindowRepository(*db).insert(windows))
            qFatal("insert failed");
        token = api::KeyStore(*db, clock).create(api::KeyRequest{QStringLiteral("bench"), api::Scope::Analytics, api::Tier::Enterprise,
                                                                 api::KeyEnvironment::Live, {}})->token;
    }

    // A test PKI.
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("bench CA"), 3600'000, clock);
    auto key = crypto::PrivateKey::generateEcP256();
    crypto::IssueOptions options;
    options.dnsNames = {QStringLiteral("localhost")};
    options.lifetimeMs = 3600'000;
    auto cert = ca->issue(*crypto::CertificateRequest::create(*key, QStringLiteral("bench")), options, clock);
    const crypto::TlsIdentity identity{cert->toQSslCertificate(), {}, key->toQSslKey()};
    const QSslConfiguration clientConfig = *crypto::TlsConfigurationFactory::client({ca->certificate().toQSslCertificate()});

    // The server on its own thread with its own connection, like signiq-edge's main thread.
    std::atomic<quint16> port{0};
    QThread serverThread;
    std::unique_ptr<storage::EncryptedDatabase> serverDb;
    std::unique_ptr<api::EdgeApiServer> server;
    QObject anchor;
    anchor.moveToThread(&serverThread);
    serverThread.start();
    QMetaObject::invokeMethod(&anchor, [&] {
        auto db = storage::EncryptedDatabase::open(dbPath, dbKey, QStringLiteral("server"));
        serverDb = std::make_unique<storage::EncryptedDatabase>(std::move(db).value());
        api::ApiServerContext context;
        context.database = serverDb.get();
        context.clock = &clock;
        api::ApiServerOptions serverOptions;
        // Limits out of the way: this measures the work, not the refusals.
        serverOptions.policyForTier = [](api::Tier) { return api::RatePolicy{10'000'000, 60, 10'000'000}; };
        serverOptions.anonymousPolicy = api::RatePolicy{10'000'000, 60, 10'000'000};
        server = std::make_unique<api::EdgeApiServer>(context, serverOptions);
        port = *server->listenTls(identity, QHostAddress::LocalHost, 0);
    }, Qt::BlockingQueuedConnection);

    const QString range = QStringLiteral("zone=entrance&from=%1&to=%2").arg(t0 + 600'000).arg(t0 + 600'000 + 50 * 60'000);
    const QByteArray health = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const QByteArray healthKey = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token.toLatin1() + "\r\n\r\n";
    const QByteArray windows = "GET /v1/windows?" + range.toLatin1() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + token.toLatin1() + "\r\n\r\n";
    const QByteArray windowsOne = "GET /v1/windows?" + range.toLatin1() + "&limit=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + token.toLatin1() + "\r\n\r\n";

    std::printf("signiq-bench-api: %d keep-alive TLS 1.3 connections, %d requests per endpoint, %d windows stored\n",
                connections, requests, windowCount);
    Load(port, clientConfig, health, connections, requests / 4).run(); // warm-up
    const Figures h = Load(port, clientConfig, health, connections, requests).run();
    const Figures hk = Load(port, clientConfig, healthKey, connections, requests).run();
    const Figures w = Load(port, clientConfig, windows, connections, requests).run();
    const Figures w1 = Load(port, clientConfig, windowsOne, connections, requests).run();
    auto line = [](const char *name, const Figures &f) {
        std::printf("%-46s %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   errors %d\n", name, f.rps, f.p50, f.p99, f.errors);
    };
    line("GET /v1/health (no key)", h);
    line("GET /v1/health (with key: auth + rate limit)", hk);
    line("GET /v1/windows (key, 50 windows of 1440)", w);
    line("GET /v1/windows (key, limit=1)", w1);
    std::printf("cost of key lookup + SHA-256 compare + rate limiter: p50 +%.2f ms (%.2f x throughput)\n", hk.p50 - h.p50, h.rps / hk.rps);
    std::printf("ratio health / windows: %.2f x throughput (limit=1: %.2f x); p50 +%.2f ms (limit=1: +%.2f ms)\n", h.rps / w.rps,
                h.rps / w1.rps, w.p50 - h.p50, w1.p50 - h.p50);

    QMetaObject::invokeMethod(&anchor, [&] {
        server.reset();
        serverDb.reset();
    }, Qt::BlockingQueuedConnection);
    serverThread.quit();
    serverThread.wait();
    return 0;
}
