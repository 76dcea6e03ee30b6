#include "api/EdgeApiServer.h"

#include "api/ApiLog.h"
#include "api/OverlayFeed.h"
#include "core/AudienceWindow.h"
#include "crypto/TlsServer.h"
#include "storage/ConfigRepository.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SchemaMigrations.h"
#include "storage/WindowRepository.h"

#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <limits>

namespace signiq::api {

using core::ErrorCode;

namespace {

constexpr qint64 kMaxTime = std::numeric_limits<qint64>::max();
const QByteArray kJson = QByteArrayLiteral("application/json");
const QByteArray kBoundary = QByteArrayLiteral("signiq-overlay-frame");

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return QStringLiteral("GET");
    case QHttpServerRequest::Method::Put: return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Post: return QStringLiteral("POST");
    case QHttpServerRequest::Method::Delete: return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Head: return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QStringLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QStringLiteral("PATCH");
    default: return QStringLiteral("OTHER");
    }
}

QString remoteIp(const QHttpServerRequest &request)
{
    QHostAddress address = request.remoteAddress();
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.toString();
}

QString csvField(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\n')))
        return value;
    QString escaped = value;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QByteArray windowsCsv(const QList<core::AudienceWindow> &windows)
{
    QString out = QStringLiteral(
        "zone,start,end,ots,entries,exits,mean_occupancy,peak_occupancy,dwell_0_5,dwell_5_15,dwell_15_30,dwell_30_60,"
        "dwell_60_plus,mean_dwell_s,line_in,line_out,viewers,attention_events,attention_time_s,attention_rate,"
        "mean_speed_mps,walk_toward_s,walk_away_s,walk_left_s,walk_right_s,confidence,"
        "quality_flags,model_version,calibration_version\n");
    // Calibrated-only metrics are empty fields when not measured.
    for (const auto &w : windows) {
        QStringList f{csvField(w.zone), isoTime(w.startMs), isoTime(w.endMs), QString::number(w.ots), QString::number(w.entries),
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
        f << QString::number(w.confidence) << QString::number(w.qualityFlags) << csvField(w.modelVersion)
          << csvField(w.calibrationVersion);
        out += f.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace

// ---- response, caller -------------------------------------------------------------------

struct EdgeApiServer::Response {
    int status = 200;
    QByteArray contentType = kJson;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static Response json(int status, const QJsonObject &object)
    {
        return Response{status, kJson, QJsonDocument(object).toJson(QJsonDocument::Compact), {}};
    }
    static Response error(int status, const QString &code, const QString &message)
    {
        return json(status, QJsonObject{{QStringLiteral("error"),
                                         QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}});
    }
    static Response internal(const core::Error &error)
    {
        qCWarning(lcApi) << "internal error:" << error.toString();
        return Response::error(500, QStringLiteral("internal"), QStringLiteral("internal error; see the device log"));
    }
};

struct EdgeApiServer::Caller {
    QString ip;
    std::optional<ApiKeyInfo> key;
    RatePolicy policy;
    RateDecision rate;
    QString actor() const { return key ? key->keyId : QStringLiteral("anonymous"); }
};

struct EdgeApiServer::OverlaySession {
    explicit OverlaySession(QHttpServerResponder &&r) : responder(std::move(r)) {}
    QHttpServerResponder responder;
    QPointer<QTcpSocket> socket;
    QString keyId;
    QString ip;
    int frames = 0;
    QElapsedTimer sinceLastFrame;
    std::unique_ptr<QTimer> timeout;
};

// ---- request helpers ----------------------------------------------------------------------

namespace {

// Query parameters: only `allowed` ones, each at most once.
std::optional<QString> checkQuery(const QUrlQuery &query, const QSet<QString> &allowed)
{
    QSet<QString> seen;
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        Q_UNUSED(value);
        if (!allowed.contains(key))
            return QStringLiteral("unknown query parameter '%1'").arg(key);
        if (seen.contains(key))
            return QStringLiteral("query parameter '%1' given twice").arg(key);
        seen.insert(key);
    }
    return std::nullopt;
}

struct JsonBody {
    QJsonObject object;
    std::optional<QPair<QString, QString>> error; // code, message
};

JsonBody parseJsonBody(const QHttpServerRequest &request, bool allowEmpty)
{
    JsonBody out;
    const QByteArray body = request.body();
    if (body.isEmpty() && allowEmpty)
        return out;
    const QByteArray type = request.value(QByteArrayLiteral("content-type")).trimmed().toLower();
    if (!(type == "application/json" || type.startsWith("application/json;"))) {
        out.error = qMakePair(QStringLiteral("unsupported_media_type"), QStringLiteral("the body must be JSON (Content-Type: application/json)"));
        return out;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        out.error = qMakePair(QStringLiteral("malformed_json"),
                              QStringLiteral("malformed JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
        return out;
    }
    if (!doc.isObject()) {
        out.error = qMakePair(QStringLiteral("malformed_json"), QStringLiteral("the body must be a JSON object"));
        return out;
    }
    out.object = doc.object();
    return out;
}

std::optional<QString> unknownField(const QJsonObject &object, const QSet<QString> &allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            return it.key();
    }
    return std::nullopt;
}

} // namespace

// ---- server ------------------------------------------------------------------------------

EdgeApiServer::EdgeApiServer(ApiServerContext context, ApiServerOptions options, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_context(std::move(context))
    , m_options(std::move(options))
    , m_keys(*m_context.database, *m_context.clock)
    , m_audit(*m_context.database, *m_context.clock)
    , m_limiter(*m_context.clock)
    , m_startedAtMs(m_context.clock->nowMs())
{
    if (m_context.overlay)
        connect(m_context.overlay, &OverlayFeed::frameEncoded, this, &EdgeApiServer::onOverlayFrame, Qt::QueuedConnection);
}

EdgeApiServer::~EdgeApiServer()
{
    while (!m_overlaySessions.empty())
        closeOverlay(m_overlaySessions.front().get(), QStringLiteral("server stopped"));
}

core::Result<quint16> EdgeApiServer::listenTls(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port)
{
    auto *tls = new crypto::TlsServer(this);
    if (auto configured = tls->configure(identity, {}, crypto::ClientCertificates::None); !configured) {
        delete tls;
        return configured.error();
    }
    if (!tls->listen(address, port)) {
        const QString why = tls->errorString();
        delete tls;
        return core::makeError(ErrorCode::Io, QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(why));
    }
    bind(tls);
    m_tls = tls;
    qCInfo(lcApi) << "API listening (TLS 1.3) on" << address.toString() << tls->serverPort();
    return tls->serverPort();
}

void EdgeApiServer::audit(const Caller &caller, const QString &action, const QString &target, const QString &result)
{
    auto recorded = m_audit.record(AuditEvent{caller.actor(), caller.ip, action, target, result});
    if (!recorded)
        qCWarning(lcApi) << "cannot write audit entry" << action << target << ":" << recorded.error().toString();
}

void EdgeApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; kept for completeness.
    Caller caller;
    caller.ip = remoteIp(request);
    caller.policy = m_options.anonymousPolicy;
    caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, caller.policy);
    auto responder = makeResponder(request, socket);
    send(responder, Response::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")), caller);
}

bool EdgeApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Caller caller;
    caller.ip = remoteIp(request);
    bool streaming = false;
    const Response response = dispatch(request, socket, caller, streaming);
    if (streaming)
        return true;
    auto responder = makeResponder(request, socket);
    send(responder, response, caller);
    return true;
}

void EdgeApiServer::send(QHttpServerResponder &responder, const Response &response, const Caller &caller)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"),
                          response.contentType == kJson ? QByteArrayLiteral("application/json; charset=utf-8") : response.contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    responder.writeHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    responder.writeHeader(QByteArrayLiteral("RateLimit-Policy"), caller.policy.headerValue().toLatin1());
    responder.writeHeader(QByteArrayLiteral("RateLimit"), caller.rate.headerValue().toLatin1());
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeBody(response.body);
}

EdgeApiServer::Response EdgeApiServer::dispatch(const QHttpServerRequest &request, QTcpSocket *socket, Caller &caller,
                                                bool &streaming)
{
    // 1. Who is calling. A request with a key is limited per key, anything else per address.
    const QByteArray authorization = request.value(QByteArrayLiteral("authorization")).trimmed();
    std::optional<Response> authFailure;
    if (!authorization.isEmpty()) {
        const QByteArray scheme = authorization.left(7).toLower();
        auto key = scheme == "bearer " ? m_keys.authenticate(QString::fromLatin1(authorization.mid(7).trimmed()))
                                       : core::Result<ApiKeyInfo>(core::makeError(ErrorCode::InvalidArgument,
                                                                                  QStringLiteral("use 'Authorization: Bearer <key>'")));
        if (key) {
            caller.key = *key;
        } else if (key.error().code == ErrorCode::InvalidArgument || key.error().code == ErrorCode::PermissionDenied) {
            authFailure = Response::error(401, QStringLiteral("unauthorized"), key.error().message);
        } else {
            caller.policy = m_options.anonymousPolicy;
            caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, caller.policy);
            return Response::internal(key.error());
        }
    }
    if (caller.key) {
        caller.policy = m_options.policyForTier(caller.key->tier);
        caller.rate = m_limiter.check(QStringLiteral("key:") + caller.key->keyId, caller.policy);
    } else {
        caller.policy = m_options.anonymousPolicy;
        caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, caller.policy);
    }
    if (!caller.rate.allowed) {
        Response r = Response::error(429, QStringLiteral("rate_limited"),
                                     QStringLiteral("too many requests; retry after %1 s").arg(caller.rate.retryAfterS));
        r.headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(caller.rate.retryAfterS)});
        return r;
    }

    // 2. Which endpoint.
    const QString path = request.url().path();
    const auto method = request.method();
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    enum class Route { None, Health, Windows, WindowsCsv, Demographics, Zones, Calibration, Keys, KeyRotate, Key, Audit, AuditExport, Overlay };
    Route route = Route::None;
    QString keyId;
    if (parts.size() == 2 && parts[0] == QLatin1String("v1")) {
        const QString &r = parts[1];
        if (r == QLatin1String("health")) route = Route::Health;
        else if (r == QLatin1String("windows")) route = Route::Windows;
        else if (r == QLatin1String("windows.csv")) route = Route::WindowsCsv;
        else if (r == QLatin1String("demographics")) route = Route::Demographics;
        else if (r == QLatin1String("zones")) route = Route::Zones;
        else if (r == QLatin1String("calibration")) route = Route::Calibration;
        else if (r == QLatin1String("keys")) route = Route::Keys;
        else if (r == QLatin1String("audit")) route = Route::Audit;
        else if (r == QLatin1String("overlay")) route = Route::Overlay;
    } else if (parts.size() == 3 && parts[0] == QLatin1String("v1") && parts[1] == QLatin1String("keys")) {
        route = Route::Key;
        keyId = parts[2];
    } else if (parts.size() == 4 && parts[0] == QLatin1String("v1") && parts[1] == QLatin1String("keys")
               && parts[3] == QLatin1String("rotate")) {
        route = Route::KeyRotate;
        keyId = parts[2];
    } else if (parts.size() == 3 && parts[0] == QLatin1String("v1") && parts[1] == QLatin1String("audit")
               && parts[2] == QLatin1String("export")) {
        route = Route::AuditExport;
    }
    if (route == Route::None)
        return Response::error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint %1").arg(path));

    using M = QHttpServerRequest::Method;
    QList<M> allowed;
    switch (route) {
    case Route::Zones:
    case Route::Calibration: allowed = {M::Get, M::Put}; break;
    case Route::Keys: allowed = {M::Get, M::Post}; break;
    case Route::KeyRotate: allowed = {M::Post}; break;
    case Route::Key: allowed = {M::Delete}; break;
    default: allowed = {M::Get}; break;
    }
    if (!allowed.contains(method)) {
        QStringList names;
        for (M m : allowed)
            names << methodName(m);
        Response r = Response::error(405, QStringLiteral("method_not_allowed"),
                                     QStringLiteral("%1 %2 is not supported (allowed: %3)").arg(methodName(method), path, names.join(QStringLiteral(", "))));
        r.headers.append({QByteArrayLiteral("Allow"), names.join(QStringLiteral(", ")).toLatin1()});
        return r;
    }

    // 3. Body limit (QAbstractHttpServer 6.4 has already buffered it: refuse before parsing).
    const qint64 declared = request.value(QByteArrayLiteral("content-length")).toLongLong();
    if (request.body().size() > m_options.maxBodyBytes || declared > m_options.maxBodyBytes)
        return Response::error(413, QStringLiteral("payload_too_large"),
                               QStringLiteral("the body is larger than %1 bytes").arg(m_options.maxBodyBytes));

    if (route == Route::Health)
        return health();

    // 4. Authentication and scopes.
    const QString target = methodName(method) + QLatin1Char(' ') + path;
    if (authFailure) {
        audit(caller, QStringLiteral("auth.failed"), target, QStringLiteral("denied: invalid key"));
        authFailure->headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"signiq\"")});
        return *authFailure;
    }
    if (!caller.key) {
        audit(caller, QStringLiteral("auth.failed"), target, QStringLiteral("denied: no key"));
        Response r = Response::error(401, QStringLiteral("unauthorized"), QStringLiteral("an API key is required: 'Authorization: Bearer <key>'"));
        r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"signiq\"")});
        return r;
    }
    QList<Scopes> needed; // every entry must be satisfied; an entry with several flags = any of them
    switch (route) {
    case Route::Windows: needed = {Scope::Analytics}; break;
    case Route::Demographics: needed = {Scope::Analytics}; break;
    case Route::WindowsCsv: needed = {Scope::Export}; break;
    case Route::Zones: needed = {method == M::Get ? Scopes(Scope::Read) : Scopes(Scope::Write)}; break;
    case Route::Calibration:
        needed = {method == M::Get ? Scopes(Scope::Read) | Scope::Calibrate : Scopes(Scope::Write) | Scope::Calibrate};
        break;
    case Route::Keys:
    case Route::KeyRotate:
    case Route::Key:
    case Route::Audit: needed = {Scope::Admin}; break;
    case Route::AuditExport: needed = {Scope::Admin, Scope::Export}; break;
    case Route::Overlay: needed = {Scope::Calibrate}; break;
    default: break;
    }
    for (const Scopes &s : needed) {
        if (!(caller.key->scopes & s)) {
            audit(caller, QStringLiteral("auth.denied"), target, QStringLiteral("denied: scope %1 required").arg(scopeNames(s).join(QLatin1Char('|'))));
            return Response::error(403, QStringLiteral("forbidden"),
                                   QStringLiteral("this key lacks the scope %1 needed for %2").arg(scopeNames(s).join(QStringLiteral(" or ")), target));
        }
    }

    switch (route) {
    case Route::Windows: return windows(request, caller, false);
    case Route::WindowsCsv: return windows(request, caller, true);
    case Route::Demographics: return windows(request, caller, false, true);
    case Route::Zones: return method == M::Get ? getConfig(false) : putConfig(request, caller, false);
    case Route::Calibration: return method == M::Get ? getConfig(true) : putConfig(request, caller, true);
    case Route::Keys: return method == M::Get ? listKeys() : createKey(request, caller);
    case Route::KeyRotate: return rotateKey(request, caller, keyId);
    case Route::Key: return revokeKey(caller, keyId);
    case Route::Audit: return auditEntries(request);
    case Route::AuditExport: return auditExport(request, caller);
    case Route::Overlay: return openOverlay(request, socket, caller, streaming);
    default: break;
    }
    return Response::error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint %1").arg(path));
}

