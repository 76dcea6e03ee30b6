#include "hub/OrganisationRepository.h"

#include "hub/AuditRepository.h"
#include "hub/Database.h"
#include "hub/SqlSupport.h"

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

const QString kTierColumns = QStringLiteral("tier, max_devices, history_days, rate_per_minute, burst, exports_allowed, max_webhooks");

core::Result<TierLimits> tierFrom(const QSqlQuery &q)
{
    auto tier = protocol::tierFromName(q.value(0).toString());
    if (!tier)
        return tier.error();
    return TierLimits{*tier, q.value(1).toInt(), q.value(2).toInt(), q.value(3).toInt(), q.value(4).toInt(), q.value(5).toBool(), q.value(6).toInt()};
}

core::Result<Organisation> findIn(Transaction &tx, const QUuid &org, bool forUpdate = false)
{
    auto q = tx.exec(QStringLiteral("SELECT org_id, name, tier, %1 FROM signiq.organisations WHERE org_id = ?%2")
                         .arg(sqlToMs(QStringLiteral("created_at")), forUpdate ? QStringLiteral(" FOR UPDATE") : QString()),
                     {uuidParam(org)});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation %1").arg(org.toString(QUuid::WithoutBraces)));
    auto tier = protocol::tierFromName(q->value(2).toString());
    if (!tier)
        return tier.error();
    return Organisation{uuidValue(q->value(0)), q->value(1).toString(), *tier, q->value(3).toLongLong()};
}

core::Status checkName(const QString &name)
{
    if (name.trimmed().isEmpty() || name.size() > 200)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an organisation name must have 1..200 characters"));
    return {};
}

} // namespace

core::Result<QList<TierLimits>> OrganisationRepository::tiers()
{
    return m_db.maintenance([](Transaction &tx) -> core::Result<QList<TierLimits>> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.tiers ORDER BY history_days").arg(kTierColumns));
        if (!q)
            return q.error();
        QList<TierLimits> out;
        while (q->next()) {
            auto t = tierFrom(*q);
            if (!t)
                return t.error();
            out.append(*t);
        }
        return out;
    });
}

core::Result<TierLimits> OrganisationRepository::tierLimits(protocol::Tier tier)
{
    return m_db.maintenance([&](Transaction &tx) -> core::Result<TierLimits> {
        auto q = tx.exec(QStringLiteral("SELECT %1 FROM signiq.tiers WHERE tier = ?").arg(kTierColumns), {protocol::tierName(tier)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("tier '%1' is not in signiq.tiers").arg(protocol::tierName(tier)));
        return tierFrom(*q);
    });
}

core::Result<Organisation> OrganisationRepository::create(const QString &name, protocol::Tier tier, const QString &actor)
{
    if (core::Status ok = checkName(name); !ok)
        return ok.error();
    const QUuid id = QUuid::createUuid();
    const qint64 now = m_clock.nowMs();
    return m_db.inOrg(id, [&](Transaction &tx) -> core::Result<Organisation> {
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.organisations (org_id, name, tier) VALUES (?, ?, ?)"),
                         {uuidParam(id), name.trimmed(), protocol::tierName(tier)});
        if (!q)
            return q.error();
        auto audited = AuditRepository::appendIn(tx, {actor, QString(), QStringLiteral("org.create"), name.trimmed().left(200), QStringLiteral("ok")}, now);
        if (!audited)
            return audited.error();
        return findIn(tx, id);
    });
}

core::Result<Organisation> OrganisationRepository::find(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) { return findIn(tx, org); });
}

core::Result<Organisation> OrganisationRepository::setTier(const QUuid &org, protocol::Tier tier, const QString &actor)
{
    const qint64 now = m_clock.nowMs();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<Organisation> {
        auto before = findIn(tx, org, true);
        if (!before)
            return before.error();
        auto q = tx.exec(QStringLiteral("UPDATE signiq.organisations SET tier = ? WHERE org_id = ?"), {protocol::tierName(tier), uuidParam(org)});
        if (!q)
            return q.error();
        const QString change = protocol::tierName(before->tier) + QStringLiteral(" -> ") + protocol::tierName(tier);
        auto audited = AuditRepository::appendIn(tx, {actor, QString(), QStringLiteral("org.tier"), change, QStringLiteral("ok")}, now);
        if (!audited)
            return audited.error();
        return findIn(tx, org);
    });
}

core::Result<TierLimits> OrganisationRepository::limits(const QUuid &org)
{
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Result<TierLimits> {
        auto q = tx.exec(QStringLiteral("SELECT t.tier, t.max_devices, t.history_days, t.rate_per_minute, t.burst, t.exports_allowed, t.max_webhooks "
                                        "FROM signiq.organisations AS o JOIN signiq.tiers AS t ON t.tier = o.tier WHERE o.org_id = ?"),
                         {uuidParam(org)});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("unknown organisation %1").arg(org.toString(QUuid::WithoutBraces)));
        return tierFrom(*q);
    });
}

} // namespace signiq::hub
