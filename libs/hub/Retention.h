#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

namespace signiq::hub {

class Database;

struct RetentionReport {
    QStringList createdPartitions;
    QStringList droppedPartitions;
    QList<std::pair<QString, qint64>> deletedRows; // ("audience_windows <org id>", rows)
};

// Monthly partitions of the window tables and retention by tier (docs/hub.md): run as the
// migration owner (signiq_owner), who owns the partitions. Dates are UTC days; pass them
// explicitly (tests) or take today from a core::Clock (the CLI).
class Retention {
public:
    // Months ahead created by run(): the current month and the next kMonthsAhead.
    static constexpr int kMonthsAhead = 3;

    // Creates the missing partitions of both window tables for the months from `from` to
    // `through` (inclusive). Returns the names created (empty when all existed).
    [[nodiscard]] static core::Result<QStringList> createPartitions(Database &db, QDate from, QDate through);
    // Creates the upcoming partitions (this month .. +kMonthsAhead), drops the partitions that
    // end on or before today - the longest tier history, and deletes each organisation's rows
    // older than its own tier's history. One transaction.
    [[nodiscard]] static core::Result<RetentionReport> run(Database &db, QDate today);
    [[nodiscard]] static core::Result<RetentionReport> run(Database &db, const core::Clock &clock);
    // Today in UTC according to `clock`.
    static QDate utcDay(const core::Clock &clock);
};

} // namespace signiq::hub