// ---- endpoints ---------------------------------------------------------------------------

EdgeApiServer::Response EdgeApiServer::health()
{
    const qint64 now = m_context.clock->nowMs();
    HealthSnapshot h;
    if (m_context.health)
        h = m_context.health();
    else
        h.startedAtMs = m_startedAtMs;
    auto optionalNumber = [](const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null); };
    QString stored;
    storage::ConfigRepository configs(*m_context.database, *m_context.clock);
    if (auto current = configs.currentZoneConfig(); current && current->has_value())
        stored = (*current)->version;
    QJsonObject o{
        {QStringLiteral("status"), h.status},
        {QStringLiteral("version"), QStringLiteral(SIGNIQ_VERSION)},
        {QStringLiteral("uptime_s"), double(std::max<qint64>(0, now - (h.startedAtMs ? h.startedAtMs : m_startedAtMs))) / 1000.0},
        {QStringLiteral("pipeline"), QJsonObject{
            {QStringLiteral("fps"), h.pipelineFps},
            {QStringLiteral("frames_processed"), h.framesProcessed},
            {QStringLiteral("capture_to_release_ms"), QJsonObject{{QStringLiteral("p50"), optionalNumber(h.captureToReleaseP50Ms)},
                                                                  {QStringLiteral("p99"), optionalNumber(h.captureToReleaseP99Ms)}}},
        }},
        {QStringLiteral("model_version"), h.modelVersion},
        {QStringLiteral("calibration_version"), h.calibrationVersion},
        {QStringLiteral("stored_calibration_version"), stored},
        // A stored configuration the pipeline is not counting with yet: it switches at the next
        // window boundary when the pipeline runs with this server (configChanged), else at the
        // next start.
        {QStringLiteral("config_pending"), !h.calibrationVersion.isEmpty() && !stored.isEmpty() && stored != h.calibrationVersion},
        {QStringLiteral("restart_required"), !m_context.configChanged && !h.calibrationVersion.isEmpty() && !stored.isEmpty()
                                                 && stored != h.calibrationVersion},
    };
    return Response::json(200, o);
}

