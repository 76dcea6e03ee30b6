#pragma once

#include "core/Clock.h"
#include "devices/CertificateTrust.h"
#include "devices/DeviceTableModel.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace signiq::console {

class DeviceClient;
class DeviceConnector;
class DeviceRegistry;
class DeviceSession;
class SecretStore;

// A device being added whose certificate waits for the admin's decision.
struct PendingDevice {
    QString name;
    DeviceAddress address;
    TrustAssessment assessment;
    QString tlsProtocol;
};

// Adding (probe -> trust decision -> key in the secret store -> registry), removing, selecting
// and checking devices. Owns one DeviceClient per connected device.
class DevicesViewModel : public QObject {
    Q_OBJECT

public:
    DevicesViewModel(DeviceRegistry &registry, DeviceConnector &connector, SecretStore &secrets, CertificateTrust &trust,
                     DeviceSession &session, const core::Clock &clock, QObject *parent = nullptr);
    ~DevicesViewModel() override;

    DeviceTableModel *model() { return &m_model; }
    const std::optional<PendingDevice> &pending() const { return m_pending; }
    QString currentDeviceId() const { return m_currentId; }
    bool isBusy() const { return m_busy; }
    // Clients of this connector serve synthetic data: pages label everything "demo data".
    void setDemoMode(bool demo) { m_demo = demo; }

public slots:
    // Step 1: checks the input and probes the device's certificate. Ends in deviceAdded (trusted
    // by the deployment CA), certificateReviewRequested (the admin decides) or failed.
    void addDevice(const QString &name, const QString &addressText, const QString &apiKey);
    // Step 2 after certificateReviewRequested.
    void acceptCertificate();
    void rejectCertificate();
    void removeDevice(const QString &deviceId);
    // Reads the device's key from the secret store, connects and makes it the current device.
    void selectDevice(const QString &deviceId);
    void checkStatus(const QString &deviceId);
    // Shows the registry again (e.g. after an audit key was pinned elsewhere).
    void reloadDevices() { reload(); }

signals:
    void busyChanged(bool busy);
    void certificateReviewRequested(const signiq::console::PendingDevice &pending);
    void deviceAdded(const QString &deviceId);
    void deviceRemoved(const QString &deviceId);
    void currentDeviceChanged(const QString &deviceId);
    void failed(const QString &message); // translated

private:
    void setBusy(bool busy);
    void finishAdd(const QString &pinnedSha256);
    void reload();

    DeviceRegistry &m_registry;
    DeviceConnector &m_connector;
    SecretStore &m_secrets;
    CertificateTrust &m_trust;
    DeviceSession &m_session;
    const core::Clock &m_clock;
    DeviceTableModel m_model;
    std::optional<PendingDevice> m_pending;
    QString m_pendingKey; // the API key typed in step 1, wiped after step 2
    QHash<QString, std::shared_ptr<DeviceClient>> m_clients;
    QString m_currentId;
    bool m_busy = false;
    bool m_demo = false;
};

} // namespace signiq::console
