#pragma once

#include "core/Result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace signiq::protocol {

// The sync part of /v1/health (docs/sync.md): the outbox as storage::SyncOutbox::status() reads it.
struct SyncHealth {
    qint64 outboxDepth = 0;                // windows waiting to be sent
    std::optional<qint64> oldestUnsentMs;  // start of the oldest of them
    qint64 poisonedWindows = 0;            // in batches the hub refused (set aside)
    qint64 droppedWindows = 0;             // dropped from the full outbox (flagged sync_dropped)
    std::optional<qint64> lastSuccessMs;   // the hub's last acknowledgement
    QString lastError;
    std::optional<qint64> lastErrorMs;
    bool operator==(const SyncHealth &) const = default;
};

// GET /v1/health: what a device says about itself — no key needed, no counts. The one type
// for it: the edge runtime fills the pipeline part, the server adds the rest, the console and
// the hub read it.
struct HealthRecord {
    QString status = QStringLiteral("ok"); // "starting", "ok", "stopping", "stopped", "failed"
    QString version;                       // the program's version
    double uptimeS = 0.0;
    double pipelineFps = 0.0;
    qint64 framesProcessed = 0;
    std::optional<double> captureToReleaseP50Ms;
    std::optional<double> captureToReleaseP99Ms;
    QString modelVersion;
    QString calibrationVersion;       // of the configuration the pipeline counts with now
    QString storedCalibrationVersion; // of the stored configuration
    bool configPending = false;       // stored but not yet switched to
    bool restartRequired = false;     // stored, and only a restart applies it
    std::optional<SyncHealth> sync;   // empty: not known (JSON null)

    QJsonObject toJson() const;
    static core::Result<HealthRecord> fromJson(const QJsonObject &object);
    bool operator==(const HealthRecord &) const = default;
};

} // namespace signiq::protocol
