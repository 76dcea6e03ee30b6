#include "hub/SyncIngest.h"

#include "hub/Database.h"
#include "hub/HubLog.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookDeliveryQueue.h"
#include "hub/WindowRepository.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdlib>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

QString fingerprintHex(const crypto::Certificate &certificate)
{
    return QString::fromLatin1(certificate.sha256Fingerprint().toHex());
}

// The webhook events of one stored batch, in its transaction (aggregates only, like the windows).
core::Status queueSyncEvents(Transaction &tx, const SyncDevice &device, const protocol::SyncBatch &batch,
                             const QList<core::AudienceWindow> &audience, const std::optional<QUuid> &site,
                             const std::optional<qint64> &lastSeenMs, qint64 receivedAt, qint64 onlineThresholdMs)
{
    const QJsonValue siteValue = site ? QJsonValue(site->toString(QUuid::WithoutBraces)) : QJsonValue(QJsonValue::Null);
    const QString deviceId = device.deviceId.toString(QUuid::WithoutBraces);
    if (!lastSeenMs || receivedAt - *lastSeenMs > onlineThresholdMs) {
        const QJsonObject data{{QStringLiteral("device_id"), deviceId},
                               {QStringLiteral("site_id"), siteValue},
                               {QStringLiteral("seen_at"), protocol::isoTime(receivedAt)},
                               {QStringLiteral("last_seen_at"), lastSeenMs ? QJsonValue(protocol::isoTime(*lastSeenMs)) : QJsonValue(QJsonValue::Null)}};
        auto queued = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("device.online"),
                                                         WebhookDeliveryQueue::eventPayload(QStringLiteral("device.online"), receivedAt, data),
                                                         receivedAt, site);
        if (!queued)
            return queued.error();
    }
    if (audience.isEmpty())
        return {};
    QJsonArray windows;
    for (const core::AudienceWindow &w : audience)
        windows.append(QJsonObject{{QStringLiteral("zone"), w.zone},
                                   {QStringLiteral("start"), protocol::isoTime(w.startMs)},
                                   {QStringLiteral("end"), protocol::isoTime(w.endMs)},
                                   {QStringLiteral("ots"), w.ots},
                                   {QStringLiteral("entries"), w.entries},
                                   {QStringLiteral("exits"), w.exits},
                                   {QStringLiteral("peak_occupancy"), w.peakOccupancy},
                                   {QStringLiteral("viewers"), w.viewers},
                                   {QStringLiteral("attention_time_s"), w.attentionTimeS},
                                   {QStringLiteral("confidence"), w.confidence}});
    QJsonObject data{{QStringLiteral("device_id"), deviceId},
                     {QStringLiteral("site_id"), siteValue},
                     {QStringLiteral("batch_id"), batch.batchId},
                     {QStringLiteral("window_count"), int(audience.size())},
                     {QStringLiteral("windows"), windows}};
    QByteArray payload = WebhookDeliveryQueue::eventPayload(QStringLiteral("audience.window"), receivedAt, data);
    if (payload.size() > 200 * 1024) { // under the queue's 256 KiB: the counts only, said so
        data.remove(QStringLiteral("windows"));
        data.insert(QStringLiteral("truncated"), true);
        payload = WebhookDeliveryQueue::eventPayload(QStringLiteral("audience.window"), receivedAt, data);
    }
    auto queued = WebhookDeliveryQueue::enqueueEvent(tx, QStringLiteral("audience.window"), payload, receivedAt, site);
    if (!queued)
        return queued.error();
    return {};
}

} // namespace

SyncIngest::SyncIngest(Database &db, const core::Clock &clock, SyncIngestSettings settings)
    : m_db(db), m_clock(clock), m_settings(settings)
{
}

core::Result<QList<crypto::Certificate>> SyncIngest::trustAnchors()
{
    return m_db.maintenance([&](Transaction &tx) -> core::Result<QList<crypto::Certificate>> {
        auto q = tx.exec(QStringLiteral("SELECT pem FROM signiq.sync_trust_anchors() AS pem"));
        if (!q)
            return q.error();
        QList<crypto::Certificate> anchors;
        while (q->next()) {
            auto ca = crypto::Certificate::fromPem(q->value(0).toString().toUtf8());
            if (!ca)
                return makeError(ErrorCode::Corrupt, QStringLiteral("a registered deployment CA does not parse: %1").arg(ca.error().message));
            anchors.append(std::move(*ca));
        }
        return anchors;
    });
}

