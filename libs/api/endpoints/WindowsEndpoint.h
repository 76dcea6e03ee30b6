#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

#include <QList>

namespace signiq::core {
struct AudienceWindow;
}

namespace signiq::api {

// GET /v1/windows (paged JSON), /v1/windows.csv (every window of a range, audited) and
// /v1/demographics (k-suppressed histograms, paged).
class WindowsEndpoint {
public:
    explicit WindowsEndpoint(ApiServices &services) : m_s(services) {}
    void addRoutes(RouteTable &routes);

    // The CSV export's body (exposed for its tests): one row per window; a text cell that a
    // spreadsheet would read as a formula (= + - @, tab, CR) is prefixed with '.
    static QByteArray windowsCsv(const QList<core::AudienceWindow> &windows);

private:
    enum class Kind { Json, Csv, Demographics };
    ApiResponse windows(const ApiRequest &request, const Caller &caller, Kind kind) const;
    ApiServices &m_s;
};

} // namespace signiq::api
