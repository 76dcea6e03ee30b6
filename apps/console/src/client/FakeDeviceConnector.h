#pragma once

#include "client/DeviceConnector.h"
#include "core/Clock.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace signiq::console {

class FakeDeviceClient;

// Devices that exist only in memory: for tests and --demo. A probe answers with the identity
// registered for the address (or an Io error); connect() builds a FakeDeviceClient and hands it
// to the set-up function (e.g. DemoData::populate).
class FakeDeviceConnector final : public QObject, public DeviceConnector {
    Q_OBJECT

public:
    using Setup = std::function<void(FakeDeviceClient &client, const DeviceAddress &address)>;

    explicit FakeDeviceConnector(const core::Clock &clock, QObject *parent = nullptr);

    void setIdentity(const DeviceAddress &address, const PeerIdentity &identity);
    void setSetup(Setup setup) { m_setup = std::move(setup); }
    // The last client connect() made (owned by the caller of connect()).
    FakeDeviceClient *lastClient() const { return m_lastClient; }
    QString lastApiKey() const { return m_lastApiKey; }
    QString lastPin() const { return m_lastPin; }

    QFuture<core::Result<PeerIdentity>> probe(const DeviceAddress &address) override;
    std::unique_ptr<DeviceClient> connect(const DeviceAddress &address, const QString &pinnedSha256,
                                          const QString &apiKey) override;

private:
    const core::Clock &m_clock;
    QHash<QString, PeerIdentity> m_identities;
    Setup m_setup;
    FakeDeviceClient *m_lastClient = nullptr;
    QString m_lastApiKey;
    QString m_lastPin;
};

} // namespace signiq::console