core::Status SyncIngest::registerDeploymentCa(const QUuid &org, const crypto::Certificate &ca)
{
    if (!ca.isCa())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a CA certificate").arg(ca.subjectCommonName()));
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Status {
        if (core::Status known = requireOrganisation(tx); !known)
            return known;
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.deployment_cas (org_id, fingerprint, certificate_pem) VALUES (?, ?, ?) "
                                        "ON CONFLICT (org_id, fingerprint) DO NOTHING"),
                         {uuidParam(org), fingerprintHex(ca), QString::fromLatin1(ca.toPem())});
        if (!q)
            return q.error();
        return {};
    });
}

core::Status SyncIngest::revokeCertificate(const QUuid &org, const crypto::Certificate &ca, const QString &serialHex)
{
    auto serial = crypto::canonicalSerialHex(serialHex);
    if (!serial)
        return serial.error();
    return m_db.inOrg(org, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral("INSERT INTO signiq.revoked_certificates (org_id, fingerprint, serial) VALUES (?, ?, ?) "
                                        "ON CONFLICT DO NOTHING"),
                         {uuidParam(org), fingerprintHex(ca), serial->toLower()});
        if (!q)
            return q.error();
        return {};
    });
}

core::Result<SyncDevice> SyncIngest::identify(const crypto::Certificate &peer, const QList<crypto::Certificate> &anchors)
{
    const qint64 now = m_clock.nowMs();
    QStringList reasons;
    for (const crypto::Certificate &anchor : anchors) {
        const core::Status verified = crypto::verifyChain(peer, {anchor}, crypto::VerifyOptions(now));
        if (!verified) {
            reasons << verified.error().message;
            continue;
        }
        const QString fingerprint = fingerprintHex(anchor);
        auto orgs = m_db.maintenance([&](Transaction &tx) -> core::Result<QList<QUuid>> {
            auto q = tx.exec(QStringLiteral("SELECT org FROM signiq.sync_ca_orgs(?) AS org"), {fingerprint});
            if (!q)
                return q.error();
            QList<QUuid> out;
            while (q->next())
                out.append(uuidValue(q->value(0)));
            return out;
        });
        if (!orgs)
            return orgs.error();
        for (const QUuid &org : *orgs) {
            // In the organisation's own transaction: RLS decides what is visible.
            auto device = m_db.inOrg(org, [&](Transaction &tx) -> core::Result<std::optional<QUuid>> {
                auto q = tx.exec(QStringLiteral("SELECT d.device_id FROM signiq.devices AS d WHERE d.org_id = ? AND lower(d.certificate_serial) = ? "
                                                "AND NOT EXISTS (SELECT 1 FROM signiq.revoked_certificates AS r WHERE r.org_id = d.org_id "
                                                "AND r.fingerprint = ? AND r.serial = lower(d.certificate_serial))"),
                                 {uuidParam(org), peer.serialHex().toLower(), fingerprint});
                if (!q)
                    return q.error();
                if (!q->next())
                    return std::optional<QUuid>();
                return std::optional<QUuid>(uuidValue(q->value(0)));
            });
            if (!device)
                return device.error();
            if (*device)
                return SyncDevice{org, **device};
        }
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("certificate %1 ('%2') is not a registered device of its CA's organisation, or it is revoked")
                             .arg(peer.serialHex(), peer.subjectCommonName()));
    }
    return makeError(ErrorCode::PermissionDenied, QStringLiteral("certificate %1 ('%2') was not issued by a registered deployment CA%3")
                                                      .arg(peer.serialHex(), peer.subjectCommonName(),
                                                           reasons.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(reasons.first())));
}

core::Status SyncIngest::checkTimes(const protocol::SyncBatch &batch) const
{
    const qint64 limit = m_clock.nowMs() + m_settings.maxFutureMs;
    if (batch.sentAtMs > limit)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("sent_at %1 is more than %2 s ahead of the hub's clock")
                                                         .arg(batch.sentAtMs).arg(m_settings.maxFutureMs / 1000));
    for (const core::AudienceWindow &w : batch.audience) {
        if (w.endMs > limit)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("audience window (zone '%1', start_ms %2) ends more than "
                                                                        "%3 s ahead of the hub's clock")
                                                             .arg(w.zone).arg(w.startMs).arg(m_settings.maxFutureMs / 1000));
    }
    for (const core::DemographicWindow &w : batch.demographics) {
        if (w.endMs > limit)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("demographic window (zone '%1', start_ms %2) ends more "
                                                                        "than %3 s ahead of the hub's clock")
                                                             .arg(w.zone).arg(w.startMs).arg(m_settings.maxFutureMs / 1000));
    }
    return {};
}

