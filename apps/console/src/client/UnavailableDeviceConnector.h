#pragma once

#include "client/DeviceConnector.h"

namespace signiq::console {

// Stands in for the HTTPS connector until the edge API (docs/api.md) has landed: every probe
// fails with a clear message, so the console runs and explains itself without a device.
class UnavailableDeviceConnector final : public DeviceConnector {
public:
    QFuture<core::Result<PeerIdentity>> probe(const DeviceAddress &address) override;
    std::unique_ptr<DeviceClient> connect(const DeviceAddress &address, const QString &pinnedSha256,
                                          const QString &apiKey) override;
};

} // namespace signiq::console
