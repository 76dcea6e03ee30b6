#pragma once

#include "client/DeviceClient.h"
#include "core/Clock.h"

#include <QHash>
#include <QObject>
#include <QPromise>
#include <QTimer>

#include <functional>
#include <memory>

namespace signiq::console {

// An in-memory device for tests and --demo: keeps keys, zones and a real hash-chained audit log,
// answers asynchronously (after `latencyMs`, on the event loop) like a network client would, and
// lets a test make the next call of an operation fail.
class FakeDeviceClient final : public QObject, public DeviceClient {
    Q_OBJECT

public:
    enum class Operation {
        Health, Windows, Demographics, Zones, PutZones, Keys, CreateKey, RotateKey, RevokeKey, Audit, ExportAudit, Overlay
    };
    using WindowSource = std::function<QList<core::AudienceWindow>(const WindowQuery &)>;
    using DemographicSource = std::function<QList<core::DemographicWindow>(const WindowQuery &)>;

    explicit FakeDeviceClient(const core::Clock &clock, QObject *parent = nullptr);
    ~FakeDeviceClient() override;

    // --- test and demo set-up ---
    void setLatencyMs(int ms) { m_latencyMs = ms; }
    void setHealth(const DeviceHealth &health) { m_health = health; }
    void setWindows(QList<core::AudienceWindow> windows);
    void setWindowSource(WindowSource source) { m_windowSource = std::move(source); }
    void setDemographicWindows(QList<core::DemographicWindow> windows);
    void setDemographicSource(DemographicSource source) { m_demographicSource = std::move(source); }
    void setZones(const ZonesDocument &zones) { m_zones = zones; }
    void addKey(const ApiKeyInfo &key) { m_keys.append(key); }
    // A key whose secret the fake checks like the device: while the client's own key
    // (setApiKey) is registered, every call but health() answers 401 when that key is revoked or
    // its secret was rotated away (after the overlap). Unregistered keys are not checked.
    void registerKey(const ApiKeyInfo &key, const QString &token);
    void setApiKey(const QString &token) { m_apiKey = token; }
    // Appends an entry to the audit chain (as the device does for every audited action).
    void recordAudit(const QString &actor, const QString &action, const QString &target,
                     const QString &result = QStringLiteral("ok"), qint64 atMs = 0);
    void setAuditEntries(const QList<protocol::AuditEntry> &entries) { m_audit = entries; }
    void setOverlayFrameSource(std::function<OverlayFrame(qint64 nowMs)> source) { m_overlaySource = std::move(source); }
    void setOverlayIntervalMs(int ms) { m_overlayIntervalMs = ms; }
    // The next call of `operation` fails with `error` (once).
    void failNext(Operation operation, core::Error error);

    // --- inspection ---
    int callCount(Operation operation) const { return m_calls.value(operation); }
    const QList<ApiKeyInfo> &storedKeys() const { return m_keys; }
    const QList<protocol::AuditEntry> &auditEntries() const { return m_audit; }
    const ZonesDocument &storedZones() const { return m_zones; }

    // --- DeviceClient ---
    Reply<DeviceHealth> health() override;
    Reply<QList<core::AudienceWindow>> windows(const WindowQuery &query) override;
    Reply<QList<core::DemographicWindow>> demographicWindows(const WindowQuery &query) override;
    Reply<ZonesDocument> zones() override;
    Reply<QString> putZones(const core::ZoneConfig &config) override;
    Reply<QList<ApiKeyInfo>> keys() override;
    Reply<IssuedKey> createKey(const NewKeyRequest &request) override;
    Reply<IssuedKey> rotateKey(const QString &keyId, int overlapDays) override;
    Reply<bool> revokeKey(const QString &keyId) override;
    Reply<QList<protocol::AuditEntry>> audit(const AuditQuery &query) override;
    Reply<QByteArray> exportAudit(const AuditQuery &query, AuditExportFormat format) override;
    std::unique_ptr<OverlayStream> openOverlay() override;

private:
    template <typename T>
    Reply<T> later(core::Result<T> result)
    {
        auto promise = std::make_shared<QPromise<core::Result<T>>>();
        Reply<T> future = promise->future();
        promise->start();
        QTimer::singleShot(m_latencyMs, this, [promise, result = std::move(result)]() mutable {
            promise->addResult(std::move(result));
            promise->finish();
        });
        return future;
    }
    std::optional<core::Error> takeFailure(Operation operation);
    qsizetype keyIndex(const QString &keyId) const;
    std::optional<core::Error> refusal() const;

    const core::Clock &m_clock;
    int m_latencyMs = 0;
    int m_overlayIntervalMs = 200;
    DeviceHealth m_health;
    WindowSource m_windowSource;
    DemographicSource m_demographicSource;
    ZonesDocument m_zones;
    QList<ApiKeyInfo> m_keys;
    QString m_apiKey;
    QHash<QString, QByteArray> m_secretHashes;   // key id -> SHA-256 of the current secret
    QHash<QString, QByteArray> m_previousHashes; // key id -> the secret before the last rotation
    QList<protocol::AuditEntry> m_audit;
    std::function<OverlayFrame(qint64)> m_overlaySource;
    QHash<Operation, core::Error> m_failures;
    QHash<Operation, int> m_calls;
};

} // namespace signiq::console
