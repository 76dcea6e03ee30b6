#pragma once

#include "core/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace signiq::storage {

// The versioned schema of the edge database, keyed by PRAGMA user_version.
//
//   0  empty database
//   1  audience_windows
//   2  zone_configs (+ "at most one current config" partial unique index)
//   3  audience_windows_start_ms index for all-zone time-range queries
//   4  attention/speed/distance-band columns of audience_windows; demographic_windows (k-suppressed
//      cells as NULL) with its start_ms index
//   5  api_keys (SHA-256 of secrets, scopes, tier, rotation overlap, revocation), audit_log
//      (hash-chained entries) and audit_head (seq + hash of the newest entry)
//   6  walking-direction columns of audience_windows (walk_toward_s, walk_away_s, walk_left_s,
//      walk_right_s; NULL when not measured)
//
// Each step runs in its own transaction together with the user_version bump, so a crash
// leaves the database at the previous version, never half-way.
class SchemaMigrations {
public:
    static int latestVersion();

    [[nodiscard]] static core::Result<int> currentVersion(const QSqlDatabase &db);

    // Applies every step above the current version up to `targetVersion` (default: latest).
    // A database newer than this build is an Unsupported error that names both versions.
    [[nodiscard]] static core::Status migrate(QSqlDatabase db, int targetVersion = latestVersion());
};

} // namespace signiq::storage
