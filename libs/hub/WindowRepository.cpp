#include "hub/WindowRepository.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"
#include "protocol/Paging.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr int kMaxLimit = 1000;
constexpr int kMaxBatch = 10000;

core::Status requireDevice(Transaction &tx, const QUuid &org, const QUuid &device)
{
    auto q = tx.exec(QStringLiteral("SELECT 1 FROM signiq.devices WHERE org_id = ? AND device_id = ?"), {uuidParam(org), uuidParam(device)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown device %1").arg(device.toString(QUuid::WithoutBraces)));
    return {};
}

core::Error insertError(const core::Error &error)
{
    if (error.message.contains(QLatin1String("no partition of relation")))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a window falls in a month without a partition (create it with `signiq-hub retention run`, "
                                        "or it is older than any retention): %1")
                             .arg(error.message));
    return error;
}

QString jsonText(const QJsonArray &rows)
{
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

// WHERE clause and parameters of a query (only the filters given, so partitions are pruned).
struct Filter {
    QString where;
    QVariantList params;
};

core::Result<Filter> filterFor(const QUuid &org, const WindowQuery &query)
{
    if (query.limit < 1 || query.limit > kMaxLimit)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("limit %1 is out of range (1..%2)").arg(query.limit).arg(kMaxLimit));
    if (query.offset < 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("offset %1 is negative").arg(query.offset));
    if (query.fromMs && query.toMs && *query.toMs < *query.fromMs)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'to' is before 'from'"));
    Filter f;
    f.where = QStringLiteral("w.org_id = ?");
    f.params << uuidParam(org);
    if (query.deviceId) {
        f.where += QStringLiteral(" AND w.device_id = ?");
        f.params << uuidParam(*query.deviceId);
    }
    if (query.siteId) {
        f.where += QStringLiteral(" AND w.device_id IN (SELECT d.device_id FROM signiq.devices AS d WHERE d.org_id = ? AND d.site_id = ?)");
        f.params << uuidParam(org) << uuidParam(*query.siteId);
    }
    if (query.zone) {
        f.where += QStringLiteral(" AND w.zone = ?");
        f.params << *query.zone;
    }
    if (query.fromMs) {
        f.where += QStringLiteral(" AND w.start_at >= ") + msToSql();
        f.params << *query.fromMs;
    }
    if (query.toMs) {
        f.where += QStringLiteral(" AND w.start_at < ") + msToSql();
        f.params << *query.toMs;
    }
    return f;
}

template <typename Window>
core::Result<WindowPage<StoredWindowT<Window>>> queryWindows(Database &db, const QString &table, const QUuid &org, const WindowQuery &query)
{
    auto filter = filterFor(org, query);
    if (!filter)
        return filter.error();
    return db.inOrg(org, [&](Transaction &tx) -> core::Result<WindowPage<StoredWindowT<Window>>> {
        auto count = tx.exec(QStringLiteral("SELECT count(*) FROM %1 AS w WHERE %2").arg(table, filter->where), filter->params);
        if (!count)
            return count.error();
        WindowPage<StoredWindowT<Window>> page;
        page.total = count->next() ? count->value(0).toLongLong() : 0;
        QVariantList params = filter->params;
        params << query.limit << query.offset;
        auto q = tx.exec(QStringLiteral("SELECT w.device_id, w.window_json::text FROM %1 AS w WHERE %2 "
                                        "ORDER BY w.start_at, w.device_id, w.zone LIMIT ? OFFSET ?")
                             .arg(table, filter->where),
                         params);
        if (!q)
            return q.error();
        while (q->next()) {
            auto window = Window::fromJson(QJsonDocument::fromJson(q->value(1).toString().toUtf8()).object());
            if (!window)
                return makeError(ErrorCode::Corrupt, QStringLiteral("a stored window does not parse: %1").arg(window.error().message));
            page.items.append({uuidValue(q->value(0)), std::move(window).value()});
        }
        page.nextOffset = protocol::PageInfo::of(page.total, query.offset, query.limit, page.items.size()).nextOffset;
        return page;
    });
}

} // namespace

