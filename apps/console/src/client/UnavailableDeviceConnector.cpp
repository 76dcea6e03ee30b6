#include "client/UnavailableDeviceConnector.h"

namespace signiq::console {

QFuture<core::Result<PeerIdentity>> UnavailableDeviceConnector::probe(const DeviceAddress &address)
{
    return QtFuture::makeReadyFuture(core::Result<PeerIdentity>(core::makeError(
        core::ErrorCode::Unsupported,
        QStringLiteral("this build of the console has no HTTPS device client yet, so %1 cannot be contacted; "
                       "run 'signiq-console --demo' to try the console with synthetic data")
            .arg(address.toString()))));
}

std::unique_ptr<DeviceClient> UnavailableDeviceConnector::connect(const DeviceAddress &, const QString &, const QString &)
{
    return nullptr;
}

} // namespace signiq::console
