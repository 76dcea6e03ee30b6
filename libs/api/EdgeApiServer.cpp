#include "api/EdgeApiServer.h"

#include "api/ApiLog.h"
#include "api/ApiServices.h"
#include "api/endpoints/AuditEndpoint.h"
#include "api/endpoints/ConfigEndpoint.h"
#include "api/endpoints/HealthEndpoint.h"
#include "api/endpoints/KeysEndpoint.h"
#include "api/endpoints/OverlayEndpoint.h"
#include "api/endpoints/WindowsEndpoint.h"
#include "crypto/TlsServer.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

namespace signiq::api {

using core::ErrorCode;

namespace {

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

ApiResponse unauthorized(const QString &message)
{
    ApiResponse r = ApiResponse::error(401, QStringLiteral("unauthorized"), message);
    r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"signiq\"")});
    return r;
}

} // namespace

EdgeApiServer::EdgeApiServer(ApiServerContext context, ApiServerOptions options, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_context(std::move(context))
    , m_options(std::move(options))
    , m_keys(*m_context.database, *m_context.clock)
    , m_audit(*m_context.database, *m_context.clock, m_context.auditKey)
    , m_limiter(*m_context.clock)
{
    m_services = std::make_unique<ApiServices>(ApiServices{m_context, m_options, m_keys, m_audit, m_limiter, m_context.clock->nowMs(), {}});
    m_health = std::make_unique<HealthEndpoint>(*m_services);
    m_windows = std::make_unique<WindowsEndpoint>(*m_services);
    m_config = std::make_unique<ConfigEndpoint>(*m_services);
    m_keysEndpoint = std::make_unique<KeysEndpoint>(*m_services);
    m_auditEndpoint = std::make_unique<AuditEndpoint>(*m_services);
    m_overlay = std::make_unique<OverlayEndpoint>(*m_services);
    m_health->addRoutes(m_routes);
    m_windows->addRoutes(m_routes);
    m_config->addRoutes(m_routes);
    m_keysEndpoint->addRoutes(m_routes);
    m_auditEndpoint->addRoutes(m_routes);
    m_overlay->addRoutes(m_routes);
    m_services->keyRevoked = [this](const QString &keyId) { m_overlay->closeSessionsOf(keyId, QStringLiteral("key revoked")); };
    connect(m_overlay.get(), &OverlayEndpoint::sessionOpened, this, &EdgeApiServer::overlaySessionOpened);
    connect(m_overlay.get(), &OverlayEndpoint::sessionClosed, this, &EdgeApiServer::overlaySessionClosed);
}

EdgeApiServer::~EdgeApiServer()
{
    // The overlay's sessions end (and are audited) while everything they use still exists.
    m_overlay->closeAll(QStringLiteral("server stopped"));
    m_overlay.reset();
}

int EdgeApiServer::openOverlaySessions() const
{
    return m_overlay->openSessions();
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

void EdgeApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest() answers everything; kept for completeness.
    Caller caller;
    caller.ip = remoteIp(request);
    caller.policy = m_options.anonymousPolicy;
    caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, caller.policy);
    auto responder = makeResponder(request, socket);
    send(responder, ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")), caller);
}

bool EdgeApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Caller caller;
    caller.ip = remoteIp(request);
    const std::optional<ApiResponse> response = dispatch(request, socket, caller);
    if (!response)
        return true; // a stream took the connection over
    auto responder = makeResponder(request, socket);
    send(responder, *response, caller);
    return true;
}

void EdgeApiServer::send(QHttpServerResponder &responder, const ApiResponse &response, const Caller &caller)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"),
                          response.isJson() ? QByteArrayLiteral("application/json; charset=utf-8") : response.contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    responder.writeHeader(QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    responder.writeHeader(QByteArrayLiteral("RateLimit-Policy"), caller.policy.headerValue().toLatin1());
    responder.writeHeader(QByteArrayLiteral("RateLimit"), caller.rate.headerValue().toLatin1());
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeBody(response.body);
}

