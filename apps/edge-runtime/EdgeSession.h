#pragma once

#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "storage/EncryptedDatabase.h"

#include <QString>

#include <memory>

class QCommandLineParser;

namespace signiq::pipeline {
class EdgePipeline;
}
namespace signiq::storage {
class SyncOutbox;
}

namespace signiq::edge {

// Options every command that opens the encrypted store shares.
struct EdgeSessionOptions {
    QString dbPath;
    QString keyFile;
    bool initKey = false; // create the key file if it does not exist
    QString modelsDir;    // empty = default model directory

    static void addOptions(QCommandLineParser &parser);
    static core::Result<EdgeSessionOptions> fromParser(const QCommandLineParser &parser);
};

// What `run` was asked to do.
struct RunSettings {
    QString source;
    QString configFile; // import this zones.json first (optional)
    bool once = false;
    bool realtime = false;
    QString reportFile;
    QString model;               // empty: the zone configuration's detector.model
    int detectEvery = 1; // 0 = adaptive
    bool faces = true;   // face analysis: attention (and demographics when the config enables them)
    float scoreThreshold = 0.f;  // 0: the zone configuration's detector.score_threshold
    qint64 startTimeMs = 0;
    qint64 outboxCapacity = 50'000; // storage::SyncOutbox::DefaultCapacity
};

// The opened device state: SQLCipher self-check passed, key read, database open and migrated.
class EdgeSession {
public:
    static core::Result<EdgeSession> open(const EdgeSessionOptions &options);

    storage::EncryptedDatabase &database() { return m_db; }

    // Imports `file` (validated) as the current zone configuration.
    core::Result<core::ZoneConfig> importZoneConfig(const QString &file);
    // The stored zone configuration; NotFound when none was ever imported.
    core::Result<core::ZoneConfig> currentZoneConfig();

    // Source, model and zones (pipeline::buildPipeline). The window sinks are NOT set: the pipeline runs on a worker
    // thread, which opens its own connection (openWorkerDatabase) and sets them there.
    core::Result<std::unique_ptr<pipeline::EdgePipeline>> preparePipeline(const RunSettings &settings);
    // Versions of the pipeline preparePipeline() built (for /v1/health and the summary).
    QString preparedModelVersion() const { return m_modelVersion; }
    QString preparedCalibrationVersion() const { return m_calibrationVersion; }
    const core::ZoneConfig &preparedZones() const { return m_zones; }
    const EdgeSessionOptions &options() const { return m_options; }

    // A second connection to the same database (the key file is read again), for the thread
    // that calls it: QSqlDatabase connections belong to one thread; WAL lets them work side by
    // side.
    core::Result<storage::EncryptedDatabase> openWorkerDatabase(const QString &connectionName) const;
    // Stores every closed window batch with its sync outbox rows in one transaction through
    // `outbox` (on the worker's connection); `outbox` must outlive the pipeline's run.
    static void setStoreSinks(pipeline::EdgePipeline &pipeline, storage::SyncOutbox &outbox);

private:
    EdgeSession(EdgeSessionOptions options, storage::EncryptedDatabase db);

    EdgeSessionOptions m_options;
    storage::EncryptedDatabase m_db;
    QString m_modelVersion;
    QString m_calibrationVersion;
    core::ZoneConfig m_zones;
};

} // namespace signiq::edge
