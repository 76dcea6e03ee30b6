#pragma once

#include "client/DeviceTypes.h"
#include "core/AudienceWindow.h"
#include "core/Clock.h"

#include <QList>
#include <QStringList>

namespace signiq::console {

class FakeDeviceClient;

// Synthetic, deterministic audience data for --demo and screenshots. Nothing here was measured;
// the UI labels every page "demo data" while it is in use.
class DemoData {
public:
    static QStringList zoneNames();
    static ZonesDocument zones();
    // 1-minute windows of every zone (or query.zone) whose start lies in the query range.
    static QList<core::AudienceWindow> windows(const WindowQuery &query);
    // 5-minute demographic windows; cells under k = 10 are suppressed, as on a device.
    static QList<core::DemographicWindow> demographicWindows(const WindowQuery &query);
    static OverlayFrame overlayFrame(qint64 nowMs);
    // A certificate chain as a device would present it (a demo CA and a leaf for `host`).
    [[nodiscard]] static core::Result<PeerIdentity> identity(const QString &host, const core::Clock &clock);
    // Fills a fake device with demo health, zones, windows, keys and 30 days of audit history.
    static void populate(FakeDeviceClient &client, const core::Clock &clock);
};

} // namespace signiq::console
