#include "hub/WebhookDispatcher.h"

#include "hub/AuditRepository.h"
#include "hub/HubLog.h"
#include "hub/WebhookRepository.h"
#include "hub/WebhookSigning.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslConfiguration>

namespace signiq::hub {

WebhookDispatcher::WebhookDispatcher(Database &db, WebhookRepository &endpoints, AuditRepository &audit, const core::Clock &clock,
                                     WebhookAddressPolicy policy, Options options, QObject *parent)
    : QObject(parent), m_db(db), m_endpoints(endpoints), m_audit(audit), m_clock(clock), m_policy(std::move(policy)),
      m_options(options), m_queue(db), m_network(new QNetworkAccessManager(this)),
      m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // a 3xx is a failed attempt
}

WebhookDispatcher::~WebhookDispatcher() = default;

void WebhookDispatcher::runOnce()
{
    if (m_running)
        return;
    m_running = true;
    m_attempts = 0;
    m_delivered = 0;
    m_pending.clear();
    m_orgRanges.clear();
    const qint64 now = m_clock.nowMs();
    auto orgs = m_queue.dueOrganisations(now);
    if (!orgs)
        qCWarning(lcHub).noquote() << QStringLiteral("webhooks: cannot list due deliveries: %1").arg(orgs.error().toString());
    for (const QUuid &org : orgs ? *orgs : QList<QUuid>()) {
        auto claims = m_queue.claim(org, now, m_options.leaseMs, m_options.claimBatch);
        if (!claims) {
            qCWarning(lcHub).noquote() << QStringLiteral("webhooks: cannot claim deliveries: %1").arg(claims.error().toString());
            continue;
        }
        m_pending.append(*claims);
    }
    // Posted from the event loop, so that a caller can connect to passFinished after runOnce().
    QMetaObject::invokeMethod(this, &WebhookDispatcher::postNext, Qt::QueuedConnection);
}

