#pragma once

#include "client/DeviceConnector.h"

#include <QObject>

namespace signiq::console {

class CertificateTrust;

// Real devices over HTTPS (TLS 1.3 only, crypto::TlsConfigurationFactory).
//   probe():   a TLS handshake that records the chain the device presents and sends nothing
//              (no request, no API key), for the admin's trust decision;
//   connect(): an HttpsDeviceClient that accepts only the pinned leaf or a chain verified to
//              the deployment CA configured in `trust` at the time of the call.
class HttpsDeviceConnector final : public QObject, public DeviceConnector {
    Q_OBJECT

public:
    explicit HttpsDeviceConnector(const CertificateTrust &trust, QObject *parent = nullptr);

    void setProbeTimeoutMs(int ms) { m_probeTimeoutMs = ms; }

    QFuture<core::Result<PeerIdentity>> probe(const DeviceAddress &address) override;
    std::unique_ptr<DeviceClient> connect(const DeviceAddress &address, const QString &pinnedSha256,
                                          const QString &apiKey) override;

private:
    const CertificateTrust &m_trust;
    int m_probeTimeoutMs = 10'000;
};

} // namespace signiq::console
