#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/TlsConfiguration.h"
#include "http/HttpLimits.h"
#include "http/HttpMessage.h"
#include "hub/WebhookApi.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace signiq::http {
class HttpServer;
class ResponseStream;
class StreamOpener;
} // namespace signiq::http

namespace signiq::crypto {
class Ed25519SigningKey;
} // namespace signiq::crypto

namespace signiq::hub {

class Database;
struct AuthenticatedKey;
struct TierLimits;
struct WindowQuery;

struct HubApiOptions {
    http::Limits http;
    // A device is "online" when it was seen within this (GET /v1/devices).
    qint64 onlineThresholdMs = 5 * 60 * 1000;
    // Requests without a valid key (health, refusals), per address and minute.
    int anonymousPerMinute = 60;
    // Exports: rows per database page, and how much may wait unsent before the next page is read.
    int exportPageRows = 500;
    qint64 exportMaxPendingBytes = 256 * 1024;
    // GET /v1/audit: default and largest page.
    int auditPageSize = 100;
    int auditMaxPageSize = 1000;
    // Signs the head at the end of an audit export (Ed25519, a key of its own: signiq-hub serve
    // --audit-key-file). Null: the head is unsigned (it still detects a cut, not a forger).
    const crypto::Ed25519SigningKey *auditKey = nullptr;
    // A successful authentication (the key and its organisation's tier limits) is reused for
    // this long, keyed by the token's SHA-256 (the token itself is never kept): a revoked key
    // or a tier change takes effect within it. 0: every request looks its key up.
    qint64 authCacheMs = 5000;
    int authCacheMaxEntries = 10000; // the cache is emptied when it is full
    // /v1/webhooks (docs/webhooks.md): the secrets key, the address policy's mode, paging.
    WebhookApiOptions webhooks;
};

// The hub's rate limit per key: a sliding minute of `rate + burst` requests (the tier's
// rate_per_minute and burst; burst is 0 on free). Time from the injected clock.
class HubRateLimiter {
public:
    explicit HubRateLimiter(const core::Clock &clock) : m_clock(clock) {}
    struct Decision {
        bool allowed = true;
        int limit = 0;
        int remaining = 0;
        int resetS = 0; // seconds until the oldest counted request leaves the window
    };
    Decision check(const QString &bucket, int limit);

private:
    const core::Clock &m_clock;
    QHash<QString, QList<qint64>> m_times;
};

// The hub's HTTP API (/v1, docs/hub.md "API") on the limit-enforcing HTTP front (libs/http,
// TLS 1.3). Pipeline per request: authenticate (if a key is given) -> rate limit per key by the
// organisation's tier (or per address) -> route (404/405) -> 401 -> scope (403) -> handler.
// Every handler's queries run in Database::inOrg(<the key's organisation>) transactions; ids of
// another organisation are unknown (404).
class HubApiServer : public QObject {
    Q_OBJECT
public:
    HubApiServer(Database &db, const core::Clock &clock, HubApiOptions options, QObject *parent = nullptr);
    ~HubApiServer() override;

    [[nodiscard]] core::Result<quint16> listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port);
    http::HttpServer *httpServer() const { return m_http.get(); }

    // Answers one request (what the HTTP front calls; public for in-process tests).
    // Returns nothing when the answer is a stream (an export) that took the connection over.
    std::optional<http::Response> handle(const http::Request &request, http::StreamOpener *opener = nullptr);

    // The routes served, for the contract test against docs/openapi-hub.yaml.
    struct RouteInfo {
        QByteArray method;
        QString path; // "/v1/..."; "{}" for a path parameter
        bool open = false;
        bool takesBody = false;
    };
    QList<RouteInfo> routes() const;

    struct Caller;
    using Handler = std::function<http::Response(const http::Request &, const QStringList &params, Caller &)>;

private:
    struct Route {
        QByteArray method;
        QStringList pattern; // path segments; "{}" matches one segment
        quint32 scopes = 0;  // protocol::Scopes needed (all of them); 0 with open
        bool open = false;
        Handler handler;
        bool takesBody = false; // a JSON body (Content-Type application/json); others refuse any body (415)
    };
    void add(const char *method, const QString &pattern, quint32 scopes, bool open, Handler handler, bool takesBody = false);
    // The /v1/webhooks routes (handled by WebhookApi).
    void addWebhookRoutes();
    WebhookApi::Caller webhookCaller(const Caller &caller) const;
    http::Response dispatch(const http::Request &request, Caller &caller);
    // Authenticates `token` through the cache; fills caller.key and caller.limits.
    [[nodiscard]] core::Status authenticate(const QString &token, Caller &caller);

    http::Response health(const http::Request &, const QStringList &, Caller &);
    http::Response sites(const http::Request &, const QStringList &, Caller &);
    http::Response devices(const http::Request &, const QStringList &, Caller &);
    http::Response windows(const http::Request &, const QStringList &, Caller &);
    http::Response demographics(const http::Request &, const QStringList &, Caller &);
    // Parses and checks the filters and paging of /v1/windows and /v1/demographics into `q`
    // (site restriction applied; another organisation's site or device is 404).
    std::optional<http::Response> windowQuery(const http::Request &request, Caller &caller, WindowQuery &q,
                                              const QStringList &alsoKnown = {});
    // GET /v1/windows/export: streamed in pages (see WindowExport in the .cpp).
    http::Response exportWindows(const http::Request &, const QStringList &, Caller &);
    http::Response trends(const http::Request &, const QStringList &, Caller &);
    http::Response flow(const http::Request &, const QStringList &, Caller &);
    http::Response auditEntries(const http::Request &, const QStringList &, Caller &);
    // GET /v1/audit/export: audited first, then the chain from entry 1 to the head streamed in
    // pages, then the head (signed with options.auditKey when there is one).
    http::Response exportAudit(const http::Request &, const QStringList &, Caller &);
    // Opens the stream of an export (headers, RateLimit) or answers why it cannot.
    http::ResponseStream *openExport(Caller &caller, const QByteArray &contentType, const QByteArray &fileName);
    // Records an audit entry for the caller's organisation; a refusal that cannot be recorded is
    // logged (the refusal stands).
    core::Status audit(const Caller &caller, const QString &action, const QString &target, const QString &result);

    Database &m_db;
    const core::Clock &m_clock;
    HubApiOptions m_options;
    HubRateLimiter m_limiter;
    QList<Route> m_routes;
    struct CachedAuth;
    QHash<QByteArray, std::shared_ptr<const CachedAuth>> m_authCache;
    std::unique_ptr<WebhookApi> m_webhooks;
    std::unique_ptr<http::HttpServer> m_http;
};

} // namespace signiq::hub