EdgeApiServer::Response EdgeApiServer::windows(const QHttpServerRequest &request, const Caller &caller, bool csv, bool demographics)
{
    const QUrlQuery query = request.query();
    QSet<QString> allowed{QStringLiteral("zone"), QStringLiteral("from"), QStringLiteral("to")};
    if (!csv)
        allowed += QSet<QString>{QStringLiteral("limit"), QStringLiteral("offset")};
    if (auto bad = checkQuery(query, allowed))
        return Response::error(400, QStringLiteral("bad_request"), *bad);
    const QString zone = query.queryItemValue(QStringLiteral("zone"), QUrl::FullyDecoded);
    qint64 from = 0, to = kMaxTime;
    for (auto [name, target] : {std::pair{QStringLiteral("from"), &from}, std::pair{QStringLiteral("to"), &to}}) {
        if (!query.hasQueryItem(name))
            continue;
        const auto t = parseTime(query.queryItemValue(name, QUrl::FullyDecoded));
        if (!t)
            return Response::error(400, QStringLiteral("bad_request"),
                                   QStringLiteral("%1: expected an ISO 8601 time with zone (2026-11-29T10:00:00Z) or ms since the epoch").arg(name));
        *target = *t;
    }
    if (from > to)
        return Response::error(400, QStringLiteral("bad_request"), QStringLiteral("from must not be after to"));
    int limit = m_options.defaultPageSize;
    qint64 offset = 0;
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > m_options.maxPageSize)
            return Response::error(400, QStringLiteral("bad_pagination"), QStringLiteral("limit must be 1..%1").arg(m_options.maxPageSize));
    }
    if (query.hasQueryItem(QStringLiteral("offset"))) {
        bool ok = false;
        offset = query.queryItemValue(QStringLiteral("offset")).toLongLong(&ok);
        if (!ok || offset < 0)
            return Response::error(400, QStringLiteral("bad_pagination"), QStringLiteral("offset must be a whole number >= 0"));
    }
    storage::WindowRepository repo(*m_context.database);
    if (demographics) {
        // k-suppressed histograms (>= 5-minute windows): a suppressed cell is null, never a count.
        auto rows = repo.demographicWindows(from, to, zone);
        if (!rows)
            return Response::internal(rows.error());
        QJsonArray page;
        const qint64 end = std::min<qint64>(rows->size(), offset + limit);
        for (qint64 i = offset; i < end; ++i)
            page.append(rows->at(i).toJson());
        return Response::json(200, QJsonObject{
            {QStringLiteral("demographic_windows"), page},
            {QStringLiteral("total"), qint64(rows->size())},
            {QStringLiteral("offset"), offset},
            {QStringLiteral("limit"), limit},
            {QStringLiteral("next_offset"), end < rows->size() ? QJsonValue(end) : QJsonValue(QJsonValue::Null)},
        });
    }
    if (!csv) {
        // One page, straight from SQL (LIMIT/OFFSET on the (zone, start_ms) index).
        auto total = repo.count(from, to, zone);
        if (!total)
            return Response::internal(total.error());
        auto rows = repo.windows(from, to, zone, limit, offset);
        if (!rows)
            return Response::internal(rows.error());
        QJsonArray page;
        for (const auto &w : *rows)
            page.append(w.toJson());
        const qint64 end = offset + rows->size();
        return Response::json(200, QJsonObject{
            {QStringLiteral("windows"), page},
            {QStringLiteral("total"), *total},
            {QStringLiteral("offset"), offset},
            {QStringLiteral("limit"), limit},
            {QStringLiteral("next_offset"), end < *total ? QJsonValue(end) : QJsonValue(QJsonValue::Null)},
        });
    }
    // CSV export: every window of the range.
    auto rows = repo.windows(from, to, zone);
    if (!rows)
        return Response::internal(rows.error());
    audit(caller, QStringLiteral("windows.export"), QStringLiteral("zone=%1 from=%2 to=%3").arg(zone, isoTime(from), to == kMaxTime ? QStringLiteral("-") : isoTime(to)),
          QStringLiteral("ok: %1 windows").arg(rows->size()));
    Response r{200, QByteArrayLiteral("text/csv; charset=utf-8"), windowsCsv(*rows), {}};
    r.headers.append({QByteArrayLiteral("Content-Disposition"), QByteArrayLiteral("attachment; filename=\"windows.csv\"")});
    return r;
}