core::Result<int> WindowRepository::insertAudience(const QUuid &org, const QUuid &device, const QList<core::AudienceWindow> &windows)
{
    if (windows.isEmpty())
        return 0;
    return m_db.inOrg(org, [&](Transaction &tx) { return insertAudience(tx, device, windows); });
}

core::Result<int> WindowRepository::insertAudience(Transaction &tx, const QUuid &device, const QList<core::AudienceWindow> &windows)
{
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("windows are inserted in an organisation's transaction only"));
    const QUuid org = *tx.org();
    if (windows.size() > kMaxBatch)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("at most %1 windows per insert (got %2)").arg(kMaxBatch).arg(windows.size()));
    if (windows.isEmpty())
        return 0;
    // One array per column, unnested in SQL: the server parses flat arrays and one small JSON
    // document per window, not one large JSON array of objects to take apart field by field
    // (3x faster on the server for a 500-window batch: bench/hub, docs/hub.md "Benchmarks").
    QStringList zones, models, calibrations, documents;
    QList<qint64> starts, ends, ots, entries, exits, peaks, viewers, flags;
    QList<double> occupancies, attention, confidences;
    for (const core::AudienceWindow &w : windows) {
        zones << w.zone;
        starts << w.startMs;
        ends << w.endMs;
        ots << w.ots;
        entries << w.entries;
        exits << w.exits;
        occupancies << w.meanOccupancy;
        peaks << w.peakOccupancy;
        viewers << w.viewers;
        attention << w.attentionTimeS;
        confidences << w.confidence;
        flags << qint64(w.qualityFlags);
        models << w.modelVersion;
        calibrations << w.calibrationVersion;
        documents << QString::fromUtf8(QJsonDocument(w.toJson()).toJson(QJsonDocument::Compact));
    }
    if (core::Status known = requireDevice(tx, org, device); !known)
        return known.error();
    auto q = tx.exec(QStringLiteral(R"sql(
INSERT INTO signiq.audience_windows (org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy,
        peak_occupancy, viewers, attention_time_s, confidence, quality_flags, model_version, calibration_version, window_json)
SELECT CAST(? AS uuid), CAST(? AS uuid), r.zone, to_timestamp(r.start_ms / 1000.0), to_timestamp(r.end_ms / 1000.0),
       r.ots, r.entries, r.exits, r.mean_occupancy, r.peak_occupancy, r.viewers, r.attention_time_s, r.confidence,
       r.quality_flags, r.model_version, r.calibration_version, CAST(r.window_json AS jsonb)
  FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS integer[]), CAST(? AS integer[]),
              CAST(? AS integer[]), CAST(? AS double precision[]), CAST(? AS integer[]), CAST(? AS integer[]),
              CAST(? AS double precision[]), CAST(? AS double precision[]), CAST(? AS bigint[]), CAST(? AS text[]),
              CAST(? AS text[]), CAST(? AS text[]))
       AS r(zone, start_ms, end_ms, ots, entries, exits, mean_occupancy, peak_occupancy, viewers, attention_time_s, confidence,
            quality_flags, model_version, calibration_version, window_json)
