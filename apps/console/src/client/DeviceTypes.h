#pragma once

#include "api/ApiKey.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"

#include <QImage>
#include <QList>
#include <QMap>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <optional>

namespace signiq::console {

// host[:port] of an edge device (or hub) on the LAN. Default port 8443.
struct DeviceAddress {
    static constexpr quint16 DefaultPort = 8443;
    QString host;
    quint16 port = DefaultPort;

    // "10.0.0.5", "player-3.local:9443", "[fe80::1]:8443". InvalidArgument names the problem.
    [[nodiscard]] static core::Result<DeviceAddress> parse(const QString &text);
    QString toString() const;
    QUrl baseUrl() const; // https://host:port
    bool operator==(const DeviceAddress &) const = default;
};

// GET /v1/health. No key needed, no counts.
struct DeviceHealth {
    QString status;             // "ok", "degraded", ...
    qint64 uptimeS = 0;
    double pipelineFps = 0.0;
    double captureReleaseP50Ms = 0.0;
    double captureReleaseP99Ms = 0.0;
    QString modelVersion;
    QString calibrationVersion;
    QString tlsProtocol; // filled by the client from the connection, e.g. "TLS 1.3"
};

// GET /v1/windows?zone=&from=&to= (the client pages through the result).
struct WindowQuery {
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    QString zone;      // empty = every zone
};

// GET/PUT /v1/zones (zones, lines, calibration and audience settings are one document).
struct ZonesDocument {
    core::ZoneConfig config;
    QString calibrationVersion;
};

// One row of GET /v1/keys. Never contains a secret.
struct ApiKeyInfo {
    QString keyId;
    QString label;
    api::Scopes scopes;
    api::Tier tier = api::Tier::Free;
    qint64 createdAtMs = 0;
    std::optional<qint64> lastUsedAtMs;
    std::optional<qint64> expiresAtMs;
    std::optional<qint64> previousSecretValidUntilMs; // during a rotation overlap
    std::optional<qint64> revokedAtMs;
    bool operator==(const ApiKeyInfo &) const = default;
};

// POST /v1/keys.
struct NewKeyRequest {
    QString label;
    api::Scopes scopes;
    api::Tier tier = api::Tier::Free;
    std::optional<qint64> expiresAtMs;
};

// The answer to create and rotate: the token is shown once and never stored by the console.
struct IssuedKey {
    ApiKeyInfo info;
    QString token;
};

// GET /v1/audit and /v1/audit/export.
struct AuditQuery {
    qint64 fromMs = 0; // inclusive; 0 = from the beginning
    qint64 toMs = 0;   // exclusive; 0 = until now
    QString actor;     // exact key id / "cli" / "system"; empty = any
    QString action;    // prefix, e.g. "key." or "key.create"; empty = any
};

enum class AuditExportFormat { JsonLines, Csv };

// One frame of the anonymised overlay (/v1/overlay) with the live occupancy of each zone.
struct OverlayFrame {
    QImage image;
    qint64 timestampMs = 0;
    QMap<QString, int> occupancyByZone;
};

// What a TLS handshake with an unknown device showed, before any trust decision.
struct PeerIdentity {
    QList<QSslCertificate> chain; // leaf first
    QString tlsProtocol;          // "TLS 1.3"
};

} // namespace signiq::console
