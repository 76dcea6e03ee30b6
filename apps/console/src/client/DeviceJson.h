#pragma once

#include "protocol/AuditChain.h"
#include "protocol/Paging.h"
#include "client/DeviceTypes.h"
#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace signiq::console::devicejson {

// The /v1 wire format (docs/api.md, docs/openapi.yaml) <-> console types. Pure functions, so
// the HTTPS client can run them on a worker thread and tests can run them without a device.
// Every failure is Parse and names the field ("keys[2].created_at: ...").

// An HTTP failure with the device's {"error":{"code","message"}} (or the reason phrase when the
// body is not that), mapped as documented in DeviceClient.h. `retryAfter` is the Retry-After
// header of a 429.
core::Error httpError(int status, const QByteArray &body, const QByteArray &retryAfter = {});

// A 2xx body that must be a JSON object.
core::Result<QJsonObject> object(const QByteArray &body);

core::Result<DeviceHealth> health(const QJsonObject &o);

// One page of a paged list (/v1/windows, /v1/demographics): the items and "next_offset".
template <typename Item>
using Page = protocol::Page<Item>;
using WindowsPage = Page<core::AudienceWindow>;
using DemographicWindowsPage = Page<core::DemographicWindow>;
core::Result<WindowsPage> windowsPage(const QJsonObject &o);
core::Result<DemographicWindowsPage> demographicWindowsPage(const QJsonObject &o);

struct AuditPage {
    QList<protocol::AuditEntry> entries;
    std::optional<qint64> nextAfter;
};
core::Result<AuditPage> auditPage(const QJsonObject &o);

core::Result<ApiKeyInfo> keyInfo(const QJsonObject &o);
core::Result<QList<ApiKeyInfo>> keyList(const QJsonObject &o);
// The answer to POST /v1/keys and POST /v1/keys/{id}/rotate: the key's fields and "key".
core::Result<IssuedKey> issuedKey(const QJsonObject &o);
QJsonObject newKeyBody(const NewKeyRequest &request);

// GET /v1/zones and GET /v1/calibration answers merged into one document. `calibration` is the
// "calibration" member of the second answer (null when the device is uncalibrated).
core::Result<ZonesDocument> zonesDocument(const QJsonObject &zones, const QJsonObject &calibration);
// PUT /v1/zones and PUT /v1/calibration answers: {"calibration_version": ...}.
core::Result<QString> calibrationVersion(const QJsonObject &o);

QString tlsProtocolName(int sslProtocol); // QSsl::SslProtocol -> "TLS 1.3"

// Incremental reader of a multipart/x-mixed-replace body (the /v1/overlay stream): feed bytes
// as they arrive and take the parts that are complete. Parts need no Content-Length (then the
// next delimiter ends them), but the device sends one.
class MultipartReader {
public:
    struct Part {
        QByteArray contentType;
        qint64 timestampMs = 0; // X-Timestamp-Ms, 0 when absent
        QByteArray body;
    };
    static constexpr qsizetype MaxBufferedBytes = 8 * 1024 * 1024;

    explicit MultipartReader(QByteArray boundary = {}) : m_boundary(std::move(boundary)) {}
    // "multipart/x-mixed-replace; boundary=signiq-overlay-frame" -> "signiq-overlay-frame".
    static QByteArray boundaryOf(const QByteArray &contentType);

    void setBoundary(const QByteArray &boundary) { m_boundary = boundary; }
    // Appends data; Parse error when the stream is malformed or a part exceeds MaxBufferedBytes.
    [[nodiscard]] core::Status feed(const QByteArray &data);
    QList<Part> takeParts() { return std::exchange(m_parts, {}); }
    // The closing delimiter ("--boundary--") was seen.
    bool isFinished() const { return m_finished; }

private:
    core::Status parse();

    QByteArray m_boundary;
    QByteArray m_buffer;
    QList<Part> m_parts;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace signiq::console::devicejson