void WebhookDispatcher::postNext()
{
    if (m_pending.isEmpty()) {
        m_running = false;
        emit passFinished(m_attempts, m_delivered);
        return;
    }
    const WebhookClaim claim = m_pending.takeFirst();
    ++m_attempts;
    WebhookAttemptOutcome outcome;
    outcome.startedAtMs = m_clock.nowMs();
    const QUrl url(claim.url);
    auto policy = policyFor(claim.org);
    if (!policy) {
        outcome.error = QStringLiteral("cannot read the organisation's allowed ranges: %1").arg(policy.error().message);
        finishAttempt(claim, std::move(outcome));
        return;
    }
    if (core::Status ok = policy->checkUrl(url); !ok) {
        outcome.error = ok.error().message;
        finishAttempt(claim, std::move(outcome));
        return;
    }
    // Every attempt: the name may point elsewhere since the last one (DNS rebinding).
    auto addresses = policy->resolve(url.host());
    if (!addresses) {
        outcome.error = addresses.error().message;
        finishAttempt(claim, std::move(outcome));
        return;
    }
    // The current secret, and the previous one while a rotation's overlap lasts.
    auto keys = m_endpoints.signingSecrets(claim.org, claim.endpoint, outcome.startedAtMs);
    QList<WebhookSecret> secrets;
    QString keyError = keys ? QString() : keys.error().message;
    for (const QByteArray &key : keys ? *keys : QList<QByteArray>()) {
        auto secret = WebhookSecret::fromKey(key);
        if (!secret) {
            keyError = secret.error().message;
            break;
        }
        secrets << *secret;
    }
    auto headers = keyError.isEmpty() ? webhook_signing::sign(secrets, claim.messageId.toLatin1(), outcome.startedAtMs / 1000, claim.payload)
                                      : core::Result<WebhookHeaders>(core::makeError(core::ErrorCode::Internal, keyError));
    if (!headers) {
        outcome.error = QStringLiteral("cannot sign: %1").arg(headers.error().message);
        finishAttempt(claim, std::move(outcome));
        return;
    }
    // Connect to the address that was checked, not to the name: QNetworkAccessManager would
    // resolve the name again (a second answer could point inside). The name stays in the Host
    // header, in TLS SNI and in the certificate check (peer verify name).
    QHostAddress checked = addresses->first();
    checked.setScopeId(QString());
    QUrl target = url;
    target.setHost(checked.toString());
    QNetworkRequest request(target);
    request.setRawHeader("Host", url.authority(QUrl::FullyEncoded).toLatin1());
    if (url.scheme() == QLatin1String("https")) {
        request.setPeerVerifyName(url.host());
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        if (!m_options.extraCaCertificates.isEmpty())
            tls.addCaCertificates(m_options.extraCaCertificates);
        request.setSslConfiguration(tls);
    }
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("webhook-id", headers->id);
    request.setRawHeader("webhook-timestamp", headers->timestamp);
    request.setRawHeader("webhook-signature", headers->signature);
    request.setRawHeader("User-Agent", "Signiq-Webhooks/1");
    request.setTransferTimeout(m_options.timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->post(request, claim.payload);
    auto excerpt = std::make_shared<QByteArray>();
    connect(reply, &QNetworkReply::readyRead, this, [reply, excerpt] {
        // Bounded: keep ExcerptBytes, then stop reading (the rest is not ours to buffer).
        const qint64 room = WebhookAttemptOutcome::ExcerptBytes - excerpt->size();
        if (room > 0)
            excerpt->append(reply->read(room));
        if (excerpt->size() >= WebhookAttemptOutcome::ExcerptBytes && reply->bytesAvailable() > 0) {
            QObject::disconnect(reply, &QNetworkReply::readyRead, nullptr, nullptr);
            QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection); // not from inside its own signal
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, claim, excerpt, outcome]() mutable {
        reply->deleteLater();
        outcome.latencyMs = m_clock.nowMs() - outcome.startedAtMs;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid())
            outcome.httpStatus = status.toInt();
        if (reply->isOpen() && excerpt->size() < WebhookAttemptOutcome::ExcerptBytes) // closed after a timeout
            excerpt->append(reply->read(WebhookAttemptOutcome::ExcerptBytes - excerpt->size()));
        outcome.responseExcerpt = *excerpt;
        if (reply->hasRawHeader("Retry-After")) {
            bool numeric = false;
            const qint64 seconds = reply->rawHeader("Retry-After").trimmed().toLongLong(&numeric);
            if (numeric && seconds >= 0)
                outcome.retryAfterMs = seconds * 1000;
        }
        if (!outcome.succeeded())
            outcome.error = outcome.httpStatus ? QStringLiteral("HTTP %1").arg(*outcome.httpStatus) : reply->errorString();
        finishAttempt(claim, std::move(outcome));
    });
}

core::Result<WebhookAddressPolicy> WebhookDispatcher::policyFor(const QUuid &org)
{
    auto it = m_orgRanges.constFind(org);
    if (it == m_orgRanges.constEnd()) {
        auto stored = m_endpoints.allowedRanges(org);
        if (!stored)
            return stored.error();
        auto ranges = WebhookAddressPolicy::parseRanges(*stored);
        if (!ranges)
            return ranges.error();
        it = m_orgRanges.insert(org, *ranges);
    }
    return m_policy.withRanges(*it);
}

void WebhookDispatcher::finishAttempt(const WebhookClaim &claim, WebhookAttemptOutcome outcome)
{
    const qint64 now = m_clock.nowMs();
    auto recorded = m_queue.record(claim, outcome, now, m_random());
    if (!recorded) {
        qCWarning(lcHub).noquote() << QStringLiteral("webhooks: cannot record attempt %1 of %2: %3")
                                          .arg(claim.attempt)
                                          .arg(claim.messageId, recorded.error().toString());
    } else {
        if (recorded->state == QLatin1String("delivered"))
            ++m_delivered;
        if (recorded->endpointDisabled) {
            AuditEvent event;
            event.actor = QStringLiteral("system");
            event.action = QStringLiteral("webhook.disabled");
            event.target = claim.endpoint.toString(QUuid::WithoutBraces);
            event.result = recorded->disabledReason;
            if (auto audited = m_audit.append(claim.org, event); !audited)
                qCWarning(lcHub).noquote() << QStringLiteral("webhooks: cannot audit a disabled endpoint: %1").arg(audited.error().toString());
        }
    }
    QMetaObject::invokeMethod(this, &WebhookDispatcher::postNext, Qt::QueuedConnection);
}

} // namespace signiq::hub
