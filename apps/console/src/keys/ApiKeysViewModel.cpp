#include "keys/ApiKeysViewModel.h"

#include "client/DeviceClient.h"
#include "client/ErrorText.h"
#include "devices/DeviceSession.h"

namespace signiq::console {

ApiKeysViewModel::ApiKeysViewModel(DeviceSession &session, const core::Clock &clock, QObject *parent)
    : QObject(parent), m_session(session), m_clock(clock), m_model(clock)
{
    connect(&m_session, &DeviceSession::clientChanged, this, [this] {
        ++m_generation;
        setBusy(false);
        m_model.setKeys({});
    });
}

std::optional<QString> ApiKeysViewModel::validate(const NewKeyRequest &request, qint64 nowMs)
{
    if (!request.scopes)
        return tr("Choose at least one scope.");
    if (request.name.size() > MaxLabelLength)
        return tr("The label is longer than %1 characters.").arg(MaxLabelLength);
    if (request.expiresAtMs && *request.expiresAtMs <= nowMs)
        return tr("The expiry date must be in the future.");
    return std::nullopt;
}

std::optional<QString> ApiKeysViewModel::validateOverlap(int overlapDays)
{
    if (overlapDays < 0 || overlapDays > MaxOverlapDays)
        return tr("The overlap must be between 0 and %1 days.").arg(MaxOverlapDays);
    return std::nullopt;
}

void ApiKeysViewModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

DeviceClient *ApiKeysViewModel::clientOrFail()
{
    DeviceClient *client = m_session.client();
    if (!client)
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
    return client;
}

void ApiKeysViewModel::refresh()
{
    DeviceClient *client = clientOrFail();
    if (!client)
        return;
    const quint64 generation = ++m_generation;
    setBusy(true);
    client->keys().then(this, [this, generation](core::Result<QList<ApiKeyInfo>> keys) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!keys) {
            emit failed(ErrorText::forDevice(keys.error()));
            return;
        }
        m_model.setKeys(keys.value());
    });
}

void ApiKeysViewModel::createKey(const NewKeyRequest &request)
{
    if (const auto problem = validate(request, m_clock.nowMs())) {
        emit failed(*problem);
        return;
    }
    DeviceClient *client = clientOrFail();
    if (!client)
        return;
    awaitIssuedKey(client->createKey(request), false);
}

void ApiKeysViewModel::rotateKey(const QString &keyId, int overlapDays)
{
    if (const auto problem = validateOverlap(overlapDays)) {
        emit failed(*problem);
        return;
    }
    DeviceClient *client = clientOrFail();
    if (!client)
        return;
    awaitIssuedKey(client->rotateKey(keyId, overlapDays), true);
}

bool ApiKeysViewModel::isConsoleKey(const QString &keyId) const
{
    return !keyId.isEmpty() && keyId == m_session.apiKeyId();
}

void ApiKeysViewModel::awaitIssuedKey(DeviceClient::Reply<IssuedKey> reply, bool rotated)
{
    const quint64 generation = m_generation;
    const QString deviceId = m_session.deviceId();
    setBusy(true);
    reply.then(this, [this, generation, rotated, deviceId](core::Result<IssuedKey> issued) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!issued) {
            emit failed(ErrorText::forDevice(issued.error()));
            return;
        }
        const bool own = rotated && isConsoleKey(issued->info.keyId) && !deviceId.isEmpty();
        emit keyIssued(issued.value(), rotated);
        if (own) // first: the console switches to the new secret before it asks the device again
            emit consoleKeyRotated(deviceId, issued->token);
        refresh();
    });
}

void ApiKeysViewModel::revokeKey(const QString &keyId)
{
    DeviceClient *client = clientOrFail();
    if (!client)
        return;
    const quint64 generation = m_generation;
    const bool own = isConsoleKey(keyId) && !m_session.deviceId().isEmpty();
    const QString deviceId = m_session.deviceId();
    setBusy(true);
    client->revokeKey(keyId).then(this, [this, generation, keyId, own, deviceId](core::Result<bool> revoked) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!revoked) {
            emit failed(ErrorText::forDevice(revoked.error()));
            return;
        }
        emit keyRevoked(keyId);
        if (own) {
            emit consoleKeyRevoked(deviceId);
            return; // the device refuses this console from now on: nothing to refresh with
        }
        refresh();
    });
}

} // namespace signiq::console
