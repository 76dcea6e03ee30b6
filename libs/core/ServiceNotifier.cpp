#include "core/ServiceNotifier.h"

#include "core/CoreLog.h"

#include <QtGlobal>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace signiq::core {

ServiceNotifier::ServiceNotifier(QString socketPath, qint64 watchdogIntervalUs)
    : m_socketPath(std::move(socketPath))
    , m_watchdogUs(std::max<qint64>(0, watchdogIntervalUs))
{
}

ServiceNotifier ServiceNotifier::fromEnvironment()
{
    const QString socket = qEnvironmentVariable("NOTIFY_SOCKET");
    qint64 watchdogUs = 0;
    bool ok = false;
    const qint64 usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    if (ok && usec > 0) {
        const QString pid = qEnvironmentVariable("WATCHDOG_PID");
        if (pid.isEmpty() || pid.toLongLong() == qint64(::getpid()))
            watchdogUs = usec;
    }
    if (!socket.isEmpty())
        qCDebug(lcCore) << "service notifications to" << socket << "watchdog" << watchdogUs << "us";
    return ServiceNotifier(socket, watchdogUs);
}

qint64 ServiceNotifier::watchdogPingIntervalMs() const
{
    if (!enabled() || m_watchdogUs <= 0)
        return 0;
    return std::max<qint64>(1, m_watchdogUs / 2000);
}

Status ServiceNotifier::notify(const QByteArray &state) const
{
    if (!enabled())
        return {};
    const QByteArray path = m_socketPath.toUtf8();
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    if (path.size() >= qsizetype(sizeof(address.sun_path)))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("NOTIFY_SOCKET '%1' is too long").arg(m_socketPath));
    if (path.front() != '/' && path.front() != '@')
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("NOTIFY_SOCKET '%1' is neither an absolute path nor @abstract").arg(m_socketPath));
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
    socklen_t length = socklen_t(offsetof(sockaddr_un, sun_path) + size_t(path.size()));
    if (path.front() == '@')
        address.sun_path[0] = '\0'; // abstract namespace: no terminating NUL counted
    else
        length += 1;

    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return makeError(ErrorCode::Io, QStringLiteral("notify socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    ssize_t sent = -1;
    do {
        sent = ::sendto(fd, state.constData(), size_t(state.size()), MSG_NOSIGNAL, reinterpret_cast<const sockaddr *>(&address), length);
    } while (sent < 0 && errno == EINTR);
    const int error = errno;
    ::close(fd);
    if (sent != ssize_t(state.size()))
        return makeError(ErrorCode::Io, QStringLiteral("cannot notify %1 (%2): %3")
                                            .arg(m_socketPath, QString::fromUtf8(state), QString::fromLocal8Bit(std::strerror(error))));
    return {};
}

} // namespace signiq::core
