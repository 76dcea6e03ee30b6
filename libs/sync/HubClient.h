#pragma once

#include "core/Result.h"
#include "crypto/TlsConfiguration.h"
#include "protocol/SyncBatch.h"

#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <variant>

namespace signiq::sync {

// What became of one send.
struct SendAcked {
    protocol::SyncAck ack;
};
struct SendRefused { // the hub refused this batch for what it is (400, 413, 422): poison, never retried
    int status = 0;
    QString message;
};
struct SendFailed { // worth retrying: network, TLS, timeouts, 401/403 (certificate), 408, 429, 5xx
    QString message;
};
using SendOutcome = std::variant<SendAcked, SendRefused, SendFailed>;

// Classifies an HTTP answer of POST /v1/sync/batches (status 0: no answer).
SendOutcome classifyAnswer(int status, const QByteArray &body, const QString &batchId, const QString &transportError);

// The hub end of the sync worker (an interface, so that the worker's tests run in-process).
class HubClient {
public:
    virtual ~HubClient() = default;
    virtual SendOutcome send(const protocol::SyncBatch &batch) = 0;
};

struct HubEndpoint {
    QUrl url;                       // https://hub:port (the sync listener); the path is added
    QList<QSslCertificate> hubCas;  // trust anchors for the hub's server certificate
    crypto::TlsIdentity device;     // the device certificate from enrollment (mutual TLS)
    int timeoutMs = 30'000;
};

// POST /v1/sync/batches over TLS 1.3 with the device certificate. Blocking (runs its own event
// loop): use it on the sync worker's thread.
class HttpsHubClient final : public HubClient {
public:
    explicit HttpsHubClient(HubEndpoint endpoint);
    SendOutcome send(const protocol::SyncBatch &batch) override;

private:
    HubEndpoint m_endpoint;
};

} // namespace signiq::sync
