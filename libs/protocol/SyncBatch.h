#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUuid>

#include <optional>

namespace signiq::protocol {

// One batch an edge sends to the hub: POST /v1/sync/batches (docs/sync.md). The hub takes the
// device and its organisation from the client certificate, never from here; a batch may name
// its device_id (a consistency check only: another device's id is refused with 403).
//   {"batch_id": "<uuid>", "sent_at": "<ISO 8601, device clock>", ["device_id": "<uuid>",]
//    "audience_windows": [AudienceWindow...], "demographic_windows": [DemographicWindow...]}
struct SyncBatch {
    static constexpr int MaxWindows = 1000;             // audience + demographic
    static constexpr qint64 MaxBodyBytes = 4 * 1024 * 1024; // the sync listener's body limit

    QString batchId; // a UUID, lower case, without braces
    qint64 sentAtMs = 0;
    std::optional<QUuid> deviceId; // optional claim, checked against the certificate
    QList<core::AudienceWindow> audience;
    QList<core::DemographicWindow> demographics;

    qsizetype size() const { return audience.size() + demographics.size(); }
    QJsonObject toJson() const;
    QByteArray toBody() const; // compact JSON
    // Strict (protocol::strictjson): unknown keys, repeated keys, a bad id or time, more than
    // MaxWindows windows, a window that does not parse are InvalidArgument/Parse errors that
    // name the field ("audience_windows[3]: ...").
    static core::Result<SyncBatch> fromBody(const QByteArray &body);
};

// The hub's answer after its transaction committed (200). `duplicate`: the hub had already
// committed this batch id from this device; nothing was inserted this time.
struct SyncAck {
    QString batchId;
    bool duplicate = false;
    int audienceWindows = 0;
    int demographicWindows = 0;
    qint64 receivedAtMs = 0; // hub clock
    qint64 clockSkewMs = 0;  // sent_at - received_at (device ahead: positive)
    bool clockSkewed = false; // |skew| above the hub's threshold: the windows were flagged clock_skew

    QJsonObject toJson() const;
    static core::Result<SyncAck> fromJson(const QJsonObject &object);
    bool operator==(const SyncAck &) const = default;
};

} // namespace signiq::protocol