ON CONFLICT (org_id, device_id, zone, start_at) DO UPDATE SET
       end_at = EXCLUDED.end_at, ots = EXCLUDED.ots, entries = EXCLUDED.entries, exits = EXCLUDED.exits,
       mean_occupancy = EXCLUDED.mean_occupancy, peak_occupancy = EXCLUDED.peak_occupancy, viewers = EXCLUDED.viewers,
       attention_time_s = EXCLUDED.attention_time_s, confidence = EXCLUDED.confidence, quality_flags = EXCLUDED.quality_flags,
       model_version = EXCLUDED.model_version, calibration_version = EXCLUDED.calibration_version,
       window_json = EXCLUDED.window_json, received_at = now())sql"),
                     {uuidParam(org), uuidParam(device), textArrayParam(zones), integerArrayParam(starts), integerArrayParam(ends),
                      integerArrayParam(ots), integerArrayParam(entries), integerArrayParam(exits), doubleArrayParam(occupancies),
                      integerArrayParam(peaks), integerArrayParam(viewers), doubleArrayParam(attention), doubleArrayParam(confidences),
                      integerArrayParam(flags), textArrayParam(models), textArrayParam(calibrations), textArrayParam(documents)});
    if (!q)
        return insertError(q.error());
    return q->numRowsAffected();
}

core::Result<int> WindowRepository::insertDemographic(const QUuid &org, const QUuid &device, const QList<core::DemographicWindow> &windows)
{
    if (windows.isEmpty())
        return 0;
    return m_db.inOrg(org, [&](Transaction &tx) { return insertDemographic(tx, device, windows); });
}

core::Result<int> WindowRepository::insertDemographic(Transaction &tx, const QUuid &device, const QList<core::DemographicWindow> &windows)
{
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("windows are inserted in an organisation's transaction only"));
    const QUuid org = *tx.org();
    if (windows.size() > kMaxBatch)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("at most %1 windows per insert (got %2)").arg(kMaxBatch).arg(windows.size()));
    if (windows.isEmpty())
        return 0;
    QJsonArray rows;
    for (const core::DemographicWindow &w : windows) {
        rows.append(QJsonObject{{QStringLiteral("zone"), w.zone},
                                {QStringLiteral("start_ms"), w.startMs},
                                {QStringLiteral("end_ms"), w.endMs},
                                {QStringLiteral("k"), w.k},
                                {QStringLiteral("model_version"), w.modelVersion},
                                {QStringLiteral("calibration_version"), w.calibrationVersion},
                                {QStringLiteral("window"), w.toJson()}});
    }
    if (core::Status known = requireDevice(tx, org, device); !known)
        return known.error();
    auto q = tx.exec(QStringLiteral(R"sql(
INSERT INTO signiq.demographic_windows (org_id, device_id, zone, start_at, end_at, k, model_version, calibration_version, window_json)
SELECT CAST(? AS uuid), CAST(? AS uuid), r->>'zone',
       to_timestamp(CAST(r->>'start_ms' AS bigint) / 1000.0), to_timestamp(CAST(r->>'end_ms' AS bigint) / 1000.0),
       CAST(r->>'k' AS integer), r->>'model_version', r->>'calibration_version', r->'window'
  FROM jsonb_array_elements(CAST(? AS jsonb)) AS r
ON CONFLICT (org_id, device_id, zone, start_at) DO UPDATE SET
       end_at = EXCLUDED.end_at, k = EXCLUDED.k, model_version = EXCLUDED.model_version,
       calibration_version = EXCLUDED.calibration_version, window_json = EXCLUDED.window_json, received_at = now())sql"),
                     {uuidParam(org), uuidParam(device), jsonText(rows)});
    if (!q)
        return insertError(q.error());
    return q->numRowsAffected();
}

core::Result<QList<FlowRow>> WindowRepository::flow(const QUuid &org, const WindowQuery &query, int maxRows)
{
    if (maxRows < 1 || maxRows > MaxFlowRows)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("flow rows %1 out of range (1..%2)").arg(maxRows).arg(MaxFlowRows));
    WindowQuery filters = query;
    filters.limit = 1;
    filters.offset = 0;
    auto filter = filterFor(org, filters);
    if (!filter)
        return filter.error();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<FlowRow>> {
        // transitions_to is {"<to zone>": moves, ...} in the window as the device sent it
        // (core::AudienceWindow); anything that is not an object counts as no moves.
        QVariantList params = filter->params;
        params << maxRows + 1;
        auto q = tx.exec(QStringLiteral("SELECT w.device_id, w.zone, t.key, sum(CAST(t.value AS bigint)) "
                                        "FROM signiq.audience_windows AS w "
                                        "CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(w.window_json->'transitions_to') = 'object' "
                                        "THEN w.window_json->'transitions_to' ELSE CAST('{}' AS jsonb) END) AS t "
                                        "WHERE %1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ?")
                             .arg(filter->where),
                         params);
        if (!q)
            return q.error();
        QList<FlowRow> rows;
        while (q->next())
            rows.append({uuidValue(q->value(0)), q->value(1).toString(), q->value(2).toString(), q->value(3).toLongLong()});
        return rows;
    });
}

