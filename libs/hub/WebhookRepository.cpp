#include "hub/WebhookRepository.h"

#include "crypto/Envelope.h"
#include "hub/Database.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookAddressPolicy.h"

#include <QSet>
#include <QUrl>

#include <algorithm>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

QByteArray aadFor(const QUuid &org, const QUuid &endpoint)
{
    return org.toString(QUuid::WithoutBraces).toLatin1() + '/' + endpoint.toString(QUuid::WithoutBraces).toLatin1();
}

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

const QString kColumns = QStringLiteral("endpoint_id, url, array_to_string(events, ','), %1, %2, site_id, COALESCE(disabled_reason, ''), "
                                        "previous_secret_until_ms")
                             .arg(sqlToMs(QStringLiteral("created_at")), sqlToMs(QStringLiteral("disabled_at")));

WebhookEndpoint endpointFrom(const QSqlQuery &q)
{
    WebhookEndpoint e;
    e.id = uuidValue(q.value(0));
    e.url = q.value(1).toString();
    e.events = q.value(2).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    e.createdAtMs = q.value(3).toLongLong();
    e.disabledAtMs = optionalMsValue(q.value(4));
    e.siteId = optionalUuidValue(q.value(5));
    e.disabledReason = q.value(6).toString();
    e.previousSecretUntilMs = optionalMsValue(q.value(7));
    return e;
}

core::Status checkUrlShape(const QString &url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (url.size() > 2000 || !parsed.isValid() || (parsed.scheme() != QLatin1String("https") && parsed.scheme() != QLatin1String("http"))
        || parsed.host().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook URL '%1' is not an https:// URL").arg(url.left(200)));
    return {};
}

core::Status checkEventNames(const QStringList &events)
{
    for (const QString &event : events) {
        if (event.isEmpty() || event.contains(QLatin1Char(',')) || event.contains(QLatin1Char('"')) || event.contains(QLatin1Char('{'))
            || event.contains(QLatin1Char('}')) || event.size() > 64)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad webhook event name '%1'").arg(event.left(64)));
    }
    return {};
}

core::Status requireRow(const core::Result<QSqlQuery> &q, const QUuid &endpoint)
{
    if (!q)
        return q.error();
    if (q->numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(idText(endpoint)));
    return {};
}

} // namespace

const QStringList &WebhookRepository::eventTypes()
{
    static const QStringList types{QStringLiteral("audience.window"), QStringLiteral("device.offline"), QStringLiteral("device.online"),
                                   QStringLiteral("calibration.changed"), QStringLiteral("key.created"), QStringLiteral("key.rotated"),
                                   QStringLiteral("key.revoked"), QStringLiteral("sync.gap")};
    return types;
}

core::Status WebhookRepository::checkEvents(const QStringList &events)
{
    QSet<QString> seen;
    for (const QString &event : events) {
        if (!eventTypes().contains(event))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown event type '%1' (known: %2)")
                                                             .arg(event.left(64), eventTypes().join(QStringLiteral(", "))));
        if (seen.contains(event))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("event type '%1' is listed twice").arg(event));
        seen.insert(event);
    }
    return {};
}

core::Result<WebhookEndpoint> WebhookRepository::create(const QUuid &org, const QString &url, const QStringList &events,
                                                        const QByteArray &secret, const std::optional<QUuid> &siteId)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<WebhookEndpoint> {
        if (core::Status exists = requireOrganisation(tx); !exists)
            return exists.error();
        return createIn(tx, url, events, secret, siteId);
    });
}

core::Result<WebhookEndpoint> WebhookRepository::createIn(Transaction &tx, const QString &url, const QStringList &events,
                                                          const QByteArray &secret, const std::optional<QUuid> &siteId)
{
    if (core::Status ok = checkUrlShape(url); !ok)
        return ok.error();
    if (secret.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook needs a signing secret"));
    if (core::Status ok = checkEventNames(events); !ok)
        return ok.error();
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("a webhook endpoint is created as an organisation"));
    const QUuid org = *tx.org();
    const QUuid id = QUuid::createUuid();
    auto sealed = crypto::envelope::seal(m_key, secret, aadFor(org, id));
    if (!sealed)
        return sealed.error();
    auto q = tx.exec(QStringLiteral("INSERT INTO signiq.webhook_endpoints (org_id, endpoint_id, url, events, secret_envelope, site_id) "
                                    "VALUES (?, ?, ?, CAST(? AS text[]), ?, ?) RETURNING %1")
                         .arg(kColumns),
                     {uuidParam(org), uuidParam(id), url, textArrayParam(events), *sealed, optionalUuidParam(siteId)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::Internal, QStringLiteral("INSERT ... RETURNING returned no endpoint"));
    return endpointFrom(*q);
}

core::Result<QList<WebhookEndpoint>> WebhookRepository::list(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<WebhookEndpoint>> {
        auto page = listIn(tx, std::nullopt, 0, 10000);
        if (!page)
            return page.error();
        return page->items;
    });
}

