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
#include "http/HttpServer.h"

namespace signiq::api {

using core::ErrorCode;

namespace {

ApiResponse unauthorized(const QString &message)
{
    ApiResponse r = ApiResponse::error(401, QStringLiteral("unauthorized"), message);
    r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"signiq\"")});
    return r;
}

} // namespace

EdgeApiServer::EdgeApiServer(ApiServerContext context, ApiServerOptions options, QObject *parent)
    : QObject(parent)
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
    m_http = std::make_unique<http::HttpServer>(
        m_options.http, [this](const http::Request &request, http::StreamOpener &opener) { return handle(request, opener); });
}

EdgeApiServer::~EdgeApiServer()
{
    // The overlay's sessions end (and are audited) while everything they use still exists.
    m_overlay->closeAll(QStringLiteral("server stopped"));
    m_http.reset();
    m_overlay.reset();
}

crypto::TlsServer *EdgeApiServer::tlsServer() const
{
    return m_http->tlsServer();
}

int EdgeApiServer::openOverlaySessions() const
{
    return m_overlay->openSessions();
}

core::Result<quint16> EdgeApiServer::listenTls(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port)
{
    // Server authentication only: clients present API keys.
    auto listening = m_http->listen(identity, address, port);
    if (listening)
        qCInfo(lcApi) << "API listening (TLS 1.3) on" << address.toString() << *listening;
    return listening;
}

std::optional<http::Response> EdgeApiServer::handle(const http::Request &request, http::StreamOpener &opener)
{
    Caller caller;
    caller.ip = request.remoteAddress.toString();
    const std::optional<ApiResponse> response = dispatch(request, opener, caller);
    if (!response)
        return std::nullopt; // a stream took the connection over
    return toHttp(*response, caller);
}

http::Response EdgeApiServer::toHttp(const ApiResponse &response, const Caller &caller)
{
    http::Response out;
    out.status = response.status;
    out.contentType = response.isJson() ? QByteArrayLiteral("application/json; charset=utf-8") : response.contentType;
    out.body = response.body;
    out.headers = {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
                   {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
                   {QByteArrayLiteral("RateLimit-Policy"), caller.policy.headerValue().toLatin1()},
                   {QByteArrayLiteral("RateLimit"), caller.rate.headerValue().toLatin1()}};
    out.headers += response.headers;
    return out;
}

std::optional<ApiResponse> EdgeApiServer::dispatch(const http::Request &request, http::StreamOpener &opener, Caller &caller)
{
    // 1. Who is calling. A request with a key is limited per key, anything else per address.
    const QByteArray authorization = request.header("authorization").trimmed();
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
    const QString &path = request.path;
    const QString method = QString::fromLatin1(request.method);
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

    // 3. The body limit was enforced by the HTTP front while it read (413 before buffering).
    ApiRequest apiRequest{method, path, match.params, request.query, request.body, request.header("content-type").trimmed().toLower()};

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
        StreamTarget stream{&opener};
        return route.stream(apiRequest, caller, stream);
    }
    return route.handler(apiRequest, caller);
}

} // namespace signiq::api
