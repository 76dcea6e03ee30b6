#include "hub/Retention.h"

#include "hub/Database.h"
#include "hub/HubLog.h"

#include <QDateTime>
#include <QTimeZone>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

QString isoDate(QDate d)
{
    return d.toString(Qt::ISODate);
}

core::Result<QStringList> createIn(Transaction &tx, QDate from, QDate through)
{
    auto q = tx.exec(QStringLiteral("SELECT signiq.create_window_partitions(CAST(? AS date), CAST(? AS date))"), {isoDate(from), isoDate(through)});
    if (!q)
        return q.error();
    QStringList created;
    while (q->next())
        created << q->value(0).toString();
    return created;
}

} // namespace

QDate Retention::utcDay(const core::Clock &clock)
{
    return QDateTime::fromMSecsSinceEpoch(clock.nowMs(), QTimeZone::utc()).date();
}

core::Result<QStringList> Retention::createPartitions(Database &db, QDate from, QDate through)
{
    if (!from.isValid() || !through.isValid() || through < from)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad partition range %1 .. %2").arg(isoDate(from), isoDate(through)));
    return db.maintenance([&](Transaction &tx) { return createIn(tx, from, through); });
}

core::Result<RetentionReport> Retention::run(Database &db, QDate today)
{
    if (!today.isValid())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("retention needs a valid date"));
    return db.maintenance([&](Transaction &tx) -> core::Result<RetentionReport> {
        RetentionReport report;
        const QDate first(today.year(), today.month(), 1);
        auto created = createIn(tx, first, first.addMonths(kMonthsAhead));
        if (!created)
            return created.error();
        report.createdPartitions = *created;
        auto q = tx.exec(QStringLiteral("SELECT action, target, row_count FROM signiq.apply_retention(CAST(? AS date))"), {isoDate(today)});
        if (!q)
            return q.error();
        while (q->next()) {
            if (q->value(0).toString() == QLatin1String("drop"))
                report.droppedPartitions << q->value(1).toString();
            else
                report.deletedRows.append({q->value(1).toString(), q->value(2).toLongLong()});
        }
        qCInfo(lcHub) << "retention" << isoDate(today) << "created" << report.createdPartitions.size() << "dropped"
                      << report.droppedPartitions.size() << "deleted from" << report.deletedRows.size() << "tables";
        return report;
    });
}

core::Result<RetentionReport> Retention::run(Database &db, const core::Clock &clock)
{
    return run(db, utcDay(clock));
}

} // namespace signiq::hub
