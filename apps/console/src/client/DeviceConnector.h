#pragma once

#include "client/DeviceClient.h"
#include "client/DeviceTypes.h"

#include <QFuture>

#include <memory>

namespace signiq::console {

// How a device is reached (HTTPS on the LAN; the fake in tests and --demo).
class DeviceConnector {
public:
    virtual ~DeviceConnector() = default;

    // A TLS handshake without any trust decision, to show the admin what the device presents.
    virtual QFuture<core::Result<PeerIdentity>> probe(const DeviceAddress &address) = 0;

    // A client for `address` that accepts only a leaf certificate whose SHA-256 fingerprint is
    // `pinnedSha256` (hex) or one that chains to the deployment CA, authenticated with `apiKey`.
    virtual std::unique_ptr<DeviceClient> connect(const DeviceAddress &address, const QString &pinnedSha256,
                                                  const QString &apiKey) = 0;
};

} // namespace signiq::console
