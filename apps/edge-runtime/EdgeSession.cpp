#include "EdgeSession.h"

#include "core/Clock.h"
#include "core/Credentials.h"
#include "crypto/Random.h"
#include "storage/ConfigRepository.h"
#include "storage/KeyFile.h"
#include "pipeline/EdgePipeline.h"
#include "pipeline/PipelineBuilder.h"
#include "storage/SyncOutbox.h"
#include "vision/models/ModelStore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

namespace signiq::edge {

using core::ErrorCode;
using core::makeError;

namespace {
const QString kDb = QStringLiteral("db");
const QString kKeyFile = QStringLiteral("key-file");
const QString kInitKey = QStringLiteral("init-key");
const QString kModelsDir = QStringLiteral("models-dir");
} // namespace

void EdgeSessionOptions::addOptions(QCommandLineParser &parser)
{
    parser.addOption({kDb, QStringLiteral("Encrypted database file (created if missing)."), QStringLiteral("FILE")});
    parser.addOption({kKeyFile, QStringLiteral("Database key file: 64 hex characters or 32 bytes, mode 0600."),
                      QStringLiteral("FILE")});
    parser.addOption({kInitKey, QStringLiteral("Create the key file with a new random key if it does not exist.")});
    parser.addOption({kModelsDir,
                      QStringLiteral("Model directory (default: $SIGNIQ_MODELS_DIR or %1).").arg(vision::ModelStore::defaultDirectory()),
                      QStringLiteral("DIR")});
}

core::Result<EdgeSessionOptions> EdgeSessionOptions::fromParser(const QCommandLineParser &parser)
{
    EdgeSessionOptions o;
    o.dbPath = parser.value(kDb);
    o.keyFile = parser.value(kKeyFile);
    if (o.keyFile.isEmpty())
        o.keyFile = core::credentialFile(QStringLiteral("db.key")); // systemd LoadCredential=db.key:...
    o.initKey = parser.isSet(kInitKey);
    o.modelsDir = parser.value(kModelsDir);
    if (o.dbPath.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("--db FILE is required (the encrypted database)"));
    if (o.keyFile.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--key-file FILE (or the systemd credential db.key) is required (create one with: signiq-edge init-key FILE)"));
    return o;
}

EdgeSession::EdgeSession(EdgeSessionOptions options, storage::EncryptedDatabase db)
    : m_options(std::move(options))
    , m_db(std::move(db))
{
}

core::Result<EdgeSession> EdgeSession::open(const EdgeSessionOptions &options)
{
    // Fail loudly if this process talks to plain SQLite instead of SQLCipher.
    if (auto version = storage::EncryptedDatabase::selfCheck(); !version)
        return version.error();

    if (options.initKey && !QFileInfo::exists(options.keyFile)) {
        if (auto created = storage::KeyFile::generate(options.keyFile); !created)
            return created.error();
    }
    auto key = storage::KeyFile::load(options.keyFile);
    if (!key)
        return key.error();
    auto db = storage::EncryptedDatabase::open(options.dbPath, *key, QStringLiteral("signiq-edge"));
    crypto::secureZero(*key);
    if (!db)
        return db.error();
    return EdgeSession(options, std::move(db).value());
}

core::Result<core::ZoneConfig> EdgeSession::importZoneConfig(const QString &file)
{
    // Read (size-limited) and validated; errors name the file and the JSON path.
    auto config = core::ZoneConfig::fromFile(file);
    if (!config)
        return makeError(config.error().code, QStringLiteral("zone configuration %1").arg(config.error().message));
    const core::SystemClock clock;
    storage::ConfigRepository repo(m_db, clock);
    if (auto saved = repo.saveZoneConfig(config->toJson(), config->version()); !saved)
        return saved.error();
    return config;
}

core::Result<core::ZoneConfig> EdgeSession::currentZoneConfig()
{
    const core::SystemClock clock;
    storage::ConfigRepository repo(m_db, clock);
    auto stored = repo.currentZoneConfig();
    if (!stored)
        return stored.error();
    if (!stored->has_value())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no zone configuration stored in %1; import one with --config zones.json")
                             .arg(m_options.dbPath));
    auto config = core::ZoneConfig::fromJson((*stored)->json);
    if (!config)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("the zone configuration stored in %1 is invalid (%2); import a new one with --config")
                             .arg(m_options.dbPath, config.error().message));
    return config;
}

core::Result<std::unique_ptr<pipeline::EdgePipeline>> EdgeSession::preparePipeline(const RunSettings &settings)
{
    auto zones = settings.configFile.isEmpty() ? currentZoneConfig() : importZoneConfig(settings.configFile);
    if (!zones)
        return zones.error();

    pipeline::PipelineSettings pipelineSettings;
    pipelineSettings.source = settings.source;
    pipelineSettings.modelsDir = m_options.modelsDir;
    pipelineSettings.requireFileSource = settings.once;
    pipelineSettings.realtime = settings.realtime;
    pipelineSettings.startTimeMs = settings.startTimeMs;
    pipelineSettings.detector.model = settings.model;
    pipelineSettings.detector.scoreThreshold = settings.scoreThreshold;
    pipelineSettings.detectEvery = settings.detectEvery;
    pipelineSettings.faces = settings.faces;
    auto built = pipeline::buildPipeline(*zones, pipelineSettings);
    if (!built)
        return built.error();
    m_modelVersion = built->modelVersion;
    m_calibrationVersion = built->calibrationVersion;
    m_zones = *zones;
    return std::move(built->pipeline);
}

core::Result<storage::EncryptedDatabase> EdgeSession::openWorkerDatabase(const QString &connectionName) const
{
    auto key = storage::KeyFile::load(m_options.keyFile);
    if (!key)
        return key.error();
    auto db = storage::EncryptedDatabase::open(m_options.dbPath, *key, connectionName);
    crypto::secureZero(*key);
    return db;
}

void EdgeSession::setStoreSinks(pipeline::EdgePipeline &pipeline, storage::SyncOutbox &outbox)
{
    // Each window close and its sync outbox rows in one transaction (docs/sync.md).
    pipeline.setWindowSink([&outbox](const QList<core::AudienceWindow> &windows) { return outbox.storeWindows(windows); });
    pipeline.setDemographicSink([&outbox](const QList<core::DemographicWindow> &windows) {
        return outbox.storeDemographics(windows);
    });
}

} // namespace signiq::edge
