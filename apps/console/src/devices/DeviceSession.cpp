#include "devices/DeviceSession.h"

namespace signiq::console {

void DeviceSession::setClient(DeviceClient *client, const QString &deviceName, bool demo)
{
    if (client == m_client && deviceName == m_name && demo == m_demo)
        return;
    m_client = client;
    m_name = deviceName;
    m_demo = demo;
    emit clientChanged(client);
}

} // namespace signiq::console
