#pragma once

#include "api/ApiKey.h"
#include "api/AuditLog.h"
#include "api/KeyStore.h"
#include "api/RateLimiter.h"
#include "core/Clock.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "crypto/TlsConfiguration.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerResponder>
#include <QJsonObject>
#include <QPointer>

#include <functional>
#include <list>
#include <memory>
#include <optional>

class QTimer;

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::crypto {
class TlsServer;
}

namespace signiq::api {

class OverlayFeed;

// Live figures of the pipeline for /v1/health (no counts). Produced thread-safely by the
// runtime; the server asks for a copy per request.
struct HealthSnapshot {
    QString status = QStringLiteral("ok"); // "starting", "ok", "stopping", "stopped", "failed"
    qint64 startedAtMs = 0;
    double pipelineFps = 0.0;
    qint64 framesProcessed = 0;
    std::optional<double> captureToReleaseP50Ms;
    std::optional<double> captureToReleaseP99Ms;
    QString modelVersion;
    QString calibrationVersion; // of the running pipeline
};

struct ApiServerOptions {
    qint64 maxBodyBytes = 64 * 1024;
    int defaultPageSize = 100;
    int maxPageSize = 1000;
    int auditMaxPageSize = 1000;
    qint64 overlayMaxSessionMs = 10 * 60 * 1000; // an installer session closes itself after this
    double overlayMaxFps = 5.0;
    int overlayMaxSessions = 2;
    qint64 overlayMaxBufferedBytes = 4 * 1024 * 1024; // a slow client skips frames, never grows memory
    // Limits per tier (sliding window with burst), and for requests without a valid key (per
    // source address: /v1/health and failed authentications).
    std::function<RatePolicy(Tier)> policyForTier = &RatePolicy::forTier;
    RatePolicy anonymousPolicy{120, 60, 20};
};

// Everything the server reads or changes, injected by the program that runs it.
struct ApiServerContext {
    const storage::EncryptedDatabase *database = nullptr; // a connection of the server's thread
    const core::Clock *clock = nullptr;
    std::function<HealthSnapshot()> health;               // empty: status "ok" without pipeline figures
    OverlayFeed *overlay = nullptr;                       // empty: /v1/overlay answers 503
    // Asked before a valid zone/calibration change is stored: whether the pipeline can count
    // with it (e.g. the floor points give a ground plane); a refusal answers 422 invalid_config.
    std::function<core::Status(const core::ZoneConfig &)> checkConfig;
    // Called after an accepted zone/calibration change was stored (new calibration_version).
    std::function<void(const core::ZoneConfig &)> configChanged;
};

// The local HTTPS API (docs/api.md): routing, JSON error model, body limits, scoped API keys,
// per-key sliding-window rate limits, hash-chained audit, anonymised overlay stream.
// HTTP/1.1 on QAbstractHttpServer; TLS 1.3 only through crypto::TlsServer. Lives in one thread
// (that of its database connection).
class EdgeApiServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    EdgeApiServer(ApiServerContext context, ApiServerOptions options = {}, QObject *parent = nullptr);
    ~EdgeApiServer() override;

    // Listens with TLS 1.3 (crypto::TlsServer, server authentication only: clients present
    // API keys). Returns the port (useful with port 0). Never serves plaintext.
    [[nodiscard]] core::Result<quint16> listenTls(const crypto::TlsIdentity &identity, const QHostAddress &address,
                                                  quint16 port);
    crypto::TlsServer *tlsServer() const { return m_tls; }

    int openOverlaySessions() const { return int(m_overlaySessions.size()); }

signals:
    void overlaySessionOpened(const QString &keyId);
    void overlaySessionClosed(const QString &keyId, const QString &reason, int frames);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Response;
    struct Caller;
    struct OverlaySession;

    Response dispatch(const QHttpServerRequest &request, QTcpSocket *socket, Caller &caller, bool &streaming);
    void send(QHttpServerResponder &responder, const Response &response, const Caller &caller);
    void audit(const Caller &caller, const QString &action, const QString &target, const QString &result);

    Response health();
    Response windows(const QHttpServerRequest &request, const Caller &caller, bool csv, bool demographics = false);
    Response getConfig(bool calibration);
    Response putConfig(const QHttpServerRequest &request, const Caller &caller, bool calibration);
    Response createKey(const QHttpServerRequest &request, const Caller &caller);
    Response listKeys();
    Response rotateKey(const QHttpServerRequest &request, const Caller &caller, const QString &keyId);
    Response revokeKey(const Caller &caller, const QString &keyId);
    Response auditEntries(const QHttpServerRequest &request);
    Response auditExport(const QHttpServerRequest &request, const Caller &caller);
    Response openOverlay(const QHttpServerRequest &request, QTcpSocket *socket, const Caller &caller, bool &streaming);

    void onOverlayFrame(const QByteArray &image, qint64 timestampMs);
    void closeOverlay(OverlaySession *session, const QString &reason);

    ApiServerContext m_context;
    ApiServerOptions m_options;
    KeyStore m_keys;
    AuditLog m_audit;
    RateLimiter m_limiter;
    crypto::TlsServer *m_tls = nullptr;
    qint64 m_startedAtMs = 0;
    std::list<std::unique_ptr<OverlaySession>> m_overlaySessions;
    qint64 m_lastOverlayFrameMs = -1;
};

} // namespace signiq::api
