// Webhooks (issue 15): how fast the hub signs (Standard Webhooks v1, one and two secrets), and
// how fast events go from the durable queue in PostgreSQL, signed, to a local receiver
// (WebhookDispatcher, development mode, http on loopback), plus the queue latency (enqueued to
// delivered) p50/p99 at a steady rate. A private PostgreSQL 15 cluster (scripts/pg-cluster.sh)
// in the build tree. The receiver runs in this process (a minimal HTTP/1.1 server answering 204),
// so the figures include its share of the one event loop. Prints figures; never a test.
#include "core/Clock.h"
#include "hub/AuditRepository.h"
#include "hub/ConnectionOptions.h"
#include "hub/Database.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WebhookDispatcher.h"
#include "hub/WebhookRepository.h"
#include "hub/WebhookSigning.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace signiq;
using namespace signiq::hub;

namespace {

const QString kDatabase = QStringLiteral("signiq_bench_webhooks");

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "signiq-bench-webhooks: %s\n", qPrintable(message));
    std::exit(1);
}

template <typename T>
T orFail(core::Result<T> r, const char *what)
{
    if (!r)
        fail(QStringLiteral("%1: %2").arg(QLatin1String(what), r.error().toString()));
    return std::move(r).value();
}

void runScript(const QString &script, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(script, args);
    if (!p.waitForStarted() || !p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        fail(QStringLiteral("`%1 %2` failed (PostgreSQL 15 needs the Debian package postgresql-15)").arg(script, args.join(QLatin1Char(' '))));
}

// A minimal keep-alive HTTP/1.1 receiver: reads each request (headers, Content-Length body) and
// answers 204. Counts requests.
class Receiver : public QTcpServer {
public:
    int requests = 0;
    Receiver()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    buffer->append(s->readAll());
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        const QByteArray head = buffer->left(end).toLower();
                        qsizetype length = 0;
                        if (const qsizetype at = head.indexOf("content-length:"); at >= 0)
                            length = head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                        if (buffer->size() < end + 4 + length)
                            return;
                        buffer->remove(0, end + 4 + length);
                        ++requests;
                        s->write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
                    }
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
};

double percentile(QList<qint64> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype i = std::clamp<qsizetype>(qsizetype(p * double(v.size() - 1) + 0.5), 0, v.size() - 1);
    return double(v.at(i));
}

