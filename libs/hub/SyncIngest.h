#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "crypto/Certificate.h"
#include "protocol/SyncBatch.h"

#include <QList>
#include <QUuid>

namespace signiq::hub {

class Database;

// The device a verified client certificate belongs to.
struct SyncDevice {
    QUuid orgId;
    QUuid deviceId;
    bool operator==(const SyncDevice &) const = default;
};

struct SyncIngestSettings {
    qint64 clockSkewThresholdMs = 2 * 60 * 1000; // |sent_at - received| above: windows flagged clock_skew
    qint64 maxFutureMs = 24 * 60 * 60 * 1000;    // sent_at or a window's end beyond hub time + this: refused
    // A batch from a device not seen for longer than this (or never) queues device.online
    // (the same threshold as GET /v1/devices' status).
    qint64 onlineThresholdMs = 5 * 60 * 1000;
};

// The hub side of sync (docs/sync.md): which device a client certificate is, and storing one
// batch exactly once.
class SyncIngest {
public:
    SyncIngest(Database &db, const core::Clock &clock, SyncIngestSettings settings = {});

    // Every registered deployment CA: the trust anchors of the sync listener.
    [[nodiscard]] core::Result<QList<crypto::Certificate>> trustAnchors();
    // Registers `ca` (a CA certificate) as a deployment CA of `org`. InvalidArgument for a
    // certificate that is not a CA.
    [[nodiscard]] core::Status registerDeploymentCa(const QUuid &org, const crypto::Certificate &ca);
    // Revokes the device certificate `serialHex` issued by `ca` for `org`.
    [[nodiscard]] core::Status revokeCertificate(const QUuid &org, const crypto::Certificate &ca, const QString &serialHex);

    // The organisation and device of `peer`: it must verify (chain, validity at the clock's time)
    // against one of `anchors`, that CA must be registered, the serial registered as a device of
    // that CA's organisation, and not revoked. PermissionDenied otherwise, saying which.
    [[nodiscard]] core::Result<SyncDevice> identify(const crypto::Certificate &peer, const QList<crypto::Certificate> &anchors);

    // InvalidArgument (answered 422 batch_in_future) when sent_at or a window's end is more than
    // maxFutureMs ahead of the hub's clock.
    [[nodiscard]] core::Status checkTimes(const protocol::SyncBatch &batch) const;

    // Stores the batch's windows and its ledger row (org, device, batch id, device sent_at,
    // hub receive time, clock skew) in ONE transaction, as the device's organisation; the answer
    // is returned after the commit. A batch id this device already sent: nothing is inserted,
    // the answer is the first one's with duplicate = true. Audience windows of a batch whose
    // skew exceeds the threshold are stored with the quality flag clock_skew; the device's
    // last_seen_at and clock_skew_ms are updated. In the same transaction it queues the webhook
    // events the batch causes (docs/webhooks.md): audience.window (the batch's audience windows,
    // aggregates only) and device.online when the device had not been seen for
    // onlineThresholdMs (or ever), both about the device's site.
    [[nodiscard]] core::Result<protocol::SyncAck> ingest(const SyncDevice &device, const protocol::SyncBatch &batch);

private:
    Database &m_db;
    const core::Clock &m_clock;
    SyncIngestSettings m_settings;
};

} // namespace signiq::hub
