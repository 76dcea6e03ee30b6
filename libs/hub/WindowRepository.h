#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;
class Transaction;

// Filters and paging of a window query; every filter is optional. Paging is done in SQL
// (ORDER BY start, device, zone LIMIT/OFFSET), never in memory.
struct WindowQuery {
    std::optional<QUuid> siteId;
    std::optional<QUuid> deviceId;
    std::optional<QString> zone;
    std::optional<qint64> fromMs; // windows starting at or after
    std::optional<qint64> toMs;   // windows starting before
    qint64 offset = 0;
    int limit = 100;              // 1..1000
};

// GET /v1/trends: windows starting in [fromMs, toMs), grouped by the local time of their device's
// site (or of `timeZone` when given, an IANA name), optionally for one site only.
struct TrendQuery {
    qint64 fromMs = 0;
    qint64 toMs = 0;
    std::optional<QUuid> siteId;
    std::optional<QString> timeZone;
};

struct HourOfWeekTrend {
    int weekday = 0; // ISO: 1 Monday .. 7 Sunday
    int hour = 0;    // 0..23, local
    qint64 ots = 0;
    qint64 entries = 0;
    qint64 windows = 0;
    bool operator==(const HourOfWeekTrend &) const = default;
};

struct DailyTrend {
    QUuid siteId;
    QString day; // YYYY-MM-DD, local
    qint64 ots = 0;
    qint64 entries = 0;
    qint64 windows = 0;
    bool operator==(const DailyTrend &) const = default;
};

struct Trends {
    QList<HourOfWeekTrend> hourOfWeek; // by weekday, hour
    QList<DailyTrend> daily;           // by site, day
};

template <typename Window>
struct StoredWindowT {
    QUuid deviceId;
    Window window;
    bool operator==(const StoredWindowT &) const = default;
};
using StoredAudienceWindow = StoredWindowT<core::AudienceWindow>;
using StoredDemographicWindow = StoredWindowT<core::DemographicWindow>;

template <typename Item>
struct WindowPage {
    QList<Item> items;
    qint64 total = 0;               // rows matching the filters
    std::optional<qint64> nextOffset; // null on the last page
};

// Zone-to-zone moves of one device: the windows' transitions_to (moves that started in
// `fromZone` and ended in `toZone`), summed.
struct FlowRow {
    QUuid deviceId;
    QString fromZone;
    QString toZone;
    qint64 moves = 0;
    bool operator==(const FlowRow &) const = default;
};

// signiq.audience_windows and signiq.demographic_windows (partitioned by month). Every call
// runs as `org`.
class WindowRepository {
public:
    explicit WindowRepository(Database &db) : m_db(db) {}

    // Inserts (or, for a window already stored, replaces: a re-sync is idempotent) the windows
    // of one device in one statement. Returns how many rows were written. NotFound for an
    // unknown device; InvalidArgument for a window without a partition (run
    // `signiq-hub retention run`, which creates the upcoming months) or failing a CHECK.
    [[nodiscard]] core::Result<int> insertAudience(const QUuid &org, const QUuid &device, const QList<core::AudienceWindow> &windows);
    [[nodiscard]] core::Result<int> insertDemographic(const QUuid &org, const QUuid &device,
                                                      const QList<core::DemographicWindow> &windows);
    // The same inside a caller's transaction (its organisation): the sync ingest stores a
    // batch's windows and its ledger row in one transaction.
    [[nodiscard]] static core::Result<int> insertAudience(Transaction &tx, const QUuid &device,
                                                          const QList<core::AudienceWindow> &windows);
    [[nodiscard]] static core::Result<int> insertDemographic(Transaction &tx, const QUuid &device,
                                                             const QList<core::DemographicWindow> &windows);

    [[nodiscard]] core::Result<WindowPage<StoredAudienceWindow>> queryAudience(const QUuid &org, const WindowQuery &query);
    [[nodiscard]] core::Result<WindowPage<StoredDemographicWindow>> queryDemographic(const QUuid &org, const WindowQuery &query);
    // GET /v1/trends: audience totals by local hour of the week and by site and local day,
    // grouped in SQL. Windows of devices without a site are not counted. InvalidArgument when
    // `to` is not after `from`.
    [[nodiscard]] core::Result<Trends> trends(const QUuid &org, const TrendQuery &query);

    // Flow summed in SQL over the audience windows matching `query`'s filters (its limit and
    // offset are not used), ordered by device, from, to; at most `maxRows` rows plus one, so the
    // caller can tell that there were more.
    static constexpr int MaxFlowRows = 10000;
    [[nodiscard]] core::Result<QList<FlowRow>> flow(const QUuid &org, const WindowQuery &query, int maxRows = MaxFlowRows);

private:
    Database &m_db;
};

} // namespace signiq::hub
