#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::core {

// systemd's service notification protocol (sd_notify(3), Type=notify with WatchdogSec=) without
// libsystemd: one datagram "KEY=VALUE\n..." to the AF_UNIX socket named by $NOTIFY_SOCKET (a path,
// or "@name" for the abstract namespace). Outside systemd (no $NOTIFY_SOCKET) every call is a
// successful no-op, so the programs behave the same on a terminal.
class ServiceNotifier {
public:
    ServiceNotifier() = default;
    // socketPath "" = disabled; watchdogIntervalUs 0 = no watchdog.
    ServiceNotifier(QString socketPath, qint64 watchdogIntervalUs);

    // $NOTIFY_SOCKET, $WATCHDOG_USEC (honoured only if $WATCHDOG_PID is unset or this process).
    static ServiceNotifier fromEnvironment();

    bool enabled() const { return !m_socketPath.isEmpty(); }
    // How often to send WATCHDOG=1: half the unit's WatchdogSec=, 0 without a watchdog.
    qint64 watchdogPingIntervalMs() const;

    [[nodiscard]] Status notify(const QByteArray &state) const;
    [[nodiscard]] Status ready() const { return notify("READY=1"); }
    [[nodiscard]] Status watchdog() const { return notify("WATCHDOG=1"); }
    [[nodiscard]] Status stopping() const { return notify("STOPPING=1"); }
    [[nodiscard]] Status status(const QString &text) const { return notify("STATUS=" + text.toUtf8()); }

private:
    QString m_socketPath;
    qint64 m_watchdogUs = 0;
};

} // namespace signiq::core
