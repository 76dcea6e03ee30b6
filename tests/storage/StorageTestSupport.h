#pragma once

#include "core/AudienceWindow.h"

#include <QByteArray>
#include <QString>

namespace signiq::storage::test {

// A deterministic 32-byte key; different seeds give different keys.
inline QByteArray testKey(int seed = 1)
{
    QByteArray key(32, '\0');
    for (int i = 0; i < key.size(); ++i)
        key[i] = char((seed * 31 + i * 7) & 0xff);
    return key;
}

// A window with every field set to something that depends on `seed`.
inline core::AudienceWindow sampleWindow(const QString &zone, qint64 startMs, int seed = 1)
{
    core::AudienceWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + 60'000;
    w.ots = 10 + seed;
    w.entries = 7 + seed;
    w.exits = 6 + seed;
    w.meanOccupancy = 1.25 + seed / 8.0;
    w.peakOccupancy = 4 + seed;
    w.dwellBands = {seed, 2 * seed, 3, 0, seed % 3};
    w.meanDwellS = 12.5 + seed;
    w.lineIn = seed;
    w.lineOut = seed + 1;
    if (seed % 2)
        w.transitionsTo = {{QStringLiteral("queue"), seed}, {QStringLiteral("exit \"door\""), 2}};
    w.confidence = 0.875;
    w.qualityFlags = quint32(seed) & (core::QualityLowLight | core::QualityUncalibrated);
    w.modelVersion = QStringLiteral("person-detector@3f2a9c01");
    w.calibrationVersion = QStringLiteral("cal-%1").arg(seed);
    return w;
}

} // namespace signiq::storage::test
