#pragma once

#include "protocol/Health.h"
#include "protocol/Keys.h"
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

// GET /v1/health (protocol::HealthRecord: no key needed, no counts) and the TLS version the
// console saw on the connection.
struct DeviceHealth : protocol::HealthRecord {
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

// The key types are the protocol's (libs/protocol/Keys.h): a row of GET /v1/keys (never a
// secret), the body of POST /v1/keys, and the answer to create and rotate (the token is shown
// once and never stored by the console).
using ApiKeyInfo = protocol::KeyInfo;
using NewKeyRequest = protocol::KeyRequest;
using IssuedKey = protocol::IssuedKey;

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
