#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "protocol/ApiKey.h"

#include <QList>
#include <QString>
#include <QUuid>

namespace signiq::hub {

class Database;

// A subscription tier's limits (signiq.tiers; free 30 / pro 90 / enterprise 400 history days).
struct TierLimits {
    protocol::Tier tier = protocol::Tier::Free;
    int maxDevices = 0;
    int historyDays = 0;
    int ratePerMinute = 0; // sliding-window rate per key
    int burst = 0;         // extra requests allowed above the rate (0 on free)
    bool exportsAllowed = false;
    int maxWebhooks = 0; // webhook endpoints per organisation (POST /v1/webhooks)
    bool operator==(const TierLimits &) const = default;
};

struct Organisation {
    QUuid id;
    QString name;
    protocol::Tier tier = protocol::Tier::Free;
    qint64 createdAtMs = 0;
    bool operator==(const Organisation &) const = default;
};

// Organisations and tiers. Every call runs as the organisation it names (RLS), so an id of
// another organisation is simply "unknown" (NotFound), exactly like an id that does not exist.
class OrganisationRepository {
public:
    OrganisationRepository(Database &db, const core::Clock &clock) : m_db(db), m_clock(clock) {}

    // Every tier with its limits (a global table, no context needed).
    [[nodiscard]] core::Result<QList<TierLimits>> tiers();
    [[nodiscard]] core::Result<TierLimits> tierLimits(protocol::Tier tier);

    // A new organisation (random id) and its first audit entry "org.create".
    // InvalidArgument for an empty or too long name (1..200 characters).
    [[nodiscard]] core::Result<Organisation> create(const QString &name, protocol::Tier tier, const QString &actor);
    // NotFound: "unknown organisation <id>".
    [[nodiscard]] core::Result<Organisation> find(const QUuid &org);
    // Changes the tier and appends "org.tier" (target "<old> -> <new>") in the same transaction.
    [[nodiscard]] core::Result<Organisation> setTier(const QUuid &org, protocol::Tier tier, const QString &actor);
    // The limits of the organisation's tier.
    [[nodiscard]] core::Result<TierLimits> limits(const QUuid &org);

private:
    Database &m_db;
    const core::Clock &m_clock;
};

} // namespace signiq::hub
