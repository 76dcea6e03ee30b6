#pragma once

#include "client/DeviceClient.h"

#include <QObject>
#include <QString>

namespace signiq::console {



// The device the pages work on. Non-owning: the devices view model (or a test) owns the clients
// and clears the session before destroying the current one.
class DeviceSession : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    DeviceClient *client() const { return m_client; }
    QString deviceName() const { return m_name; }
    bool isDemo() const { return m_demo; }
    // The registry id of the device (DeviceEntry::id); empty when none is selected or the client
    // is not a registered device (tests).
    QString deviceId() const { return m_deviceId; }
    // The id of the API key this console uses for the current device (protocol::ApiKeyFormat key
    // id, never the secret); empty when unknown. Reset by every setClient().
    QString apiKeyId() const { return m_apiKeyId; }
    void setApiKeyId(const QString &keyId) { m_apiKeyId = keyId; }

    void setClient(DeviceClient *client, const QString &deviceName, bool demo = false, const QString &deviceId = QString());
    void clear() { setClient(nullptr, QString()); }

signals:
    void clientChanged(signiq::console::DeviceClient *client);

private:
    DeviceClient *m_client = nullptr;
    QString m_name;
    QString m_deviceId;
    QString m_apiKeyId;
    bool m_demo = false;
};

} // namespace signiq::console
