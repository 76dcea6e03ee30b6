#pragma once

#include "core/Clock.h"
#include "http/HttpMessage.h"
#include "hub/WebhookAddressPolicy.h"
#include "protocol/ApiKey.h"

#include <QByteArray>
#include <QString>
#include <QUuid>

#include <functional>
#include <optional>

namespace signiq::hub {

class Database;

struct WebhookApiOptions {
    // The hub's 32-byte key for the endpoints' secrets (signiq-hub serve --webhook-key-file).
    // Empty: webhooks are not configured and every /v1/webhooks route answers 503.
    QByteArray secretsKey;
    // Production: https only, public targets only (plus the organisation's allowed ranges).
    WebhookAddressPolicy::Mode mode = WebhookAddressPolicy::Mode::Production;
    // A rotation's overlap: default and largest (POST /v1/webhooks/{id}/rotate "overlap_s").
    qint64 defaultOverlapMs = 24LL * 3600 * 1000;
    qint64 maxOverlapMs = 7LL * 24 * 3600 * 1000;
    // Lists (endpoints, deliveries): default and largest page.
    int pageSize = 50;
    int maxPageSize = 500;
    // Resolves a target's host at creation and change (default: the policy's, QHostInfo).
    std::function<core::Result<QList<QHostAddress>>(const WebhookAddressPolicy &, const QString &host)> resolve;
};

// The /v1/webhooks resource of the hub API (docs/webhooks.md "API"): endpoints, secret rotation,
// test events, the delivery log and replays. HubApiServer authenticates, rate-limits and checks
// the `webhooks` scope, then hands the request here with who is calling. Every query runs as
// the caller's organisation (RLS): another organisation's ids are unknown (404). Every change
// (create, update, delete, rotate, test, replay, allowed ranges) commits with its audit entry;
// refusals of policy (the tier's endpoint limit, a non-public target) are audited as
// auth.denied, as the rest of the hub does.
class WebhookApi {
public:
    struct Caller {
        QUuid org;
        QString keyId;
        std::optional<QUuid> keySite; // a site-restricted key sees and makes only that site's endpoints
        QString ip;
        protocol::Tier tier = protocol::Tier::Free;
        int maxEndpoints = 0;
        bool admin = false; // the key has the admin scope (needed to change the allowed ranges)
    };

    WebhookApi(Database &db, const core::Clock &clock, WebhookApiOptions options);

    http::Response list(const http::Request &request, const Caller &caller);
    http::Response create(const http::Request &request, const Caller &caller);
    http::Response get(const http::Request &request, const QString &id, const Caller &caller);
    http::Response update(const http::Request &request, const QString &id, const Caller &caller);
    http::Response remove(const http::Request &request, const QString &id, const Caller &caller);
    http::Response rotate(const http::Request &request, const QString &id, const Caller &caller);
    http::Response sendTest(const http::Request &request, const QString &id, const Caller &caller);
    http::Response deliveries(const http::Request &request, const QString &id, const Caller &caller);
    http::Response replay(const http::Request &request, const QString &id, const QString &delivery, const Caller &caller);
    http::Response allowedRanges(const http::Request &request, const Caller &caller);
    http::Response setAllowedRanges(const http::Request &request, const Caller &caller);

private:
    std::optional<http::Response> notConfigured() const;
    // What every /v1/webhooks/{id} route checks first (webhooks configured, no query parameters
    // unless the route takes some, a well-formed id): the answer when refused, else nullopt with
    // `endpointId` set.
    std::optional<http::Response> refuseEndpointRequest(const http::Request &request, const QString &id, bool takesQuery,
                                                        std::optional<QUuid> &endpointId) const;
    // The target checked as the dispatcher will check it (scheme by mode, every resolved address
    // public or inside the organisation's allowed ranges): the answer to send when refused.
    std::optional<http::Response> checkTarget(const QString &url, const QStringList &allowedRanges, const Caller &caller,
                                              const QString &operation);
    // Records a refusal (auth.denied) in its own transaction; a failure to record is logged.
    void auditDenied(const Caller &caller, const QString &operation, const QString &why);

    Database &m_db;
    const core::Clock &m_clock;
    WebhookApiOptions m_options;
};

} // namespace signiq::hub
