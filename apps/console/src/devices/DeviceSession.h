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

    void setClient(DeviceClient *client, const QString &deviceName, bool demo = false);
    void clear() { setClient(nullptr, QString()); }

signals:
    void clientChanged(signiq::console::DeviceClient *client);

private:
    DeviceClient *m_client = nullptr;
    QString m_name;
    bool m_demo = false;
};

} // namespace signiq::console
