#include "client/FakeDeviceConnector.h"

#include "client/FakeDeviceClient.h"

#include <QPromise>
#include <QTimer>

namespace signiq::console {

FakeDeviceConnector::FakeDeviceConnector(const core::Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) {}

void FakeDeviceConnector::setIdentity(const DeviceAddress &address, const PeerIdentity &identity)
{
    m_identities.insert(address.toString(), identity);
}

QFuture<core::Result<PeerIdentity>> FakeDeviceConnector::probe(const DeviceAddress &address)
{
    auto promise = std::make_shared<QPromise<core::Result<PeerIdentity>>>();
    promise->start();
    const auto it = m_identities.constFind(address.toString());
    core::Result<PeerIdentity> result =
        it != m_identities.constEnd()
            ? core::Result<PeerIdentity>(it.value())
            : core::Result<PeerIdentity>(core::makeError(core::ErrorCode::Io,
                                                         QStringLiteral("connection to %1 refused").arg(address.toString())));
    QTimer::singleShot(0, this, [promise, result = std::move(result)]() mutable {
        promise->addResult(std::move(result));
        promise->finish();
    });
    return promise->future();
}

std::unique_ptr<DeviceClient> FakeDeviceConnector::connect(const DeviceAddress &address, const QString &pinnedSha256,
                                                           const QString &apiKey)
{
    auto client = std::make_unique<FakeDeviceClient>(m_clock);
    client->setApiKey(apiKey);
    if (m_setup)
        m_setup(*client, address);
    m_lastClient = client.get();
    m_lastApiKey = apiKey;
    m_lastPin = pinnedSha256;
    return client;
}

} // namespace signiq::console