core::Result<WindowPage<StoredAudienceWindow>> WindowRepository::queryAudience(const QUuid &org, const WindowQuery &query)
{
    return queryWindows<core::AudienceWindow>(m_db, QStringLiteral("signiq.audience_windows"), org, query);
}

core::Result<WindowPage<StoredDemographicWindow>> WindowRepository::queryDemographic(const QUuid &org, const WindowQuery &query)
{
    return queryWindows<core::DemographicWindow>(m_db, QStringLiteral("signiq.demographic_windows"), org, query);
}

core::Result<Trends> WindowRepository::trends(const QUuid &org, const TrendQuery &query)
{
    if (query.toMs <= query.fromMs)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'to' must be after 'from'"));
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Trends> {
        // Windows joined to their device's site, with their local start time
        // (start_at AT TIME ZONE <the site's zone, or the override>), grouped in SQL.
        const QString local = QStringLiteral(
                                  "(SELECT s.site_id, w.ots, w.entries, "
                                  "w.start_at AT TIME ZONE COALESCE(CAST(? AS text), s.time_zone) AS local_at "
                                  "FROM signiq.audience_windows AS w "
                                  "JOIN signiq.devices AS d ON d.org_id = w.org_id AND d.device_id = w.device_id "
                                  "JOIN signiq.sites AS s ON s.org_id = d.org_id AND s.site_id = d.site_id "
                                  "WHERE w.org_id = CAST(? AS uuid) AND w.start_at >= %1 AND w.start_at < %1 "
                                  "AND (CAST(? AS uuid) IS NULL OR s.site_id = CAST(? AS uuid))) AS t")
                                  .arg(msToSql());
        const QVariant zone = query.timeZone ? QVariant(*query.timeZone) : QVariant();
        const QVariantList params{zone, uuidParam(org), query.fromMs, query.toMs, optionalUuidParam(query.siteId), optionalUuidParam(query.siteId)};
        Trends trends;
        auto grid = tx.exec(QStringLiteral("SELECT CAST(extract(isodow FROM t.local_at) AS integer), CAST(extract(hour FROM t.local_at) AS integer), "
                                           "sum(t.ots), sum(t.entries), count(*) FROM %1 GROUP BY 1, 2 ORDER BY 1, 2")
                                .arg(local),
                            params);
        if (!grid)
            return grid.error();
        while (grid->next())
            trends.hourOfWeek.append({grid->value(0).toInt(), grid->value(1).toInt(), grid->value(2).toLongLong(), grid->value(3).toLongLong(),
                                      grid->value(4).toLongLong()});
        auto days = tx.exec(QStringLiteral("SELECT t.site_id, to_char(t.local_at, 'YYYY-MM-DD'), sum(t.ots), sum(t.entries), count(*) "
                                           "FROM %1 GROUP BY 1, 2 ORDER BY 1, 2")
                                .arg(local),
                            params);
        if (!days)
            return days.error();
        while (days->next())
            trends.daily.append({uuidValue(days->value(0)), days->value(1).toString(), days->value(2).toLongLong(), days->value(3).toLongLong(),
                                 days->value(4).toLongLong()});
        return trends;
    });
}

} // namespace signiq::hub
