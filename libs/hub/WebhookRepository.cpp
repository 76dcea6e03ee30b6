#include "hub/WebhookRepository.h"

#include "crypto/Envelope.h"
#include "hub/Database.h"
#include "hub/SqlSupport.h"

#include <QUrl>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

QByteArray aadFor(const QUuid &org, const QUuid &endpoint)
{
    return org.toString(QUuid::WithoutBraces).toLatin1() + '/' + endpoint.toString(QUuid::WithoutBraces).toLatin1();
}

QString eventsArray(const QStringList &events)
{
    return QLatin1Char('{') + events.join(QLatin1Char(',')) + QLatin1Char('}');
}

const QString kColumns = QStringLiteral("endpoint_id, url, array_to_string(events, ','), %1, %2")
                             .arg(sqlToMs(QStringLiteral("created_at")), sqlToMs(QStringLiteral("disabled_at")));

WebhookEndpoint endpointFrom(const QSqlQuery &q)
{
    return WebhookEndpoint{uuidValue(q.value(0)), q.value(1).toString(), q.value(2).toString().split(QLatin1Char(','), Qt::SkipEmptyParts),
                           q.value(3).toLongLong(), optionalMsValue(q.value(4))};
}

} // namespace

core::Result<WebhookEndpoint> WebhookRepository::create(const QUuid &org, const QString &url, const QStringList &events,
                                                        const QByteArray &secret)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != QLatin1String("https") || parsed.host().isEmpty() || url.size() > 2000)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("webhook URL '%1' is not an https:// URL").arg(url.left(200)));
    if (secret.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook needs a signing secret"));
    for (const QString &event : events) {
        if (event.isEmpty() || event.contains(QLatin1Char(',')) || event.contains(QLatin1Char('"')) || event.contains(QLatin1Char('{'))
            || event.contains(QLatin1Char('}')) || event.size() > 64)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("bad webhook event name '%1'").arg(event.left(64)));
    }
    const QUuid id = QUuid::createUuid();
    auto sealed = crypto::envelope::seal(m_key, secret, aadFor(org, id));
    if (!sealed)
        return sealed.error();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<WebhookEndpoint> {
        if (core::Status exists = requireOrganisation(tx); !exists)
            return exists.error();
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.webhook_endpoints (org_id, endpoint_id, url, events, secret_envelope) "
                                        "VALUES (?, ?, ?, CAST(? AS text[]), ?) RETURNING %1")
                             .arg(kColumns),
                         {uuidParam(org), uuidParam(id), url, eventsArray(events), *sealed});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("INSERT ... RETURNING returned no endpoint"));
        return endpointFrom(*q);
    });
}

core::Result<QList<WebhookEndpoint>> WebhookRepository::list(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<WebhookEndpoint>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.webhook_endpoints WHERE org_id = ? ORDER BY created_at, endpoint_id").arg(kColumns),
                         {uuidParam(org)});
        if (!q)
            return q.error();
        QList<WebhookEndpoint> out;
        while (q->next())
            out.append(endpointFrom(*q));
        return out;
    });
}

core::Result<QByteArray> WebhookRepository::secret(const QUuid &org, const QUuid &endpoint)
{
    auto sealed = m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QByteArray> {
        auto q = tx.exec(QStringLiteral("SELECT secret_envelope FROM signiq.webhook_endpoints WHERE org_id = ? AND endpoint_id = ?"),
                         {uuidParam(org), uuidParam(endpoint)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown webhook endpoint %1").arg(endpoint.toString(QUuid::WithoutBraces)));
        return q->value(0).toByteArray();
    });
    if (!sealed)
        return sealed.error();
    QByteArray aad;
    auto opened = crypto::envelope::open(m_key, *sealed, &aad);
    if (!opened)
        return opened.error();
    if (aad != aadFor(org, endpoint))
        return makeError(ErrorCode::Corrupt, QStringLiteral("the webhook secret's envelope belongs to another endpoint"));
    return opened;
}

} // namespace signiq::hub
