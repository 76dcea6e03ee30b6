#pragma once

#include "core/AudienceWindow.h"
#include "hub/ConnectionOptions.h"
#include "hub/Database.h"
#include "hub/Migrations.h"

#include <QDateTime>
#include <QDir>
#include <QTimeZone>
#include <QFileInfo>
#include <QTest>

namespace signiq::hub::test {

// The private cluster of the CTest fixture (tests/hub/CMakeLists.txt). A missing cluster is a
// failure ("fixture missing"), never a skip.
inline QString clusterDir()
{
    return qEnvironmentVariable("SIGNIQ_TEST_PG_DIR");
}

inline ConnectionOptions options(const QString &user, const QString &dbname)
{
    ConnectionOptions o;
    o.host = clusterDir();
    o.port = qEnvironmentVariableIntValue("SIGNIQ_TEST_PG_PORT");
    o.dbname = dbname;
    o.user = user;
    o.passwordFile = QDir(clusterDir()).filePath(QStringLiteral("credentials/%1.password").arg(user));
    return o;
}

// Fails the calling test (QVERIFY2 semantics) when the fixture or the connection is missing.
inline std::optional<Database> connect(const QString &user, const QString &dbname, QString *why)
{
    if (clusterDir().isEmpty() || !QFileInfo::exists(QDir(clusterDir()).filePath(QStringLiteral("port")))) {
        *why = QStringLiteral("fixture missing: PostgreSQL cluster (SIGNIQ_TEST_PG_DIR=%1); run through ctest").arg(clusterDir());
        return std::nullopt;
    }
    auto db = Database::open(options(user, dbname));
    if (!db) {
        *why = db.error().toString();
        return std::nullopt;
    }
    return std::move(db).value();
}

inline core::AudienceWindow window(const QString &zone, qint64 startMs, int seed)
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
    w.transitionsTo = {{QStringLiteral("queue"), seed}};
    w.viewers = seed;
    w.attentionEvents = seed + 2;
    w.attentionTimeS = 3.5 * seed;
    w.confidence = 0.875;
    w.qualityFlags = core::QualityLowLight;
    w.modelVersion = QStringLiteral("person-detector@3f2a9c01");
    w.calibrationVersion = QStringLiteral("cal-%1").arg(seed);
    return w;
}

inline core::DemographicWindow demographic(const QString &zone, qint64 startMs)
{
    core::DemographicWindow w;
    w.zone = zone;
    w.startMs = startMs;
    w.endMs = startMs + 5 * 60'000;
    w.k = 10;
    w.counts[2][0] = 12;
    w.counts[3][1] = 15;
    w.suppressed[0][0] = true;
    w.modelVersion = QStringLiteral("age-gender@0badc0de");
    w.calibrationVersion = QStringLiteral("cal-1");
    return w;
}

// ms since the epoch of a UTC date and time.
inline qint64 utcMs(int y, int m, int d, int hour = 12)
{
    return QDateTime(QDate(y, m, d), QTime(hour, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

} // namespace signiq::hub::test
