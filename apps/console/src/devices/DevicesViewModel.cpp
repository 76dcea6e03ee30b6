#include "devices/DevicesViewModel.h"

#include "ConsoleLog.h"
#include "client/DeviceClient.h"
#include "client/DeviceConnector.h"
#include "client/ErrorText.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/SecretStore.h"
#include "keys/ApiKeysViewModel.h"
#include "settings/ConsoleSettings.h"

#include <QUuid>

namespace signiq::console {

DevicesViewModel::DevicesViewModel(DeviceRegistry &registry, DeviceConnector &connector, SecretStore &secrets,
                                   CertificateTrust &trust, DeviceSession &session, const core::Clock &clock, QObject *parent)
    : QObject(parent), m_registry(registry), m_connector(connector), m_secrets(secrets), m_trust(trust), m_session(session),
      m_clock(clock)
{
    reload();
}

DevicesViewModel::~DevicesViewModel()
{
    if (m_session.client())
        m_session.clear();
}

void DevicesViewModel::followConsoleKey(ApiKeysViewModel &keys)
{
    connect(&keys, &ApiKeysViewModel::consoleKeyRotated, this, &DevicesViewModel::changeKey);
    connect(&keys, &ApiKeysViewModel::consoleKeyRevoked, this, &DevicesViewModel::markKeyRefused);
}

void DevicesViewModel::restoreLastDevice(ConsoleSettings &settings)
{
    connect(this, &DevicesViewModel::currentDeviceChanged, this, [&settings](const QString &deviceId) {
        (void)settings.setValue(ConsoleSettings::Key::LastDevice, deviceId);
    });
    const QString last = settings.lastDevice();
    if (!last.isEmpty() && m_registry.find(last))
        selectDevice(last);
}

void DevicesViewModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void DevicesViewModel::reload()
{
    m_model.setDevices(m_registry.devices());
    m_model.setCurrent(m_currentId);
}

void DevicesViewModel::addDevice(const QString &name, const QString &addressText, const QString &apiKey)
{
    if (name.trimmed().isEmpty()) {
        emit failed(tr("Give the device a name."));
        return;
    }
    auto address = DeviceAddress::parse(addressText);
    if (!address) {
        emit failed(tr("The address is not valid: use host or host:port, for example 192.168.1.20:8443.") + u'\n' +
                    address.error().message);
        return;
    }
    for (const DeviceEntry &existing : m_registry.devices())
        if (existing.address == address.value()) {
            emit failed(tr("This address is already registered as “%1”.").arg(existing.name));
            return;
        }
    if (auto parsed = protocol::ApiKeyFormat::parse(apiKey.trimmed()); !parsed) {
        emit failed(tr("The API key is not a Signiq key (sq_live_… or sq_test_…). Create one on the device with "
                       "“signiq-edge keys create --scope admin”."));
        return;
    }
    setBusy(true);
    m_pendingKey = apiKey.trimmed();
    const DeviceAddress target = address.value();
    m_connector.probe(target).then(this, [this, name = name.trimmed(), target](core::Result<PeerIdentity> identity) {
        if (!identity) {
            setBusy(false);
            m_pendingKey.clear();
            emit failed(ErrorText::forDevice(identity.error()));
            return;
        }
        PendingDevice pending{name, target, m_trust.assess(target, identity->chain, QString()), identity->tlsProtocol};
        m_pending = pending;
        if (pending.assessment.verdict == TrustVerdict::NoCertificate) {
            setBusy(false);
            m_pending.reset();
            m_pendingKey.clear();
            emit failed(tr("The device presented no usable certificate."));
            return;
        }
        if (pending.assessment.isTrusted()) {
            finishAdd(QString()); // CA-trusted: no pin needed
            return;
        }
        setBusy(false);
        emit certificateReviewRequested(pending);
    });
}

void DevicesViewModel::acceptCertificate()
{
    if (!m_pending)
        return;
    setBusy(true);
    finishAdd(m_pending->assessment.leafSha256());
}

void DevicesViewModel::rejectCertificate()
{
    m_pending.reset();
    m_pendingKey.clear();
    setBusy(false);
}

void DevicesViewModel::finishAdd(const QString &pinnedSha256)
{
    DeviceEntry entry;
    entry.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.name = m_pending->name;
    entry.address = m_pending->address;
    entry.pinnedSha256 = pinnedSha256;
    entry.addedAtMs = m_clock.nowMs();
    const QString key = std::exchange(m_pendingKey, QString());
    m_pending.reset();
    m_secrets.writeSecret(entry.secretKey(), key).then(this, [this, entry](core::Status stored) {
        if (!stored) {
            setBusy(false);
            emit failed(ErrorText::forSecrets(stored.error()));
            return;
        }
        if (const core::Status added = m_registry.add(entry); !added) {
            setBusy(false);
            emit failed(tr("The device could not be added.") + u'\n' + added.error().message);
            return;
        }
        if (const core::Status saved = m_registry.save(); !saved)
            emit failed(ErrorText::forFile(saved.error()));
        reload();
        setBusy(false);
        qCInfo(lcConsole) << "device added" << entry.name << entry.address.toString();
        emit deviceAdded(entry.id);
        selectDevice(entry.id);
    });
}

void DevicesViewModel::removeDevice(const QString &deviceId)
{
    const auto entry = m_registry.find(deviceId);
    if (!entry)
        return;
    if (m_currentId == deviceId) {
        m_session.clear();
        m_currentId.clear();
        emit currentDeviceChanged(QString());
    }
    m_clients.remove(deviceId);
    m_registry.remove(deviceId);
    if (const core::Status saved = m_registry.save(); !saved)
        emit failed(ErrorText::forFile(saved.error()));
    m_secrets.removeSecret(entry->secretKey()).then(this, [this](core::Status removed) {
        if (!removed)
            emit failed(ErrorText::forSecrets(removed.error()));
    });
    reload();
    emit deviceRemoved(deviceId);
}

void DevicesViewModel::selectDevice(const QString &deviceId)
{
    const auto entry = m_registry.find(deviceId);
    if (!entry)
        return;
    if (m_clients.contains(deviceId)) {
        m_currentId = deviceId;
        m_model.setCurrent(deviceId);
        m_session.setClient(m_clients.value(deviceId).get(), entry->name, m_demo, deviceId);
        m_session.setApiKeyId(m_keyIds.value(deviceId));
        emit currentDeviceChanged(deviceId);
        checkStatus(deviceId);
        return;
    }
    setBusy(true);
    m_secrets.readSecret(entry->secretKey()).then(this, [this, entry = entry.value()](core::Result<QString> key) {
        setBusy(false);
        if (!key) {
            emit failed(ErrorText::forSecrets(key.error()));
            return;
        }
        std::shared_ptr<DeviceClient> client = m_connector.connect(entry.address, entry.pinnedSha256, key.value());
        if (!client) {
            emit failed(tr("The console cannot connect to “%1”.").arg(entry.name));
            return;
        }
        useClient(entry, std::move(client), key.value());
    });
}

void DevicesViewModel::useClient(const DeviceEntry &entry, std::shared_ptr<DeviceClient> client, const QString &apiKey)
{
    const auto parsed = protocol::ApiKeyFormat::parse(apiKey);
    const QString keyId = parsed ? parsed->keyId : QString();
    // The session never points at a destroyed client: switch it first, then drop the old one.
    m_currentId = entry.id;
    m_model.setCurrent(entry.id);
    m_session.setClient(client.get(), entry.name, m_demo, entry.id);
    m_session.setApiKeyId(keyId);
    m_clients.insert(entry.id, std::move(client));
    m_keyIds.insert(entry.id, keyId);
    emit currentDeviceChanged(entry.id);
    checkStatus(entry.id);
}

void DevicesViewModel::changeKey(const QString &deviceId, const QString &apiKey)
{
    const auto entry = m_registry.find(deviceId);
    if (!entry) {
        emit failed(tr("The device is not registered any more."));
        return;
    }
    const QString token = apiKey.trimmed();
    if (!protocol::ApiKeyFormat::parse(token)) {
        emit failed(tr("The API key is not a Signiq key (sq_live_… or sq_test_…). Create one on the device with "
                       "“signiq-edge keys create --scope admin”."));
        return;
    }
    if (m_clients.contains(deviceId)) { // remade with the new key at once (the old one may be dead already)
        std::shared_ptr<DeviceClient> client = m_connector.connect(entry->address, entry->pinnedSha256, token);
        if (!client) {
            emit failed(tr("The console cannot connect to “%1”.").arg(entry->name));
            return;
        }
        if (m_currentId == deviceId) {
            useClient(entry.value(), std::move(client), token);
        } else {
            m_clients.insert(deviceId, std::move(client));
            m_keyIds.insert(deviceId, protocol::ApiKeyFormat::parse(token)->keyId);
        }
    }
    setBusy(true);
    const QString name = entry->name;
    m_secrets.writeSecret(entry->secretKey(), token).then(this, [this, deviceId, name](core::Status stored) {
        setBusy(false);
        if (!stored) {
            emit failed(tr("The new API key of “%1” works until the console is closed, but it could not be stored.").arg(name) +
                        u'\n' + ErrorText::forSecrets(stored.error()));
            return;
        }
        qCInfo(lcConsole) << "API key changed for" << name;
        emit keyChanged(deviceId);
        checkStatus(deviceId);
    });
}

void DevicesViewModel::markKeyRefused(const QString &deviceId)
{
    const auto entry = m_registry.find(deviceId);
    if (!entry)
        return;
    DeviceStatus status = m_model.status(deviceId);
    status.state = DeviceStatus::State::KeyRefused;
    status.problem = tr("The console's API key for “%1” was revoked. Enter another key with “Change key…”.").arg(entry->name);
    m_model.setStatus(deviceId, status);
    emit failed(status.problem);
}

void DevicesViewModel::checkStatus(const QString &deviceId)
{
    const std::shared_ptr<DeviceClient> client = m_clients.value(deviceId);
    if (!client)
        return;
    DeviceStatus checking = m_model.status(deviceId);
    checking.state = DeviceStatus::State::Checking;
    m_model.setStatus(deviceId, checking);
    const std::weak_ptr<DeviceClient> weak = client;
    client->health().then(this, [this, deviceId, weak](core::Result<DeviceHealth> health) {
        const std::shared_ptr<DeviceClient> client = weak.lock();
        if (!client || m_clients.value(deviceId) != client)
            return; // removed, or the key was changed meanwhile
        DeviceStatus status;
        if (!health) {
            status.state = DeviceStatus::State::Unreachable;
            status.problem = ErrorText::forDevice(health.error());
            m_model.setStatus(deviceId, status);
            return;
        }
        status.state = DeviceStatus::State::Online;
        status.health = health.value();
        // /v1/health needs no key: only an authenticated call tells whether the key still works.
        // A missing scope (403) is fine here; the pages say what the key lacks.
        client->zones().then(this, [this, deviceId, weak, status](core::Result<ZonesDocument> zones) mutable {
            const std::shared_ptr<DeviceClient> current = weak.lock();
            if (!current || m_clients.value(deviceId) != current)
                return;
            if (!zones && ErrorText::isKeyRefused(zones.error())) {
                status.state = DeviceStatus::State::KeyRefused;
                status.problem = ErrorText::forDevice(zones.error());
            }
            m_model.setStatus(deviceId, status);
        });
    });
}

} // namespace signiq::console
