#pragma once

#include "client/DeviceClient.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkReply>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrlQuery>

#include <optional>

class QNetworkAccessManager;

namespace signiq::console {

// How a device's certificate is accepted: the SHA-256 fingerprint the admin accepted at first
// contact, or a chain that verifies (with the host name) to the deployment CA.
struct DeviceTrust {
    QString pinnedSha256;              // hex; empty = no pin
    QList<QSslCertificate> deploymentCa; // empty = no CA configured
};

// The raw outcome of one HTTPS exchange, before it is mapped to a core::Result.
struct HttpAnswer {
    int status = 0; // 0: no HTTP answer (network, TLS or timeout failure)
    QByteArray body;
    QByteArray contentType;
    QByteArray retryAfter;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QString certificateProblem; // set when the console refused the device's certificate
    QString tlsProtocol;        // "TLS 1.3"
};

// The DeviceClient of a real device: the /v1 HTTPS API (docs/api.md) over
// QNetworkAccessManager, on the GUI thread's event loop (nothing blocks; JSON is parsed on the
// thread pool). TLS settings come from crypto::TlsConfigurationFactory (TLS 1.3 only); the
// peer is accepted only if its leaf matches the pin or its chain verifies to the deployment CA
// — checked in sslErrors (pin) and again when the handshake completes, before the request (and
// its API key) is sent. The system CA store never makes a device trusted on its own.
class HttpsDeviceClient final : public QObject, public DeviceClient {
    Q_OBJECT

public:
    struct Options {
        int timeoutMs = 20'000;         // no byte for this long: the call fails with Io
        int overlayTimeoutMs = 30'000;  // the same for the overlay stream
        int pageSize = 1000;            // /v1/windows and /v1/audit page size (the device's maximum)
    };

    HttpsDeviceClient(DeviceAddress address, DeviceTrust trust, QString apiKey, QObject *parent = nullptr);
    HttpsDeviceClient(DeviceAddress address, DeviceTrust trust, QString apiKey, Options options, QObject *parent = nullptr);
    ~HttpsDeviceClient() override;

    const DeviceAddress &address() const { return m_address; }

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

    // The mapping of DeviceClient.h for an answer that is not a 2xx.
    static core::Error failure(const HttpAnswer &answer, const DeviceAddress &address, int timeoutMs);

private:
    QNetworkRequest makeRequest(const QString &path, const QUrlQuery &query, int timeoutMs) const;
    // Sends a request; the future completes on this object's thread when the reply finished.
    QFuture<HttpAnswer> send(const QByteArray &verb, const QString &path, const QUrlQuery &query = {},
                             const std::optional<QJsonObject> &body = std::nullopt);
    // Sends and parses a JSON object answer with `parse` on the thread pool.
    // GET `path` page by page (limit/offset, "next_offset") and collect every item.
    template <typename Item, typename ParsePage>
    Reply<QList<Item>> pagedGet(const QString &path, const WindowQuery &query, ParsePage parsePage);

    template <typename T, typename Parse>
    Reply<T> call(const QByteArray &verb, const QString &path, const QUrlQuery &query, const std::optional<QJsonObject> &body,
                  Parse parse);
    // The certificate checks of every reply (see the class comment).
    void guard(QNetworkReply *reply);
    core::Error notConfigured() const;

    DeviceAddress m_address;
    DeviceTrust m_trust;
    QString m_apiKey;
    Options m_options;
    std::optional<QSslConfiguration> m_tls; // empty: the TLS backend cannot do TLS 1.3
    QString m_tlsProblem;
    QNetworkAccessManager *m_network = nullptr;
    // The device's calibration as last read by zones(): putZones() sends PUT /v1/calibration
    // only when the document's calibration differs from it.
    QJsonValue m_deviceCalibration = QJsonValue(QJsonValue::Undefined);

    friend class HttpsOverlayStream;
};

} // namespace signiq::console
