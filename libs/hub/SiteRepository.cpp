#include "hub/SiteRepository.h"

#include "hub/Database.h"
#include "hub/SqlSupport.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

const QString kColumns = QStringLiteral("site_id, name, time_zone, ") + sqlToMs(QStringLiteral("created_at"));

Site siteFrom(const QSqlQuery &q)
{
    return Site{uuidValue(q.value(0)), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()};
}

} // namespace

bool SiteRepository::isValidTimeZone(const QString &name)
{
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"));
    return name.size() <= 64 && shape.match(name).hasMatch() && QTimeZone::isTimeZoneIdAvailable(name.toLatin1());
}

core::Result<Site> SiteRepository::create(const QUuid &org, const QString &name, const QString &timeZone)
{
    if (name.trimmed().isEmpty() || name.size() > 200)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a site name must have 1..200 characters"));
    if (!isValidTimeZone(timeZone))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("unknown time zone '%1' (expected an IANA name such as Europe/Paris)").arg(timeZone.left(64)));
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Site> {
        if (core::Status exists = requireOrganisation(tx); !exists)
            return exists.error();
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.sites (org_id, name, time_zone) VALUES (?, ?, ?) RETURNING %1").arg(kColumns),
                         {uuidParam(org), name.trimmed(), timeZone});
        if (!q) {
            if (q.error().code == ErrorCode::InvalidArgument && q.error().message.contains(QLatin1String("time_zone")))
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("unknown time zone '%1' (PostgreSQL does not know it)").arg(timeZone));
            return q.error();
        }
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("INSERT ... RETURNING returned no site"));
        return siteFrom(*q);
    });
}

core::Result<Site> SiteRepository::find(const QUuid &org, const QUuid &site)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Site> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.sites WHERE org_id = ? AND site_id = ?").arg(kColumns),
                         {uuidParam(org), uuidParam(site)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown site %1").arg(site.toString(QUuid::WithoutBraces)));
        return siteFrom(*q);
    });
}

core::Result<QList<Site>> SiteRepository::list(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<QList<Site>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.sites WHERE org_id = ? ORDER BY created_at, site_id").arg(kColumns),
                         {uuidParam(org)});
        if (!q)
            return q.error();
        QList<Site> sites;
        while (q->next())
            sites.append(siteFrom(*q));
        return sites;
    });
}

} // namespace signiq::hub
