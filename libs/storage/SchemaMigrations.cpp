#include "storage/SchemaMigrations.h"

#include "storage/StorageLog.h"

#include <QSqlError>
#include <QSqlQuery>

#include <array>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

struct Migration {
    int version;
    const char *description;
    std::array<const char *, 10> statements; // unused slots are nullptr
};

// Append-only: never edit a step that has shipped; add a new one.
const std::array<Migration, 8> kMigrations = {{
    {1, "audience windows",
     {R"sql(
CREATE TABLE audience_windows (
    id                  INTEGER PRIMARY KEY,
    zone                TEXT    NOT NULL,
    start_ms            INTEGER NOT NULL,
    end_ms              INTEGER NOT NULL,
    ots                 INTEGER NOT NULL DEFAULT 0,
    entries             INTEGER NOT NULL DEFAULT 0,
    exits               INTEGER NOT NULL DEFAULT 0,
    mean_occupancy      REAL    NOT NULL DEFAULT 0,
    peak_occupancy      INTEGER NOT NULL DEFAULT 0,
    dwell_0_5           INTEGER NOT NULL DEFAULT 0,
    dwell_5_15          INTEGER NOT NULL DEFAULT 0,
    dwell_15_30         INTEGER NOT NULL DEFAULT 0,
    dwell_30_60         INTEGER NOT NULL DEFAULT 0,
    dwell_60_plus       INTEGER NOT NULL DEFAULT 0,
    mean_dwell_s        REAL    NOT NULL DEFAULT 0,
    line_in             INTEGER NOT NULL DEFAULT 0,
    line_out            INTEGER NOT NULL DEFAULT 0,
    transitions_json    TEXT    NOT NULL DEFAULT '{}',
    confidence          REAL    NOT NULL DEFAULT 0,
    quality_flags       INTEGER NOT NULL DEFAULT 0,
    model_version       TEXT    NOT NULL DEFAULT '',
    calibration_version TEXT    NOT NULL DEFAULT '',
    CHECK (end_ms > start_ms),
    UNIQUE (zone, start_ms)
))sql"}},
    {2, "zone configurations",
     {R"sql(
CREATE TABLE zone_configs (
    version        TEXT PRIMARY KEY,
    json           BLOB NOT NULL,
    imported_at_ms INTEGER NOT NULL,
    is_current     INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
))sql",
      "CREATE UNIQUE INDEX zone_configs_one_current ON zone_configs (is_current) WHERE is_current = 1"}},
    // (zone, start_ms) is already indexed by the UNIQUE constraint of version 1.
    {3, "time-range index over all zones",
     {"CREATE INDEX audience_windows_start_ms ON audience_windows (start_ms)"}},
    // Attention, walking speed and distance bands per window; k-suppressed demographic
    // histograms. A suppressed cell is NULL, and the CHECKs refuse any shown cell under k.
    {4, "attention metrics and demographic windows",
     {"ALTER TABLE audience_windows ADD COLUMN viewers INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE audience_windows ADD COLUMN attention_events INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE audience_windows ADD COLUMN attention_time_s REAL NOT NULL DEFAULT 0",
      "ALTER TABLE audience_windows ADD COLUMN mean_attention_s REAL NOT NULL DEFAULT 0",
      "ALTER TABLE audience_windows ADD COLUMN attention_rate REAL NOT NULL DEFAULT 0",
      "ALTER TABLE audience_windows ADD COLUMN mean_speed_mps REAL",
      "ALTER TABLE audience_windows ADD COLUMN distance_bands_json TEXT NOT NULL DEFAULT '[]'",
      R"sql(
CREATE TABLE demographic_windows (
    id                  INTEGER PRIMARY KEY,
    zone                TEXT    NOT NULL,
    start_ms            INTEGER NOT NULL,
    end_ms              INTEGER NOT NULL,
    k                   INTEGER NOT NULL CHECK (k >= 1),
    female_0_17 INTEGER CHECK (female_0_17 IS NULL OR female_0_17 >= k),
    male_0_17 INTEGER CHECK (male_0_17 IS NULL OR male_0_17 >= k),
    female_18_24 INTEGER CHECK (female_18_24 IS NULL OR female_18_24 >= k),
    male_18_24 INTEGER CHECK (male_18_24 IS NULL OR male_18_24 >= k),
    female_25_34 INTEGER CHECK (female_25_34 IS NULL OR female_25_34 >= k),
    male_25_34 INTEGER CHECK (male_25_34 IS NULL OR male_25_34 >= k),
    female_35_44 INTEGER CHECK (female_35_44 IS NULL OR female_35_44 >= k),
    male_35_44 INTEGER CHECK (male_35_44 IS NULL OR male_35_44 >= k),
    female_45_54 INTEGER CHECK (female_45_54 IS NULL OR female_45_54 >= k),
    male_45_54 INTEGER CHECK (male_45_54 IS NULL OR male_45_54 >= k),
    female_55_64 INTEGER CHECK (female_55_64 IS NULL OR female_55_64 >= k),
    male_55_64 INTEGER CHECK (male_55_64 IS NULL OR male_55_64 >= k),
    female_65_plus INTEGER CHECK (female_65_plus IS NULL OR female_65_plus >= k),
    male_65_plus INTEGER CHECK (male_65_plus IS NULL OR male_65_plus >= k),
    model_version       TEXT    NOT NULL DEFAULT '',
    calibration_version TEXT    NOT NULL DEFAULT '',
    CHECK (end_ms > start_ms),
    UNIQUE (zone, start_ms)
))sql",
      "CREATE INDEX demographic_windows_start_ms ON demographic_windows (start_ms)"}},
    // Local API: keys (only SHA-256 of the secret, the previous secret's hash during a rotation
    // overlap) and the hash-chained audit log with its head (seq + hash of the newest entry,
    // updated in the same transaction, so that deleting the newest entries is detectable too).
    {5, "API keys and the hash-chained audit log",
     {R"sql(
CREATE TABLE api_keys (
    key_id                  TEXT    PRIMARY KEY,
    name                    TEXT    NOT NULL DEFAULT '',
    environment             TEXT    NOT NULL CHECK (environment IN ('live', 'test')),
    secret_hash             BLOB    NOT NULL CHECK (length(secret_hash) = 32),
    previous_hash           BLOB    CHECK (previous_hash IS NULL OR length(previous_hash) = 32),
    previous_valid_until_ms INTEGER,
    scopes                  TEXT    NOT NULL,
    tier                    TEXT    NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    created_at_ms           INTEGER NOT NULL,
    last_used_at_ms         INTEGER,
    expires_at_ms           INTEGER,
    revoked_at_ms           INTEGER,
    rotated_at_ms           INTEGER
))sql",
      R"sql(
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY CHECK (seq >= 1),
    timestamp_ms INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    source_ip    TEXT    NOT NULL DEFAULT '',
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL DEFAULT '',
    result       TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
))sql",
      "CREATE INDEX audit_log_timestamp_ms ON audit_log (timestamp_ms)",
      R"sql(
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
))sql"}},
    // Walking direction per window (calibrated only): person-seconds of walking toward/away
    // from the screen and to its left/right. NULL = not measured (uncalibrated, or a window
    // stored before this version).
    {6, "walking directions of audience windows",
     {"ALTER TABLE audience_windows ADD COLUMN walk_toward_s REAL",
      "ALTER TABLE audience_windows ADD COLUMN walk_away_s REAL",
      "ALTER TABLE audience_windows ADD COLUMN walk_left_s REAL",
      "ALTER TABLE audience_windows ADD COLUMN walk_right_s REAL"}},
    // The audit head signed with the audit key (Ed25519, a key file apart from the database
    // key): the number of entries and the signature over (seq, count, hash); signed
    // checkpoints of the head, every N entries or on demand (docs/security.md, "Audit log").
    {7, "signed audit head and audit checkpoints",
     {"ALTER TABLE audit_head ADD COLUMN count INTEGER",
      "ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE audit_head ADD COLUMN signature BLOB CHECK (signature IS NULL OR length(signature) = 64)",
      R"sql(
CREATE TABLE audit_checkpoints (
    seq           INTEGER PRIMARY KEY CHECK (seq >= 0),
    count         INTEGER NOT NULL,
    hash          TEXT    NOT NULL,
    key_id        TEXT    NOT NULL,
    signature     BLOB    NOT NULL CHECK (length(signature) = 64),
    created_at_ms INTEGER NOT NULL
))sql"}},
    // Sync to the hub (docs/sync.md): one outbox row per stored window, written in the window's
    // own transaction (SyncOutbox); a batch keeps its id and its rows until the hub acknowledges
    // it (then the rows are deleted) or it is set aside as poison. sync_state (one row) counts
    // what the bounded outbox dropped and the last success and error.
    {8, "sync outbox",
     {R"sql(
CREATE TABLE sync_batches (
    batch_id        TEXT    PRIMARY KEY,
    created_at_ms   INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    poisoned_at_ms  INTEGER
))sql",
      R"sql(
CREATE TABLE sync_outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL CHECK (kind IN ('audience', 'demographic')),
    zone           TEXT    NOT NULL,
    start_ms       INTEGER NOT NULL,
    enqueued_at_ms INTEGER NOT NULL,
    batch_id       TEXT    REFERENCES sync_batches (batch_id),
    UNIQUE (kind, zone, start_ms)
))sql",
      "CREATE INDEX sync_outbox_batch_id ON sync_outbox (batch_id)",
      R"sql(