EdgeApiServer::Response EdgeApiServer::getConfig(bool calibration)
{
    storage::ConfigRepository configs(*m_context.database, *m_context.clock);
    auto current = configs.currentZoneConfig();
    if (!current)
        return Response::internal(current.error());
    if (!current->has_value())
        return Response::error(404, QStringLiteral("not_found"), QStringLiteral("no zone configuration is stored yet"));
    const QJsonObject stored = QJsonDocument::fromJson((*current)->json).object();
    QJsonObject out{{QStringLiteral("calibration_version"), (*current)->version},
                    {QStringLiteral("updated_at"), isoTime((*current)->importedAtMs)}};
    if (calibration) {
        out.insert(QStringLiteral("calibration"), stored.value(QStringLiteral("calibration")));
        if (!stored.contains(QStringLiteral("calibration")))
            out.insert(QStringLiteral("calibration"), QJsonValue::Null);
    } else {
        QJsonObject config = stored;
        config.remove(QStringLiteral("calibration"));
        out.insert(QStringLiteral("config"), config);
    }
    return Response::json(200, out);
}

EdgeApiServer::Response EdgeApiServer::putConfig(const QHttpServerRequest &request, const Caller &caller, bool calibration)
{
    const QString action = calibration ? QStringLiteral("calibration.update") : QStringLiteral("zones.update");
    const JsonBody body = parseJsonBody(request, false);
    if (body.error)
        return Response::error(body.error->first == QLatin1String("unsupported_media_type") ? 415 : 400, body.error->first,
                               body.error->second);
    storage::ConfigRepository configs(*m_context.database, *m_context.clock);
    auto current = configs.currentZoneConfig();
    if (!current)
        return Response::internal(current.error());
    QJsonObject merged = current->has_value() ? QJsonDocument::fromJson((*current)->json).object() : QJsonObject();
    if (calibration) {
        // The body is the calibration object itself; everything else is kept.
        merged.insert(QStringLiteral("calibration"), body.object);
    } else {
        if (body.object.contains(QStringLiteral("calibration")))
            return Response::error(400, QStringLiteral("unknown_field"),
                                   QStringLiteral("calibration: not part of /v1/zones (use PUT /v1/calibration)"));
        // The body replaces everything but the calibration; unknown keys are refused by the
        // validator with their name.
        const QJsonValue keptCalibration = merged.value(QStringLiteral("calibration"));
        merged = body.object;
        if (!keptCalibration.isUndefined())
            merged.insert(QStringLiteral("calibration"), keptCalibration);
    }
    auto config = core::ZoneConfig::fromJson(QJsonDocument(merged).toJson(QJsonDocument::Compact));
    if (!config) {
        const bool unknown = config.error().message.contains(QLatin1String("unknown key"));
        const QString message = calibration ? QStringLiteral("calibration: ") + config.error().message : config.error().message;
        audit(caller, action, QString(), QStringLiteral("error: invalid: ") + message.left(200));
        return Response::error(unknown ? 400 : 422, unknown ? QStringLiteral("unknown_field") : QStringLiteral("invalid_config"), message);
    }
    if (m_context.checkConfig) {
        if (auto usable = m_context.checkConfig(*config); !usable) {
            const QString message = usable.error().message;
            audit(caller, action, QString(), QStringLiteral("error: invalid: ") + message.left(200));
            return Response::error(422, QStringLiteral("invalid_config"), message);
        }
    }
    const QString previous = current->has_value() ? (*current)->version : QString();
    if (auto saved = configs.saveZoneConfig(config->toJson(), config->version()); !saved)
        return Response::internal(saved.error());
    audit(caller, action, config->version(), QStringLiteral("ok: %1 -> %2").arg(previous.isEmpty() ? QStringLiteral("none") : previous, config->version()));
    if (m_context.configChanged)
        m_context.configChanged(*config);
    return Response::json(200, QJsonObject{{QStringLiteral("calibration_version"), config->version()},
                                           {QStringLiteral("previous_calibration_version"), previous.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(previous)},
                                           {QStringLiteral("applies"), m_context.configChanged
                                                                               ? QStringLiteral("at the next window boundary")
                                                                               : QStringLiteral("at the next start of the pipeline")}});
}

