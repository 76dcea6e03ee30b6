#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;
class Transaction;

struct WebhookEndpoint {
    QUuid id;
    QString url;        // http(s); production mode takes https only (WebhookAddressPolicy)
    QStringList events; // empty: every event
    qint64 createdAtMs = 0;
    std::optional<qint64> disabledAtMs;
    std::optional<QUuid> siteId;                 // only events about this site
    QString disabledReason;                      // when disabled
    std::optional<qint64> previousSecretUntilMs; // a rotation's overlap: the old secret signs until then
    bool operator==(const WebhookEndpoint &) const = default;
};

// A change to an endpoint (PATCH): only the fields that are set change.
struct WebhookEndpointChange {
    std::optional<QString> url;
    std::optional<QStringList> events;
    std::optional<std::optional<QUuid>> siteId; // set to nullopt-inside: remove the filter
    std::optional<bool> enabled;                // true re-enables (and forgets the failures)
    QString disabledReason;                     // with enabled == false
};

// signiq.webhook_endpoints. The signing secret is stored only as a Signiq envelope (AES-256-GCM,
// crypto::envelope) under the hub's 32-byte secrets key, with "<org id>/<endpoint id>" as the
// associated data: an envelope copied to another row or organisation does not open.
// The ...In functions run inside a transaction that runs as the organisation (Database::inOrg),
// so that a change commits together with its audit entry.
class WebhookRepository {
public:
    WebhookRepository(Database &db, QByteArray secretsKey) : m_db(db), m_key(std::move(secretsKey)) {}

    // The event types an endpoint may subscribe to (docs/webhooks.md "Events").
    static const QStringList &eventTypes();
    // InvalidArgument naming the first unknown or repeated event type.
    [[nodiscard]] static core::Status checkEvents(const QStringList &events);

    // InvalidArgument: not an http(s) URL, an empty secret, a bad event name; NotFound: unknown organisation.
    [[nodiscard]] core::Result<WebhookEndpoint> create(const QUuid &org, const QString &url, const QStringList &events,
                                                       const QByteArray &secret, const std::optional<QUuid> &siteId = std::nullopt);
    [[nodiscard]] core::Result<WebhookEndpoint> createIn(Transaction &tx, const QString &url, const QStringList &events,
                                                         const QByteArray &secret, const std::optional<QUuid> &siteId);
    [[nodiscard]] core::Result<QList<WebhookEndpoint>> list(const QUuid &org);
    // A page, oldest first; with `siteId`, only the endpoints filtered to that site. `total` is the count of all.
    struct Page {
        QList<WebhookEndpoint> items;
        qint64 total = 0;
    };
    [[nodiscard]] static core::Result<Page> listIn(Transaction &tx, const std::optional<QUuid> &siteId, qint64 offset, int limit);
    [[nodiscard]] static core::Result<qint64> countIn(Transaction &tx);
    // NotFound names the id (another organisation's id is simply unknown).
    [[nodiscard]] static core::Result<WebhookEndpoint> findIn(Transaction &tx, const QUuid &endpoint, bool forUpdate = false);
    [[nodiscard]] static core::Result<WebhookEndpoint> updateIn(Transaction &tx, const QUuid &endpoint, const WebhookEndpointChange &change,
                                                                qint64 nowMs);
    // Deletes the endpoint with its queued deliveries and their log. NotFound.
    [[nodiscard]] static core::Status removeIn(Transaction &tx, const QUuid &endpoint);
    // A new secret; the current one keeps signing until nowMs + overlapMs (0: dropped now).
    // A rotation during an overlap drops the oldest secret (at most two sign).
    [[nodiscard]] core::Result<WebhookEndpoint> rotateIn(Transaction &tx, const QUuid &endpoint, const QByteArray &newSecret,
                                                         qint64 overlapMs, qint64 nowMs);

    // The decrypted secret. NotFound; WrongKey/Corrupt when the envelope does not open.
    [[nodiscard]] core::Result<QByteArray> secret(const QUuid &org, const QUuid &endpoint);
    // The keys that sign a message at `nowMs`: the current secret, then the previous one while
    // its overlap lasts. A previous secret whose overlap has ended is deleted here.
    [[nodiscard]] core::Result<QList<QByteArray>> signingSecrets(const QUuid &org, const QUuid &endpoint, qint64 nowMs);

    // The organisation's allowed non-public ranges for webhook targets (CIDR text, as stored).
    [[nodiscard]] static core::Result<QStringList> allowedRangesIn(Transaction &tx);
    [[nodiscard]] core::Result<QStringList> allowedRanges(const QUuid &org);
    // Replaces them (each must parse as WebhookAddressPolicy::parseRanges says; at most 32).
    [[nodiscard]] static core::Status setAllowedRangesIn(Transaction &tx, const QStringList &ranges);

private:
    core::Result<QByteArray> open(const QUuid &org, const QUuid &endpoint, const QByteArray &sealed) const;

    Database &m_db;
    QByteArray m_key;
};

} // namespace signiq::hub