CREATE TABLE sync_state (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    dropped_windows         INTEGER NOT NULL DEFAULT 0,
    dropped_oldest_start_ms INTEGER,
    dropped_newest_start_ms INTEGER,
    last_success_ms         INTEGER,
    last_error              TEXT    NOT NULL DEFAULT '',
    last_error_ms           INTEGER
))sql",
      "INSERT INTO sync_state (id) VALUES (1)"}},
}};

core::Status execOrError(QSqlQuery &query, const QString &sql, int version)
{
    if (!query.exec(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("schema migration to version %1 failed: %2 (while running: %3)")
                                                  .arg(version).arg(query.lastError().text(), sql.simplified().left(80)));
    query.finish();
    return {};
}

core::Status applyStep(QSqlDatabase &db, const Migration &step)
{
    if (!db.transaction())
        return makeError(ErrorCode::Internal, QStringLiteral("schema migration to version %1: cannot begin a transaction: %2")
                                                  .arg(step.version).arg(db.lastError().text()));
    QSqlQuery query(db);
    core::Status status;
    for (const char *sql : step.statements) {
        if (!sql)
            continue;
        status = execOrError(query, QString::fromUtf8(sql), step.version);
        if (!status)
            break;
    }
    if (status)
        status = execOrError(query, QStringLiteral("PRAGMA user_version = %1").arg(step.version), step.version);
    if (status && !db.commit())
        status = makeError(ErrorCode::Internal, QStringLiteral("schema migration to version %1: commit failed: %2")
                                                    .arg(step.version).arg(db.lastError().text()));
    if (!status) {
        db.rollback();
        return status;
    }
    qCInfo(lcStorage) << "schema migrated to version" << step.version << "(" << step.description << ")";
    return {};
}

} // namespace

int SchemaMigrations::latestVersion()
{
    return kMigrations.back().version;
}

core::Result<int> SchemaMigrations::currentVersion(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot read the schema version: %1").arg(query.lastError().text()));
    return query.value(0).toInt();
}

core::Status SchemaMigrations::migrate(QSqlDatabase db, int targetVersion)
{
    if (targetVersion < 0 || targetVersion > latestVersion())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("schema version %1 does not exist (latest is %2)")
                                                         .arg(targetVersion).arg(latestVersion()));
    const auto current = currentVersion(db);
    if (!current)
        return current.error();
    if (*current > latestVersion())
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("the database schema version %1 is newer than this build of Signiq supports (%2); "
                                        "upgrade Signiq instead of opening it with an older version")
                             .arg(*current).arg(latestVersion()));
    for (const Migration &step : kMigrations) {
        if (step.version <= *current || step.version > targetVersion)
            continue;
        const core::Status status = applyStep(db, step);
        if (!status)
            return status;
    }
    return {};
}

} // namespace signiq::storage