EdgeApiServer::Response EdgeApiServer::createKey(const QHttpServerRequest &request, const Caller &caller)
{
    const JsonBody body = parseJsonBody(request, false);
    if (body.error)
        return Response::error(body.error->first == QLatin1String("unsupported_media_type") ? 415 : 400, body.error->first,
                               body.error->second);
    const QJsonObject &o = body.object;
    if (auto unknown = unknownField(o, {QStringLiteral("name"), QStringLiteral("scopes"), QStringLiteral("tier"),
                                        QStringLiteral("environment"), QStringLiteral("expires_at")}))
        return Response::error(400, QStringLiteral("unknown_field"), QStringLiteral("%1: unknown field").arg(*unknown));
    KeyRequest req;
    if (o.contains(QStringLiteral("name")) && !o.value(QStringLiteral("name")).isString())
        return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("name: must be a string"));
    req.name = o.value(QStringLiteral("name")).toString();
    if (!o.value(QStringLiteral("scopes")).isArray())
        return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: required, an array of scope names"));
    QStringList names;
    for (const QJsonValue &v : o.value(QStringLiteral("scopes")).toArray()) {
        if (!v.isString())
            return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: must contain strings"));
        names << v.toString();
    }
    auto scopes = scopesFromNames(names);
    if (!scopes)
        return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("scopes: ") + scopes.error().message);
    req.scopes = *scopes;
    if (o.contains(QStringLiteral("tier"))) {
        auto tier = tierFromName(o.value(QStringLiteral("tier")).toString());
        if (!tier)
            return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("tier: ") + tier.error().message);
        req.tier = *tier;
    }
    if (o.contains(QStringLiteral("environment"))) {
        const QString env = o.value(QStringLiteral("environment")).toString();
        if (env != QLatin1String("live") && env != QLatin1String("test"))
            return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("environment: live or test"));
        req.environment = env == QLatin1String("test") ? KeyEnvironment::Test : KeyEnvironment::Live;
    }
    if (o.contains(QStringLiteral("expires_at")) && !o.value(QStringLiteral("expires_at")).isNull()) {
        const auto t = parseTime(o.value(QStringLiteral("expires_at")).toString());
        if (!t)
            return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("expires_at: an ISO 8601 time with zone"));
        req.expiresAtMs = *t;
    }
    auto created = m_keys.create(req);
    if (!created) {
        if (created.error().code == ErrorCode::InvalidArgument)
            return Response::error(422, QStringLiteral("invalid_field"), created.error().message);
        return Response::internal(created.error());
    }
    audit(caller, QStringLiteral("key.create"), created->info.keyId,
          QStringLiteral("ok: scopes %1, tier %2").arg(scopeNames(created->info.scopes).join(QLatin1Char(' ')), tierName(created->info.tier)));
    QJsonObject out = created->info.toJson(m_context.clock->nowMs());
    out.insert(QStringLiteral("key"), created->token);
    return Response::json(201, out);
}

