#pragma once

#include "dashboard/DashboardAggregation.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace signiq::console {

// The numbers behind one chart, as a table: what "Export CSV" writes.
struct ChartTable {
    QStringList headers;
    QList<QStringList> rows;

    // RFC 4180: comma separated, CRLF line ends, fields with ", \r \n or , quoted.
    QByteArray toCsv() const;
};

// One table per dashboard chart. Column headers are stable English identifiers (for
// spreadsheets and scripts); timestamps are ISO 8601 UTC; a fully suppressed demographic cell is
// "suppressed", never 0.
class ChartTables {
public:
    static ChartTable otsAndViewers(const DashboardData &data);
    static ChartTable dwellBands(const DashboardData &data);
    static ChartTable attentionRate(const DashboardData &data);
    static ChartTable occupancy(const DashboardData &data);
    static ChartTable entriesExits(const DashboardData &data);
    static ChartTable heatmap(const DashboardData &data);
    static ChartTable flow(const DashboardData &data);
    static ChartTable demographics(const DashboardData &data);
};

} // namespace signiq::console
