#pragma once

#include "core/Clock.h"
#include "hub/WebhookAddressPolicy.h"
#include "hub/WebhookDeliveryQueue.h"

#include <QList>
#include <QObject>
#include <QHash>
#include <QPointer>
#include <QSslCertificate>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace signiq::hub {

class AuditRepository;
class Database;
class WebhookRepository;

// Posts due deliveries from the queue: one pass claims what is due in every organisation and
// posts it, one request at a time. Each attempt resolves and checks the target (the policy),
// signs the payload (Standard Webhooks v1, the endpoint's stored secret as the HMAC key), posts
// with a per-attempt timeout and no redirects, reads at most ExcerptBytes of the answer, and
// records the outcome. An endpoint the queue disables is audited ("webhook.disabled").
class WebhookDispatcher final : public QObject {
    Q_OBJECT
public:
    struct Options {
        qint64 leaseMs = 120'000;
        int timeoutMs = 10'000;
        int claimBatch = 50;
        // Certificate authorities trusted for https receivers on top of the system's (an
        // on-premises receiver's private CA; the tests' CA).
        QList<QSslCertificate> extraCaCertificates;
    };

    WebhookDispatcher(Database &db, WebhookRepository &endpoints, AuditRepository &audit, const core::Clock &clock,
                      WebhookAddressPolicy policy, Options options, QObject *parent = nullptr);
    ~WebhookDispatcher() override;

    // The jitter's random draw in [0, 1) (default: QRandomGenerator).
    void setRandomSource(std::function<double()> source) { m_random = std::move(source); }

    // Starts one pass unless one is running; passFinished() when it is done.
    void runOnce();
    bool isRunning() const { return m_running; }

signals:
    void passFinished(int attempts, int delivered);

private:
    void postNext();
    void finishAttempt(const WebhookClaim &claim, WebhookAttemptOutcome outcome);
    // The dispatcher's policy plus the organisation's allowed ranges (read once per pass).
    core::Result<WebhookAddressPolicy> policyFor(const QUuid &org);

    Database &m_db;
    WebhookRepository &m_endpoints;
    AuditRepository &m_audit;
    const core::Clock &m_clock;
    WebhookAddressPolicy m_policy;
    Options m_options;
    WebhookDeliveryQueue m_queue;
    QNetworkAccessManager *m_network = nullptr;
    std::function<double()> m_random;
    QList<WebhookClaim> m_pending;
    QHash<QUuid, QList<WebhookAddressPolicy::Range>> m_orgRanges; // this pass's
    bool m_running = false;
    int m_attempts = 0;
    int m_delivered = 0;
};

} // namespace signiq::hub
