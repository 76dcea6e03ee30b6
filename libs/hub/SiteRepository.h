#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>
#include <QUuid>

namespace signiq::hub {

class Database;

struct Site {
    QUuid id;
    QString name;
    QString timeZone; // IANA, e.g. Europe/Paris: trends are computed in the site's local time
    qint64 createdAtMs = 0;
    bool operator==(const Site &) const = default;
};

// signiq.sites. Every call runs as `org`: another organisation's site is NotFound.
class SiteRepository {
public:
    explicit SiteRepository(Database &db) : m_db(db) {}

    // InvalidArgument for an unknown time zone ("unknown time zone 'Mars/Olympus' ...") or a bad
    // name; NotFound for an unknown organisation. The database checks the zone again
    // (CHECK signiq.is_time_zone), so no other writer can store a bad one either.
    [[nodiscard]] core::Result<Site> create(const QUuid &org, const QString &name, const QString &timeZone);
    [[nodiscard]] core::Result<Site> find(const QUuid &org, const QUuid &site);
    // Oldest first.
    [[nodiscard]] core::Result<QList<Site>> list(const QUuid &org);

    // An IANA time zone name both Qt and PostgreSQL know.
    static bool isValidTimeZone(const QString &name);

private:
    Database &m_db;
};

} // namespace signiq::hub
