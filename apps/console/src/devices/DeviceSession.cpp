#include "devices/DeviceSession.h"

namespace signiq::console {

void DeviceSession::setClient(DeviceClient *client, const QString &deviceName, bool demo, const QString &deviceId)
{
    if (client == m_client && deviceName == m_name && demo == m_demo && deviceId == m_deviceId)
        return;
    m_client = client;
    m_name = deviceName;
    m_demo = demo;
    m_deviceId = deviceId;
    m_apiKeyId.clear();
    emit clientChanged(client);
}

} // namespace signiq::console
