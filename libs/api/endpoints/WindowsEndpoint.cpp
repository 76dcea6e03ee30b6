#include "api/endpoints/WindowsEndpoint.h"

#include "protocol/Csv.h"
#include "protocol/Paging.h"

#include "api/RequestDecoding.h"
#include "core/AudienceWindow.h"
#include "storage/WindowRepository.h"

#include <QJsonArray>

namespace signiq::api {


void WindowsEndpoint::addRoutes(RouteTable &routes)
{
    const auto route = [this](Kind kind) { return [this, kind](const ApiRequest &r, const Caller &c) { return windows(r, c, kind); }; };
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/windows"), {Scope::Analytics}, false, route(Kind::Json), {}});
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/windows.csv"), {Scope::Export}, false, route(Kind::Csv), {}});
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/demographics"), {Scope::Analytics}, false, route(Kind::Demographics), {}});
}

QByteArray WindowsEndpoint::windowsCsv(const QList<core::AudienceWindow> &windows)
{
    QString out = QStringLiteral(
        "zone,start,end,ots,entries,exits,mean_occupancy,peak_occupancy,dwell_0_5,dwell_5_15,dwell_15_30,dwell_30_60,"
        "dwell_60_plus,mean_dwell_s,line_in,line_out,viewers,attention_events,attention_time_s,attention_rate,"
        "mean_speed_mps,walk_toward_s,walk_away_s,walk_left_s,walk_right_s,confidence,"
        "quality_flags,model_version,calibration_version\n");
    // Calibrated-only metrics are empty fields when not measured.
    for (const auto &w : windows) {
        QStringList f{protocol::csvCell(w.zone), isoTime(w.startMs), isoTime(w.endMs), QString::number(w.ots), QString::number(w.entries),
                      QString::number(w.exits), QString::number(w.meanOccupancy), QString::number(w.peakOccupancy)};
        for (int band : w.dwellBands)
            f << QString::number(band);
        f << QString::number(w.meanDwellS) << QString::number(w.lineIn) << QString::number(w.lineOut) << QString::number(w.viewers)
          << QString::number(w.attentionEvents) << QString::number(w.attentionTimeS) << QString::number(w.attentionRate)
          << (w.meanSpeedMps ? QString::number(*w.meanSpeedMps) : QString());
        if (const std::optional<core::WalkingDirections> &walk = w.walkingDirections)
            f << QString::number(walk->towardS) << QString::number(walk->awayS) << QString::number(walk->leftS)
              << QString::number(walk->rightS);
        else
            f << QString() << QString() << QString() << QString();
        f << QString::number(w.confidence) << QString::number(w.qualityFlags) << protocol::csvCell(w.modelVersion)
          << protocol::csvCell(w.calibrationVersion);
        out += f.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

ApiResponse WindowsEndpoint::windows(const ApiRequest &request, const Caller &caller, Kind kind) const
{
    const QUrlQuery &query = request.query;
    QSet<QString> allowed{QStringLiteral("zone"), QStringLiteral("from"), QStringLiteral("to")};
    if (kind != Kind::Csv)
        allowed += QSet<QString>{QStringLiteral("limit"), QStringLiteral("offset")};
    if (auto bad = checkQuery(query, allowed))
        return *bad;
    const QString zone = query.queryItemValue(QStringLiteral("zone"), QUrl::FullyDecoded);
    qint64 from = 0, to = kUnboundedTime;
    if (auto bad = parseTimeRange(query, from, to))
        return *bad;
    int limit = 0;
    qint64 offset = 0;
    if (auto bad = parseLimit(query, m_s.options.defaultPageSize, m_s.options.maxPageSize, limit))
        return *bad;
    if (auto bad = parseCursor(query, QStringLiteral("offset"), QStringLiteral("a whole number"), offset))
        return *bad;

    storage::WindowRepository repo(*m_s.context.database);
    if (kind == Kind::Demographics) {
        // k-suppressed histograms (>= 5-minute windows): a suppressed cell is null, never a count.
        auto rows = repo.demographicWindows(from, to, zone);
        if (!rows)
            return ApiResponse::internal(rows.error());
        QJsonArray page;
        const qint64 size = rows->size();
        // offset may be anything up to 2^63 - 1: never add to it unless it is inside the list.
        const qint64 end = offset >= size ? offset : std::min<qint64>(size, offset + std::min<qint64>(limit, size - offset));
        for (qint64 i = offset; i < end; ++i)
            page.append(rows->at(i).toJson());
        QJsonObject body{{QStringLiteral("demographic_windows"), page}};
        protocol::PageInfo::of(size, offset, limit, page.size()).writeTo(body);
        return ApiResponse::json(200, body);
    }
    if (kind == Kind::Json) {
        // One page, straight from SQL (LIMIT/OFFSET on the (zone, start_ms) index).
        auto total = repo.count(from, to, zone);
        if (!total)
            return ApiResponse::internal(total.error());
        auto rows = repo.windows(from, to, zone, limit, offset);
        if (!rows)
            return ApiResponse::internal(rows.error());
        QJsonArray page;
        for (const auto &w : *rows)
            page.append(w.toJson());
        QJsonObject body{{QStringLiteral("windows"), page}};
        protocol::PageInfo::of(*total, offset, limit, page.size()).writeTo(body);
        return ApiResponse::json(200, body);
    }
    // CSV export: every window of the range.
    auto rows = repo.windows(from, to, zone);
    if (!rows)
        return ApiResponse::internal(rows.error());
    m_s.audit(caller, QStringLiteral("windows.export"),
              QStringLiteral("zone=%1 from=%2 to=%3").arg(zone, isoTime(from), to == kUnboundedTime ? QStringLiteral("-") : isoTime(to)),
              QStringLiteral("ok: %1 windows").arg(rows->size()));
    ApiResponse r{200, QByteArrayLiteral("text/csv; charset=utf-8"), windowsCsv(*rows), {}};
    r.headers.append({QByteArrayLiteral("Content-Disposition"), QByteArrayLiteral("attachment; filename=\"windows.csv\"")});
    return r;
}

} // namespace signiq::api