EdgeApiServer::Response EdgeApiServer::listKeys()
{
    auto keys = m_keys.list();
    if (!keys)
        return Response::internal(keys.error());
    QJsonArray array;
    const qint64 now = m_context.clock->nowMs();
    for (const auto &k : *keys)
        array.append(k.toJson(now));
    return Response::json(200, QJsonObject{{QStringLiteral("keys"), array}});
}

EdgeApiServer::Response EdgeApiServer::rotateKey(const QHttpServerRequest &request, const Caller &caller, const QString &keyId)
{
    const JsonBody body = parseJsonBody(request, true);
    if (body.error)
        return Response::error(body.error->first == QLatin1String("unsupported_media_type") ? 415 : 400, body.error->first,
                               body.error->second);
    if (auto unknown = unknownField(body.object, {QStringLiteral("overlap_s")}))
        return Response::error(400, QStringLiteral("unknown_field"), QStringLiteral("%1: unknown field").arg(*unknown));
    qint64 overlapS = 24 * 3600;
    if (body.object.contains(QStringLiteral("overlap_s"))) {
        const QJsonValue v = body.object.value(QStringLiteral("overlap_s"));
        if (!v.isDouble() || v.toDouble() != double(v.toInteger()))
            return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("overlap_s: a whole number of seconds"));
        overlapS = v.toInteger();
    }
    if (overlapS < 0 || overlapS * 1000 > KeyStore::MaxRotationOverlapMs)
        return Response::error(422, QStringLiteral("invalid_field"), QStringLiteral("overlap_s: 0 .. 604800 (7 days)"));
    auto rotated = m_keys.rotate(keyId, overlapS * 1000);
    if (!rotated) {
        if (rotated.error().code == ErrorCode::NotFound)
            return Response::error(404, QStringLiteral("not_found"), rotated.error().message);
        if (rotated.error().code == ErrorCode::InvalidArgument)
            return Response::error(409, QStringLiteral("conflict"), rotated.error().message);
        return Response::internal(rotated.error());
    }
    audit(caller, QStringLiteral("key.rotate"), keyId, QStringLiteral("ok: overlap %1 s").arg(overlapS));
    QJsonObject out = rotated->info.toJson(m_context.clock->nowMs());
    out.insert(QStringLiteral("key"), rotated->token);
    return Response::json(200, out);
}