core::Result<WebhookRepository::Page> WebhookRepository::listIn(Transaction &tx, const std::optional<QUuid> &siteId, qint64 offset, int limit)
{
    const QString where = siteId ? QStringLiteral("org_id = signiq.current_org() AND site_id = ?")
                                 : QStringLiteral("org_id = signiq.current_org()");
    QVariantList params;
    if (siteId)
        params << uuidParam(*siteId);
    auto count = tx.exec(QStringLiteral("SELECT count(*) FROM signiq.webhook_endpoints WHERE %1").arg(where), params);
    if (!count)
        return count.error();
    Page page;
    page.total = count->next() ? count->value(0).toLongLong() : 0;
    if (offset >= page.total)
        return page;
    auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.webhook_endpoints WHERE %2 ORDER BY created_at, endpoint_id LIMIT ? OFFSET ?")
                         .arg(kColumns, where),
                     params + QVariantList{std::clamp(limit, 1, 10000), offset});
    if (!q)
        return q.error();
    while (q->next())
        page.items.append(endpointFrom(*q));
    return page;
}

core::Result<qint64> WebhookRepository::countIn(Transaction &tx)
{
    auto q = tx.exec(QStringLiteral("SELECT count(*) FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org()"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

core::Result<WebhookEndpoint> WebhookRepository::findIn(Transaction &tx, const QUuid &endpoint, bool forUpdate)
{
    auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org() AND endpoint_id = ?%2")
                         .arg(kColumns, forUpdate ? QStringLiteral(" FOR UPDATE") : QString()),
                     {uuidParam(endpoint)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(idText(endpoint)));
    return endpointFrom(*q);
}

core::Result<WebhookEndpoint> WebhookRepository::updateIn(Transaction &tx, const QUuid &endpoint, const WebhookEndpointChange &change,
                                                          qint64 nowMs)
{
    auto before = findIn(tx, endpoint, true);
    if (!before)
        return before.error();
    QStringList sets;
    QVariantList params;
    if (change.url) {
        if (core::Status ok = checkUrlShape(*change.url); !ok)
            return ok.error();
        sets << QStringLiteral("url = ?");
        params << *change.url;
    }
    if (change.events) {
        if (core::Status ok = checkEventNames(*change.events); !ok)
            return ok.error();
        sets << QStringLiteral("events = CAST(? AS text[])");
        params << textArrayParam(*change.events);
    }
    if (change.siteId) {
        sets << QStringLiteral("site_id = ?");
        params << optionalUuidParam(*change.siteId);
    }
    if (change.enabled) {
        if (*change.enabled) {
            sets << QStringLiteral("disabled_at = NULL, disabled_reason = NULL, failing_since_ms = NULL");
        } else if (!before->disabledAtMs) {
            sets << QStringLiteral("disabled_at = %1, disabled_reason = ?").arg(msToSql());
            params << nowMs << change.disabledReason.left(200);
        }
    }
    if (!sets.isEmpty()) {
        auto q = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET %1 WHERE org_id = signiq.current_org() AND endpoint_id = ?")
                             .arg(sets.join(QStringLiteral(", "))),
                         params + QVariantList{uuidParam(endpoint)});
        if (core::Status ok = requireRow(q, endpoint); !ok)
            return ok.error();
    }
    if (change.enabled && !*change.enabled && !before->disabledAtMs) {
        // As when the dispatcher disables it: nothing queued is sent (a replay re-sends).
        auto rest = tx.exec(QStringLiteral("UPDATE signiq.webhook_deliveries SET state = 'failed', next_attempt_ms = NULL, "
                                           "leased_until_ms = NULL, finished_at_ms = ? WHERE org_id = signiq.current_org() "
                                           "AND endpoint_id = ? AND state = 'pending'"),
                            {nowMs, uuidParam(endpoint)});
        if (!rest)
            return rest.error();
    }
    return findIn(tx, endpoint);
}

core::Status WebhookRepository::removeIn(Transaction &tx, const QUuid &endpoint)
{
    auto q = tx.exec(QStringLiteral("DELETE FROM signiq.webhook_endpoints WHERE org_id = signiq.current_org() AND endpoint_id = ?"),
                     {uuidParam(endpoint)});
    return requireRow(q, endpoint);
}

core::Result<WebhookEndpoint> WebhookRepository::rotateIn(Transaction &tx, const QUuid &endpoint, const QByteArray &newSecret,
                                                          qint64 overlapMs, qint64 nowMs)
{
    if (newSecret.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook needs a signing secret"));
    if (overlapMs < 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a rotation's overlap cannot be negative"));
    if (!tx.org())
        return makeError(ErrorCode::Internal, QStringLiteral("a webhook secret is rotated as an organisation"));
    if (auto before = findIn(tx, endpoint, true); !before)
        return before.error();
    auto sealed = crypto::envelope::seal(m_key, newSecret, aadFor(*tx.org(), endpoint));
    if (!sealed)
        return sealed.error();
    // The current envelope becomes the previous one (same associated data: same row).
    const QString sql = overlapMs > 0
        ? QStringLiteral("UPDATE signiq.webhook_endpoints SET previous_secret_envelope = secret_envelope, previous_secret_until_ms = ?, "
                         "secret_envelope = ? WHERE org_id = signiq.current_org() AND endpoint_id = ?")
        : QStringLiteral("UPDATE signiq.webhook_endpoints SET previous_secret_envelope = NULL, previous_secret_until_ms = NULL, "
                         "secret_envelope = ? WHERE org_id = signiq.current_org() AND endpoint_id = ?");
    const QVariantList params = overlapMs > 0 ? QVariantList{nowMs + overlapMs, *sealed, uuidParam(endpoint)}
                                              : QVariantList{*sealed, uuidParam(endpoint)};
    if (core::Status ok = requireRow(tx.exec(sql, params), endpoint); !ok)
        return ok.error();
    return findIn(tx, endpoint);
}

core::Result<QByteArray> WebhookRepository::open(const QUuid &org, const QUuid &endpoint, const QByteArray &sealed) const
{
    QByteArray aad;
    auto opened = crypto::envelope::open(m_key, sealed, &aad);
    if (!opened)
        return opened.error();
    if (aad != aadFor(org, endpoint))
        return makeError(ErrorCode::Corrupt, QStringLiteral("the webhook secret's envelope belongs to another endpoint"));
    return opened;
}

core::Result<QByteArray> WebhookRepository::secret(const QUuid &org, const QUuid &endpoint)
{
    auto sealed = m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QByteArray> {
        auto q = tx.exec(QStringLiteral("SELECT secret_envelope FROM signiq.webhook_endpoints WHERE org_id = ? AND endpoint_id = ?"),
                         {uuidParam(org), uuidParam(endpoint)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(idText(endpoint)));
        return q->value(0).toByteArray();
    });
    if (!sealed)
        return sealed.error();
    return open(org, endpoint, *sealed);
}

core::Result<QList<QByteArray>> WebhookRepository::signingSecrets(const QUuid &org, const QUuid &endpoint, qint64 nowMs)
{
    auto sealed = m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<QByteArray>> {
        // The overlap is over: the old secret is gone for good.
        auto dropped = tx.exec(QStringLiteral("UPDATE signiq.webhook_endpoints SET previous_secret_envelope = NULL, "
                                              "previous_secret_until_ms = NULL WHERE org_id = ? AND endpoint_id = ? "
                                              "AND previous_secret_until_ms <= ?"),
                               {uuidParam(org), uuidParam(endpoint), nowMs});
        if (!dropped)
            return dropped.error();
        auto q = tx.exec(QStringLiteral("SELECT secret_envelope, previous_secret_envelope FROM signiq.webhook_endpoints "
                                        "WHERE org_id = ? AND endpoint_id = ?"),
                         {uuidParam(org), uuidParam(endpoint)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(idText(endpoint)));
        QList<QByteArray> out{q->value(0).toByteArray()};
        if (!q->value(1).isNull())
            out << q->value(1).toByteArray();
        return out;
    });
    if (!sealed)
        return sealed.error();
    QList<QByteArray> keys;
    for (const QByteArray &s : *sealed) {
        auto key = open(org, endpoint, s);
        if (!key)
            return key.error();
        keys << *key;
    }
    return keys;
}

core::Result<QStringList> WebhookRepository::allowedRangesIn(Transaction &tx)
{
    auto q = tx.exec(QStringLiteral("SELECT array_to_string(webhook_allowed_ranges, ',') FROM signiq.organisations "
                                    "WHERE org_id = signiq.current_org()"));
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation"));
    return q->value(0).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
}

core::Result<QStringList> WebhookRepository::allowedRanges(const QUuid &org)
{
    return m_db.inOrg(org, [](Transaction &tx) { return allowedRangesIn(tx); });
}

core::Status WebhookRepository::setAllowedRangesIn(Transaction &tx, const QStringList &ranges)
{
    if (ranges.size() > 32)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("at most 32 allowed ranges, not %1").arg(ranges.size()));
    auto parsed = WebhookAddressPolicy::parseRanges(ranges);
    if (!parsed)
        return parsed.error();
    for (qsizetype i = 0; i < parsed->size(); ++i) {
        // A range this wide would switch the policy off rather than allow one receiver's network.
        const auto &[address, prefix] = parsed->at(i);
        const int narrowest = address.protocol() == QAbstractSocket::IPv4Protocol ? 8 : 16;
        if (prefix < narrowest)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("allowed range '%1' is too wide (at least /%2)").arg(ranges.at(i).left(60)).arg(narrowest));
    }
    auto q = tx.exec(QStringLiteral("UPDATE signiq.organisations SET webhook_allowed_ranges = CAST(? AS text[]) WHERE org_id = signiq.current_org()"),
                     {textArrayParam(ranges)});
    if (!q)
        return q.error();
    if (q->numRowsAffected() == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation"));
    return {};
}

} // namespace signiq::hub
