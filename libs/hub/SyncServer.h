#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/Certificate.h"
#include "crypto/TlsConfiguration.h"
#include "http/HttpLimits.h"
#include "http/HttpMessage.h"
#include "hub/SyncIngest.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace signiq::http {
class HttpServer;
}

namespace signiq::hub {

class Database;

// The sync listener (docs/sync.md): POST /v1/sync/batches over mutual TLS 1.3, on its own port,
// apart from the API (whose clients authenticate with keys). A client without a certificate
// that chains to a registered deployment CA fails the handshake; the handler then derives the
// organisation and device from the verified certificate (SyncIngest::identify), never from the
// body, and answers only after the batch's transaction committed.
//
// Answers: 200 ack (stored or duplicate); 400 malformed_batch; 401 unknown_device (not a
// registered device, or its certificate is revoked); 403 device_mismatch (the body names
// another device); 413 batch_too_large; 422 batch_in_future / batch_refused; 404/405;
// 503 retry_later (the database failed). The edge sets 400/413/422 aside as poison and retries
// everything else with backoff.
class SyncServer : public QObject {
    Q_OBJECT
public:
    SyncServer(Database &db, const core::Clock &clock, SyncIngestSettings settings = {}, QObject *parent = nullptr);
    ~SyncServer() override;

    // Loads the registered deployment CAs as trust anchors and listens. Unsupported when no
    // deployment CA is registered yet.
    [[nodiscard]] core::Result<quint16> listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port);
    // Re-reads the deployment CAs (a CA registered after listen()); used for new connections.
    [[nodiscard]] core::Status reloadTrustAnchors();

    // Answers one request (what the HTTP front calls; public for in-process tests).
    http::Response handle(const http::Request &request);

    http::HttpServer *httpServer() const { return m_http.get(); }
    static http::Limits defaultLimits();

private:
    SyncIngest m_ingest;
    QList<crypto::Certificate> m_anchors;
    crypto::TlsIdentity m_identity;
    std::unique_ptr<http::HttpServer> m_http;
};

} // namespace signiq::hub