EdgeApiServer::Response EdgeApiServer::revokeKey(const Caller &caller, const QString &keyId)
{
    auto revoked = m_keys.revoke(keyId);
    if (!revoked) {
        if (revoked.error().code == ErrorCode::NotFound)
            return Response::error(404, QStringLiteral("not_found"), revoked.error().message);
        return Response::internal(revoked.error());
    }
    m_limiter.forget(QStringLiteral("key:") + keyId);
    audit(caller, QStringLiteral("key.revoke"), keyId, QStringLiteral("ok"));
    return Response::json(200, revoked->toJson(m_context.clock->nowMs()));
}

EdgeApiServer::Response EdgeApiServer::auditEntries(const QHttpServerRequest &request)
{
    const QUrlQuery query = request.query();
    if (auto bad = checkQuery(query, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"), QStringLiteral("after")}))
        return Response::error(400, QStringLiteral("bad_request"), *bad);
    qint64 from = 0, to = kMaxTime, after = 0;
    int limit = m_options.defaultPageSize;
    for (auto [name, target] : {std::pair{QStringLiteral("from"), &from}, std::pair{QStringLiteral("to"), &to}}) {
        if (!query.hasQueryItem(name))
            continue;
        const auto t = parseTime(query.queryItemValue(name, QUrl::FullyDecoded));
        if (!t)
            return Response::error(400, QStringLiteral("bad_request"), QStringLiteral("%1: expected an ISO 8601 time with zone or ms since the epoch").arg(name));
        *target = *t;
    }
    if (from > to)
        return Response::error(400, QStringLiteral("bad_request"), QStringLiteral("from must not be after to"));
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > m_options.auditMaxPageSize)
            return Response::error(400, QStringLiteral("bad_pagination"), QStringLiteral("limit must be 1..%1").arg(m_options.auditMaxPageSize));
    }
    if (query.hasQueryItem(QStringLiteral("after"))) {
        bool ok = false;
        after = query.queryItemValue(QStringLiteral("after")).toLongLong(&ok);
        if (!ok || after < 0)
            return Response::error(400, QStringLiteral("bad_pagination"), QStringLiteral("after must be a sequence number >= 0"));
    }
    auto entries = m_audit.entries(from, to, after, limit + 1);
    if (!entries)
        return Response::internal(entries.error());
    const bool more = entries->size() > limit;
    if (more)
        entries->removeLast();
    QJsonArray array;
    for (const auto &e : *entries)
        array.append(e.toJson());
    return Response::json(200, QJsonObject{
        {QStringLiteral("entries"), array},
        {QStringLiteral("next_after"), more && !entries->isEmpty() ? QJsonValue(entries->last().seq) : QJsonValue(QJsonValue::Null)},
    });
}

EdgeApiServer::Response EdgeApiServer::auditExport(const QHttpServerRequest &request, const Caller &caller)
{
    const QUrlQuery query = request.query();
    if (auto bad = checkQuery(query, {QStringLiteral("format")}))
        return Response::error(400, QStringLiteral("bad_request"), *bad);
    const QString format = query.hasQueryItem(QStringLiteral("format")) ? query.queryItemValue(QStringLiteral("format")) : QStringLiteral("jsonl");
    if (format != QLatin1String("jsonl") && format != QLatin1String("csv"))
        return Response::error(400, QStringLiteral("bad_request"), QStringLiteral("format: jsonl or csv"));
    if (caller.key->tier == Tier::Free) {
        audit(caller, QStringLiteral("auth.denied"), QStringLiteral("GET /v1/audit/export"), QStringLiteral("denied: tier free"));
        return Response::error(403, QStringLiteral("forbidden"), QStringLiteral("audit export needs the pro or enterprise tier"));
    }
    // The export is audited first, so that it contains its own record.
    audit(caller, QStringLiteral("audit.export"), format, QStringLiteral("ok"));
    auto entries = m_audit.all();
    if (!entries)
        return Response::internal(entries.error());
    const bool csv = format == QLatin1String("csv");
    Response r{200, csv ? QByteArrayLiteral("text/csv; charset=utf-8") : QByteArrayLiteral("application/x-ndjson"),
               csv ? AuditChain::toCsv(*entries) : AuditChain::toJsonLines(*entries), {}};
    r.headers.append({QByteArrayLiteral("Content-Disposition"),
                      csv ? QByteArrayLiteral("attachment; filename=\"audit.csv\"") : QByteArrayLiteral("attachment; filename=\"audit.jsonl\"")});
    return r;
}

// ---- overlay -------------------------------------------------------------------------------

