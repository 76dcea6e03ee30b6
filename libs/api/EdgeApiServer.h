#pragma once

#include "api/ApiServerConfig.h"
#include "api/AuditLog.h"
#include "api/KeyStore.h"
#include "api/RateLimiter.h"
#include "api/RouteTable.h"
#include "core/Result.h"
#include "crypto/TlsConfiguration.h"
#include "http/HttpMessage.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace signiq::crypto {
class TlsServer;
}
namespace signiq::http {
class HttpServer;
class StreamOpener;
}

namespace signiq::api {

struct ApiServices;
class AuditEndpoint;
class ConfigEndpoint;
class HealthEndpoint;
class KeysEndpoint;
class OverlayEndpoint;
class WindowsEndpoint;

// The local HTTPS API (docs/api.md). This class is the transport and the request pipeline —
// rate limit (per key, else per source address), route (RouteTable: 404/405), body limit (413),
// authentication (401) and scopes (403), then the route's handler; the endpoints are one class
// per resource in api/endpoints/ (health, windows, zones/calibration, keys, audit, overlay).
// HTTP/1.1 through the limit-enforcing front of libs/http (header and body limits before
// buffering, timeouts, connection caps: the front answers 400/408/413/431 itself); TLS 1.3 only
// through crypto::TlsServer. Lives in one thread (that of its database connection).
class EdgeApiServer : public QObject {
    Q_OBJECT
public:
    EdgeApiServer(ApiServerContext context, ApiServerOptions options = {}, QObject *parent = nullptr);
    ~EdgeApiServer() override;

    // Listens with TLS 1.3 (crypto::TlsServer, server authentication only: clients present
    // API keys). Returns the port (useful with port 0). Never serves plaintext.
    [[nodiscard]] core::Result<quint16> listenTls(const crypto::TlsIdentity &identity, const QHostAddress &address,
                                                  quint16 port);
    crypto::TlsServer *tlsServer() const;
    http::HttpServer *httpServer() const { return m_http.get(); }

    int openOverlaySessions() const;
    // Every route the server answers (method, pattern, scopes): the API's one list.
    const RouteTable &routes() const { return m_routes; }

signals:
    void overlaySessionOpened(const QString &keyId);
    void overlaySessionClosed(const QString &keyId, const QString &reason, int frames);

private:
    std::optional<http::Response> handle(const http::Request &request, http::StreamOpener &opener);
    std::optional<ApiResponse> dispatch(const http::Request &request, http::StreamOpener &opener, Caller &caller);
    static http::Response toHttp(const ApiResponse &response, const Caller &caller);

    ApiServerContext m_context;
    ApiServerOptions m_options;
    KeyStore m_keys;
    AuditLog m_audit;
    RateLimiter m_limiter;
    RouteTable m_routes;
    // Destroyed before the members above, which the endpoints use.
    std::unique_ptr<ApiServices> m_services;
    std::unique_ptr<HealthEndpoint> m_health;
    std::unique_ptr<WindowsEndpoint> m_windows;
    std::unique_ptr<ConfigEndpoint> m_config;
    std::unique_ptr<KeysEndpoint> m_keysEndpoint;
    std::unique_ptr<AuditEndpoint> m_auditEndpoint;
    std::unique_ptr<OverlayEndpoint> m_overlay;
    // Destroyed first: no request reaches the endpoints while they go.
    std::unique_ptr<http::HttpServer> m_http;
};

} // namespace signiq::api
