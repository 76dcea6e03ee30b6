#include "api/endpoints/AuditEndpoint.h"

#include "protocol/AuditChain.h"
#include "api/RequestDecoding.h"

#include <QJsonArray>

namespace signiq::api {

void AuditEndpoint::addRoutes(RouteTable &routes)
{
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/audit"), {Scope::Admin}, false,
                [this](const ApiRequest &r, const Caller &) { return entries(r); }, {}});
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/audit/export"), {Scope::Admin, Scope::Export}, false,
                [this](const ApiRequest &r, const Caller &c) { return exportChain(r, c); }, {}});
}

ApiResponse AuditEndpoint::entries(const ApiRequest &request) const
{
    const QUrlQuery &query = request.query;
    if (auto bad = checkQuery(query, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"), QStringLiteral("after")}))
        return *bad;
    qint64 from = 0, to = kUnboundedTime, after = 0;
    int limit = 0;
    if (auto bad = parseTimeRange(query, from, to))
        return *bad;
    if (auto bad = parseLimit(query, m_s.options.defaultPageSize, m_s.options.auditMaxPageSize, limit))
        return *bad;
    if (auto bad = parseCursor(query, QStringLiteral("after"), QStringLiteral("a sequence number"), after))
        return *bad;
    auto entries = m_s.auditLog.entries(from, to, after, limit + 1);
    if (!entries)
        return ApiResponse::internal(entries.error());
    const bool more = entries->size() > limit;
    if (more)
        entries->removeLast();
    QJsonArray array;
    for (const auto &e : *entries)
        array.append(e.toJson());
    return ApiResponse::json(200, QJsonObject{
        {QStringLiteral("entries"), array},
        {QStringLiteral("next_after"), more && !entries->isEmpty() ? QJsonValue(entries->last().seq) : QJsonValue(QJsonValue::Null)},
    });
}

ApiResponse AuditEndpoint::exportChain(const ApiRequest &request, const Caller &caller) const
{
    const QUrlQuery &query = request.query;
    if (auto bad = checkQuery(query, {QStringLiteral("format")}))
        return *bad;
    const QString format = query.hasQueryItem(QStringLiteral("format")) ? query.queryItemValue(QStringLiteral("format")) : QStringLiteral("jsonl");
    if (format != QLatin1String("jsonl") && format != QLatin1String("csv"))
        return ApiResponse::error(400, QStringLiteral("bad_request"), QStringLiteral("format: jsonl or csv"));
    if (caller.key->tier == Tier::Free) {
        m_s.audit(caller, QStringLiteral("auth.denied"), QStringLiteral("GET /v1/audit/export"), QStringLiteral("denied: tier free"));
        return ApiResponse::error(403, QStringLiteral("forbidden"), QStringLiteral("audit export needs the pro or enterprise tier"));
    }
    // The export is audited first, so that it contains its own record; an export that cannot
    // be audited (e.g. a log altered since it was last signed) is not handed out.
    if (auto recorded = m_s.auditLog.record(ApiServices::event(caller, QStringLiteral("audit.export"), format, QStringLiteral("ok"))); !recorded)
        return ApiResponse::internal(recorded.error());
    // The entries and the head that signs them, read together: the export ends with the head
    // (count, hash, signature) so that a cut at either end is detected offline.
    auto snapshot = m_s.auditLog.snapshot();
    if (!snapshot)
        return ApiResponse::internal(snapshot.error());
    const bool csv = format == QLatin1String("csv");
    ApiResponse r{200, csv ? QByteArrayLiteral("text/csv; charset=utf-8") : QByteArrayLiteral("application/x-ndjson"),
               csv ? AuditChain::toCsv(snapshot->entries, &snapshot->head) : AuditChain::toJsonLines(snapshot->entries, &snapshot->head), {}};
    r.headers.append({QByteArrayLiteral("Content-Disposition"),
                      csv ? QByteArrayLiteral("attachment; filename=\"audit.csv\"") : QByteArrayLiteral("attachment; filename=\"audit.jsonl\"")});
    return r;
}

} // namespace signiq::api