core::Result<protocol::SyncAck> SyncIngest::ingest(const SyncDevice &device, const protocol::SyncBatch &batch)
{
    const qint64 receivedAt = m_clock.nowMs();
    const qint64 skew = batch.sentAtMs - receivedAt;
    const bool skewed = std::llabs(skew) > m_settings.clockSkewThresholdMs;
    auto result = m_db.inOrg(device.orgId, [&](Transaction &tx) -> core::Result<protocol::SyncAck> {
        protocol::SyncAck ack{batch.batchId, false, int(batch.audience.size()), int(batch.demographics.size()), receivedAt, skew, skewed};
        auto ledger = tx.exec(QStringLiteral("INSERT INTO signiq.sync_batches (org_id, device_id, batch_id, device_sent_at, received_at, "
                                             "clock_skew_ms, audience_windows, demographic_windows) VALUES (?, ?, CAST(? AS uuid), ")
                                  + msToSql() + QStringLiteral(", ") + msToSql()
                                  + QStringLiteral(", ?, ?, ?) ON CONFLICT (org_id, device_id, batch_id) DO NOTHING"),
                              {uuidParam(device.orgId), uuidParam(device.deviceId), batch.batchId, batch.sentAtMs, receivedAt, skew,
                               ack.audienceWindows, ack.demographicWindows});
        if (!ledger)
            return ledger.error();
        if (ledger->numRowsAffected() == 0) {
            // Already committed once: answer as then, store nothing.
            auto first = tx.exec(QStringLiteral("SELECT audience_windows, demographic_windows, ") + sqlToMs(QStringLiteral("received_at"))
                                     + QStringLiteral(", clock_skew_ms FROM signiq.sync_batches "
                                                      "WHERE org_id = ? AND device_id = ? AND batch_id = CAST(? AS uuid)"),
                                 {uuidParam(device.orgId), uuidParam(device.deviceId), batch.batchId});
            if (!first)
                return first.error();
            if (!first->next())
                return makeError(ErrorCode::Internal, QStringLiteral("batch %1: the ledger row vanished").arg(batch.batchId));
            ack.duplicate = true;
            ack.audienceWindows = first->value(0).toInt();
            ack.demographicWindows = first->value(1).toInt();
            ack.receivedAtMs = first->value(2).toLongLong();
            ack.clockSkewMs = first->value(3).toLongLong();
            ack.clockSkewed = std::llabs(ack.clockSkewMs) > m_settings.clockSkewThresholdMs;
            return ack;
        }
        QList<core::AudienceWindow> audience = batch.audience;
        if (skewed) {
            for (core::AudienceWindow &w : audience)
                w.qualityFlags |= core::QualityClockSkew;
        }
        if (auto stored = WindowRepository::insertAudience(tx, device.deviceId, audience); !stored)
            return stored.error();
        if (auto stored = WindowRepository::insertDemographic(tx, device.deviceId, batch.demographics); !stored)
            return stored.error();
        auto before = tx.exec(QStringLiteral("SELECT ") + sqlToMs(QStringLiteral("last_seen_at"))
                                  + QStringLiteral(", site_id FROM signiq.devices WHERE org_id = ? AND device_id = ? FOR UPDATE"),
                              {uuidParam(device.orgId), uuidParam(device.deviceId)});
        if (!before)
            return before.error();
        std::optional<qint64> lastSeen;
        std::optional<QUuid> site;
        if (before->next()) {
            lastSeen = optionalMsValue(before->value(0));
            site = optionalUuidValue(before->value(1));
        }
        auto seen = tx.exec(QStringLiteral("UPDATE signiq.devices SET last_seen_at = ") + msToSql()
                                + QStringLiteral(", clock_skew_ms = ? WHERE org_id = ? AND device_id = ?"),
                            {receivedAt, skew, uuidParam(device.orgId), uuidParam(device.deviceId)});
        if (!seen)
            return seen.error();
        if (core::Status queued = queueSyncEvents(tx, device, batch, audience, site, lastSeen, receivedAt, m_settings.onlineThresholdMs);
            !queued)
            return queued.error();
        return ack;
    });
    if (result && !result->duplicate)
        qCInfo(lcHub) << "sync: stored batch" << batch.batchId << "of device" << device.deviceId.toString(QUuid::WithoutBraces) << "("
                      << result->audienceWindows << "audience," << result->demographicWindows << "demographic windows, clock skew"
                      << skew << "ms)";
    return result;
}

} // namespace signiq::hub