EdgeApiServer::Response EdgeApiServer::openOverlay(const QHttpServerRequest &request, QTcpSocket *socket, const Caller &caller,
                                                   bool &streaming)
{
    if (auto bad = checkQuery(request.query(), {}))
        return Response::error(400, QStringLiteral("bad_request"), *bad);
    if (!m_context.overlay) {
        audit(caller, QStringLiteral("overlay.open"), QString(), QStringLiteral("error: no overlay source"));
        return Response::error(503, QStringLiteral("unavailable"), QStringLiteral("no overlay source on this device"));
    }
    if (int(m_overlaySessions.size()) >= m_options.overlayMaxSessions) {
        audit(caller, QStringLiteral("overlay.open"), QString(), QStringLiteral("error: too many sessions"));
        return Response::error(409, QStringLiteral("conflict"),
                               QStringLiteral("at most %1 overlay sessions at a time").arg(m_options.overlayMaxSessions));
    }
    audit(caller, QStringLiteral("overlay.open"), QString(),
          QStringLiteral("ok: max %1 fps, closes after %2 s").arg(m_options.overlayMaxFps).arg(m_options.overlayMaxSessionMs / 1000));
    streaming = true;
    auto session = std::make_unique<OverlaySession>(makeResponder(request, socket));
    session->socket = socket;
    session->keyId = caller.key->keyId;
    session->ip = caller.ip;
    QHttpServerResponder &r = session->responder;
    r.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
    r.writeHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("multipart/x-mixed-replace; boundary=") + kBoundary);
    r.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    r.writeHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    r.writeHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    r.writeHeader(QByteArrayLiteral("RateLimit-Policy"), caller.policy.headerValue().toLatin1());
    r.writeHeader(QByteArrayLiteral("RateLimit"), caller.rate.headerValue().toLatin1());
    r.writeHeader(QByteArrayLiteral("X-Overlay-Max-Fps"), QByteArray::number(m_options.overlayMaxFps));
    r.writeHeader(QByteArrayLiteral("X-Overlay-Max-Seconds"), QByteArray::number(m_options.overlayMaxSessionMs / 1000));
    r.writeBody(QByteArrayLiteral("\r\n"));
    OverlaySession *raw = session.get();
    session->timeout = std::make_unique<QTimer>();
    session->timeout->setSingleShot(true);
    connect(session->timeout.get(), &QTimer::timeout, this, [this, raw] { closeOverlay(raw, QStringLiteral("time limit")); });
    session->timeout->start(int(m_options.overlayMaxSessionMs));
    connect(socket, &QAbstractSocket::disconnected, session->timeout.get(), [this, raw] { closeOverlay(raw, QStringLiteral("client disconnected")); });
    const bool first = m_overlaySessions.empty();
    m_overlaySessions.push_back(std::move(session));
    if (first)
        m_context.overlay->start();
    emit overlaySessionOpened(caller.key->keyId);
    return {};
}

void EdgeApiServer::onOverlayFrame(const QByteArray &image, qint64 timestampMs)
{
    const qint64 minIntervalMs = qint64(1000.0 / m_options.overlayMaxFps);
    const QByteArray mime = m_context.overlay ? m_context.overlay->mimeType() : QByteArrayLiteral("image/jpeg");
    for (auto &s : m_overlaySessions) {
        if (!s->socket || s->socket->state() != QAbstractSocket::ConnectedState)
            continue;
        if (s->frames > 0 && s->sinceLastFrame.isValid() && s->sinceLastFrame.elapsed() < minIntervalMs)
            continue; // at most overlayMaxFps per session
        if (s->socket->bytesToWrite() > m_options.overlayMaxBufferedBytes)
            continue; // a slow client skips frames
        QByteArray part = QByteArrayLiteral("--") + kBoundary + QByteArrayLiteral("\r\nContent-Type: ") + mime
            + QByteArrayLiteral("\r\nContent-Length: ") + QByteArray::number(image.size())
            + QByteArrayLiteral("\r\nX-Timestamp-Ms: ") + QByteArray::number(timestampMs) + QByteArrayLiteral("\r\n\r\n");
        part += image;
        part += QByteArrayLiteral("\r\n");
        s->responder.writeBody(part);
        s->sinceLastFrame.start();
        ++s->frames;
    }
}

void EdgeApiServer::closeOverlay(OverlaySession *session, const QString &reason)
{
    auto it = std::find_if(m_overlaySessions.begin(), m_overlaySessions.end(), [session](const auto &s) { return s.get() == session; });
    if (it == m_overlaySessions.end())
        return;
    std::unique_ptr<OverlaySession> s = std::move(*it);
    m_overlaySessions.erase(it);
    s->timeout->stop();
    if (s->socket && s->socket->state() == QAbstractSocket::ConnectedState) {
        s->responder.writeBody(QByteArrayLiteral("--") + kBoundary + QByteArrayLiteral("--\r\n"));
        s->socket->disconnectFromHost();
    }
    Caller caller;
    caller.ip = s->ip;
    ApiKeyInfo who;
    who.keyId = s->keyId;
    caller.key = who;
    audit(caller, QStringLiteral("overlay.close"), QString(), QStringLiteral("ok: %1 after %2 frames").arg(reason).arg(s->frames));
    if (m_overlaySessions.empty() && m_context.overlay)
        m_context.overlay->stop();
    emit overlaySessionClosed(s->keyId, reason, s->frames);
    // The timer may be the sender of this call: delete it later, but cut its
    // connections now — a socket torn down after this server must not call back.
    if (s->socket)
        QObject::disconnect(s->socket, nullptr, s->timeout.get(), nullptr);
    s->timeout->disconnect();
    s->timeout.release()->deleteLater();
}

} // namespace signiq::api
