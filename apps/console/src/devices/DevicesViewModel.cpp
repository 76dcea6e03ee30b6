#include "devices/DevicesViewModel.h"

#include "ConsoleLog.h"
#include "client/DeviceConnector.h"
#include "client/ErrorText.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/SecretStore.h"

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
        m_clients.insert(entry.id, client);
        m_currentId = entry.id;
        m_model.setCurrent(entry.id);
        m_session.setClient(client.get(), entry.name, m_demo, entry.id);
        emit currentDeviceChanged(entry.id);
        checkStatus(entry.id);
    });
}

void DevicesViewModel::checkStatus(const QString &deviceId)
{
    const std::shared_ptr<DeviceClient> client = m_clients.value(deviceId);
    if (!client)
        return;
    DeviceStatus checking = m_model.status(deviceId);
    checking.state = DeviceStatus::State::Checking;
    m_model.setStatus(deviceId, checking);
    client->health().then(this, [this, deviceId](core::Result<DeviceHealth> health) {
        DeviceStatus status;
        if (health) {
            status.state = DeviceStatus::State::Online;
            status.health = health.value();
        } else {
            status.state = DeviceStatus::State::Unreachable;
            status.problem = ErrorText::forDevice(health.error());
        }
        m_model.setStatus(deviceId, status);
    });
}

} // namespace signiq::console
