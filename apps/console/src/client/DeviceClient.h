#pragma once

#include "protocol/AuditChain.h"
#include "client/DeviceTypes.h"
#include "client/OverlayStream.h"
#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QByteArray>
#include <QFuture>
#include <QList>
#include <QString>

#include <memory>

namespace signiq::console {

// Everything the console asks one device, over the /v1 API (docs/api.md). One instance per
// device connection; it is used from the GUI thread only, and every call returns at once with
// a future that completes later (continue it with QFuture::then(context, ...)).
//
// Errors are core::Error values; implementations map transport and HTTP failures like this
// (ErrorText::forDevice() turns them into translated sentences):
//   network unreachable, timeout, connection reset, 429 (busy) -> Io
//   certificate not trusted or changed                         -> Corrupt
//   401 unknown/revoked key, 403 missing scope                 -> PermissionDenied
//   404                                                        -> NotFound
//   400/409/413/415/422 (the device rejected the input)        -> InvalidArgument (device message)
//   malformed JSON or unexpected shape in a response           -> Parse
//   device API version this console does not speak             -> Unsupported
//   5xx                                                        -> Internal
class DeviceClient {
public:
    template <typename T>
    using Reply = QFuture<core::Result<T>>;

    virtual ~DeviceClient() = default;

    // GET /v1/health
    virtual Reply<DeviceHealth> health() = 0;
    // GET /v1/windows (paged until complete; analytics scope)
    virtual Reply<QList<core::AudienceWindow>> windows(const WindowQuery &query) = 0;
    // Demographic windows of the same range (analytics scope). Only what the device returns:
    // cells under k arrive suppressed.
    virtual Reply<QList<core::DemographicWindow>> demographicWindows(const WindowQuery &query) = 0;
    // GET /v1/zones
    virtual Reply<ZonesDocument> zones() = 0;
    // PUT /v1/zones (write scope): validated by the device; the answer is the new
    // calibration_version.
    virtual Reply<QString> putZones(const core::ZoneConfig &config) = 0;
    // GET /v1/keys, POST /v1/keys, POST /v1/keys/{id}/rotate, DELETE /v1/keys/{id} (admin)
    virtual Reply<QList<ApiKeyInfo>> keys() = 0;
    virtual Reply<IssuedKey> createKey(const NewKeyRequest &request) = 0;
    // overlapDays 0..7: how long the previous secret stays valid.
    virtual Reply<IssuedKey> rotateKey(const QString &keyId, int overlapDays) = 0;
    virtual Reply<bool> revokeKey(const QString &keyId) = 0;
    // GET /v1/audit (admin) and GET /v1/audit/export (export): the export is the device's file,
    // with the hash chain, for the time range of the query (actor/action are not applied, so
    // that the slice stays verifiable).
    virtual Reply<QList<protocol::AuditEntry>> audit(const AuditQuery &query) = 0;
    virtual Reply<QByteArray> exportAudit(const AuditQuery &query, AuditExportFormat format) = 0;
    // GET /v1/overlay (calibrate scope): a live session; frames arrive on the returned object.
    virtual std::unique_ptr<OverlayStream> openOverlay() = 0;
};

} // namespace signiq::console
