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
    if (windows.size() > kMaxBatch)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("at most %1 windows per insert (got %2)").arg(kMaxBatch).arg(windows.size()));
    if (windows.isEmpty())
        return 0;
    QJsonArray rows;
    for (const core::AudienceWindow &w : windows) {
        rows.append(QJsonObject{{QStringLiteral("zone"), w.zone},
                                {QStringLiteral("start_ms"), w.startMs},
                                {QStringLiteral("end_ms"), w.endMs},
                                {QStringLiteral("ots"), w.ots},
                                {QStringLiteral("entries"), w.entries},
                                {QStringLiteral("exits"), w.exits},
                                {QStringLiteral("mean_occupancy"), w.meanOccupancy},
                                {QStringLiteral("peak_occupancy"), w.peakOccupancy},
                                {QStringLiteral("viewers"), w.viewers},
                                {QStringLiteral("attention_time_s"), w.attentionTimeS},
                                {QStringLiteral("confidence"), w.confidence},
                                {QStringLiteral("quality_flags"), qint64(w.qualityFlags)},
                                {QStringLiteral("model_version"), w.modelVersion},
                                {QStringLiteral("calibration_version"), w.calibrationVersion},
                                {QStringLiteral("window"), w.toJson()}});
    }
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<int> {
        if (core::Status known = requireDevice(tx, org, device); !known)
            return known.error();
        auto q = tx.exec(QStringLiteral(R"sql(
INSERT INTO signiq.audience_windows (org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy,
        peak_occupancy, viewers, attention_time_s, confidence, quality_flags, model_version, calibration_version, window_json)
SELECT CAST(? AS uuid), CAST(? AS uuid), r->>'zone',
       to_timestamp(CAST(r->>'start_ms' AS bigint) / 1000.0), to_timestamp(CAST(r->>'end_ms' AS bigint) / 1000.0),
       CAST(r->>'ots' AS integer), CAST(r->>'entries' AS integer), CAST(r->>'exits' AS integer),
       CAST(r->>'mean_occupancy' AS double precision), CAST(r->>'peak_occupancy' AS integer), CAST(r->>'viewers' AS integer),
       CAST(r->>'attention_time_s' AS double precision), CAST(r->>'confidence' AS double precision),
       CAST(r->>'quality_flags' AS bigint), r->>'model_version', r->>'calibration_version', r->'window'
  FROM jsonb_array_elements(CAST(? AS jsonb)) AS r
ON CONFLICT (org_id, device_id, zone, start_at) DO UPDATE SET
       end_at = EXCLUDED.end_at, ots = EXCLUDED.ots, entries = EXCLUDED.entries, exits = EXCLUDED.exits,
       mean_occupancy = EXCLUDED.mean_occupancy, peak_occupancy = EXCLUDED.peak_occupancy, viewers = EXCLUDED.viewers,
       attention_time_s = EXCLUDED.attention_time_s, confidence = EXCLUDED.confidence, quality_flags = EXCLUDED.quality_flags,
       model_version = EXCLUDED.model_version, calibration_version = EXCLUDED.calibration_version,
       window_json = EXCLUDED.window_json, received_at = now())sql"),
                         {uuidParam(org), uuidParam(device), jsonText(rows)});
        if (!q)
            return insertError(q.error());
        return q->numRowsAffected();
    });
}

core::Result<int> WindowRepository::insertDemographic(const QUuid &org, const QUuid &device, const QList<core::DemographicWindow> &windows)
{
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
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<int> {
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
    });
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

} // namespace signiq::hub