// Runs passes until `delivered` deliveries are delivered (or a pass delivers nothing for 10 s).
int drain(WebhookDispatcher &dispatcher, int expected)
{
    int delivered = 0;
    QElapsedTimer idle;
    idle.start();
    while (delivered < expected) {
        QEventLoop loop;
        int got = 0;
        auto c = QObject::connect(&dispatcher, &WebhookDispatcher::passFinished, &loop, [&](int, int d) {
            got = d;
            loop.quit();
        });
        dispatcher.runOnce();
        loop.exec();
        QObject::disconnect(c);
        delivered += got;
        if (got > 0)
            idle.restart();
        else if (idle.elapsed() > 10'000)
            fail(QStringLiteral("the dispatcher delivered nothing for 10 s (%1 of %2 delivered)").arg(delivered).arg(expected));
    }
    return delivered;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Webhooks: signatures/s, queued events delivered/s, queue latency p50/p99."));
    parser.addHelpOption();
    const QCommandLineOption eventsOpt(QStringLiteral("events"), QStringLiteral("Events for the throughput run (default 2000)."),
                                       QStringLiteral("N"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency-events"),
                                        QStringLiteral("Events for the latency run, 100/s (default 500)."), QStringLiteral("N"));
    const QCommandLineOption dirOpt(QStringLiteral("pg-dir"), QStringLiteral("The private cluster's directory."), QStringLiteral("DIR"));
    const QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("The cluster's socket port (default 55434)."),
                                     QStringLiteral("N"));
    parser.addOptions({eventsOpt, latencyOpt, dirOpt, portOpt});
    parser.process(app);
    const auto number = [&](const QCommandLineOption &o, int min, int max, int fallback) {
        if (!parser.isSet(o))
            return fallback;
        bool ok = false;
        const int v = parser.value(o).toInt(&ok);
        if (!ok || v < min || v > max)
            fail(QStringLiteral("--%1 must be a whole number in %2..%3").arg(o.names().constFirst()).arg(min).arg(max));
        return v;
    };
    const int events = number(eventsOpt, 1, 1'000'000, 2000);
    const int latencyEvents = number(latencyOpt, 1, 100'000, 500);
    const QString pgDir = parser.isSet(dirOpt) ? parser.value(dirOpt) : QStringLiteral(SIGNIQ_BENCH_PG_DIR);
    const int port = number(portOpt, 1024, 65535, 55434);
    const QString script = QStringLiteral(SIGNIQ_PG_CLUSTER_SCRIPT);

    // 1. Signing alone (1 KiB body): one secret, and two during a rotation.
    const QByteArray body(1024, 'x');
    const WebhookSecret a = orFail(WebhookSecret::generate(), "secret");
    const WebhookSecret b = orFail(WebhookSecret::generate(), "secret");
    for (const QList<WebhookSecret> &secrets : {QList<WebhookSecret>{a}, QList<WebhookSecret>{a, b}}) {
        const int n = 200'000;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < n; ++i)
            (void)orFail(webhook_signing::sign(secrets, "msg_bench", 1'796'601'600 + i, body), "sign");
        std::printf("sign, %lld secret(s), 1 KiB body: %.0f messages/s\n", static_cast<long long>(secrets.size()),
                    n / (double(t.nsecsElapsed()) / 1e9));
    }

    // 2. The queue and the dispatcher on PostgreSQL.
    runScript(script, {QStringLiteral("start"), pgDir, QString::number(port)});
    runScript(script, {QStringLiteral("fresh-db"), pgDir, kDatabase});
    const auto connection = [&](const QString &user) {
        ConnectionOptions o;
        o.host = pgDir;
        o.port = port;
        o.dbname = kDatabase;
        o.user = user;
        o.passwordFile = QDir(pgDir).filePath(QStringLiteral("credentials/%1.password").arg(user));
        return orFail(Database::open(o), "connect");
    };
    {
        Database owner = connection(QStringLiteral("signiq_owner"));
        (void)orFail(Migrations::apply(owner), "migrate");
    }
    Database db = connection(QStringLiteral("signiq_app"));
    const core::SystemClock clock;
    const QUuid org = orFail(OrganisationRepository(db, clock).create(QStringLiteral("bench"), protocol::Tier::Pro, QStringLiteral("bench")), "org").id;
    Receiver receiver;
    if (!receiver.listen(QHostAddress::LocalHost, 0))
        fail(QStringLiteral("cannot listen on loopback"));
    const QByteArray secretsKey(32, 'b');
    WebhookRepository endpoints(db, secretsKey);
    const WebhookEndpoint endpoint = orFail(
        endpoints.create(org, QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.serverPort()), {}, a.key()), "endpoint");
    AuditRepository audit(db, clock);
    WebhookDispatcher::Options options;
    options.claimBatch = 200;
    WebhookDispatcher dispatcher(db, endpoints, audit, clock, WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development), options);
    const QByteArray payload = WebhookDeliveryQueue::eventPayload(QStringLiteral("webhook.test"), clock.nowMs(), {{QStringLiteral("n"), 1}});
    const auto enqueue = [&] {
        (void)orFail(db.inOrg(org, [&](Transaction &tx) {
                         return WebhookDeliveryQueue::enqueueTo(tx, endpoint.id, QStringLiteral("webhook.test"), payload, clock.nowMs());
                     }),
                     "enqueue");
    };

    // 2a. Throughput: a backlog of `events`, each enqueued in its own transaction, then drained.
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < events; ++i)
        enqueue();
    const double enqueueS = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    drain(dispatcher, events);
    const double drainS = double(t.nsecsElapsed()) / 1e9;
    std::printf("enqueue (one transaction each): %.0f events/s\n", events / enqueueS);
    std::printf("dispatch (claim, resolve, sign, POST, record): %d events in %.2f s = %.0f events/s (receiver saw %d)\n", events, drainS,
                events / drainS, receiver.requests);

    // 2b. Latency: events enqueued at 100/s while the dispatcher runs every 50 ms (as
    // `serve --webhook-interval 0.05` would); latency = delivered (finished_at) - enqueued.
    QTimer passes;
    QObject::connect(&passes, &QTimer::timeout, &dispatcher, [&] { dispatcher.runOnce(); });
    passes.start(50);
    QTimer producer;
    int produced = 0;
    QEventLoop loop;
    QObject::connect(&producer, &QTimer::timeout, &producer, [&] {
        if (produced < latencyEvents) {
            enqueue();
            ++produced;
        }
    });
    producer.start(10);
    const int before = receiver.requests;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &check, [&] {
        if (receiver.requests - before >= latencyEvents && !dispatcher.isRunning())
            loop.quit();
    });
    check.start(20);
    loop.exec();
    passes.stop();
    producer.stop();
    const auto latencies = orFail(db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<qint64>> {
        auto q = tx.exec(QStringLiteral("SELECT finished_at_ms - created_at_ms FROM signiq.webhook_deliveries "
                                        "WHERE org_id = signiq.current_org() AND state = 'delivered' ORDER BY created_at_ms DESC LIMIT ?"),
                         {latencyEvents});
        if (!q)
            return q.error();
        QList<qint64> out;
        while (q->next())
            out << q->value(0).toLongLong();
        return out;
    }),
                                  "latencies");
    std::printf("queue latency at 100 events/s, passes every 50 ms: p50 %.0f ms, p99 %.0f ms (%lld events)\n", percentile(latencies, 0.5),
                percentile(latencies, 0.99), static_cast<long long>(latencies.size()));
    runScript(script, {QStringLiteral("stop"), pgDir});
    return 0;
}
