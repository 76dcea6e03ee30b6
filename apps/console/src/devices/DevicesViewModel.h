#pragma once

#include "core/Clock.h"
#include "devices/CertificateTrust.h"
#include "devices/DeviceTableModel.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace signiq::console {

class ApiKeysViewModel;
class ConsoleSettings;
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
    // Follows what the API keys page does to the console's own key: a rotation makes this model
    // keep and use the new secret (changeKey), a revocation shows "key refused" (markKeyRefused).
    void followConsoleKey(ApiKeysViewModel &keys);
    // After a restart: selects (and checks) the device that was current last time, if it is
    // still registered, and remembers every later choice in `settings` (devices/last).
    void restoreLastDevice(ConsoleSettings &settings);

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
    // /v1/health (no key needed), then an authenticated call (GET /v1/zones): a 401 shows "key
    // refused" (unknown, revoked or rotated key), not "reachable".
    void checkStatus(const QString &deviceId);
    // Replaces the API key the console uses for a device: used at once (the connection is
    // remade with it) and kept in the secret store. Also what follows the rotation of the
    // console's own key (ApiKeysViewModel::consoleKeyRotated).
    void changeKey(const QString &deviceId, const QString &apiKey);
    // The console's own key of the device was revoked (ApiKeysViewModel::consoleKeyRevoked).
    void markKeyRefused(const QString &deviceId);
    // Shows the registry again (e.g. after an audit key was pinned elsewhere).
    void reloadDevices() { reload(); }

signals:
    void busyChanged(bool busy);
    void certificateReviewRequested(const signiq::console::PendingDevice &pending);
    void deviceAdded(const QString &deviceId);
    void deviceRemoved(const QString &deviceId);
    void keyChanged(const QString &deviceId); // the new key is in use and stored
    void currentDeviceChanged(const QString &deviceId);
    void failed(const QString &message); // translated

private:
    void setBusy(bool busy);
    void finishAdd(const QString &pinnedSha256);
    void reload();
    void useClient(const DeviceEntry &entry, std::shared_ptr<DeviceClient> client, const QString &apiKey);

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
    QHash<QString, QString> m_keyIds; // device id -> id of the API key its client uses
    QString m_currentId;
    bool m_busy = false;
    bool m_demo = false;
};

} // namespace signiq::console
