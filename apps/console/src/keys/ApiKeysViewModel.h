#pragma once

#include "client/DeviceClient.h"
#include "client/DeviceTypes.h"
#include "core/Clock.h"
#include "keys/ApiKeyTableModel.h"

#include <QObject>

namespace signiq::console {

class DeviceClient;
class DeviceSession;

// Lists, creates, rotates and revokes the API keys of the current device (admin scope).
class ApiKeysViewModel : public QObject {
    Q_OBJECT

public:
    static constexpr int MaxOverlapDays = 7;
    static constexpr int MaxLabelLength = 64;

    ApiKeysViewModel(DeviceSession &session, const core::Clock &clock, QObject *parent = nullptr);

    ApiKeyTableModel *model() { return &m_model; }
    bool isBusy() const { return m_busy; }

    // Checks done before anything is sent; translated message on failure.
    static std::optional<QString> validate(const NewKeyRequest &request, qint64 nowMs);
    static std::optional<QString> validateOverlap(int overlapDays);
    // The key this console itself uses for the current device: rotating it makes the console
    // keep the new secret (consoleKeyRotated); revoking it locks the console out.
    bool isConsoleKey(const QString &keyId) const;

public slots:
    void refresh();
    void createKey(const signiq::console::NewKeyRequest &request);
    void rotateKey(const QString &keyId, int overlapDays);
    void revokeKey(const QString &keyId);

signals:
    void busyChanged(bool busy);
    // A secret to show once (create or rotate). Never logged, never stored.
    void keyIssued(const signiq::console::IssuedKey &key, bool rotated);
    void keyRevoked(const QString &keyId);
    // The console's own key of device `deviceId` got a new secret: keep it (DevicesViewModel::changeKey).
    void consoleKeyRotated(const QString &deviceId, const QString &token);
    void consoleKeyRevoked(const QString &deviceId);
    void failed(const QString &message); // translated

private:
    void setBusy(bool busy);
    DeviceClient *clientOrFail();
    // A new secret from create or rotate: shown once (keyIssued), then the list is refreshed.
    void awaitIssuedKey(DeviceClient::Reply<IssuedKey> reply, bool rotated);

    DeviceSession &m_session;
    const core::Clock &m_clock;
    ApiKeyTableModel m_model;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace signiq::console