std::optional<ApiResponse> EdgeApiServer::dispatch(const QHttpServerRequest &request, QTcpSocket *socket, Caller &caller)
{
    // 1. Who is calling. A request with a key is limited per key, anything else per address.
    const QByteArray authorization = request.value(QByteArrayLiteral("authorization")).trimmed();
    std::optional<ApiResponse> authFailure;
    if (!authorization.isEmpty()) {
        const QByteArray scheme = authorization.left(7).toLower();
        auto key = scheme == "bearer " ? m_keys.authenticate(QString::fromLatin1(authorization.mid(7).trimmed()))
                                       : core::Result<ApiKeyInfo>(core::makeError(ErrorCode::InvalidArgument,
                                                                                  QStringLiteral("use 'Authorization: Bearer <key>'")));
        if (key) {
            caller.key = *key;
        } else if (key.error().code == ErrorCode::InvalidArgument || key.error().code == ErrorCode::PermissionDenied) {
            authFailure = unauthorized(key.error().message);
        } else {
            caller.policy = m_options.anonymousPolicy;
            caller.rate = m_limiter.check(QStringLiteral("ip:") + caller.ip, caller.policy);
            return ApiResponse::internal(key.error());
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
        ApiResponse r = ApiResponse::error(429, QStringLiteral("rate_limited"),
                                           QStringLiteral("too many requests; retry after %1 s").arg(caller.rate.retryAfterS));
        r.headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(caller.rate.retryAfterS)});
        return r;
    }

    // 2. Which endpoint (the route table: 404 for an unknown path, 405 for a known one).
    const QString path = request.url().path();
    const QString method = methodName(request.method());
    const RouteTable::Match match = m_routes.match(method, path);
    if (!match.route && match.allowed.isEmpty())
        return ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no endpoint %1").arg(path));
    if (!match.route) {
        const QString allowed = match.allowed.join(QStringLiteral(", "));
        ApiResponse r = ApiResponse::error(405, QStringLiteral("method_not_allowed"),
                                           QStringLiteral("%1 %2 is not supported (allowed: %3)").arg(method, path, allowed));
        r.headers.append({QByteArrayLiteral("Allow"), allowed.toLatin1()});
        return r;
    }
    const Route &route = *match.route;

    // 3. Body limit (QAbstractHttpServer 6.4 has already buffered it: refuse before parsing).
    const qint64 declared = request.value(QByteArrayLiteral("content-length")).toLongLong();
    if (request.body().size() > m_options.maxBodyBytes || declared > m_options.maxBodyBytes)
        return ApiResponse::error(413, QStringLiteral("payload_too_large"),
                                  QStringLiteral("the body is larger than %1 bytes").arg(m_options.maxBodyBytes));

    ApiRequest apiRequest{method, path, match.params, request.query(), request.body(),
                          request.value(QByteArrayLiteral("content-type")).trimmed().toLower()};

    // 4. Authentication and scopes.
    if (!route.open) {
        const QString target = method + QLatin1Char(' ') + path.left(200);
        if (authFailure) {
            m_services->audit(caller, QStringLiteral("auth.failed"), target, QStringLiteral("denied: invalid key"));
            return *authFailure;
        }
        if (!caller.key) {
            m_services->audit(caller, QStringLiteral("auth.failed"), target, QStringLiteral("denied: no key"));
            return unauthorized(QStringLiteral("an API key is required: 'Authorization: Bearer <key>'"));
        }
        for (const Scopes &s : route.scopes) {
            if (!(caller.key->scopes & s)) {
                m_services->audit(caller, QStringLiteral("auth.denied"), target,
                                  QStringLiteral("denied: scope %1 required").arg(scopeNames(s).join(QLatin1Char('|'))));
                return ApiResponse::error(403, QStringLiteral("forbidden"), QStringLiteral("this key lacks the scope %1 needed for %2")
                                                                                .arg(scopeNames(s).join(QStringLiteral(" or ")), target));
            }
        }
    }

    // 5. The endpoint.
    if (route.stream) {
        StreamTarget stream{socket, [this, &request, socket] { return makeResponder(request, socket); }};
        return route.stream(apiRequest, caller, stream);
    }
    return route.handler(apiRequest, caller);
}

} // namespace signiq::api
