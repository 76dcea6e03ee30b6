#pragma once

// Small builders shared by the console tests (header-only, no test class here).

#include "protocol/AuditChain.h"
#include "core/AudienceWindow.h"

#include <QList>
#include <QString>

namespace signiq::console::testdata {

inline constexpr qint64 MinuteMs = 60'000;
inline constexpr qint64 HourMs = 60 * MinuteMs;
inline constexpr qint64 DayMs = 24 * HourMs;
// Monday 2024-01-01 00:00:00 UTC.
inline constexpr qint64 Monday = 1'704'067'200'000;

inline core::AudienceWindow window(const QString &zone, qint64 startMs, int ots, double meanOccupancy = 0.0)
{
    core::AudienceWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + MinuteMs;
    w.ots = ots;
    w.viewers = ots / 2;
    w.entries = ots;
    w.exits = ots;
    w.meanOccupancy = meanOccupancy;
    w.peakOccupancy = int(meanOccupancy + 0.999);
    w.attentionTimeS = meanOccupancy * 60.0 / 4.0; // a quarter of the person time
    w.attentionRate = meanOccupancy > 0 ? 0.25 : 0.0;
    w.dwellBands[0] = ots;
    return w;
}

inline QList<protocol::AuditEntry> auditChain(int n, qint64 startMs = Monday)
{
    QList<protocol::AuditEntry> entries;
    for (int i = 0; i < n; ++i) {
        protocol::AuditEntry e;
        e.timestampMs = startMs + i * HourMs;
        e.actor = i % 2 ? QStringLiteral("k3x9m2p7q4ad") : QStringLiteral("cli");
        e.sourceIp = QStringLiteral("192.0.2.1");
        e.action = i % 3 ? QStringLiteral("key.create") : QStringLiteral("zones.update");
        e.target = QStringLiteral("t%1").arg(i);
        e.result = QStringLiteral("ok");
        entries.append(protocol::AuditChain::link(e, entries.isEmpty() ? nullptr : &entries.constLast()));
    }
    return entries;
}

} // namespace signiq::console::testdata
