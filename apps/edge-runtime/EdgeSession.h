#pragma once

#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "storage/EncryptedDatabase.h"

#include <QString>

#include <memory>

class QCommandLineParser;

namespace signiq::vision {
class EdgePipeline;
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
    QString model = QStringLiteral("yolo-fastest-1.1-body");
    int detectEvery = 1; // 0 = adaptive
    bool faces = true;   // face analysis: attention (and demographics when the config enables them)
    float scoreThreshold = 0.4f;
    qint64 startTimeMs = 0;
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

    // Source, model, zones and a sink that stores every closed window in one transaction.
    core::Result<std::unique_ptr<vision::EdgePipeline>> preparePipeline(const RunSettings &settings);

private:
    EdgeSession(EdgeSessionOptions options, storage::EncryptedDatabase db);

    EdgeSessionOptions m_options;
    storage::EncryptedDatabase m_db;
};

} // namespace signiq::edge
