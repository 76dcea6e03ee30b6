// The sd_notify protocol against a real AF_UNIX datagram socket standing in for systemd.
#include "core/ServiceNotifier.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using signiq::core::ServiceNotifier;

namespace {

// A bound datagram socket ("systemd"); receive() returns the next datagram or "" after 1 s.
class FakeSystemd {
public:
    explicit FakeSystemd(const QByteArray &name, bool abstract)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, name.constData(), size_t(name.size()));
        socklen_t length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(name.size()) + (abstract ? 0 : 1));
        if (abstract)
            address.sun_path[0] = '\0';
        m_bound = ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), length) == 0;
        timeval timeout{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~FakeSystemd() { ::close(m_fd); }
    bool bound() const { return m_bound; }
    QByteArray receive()
    {
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        return n > 0 ? QByteArray(buffer, n) : QByteArray();
    }

private:
    int m_fd = -1;
    bool m_bound = false;
};

} // namespace

class TestServiceNotifier : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        qunsetenv("NOTIFY_SOCKET");
        qunsetenv("WATCHDOG_USEC");
        qunsetenv("WATCHDOG_PID");
    }

    void sendsStatesToAPathSocket()
    {
        QTemporaryDir dir;
        const QByteArray path = QDir(dir.path()).filePath(QStringLiteral("notify")).toUtf8();
        FakeSystemd systemd(path, false);
        QVERIFY(systemd.bound());
        qputenv("NOTIFY_SOCKET", path);
        const ServiceNotifier notifier = ServiceNotifier::fromEnvironment();
        QVERIFY(notifier.enabled());
        QVERIFY(notifier.ready().ok());
        QCOMPARE(systemd.receive(), QByteArray("READY=1"));
        QVERIFY(notifier.watchdog().ok());
        QCOMPARE(systemd.receive(), QByteArray("WATCHDOG=1"));
        QVERIFY(notifier.status(QStringLiteral("3 zones, 25 fps")).ok());
        QCOMPARE(systemd.receive(), QByteArray("STATUS=3 zones, 25 fps"));
        QVERIFY(notifier.stopping().ok());
        QCOMPARE(systemd.receive(), QByteArray("STOPPING=1"));
    }

    void sendsToAnAbstractSocket()
    {
        const QByteArray name = "@signiq-test-notify-" + QByteArray::number(qint64(::getpid()));
        FakeSystemd systemd(name, true);
        QVERIFY(systemd.bound());
        const ServiceNotifier notifier(QString::fromUtf8(name), 0);
        QVERIFY(notifier.ready().ok());
        QCOMPARE(systemd.receive(), QByteArray("READY=1"));
    }

    void isANoOpOutsideSystemd()
    {
        const ServiceNotifier notifier = ServiceNotifier::fromEnvironment();
        QVERIFY(!notifier.enabled());
        QVERIFY(notifier.ready().ok());
        QCOMPARE(notifier.watchdogPingIntervalMs(), 0);
    }

    void reportsAMissingSocket()
    {
        QTemporaryDir dir;
        const ServiceNotifier notifier(QDir(dir.path()).filePath(QStringLiteral("absent")), 0);
        const auto sent = notifier.ready();
        QVERIFY(!sent.ok());
        QVERIFY2(sent.error().message.contains(QStringLiteral("absent")), qPrintable(sent.error().message));
    }

    void rejectsARelativeSocketName()
    {
        const ServiceNotifier notifier(QStringLiteral("relative/notify"), 0);
        const auto sent = notifier.ready();
        QVERIFY(!sent.ok());
        QCOMPARE(sent.error().code, signiq::core::ErrorCode::InvalidArgument);
    }

    void watchdogPingsAtHalfTheInterval_data()
    {
        QTest::addColumn<QByteArray>("usec");
        QTest::addColumn<QByteArray>("pid");
        QTest::addColumn<qint64>("expectedMs");
        const QByteArray self = QByteArray::number(qint64(::getpid()));
        QTest::newRow("30 s") << QByteArray("30000000") << QByteArray() << qint64(15000);
        QTest::newRow("for this pid") << QByteArray("60000000") << self << qint64(30000);
        QTest::newRow("for another pid") << QByteArray("60000000") << QByteArray::number(qint64(::getpid()) + 1) << qint64(0);
        QTest::newRow("garbage") << QByteArray("soon") << QByteArray() << qint64(0);
    }

    void watchdogPingsAtHalfTheInterval()
    {
        QFETCH(QByteArray, usec);
        QFETCH(QByteArray, pid);
        QFETCH(qint64, expectedMs);
        qputenv("NOTIFY_SOCKET", "/run/systemd/notify");
        qputenv("WATCHDOG_USEC", usec);
        if (!pid.isEmpty())
            qputenv("WATCHDOG_PID", pid);
        QCOMPARE(ServiceNotifier::fromEnvironment().watchdogPingIntervalMs(), expectedMs);
    }
};

QTEST_GUILESS_MAIN(TestServiceNotifier)
#include "TestServiceNotifier.moc"
