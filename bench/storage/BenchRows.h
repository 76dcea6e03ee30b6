#pragma once

// The shape of one benchmark row, shared by both benchmark programs (one linked against
// SQLCipher, one against the system SQLite) so that they write identical data.
// Plain C++: the plain-SQLite program does not link Qt.

#include <sqlite3.h> // SQLCipher's or the system's, depending on the program

#include <cstdint>
#include <cstdio>
#include <string>

namespace signiq::bench {

inline const char *metricTableSql()
{
    return "CREATE TABLE metrics ("
           " id INTEGER PRIMARY KEY, zone TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,"
           " ots INTEGER, entries INTEGER, exits INTEGER, mean_occupancy REAL, peak_occupancy INTEGER,"
           " dwell_0_5 INTEGER, dwell_5_15 INTEGER, dwell_15_30 INTEGER, dwell_30_60 INTEGER, dwell_60_plus INTEGER,"
           " mean_dwell_s REAL, line_in INTEGER, line_out INTEGER, transitions_json TEXT, confidence REAL,"
           " quality_flags INTEGER, model_version TEXT, UNIQUE (zone, start_ms))";
}

inline const char *metricInsertSql()
{
    return "INSERT INTO metrics (zone, start_ms, end_ms, ots, entries, exits, mean_occupancy, peak_occupancy,"
           " dwell_0_5, dwell_5_15, dwell_15_30, dwell_30_60, dwell_60_plus, mean_dwell_s, line_in, line_out,"
           " transitions_json, confidence, quality_flags, model_version)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

struct MetricRow {
    std::string zone;
    std::int64_t startMs;
    std::int64_t endMs;
    int counts[13]; // ots, entries, exits, (mean_occupancy), peak, 5 dwell bands, line_in, line_out, quality_flags
    double meanOccupancy;
    double meanDwellS;
    double confidence;
    std::string transitionsJson;
};

inline MetricRow metricRow(int i)
{
    static const char *zones[] = {"entrance", "shelf-a", "shelf-b", "checkout"};
    MetricRow r;
    r.zone = zones[i % 4];
    r.startMs = 1'700'000'000'000LL + std::int64_t(i / 4) * 60'000;
    r.endMs = r.startMs + 60'000;
    for (int c = 0; c < 13; ++c)
        r.counts[c] = (i * (c + 3)) % 97;
    r.meanOccupancy = (i % 50) / 7.0;
    r.meanDwellS = (i % 300) / 3.0;
    r.confidence = (i % 100) / 100.0;
    r.transitionsJson = "{\"queue\":" + std::to_string(i % 9) + ",\"exit\":" + std::to_string(i % 5) + "}";
    return r;
}

// Inserts `rows` rows with one prepared statement inside one transaction through the C API.
// Returns false (message on stderr) on failure.
inline bool insertRowsRaw(sqlite3 *db, int rows, const char *label)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, metricInsertSql(), -1, &stmt, nullptr) != SQLITE_OK
        || sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "%s: %s\n", label, sqlite3_errmsg(db));
        sqlite3_finalize(stmt);
        return false;
    }
    for (int i = 0; i < rows; ++i) {
        const MetricRow r = metricRow(i);
        int p = 1;
        sqlite3_bind_text(stmt, p++, r.zone.c_str(), int(r.zone.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(stmt, p++, r.startMs);
        sqlite3_bind_int64(stmt, p++, r.endMs);
        for (int c = 0; c < 3; ++c)
            sqlite3_bind_int64(stmt, p++, r.counts[c]);
        sqlite3_bind_double(stmt, p++, r.meanOccupancy);
        for (int c = 3; c < 9; ++c)
            sqlite3_bind_int64(stmt, p++, r.counts[c]);
        sqlite3_bind_double(stmt, p++, r.meanDwellS);
        sqlite3_bind_int64(stmt, p++, r.counts[9]);
        sqlite3_bind_int64(stmt, p++, r.counts[10]);
        sqlite3_bind_text(stmt, p++, r.transitionsJson.c_str(), int(r.transitionsJson.size()), SQLITE_TRANSIENT);
        sqlite3_bind_double(stmt, p++, r.confidence);
        sqlite3_bind_int64(stmt, p++, r.counts[11]);
        sqlite3_bind_text(stmt, p++, "person-detector@3f2a9c01", -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            std::fprintf(stderr, "%s: insert failed: %s\n", label, sqlite3_errmsg(db));
            sqlite3_finalize(stmt);
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            return false;
        }
        sqlite3_reset(stmt);
        if ((i + 1) % 25000 == 0)
            std::fprintf(stderr, "    %s: %d/%d rows\n", label, i + 1, rows);
    }
    sqlite3_finalize(stmt);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "%s: commit failed: %s\n", label, sqlite3_errmsg(db));
        return false;
    }
    return true;
}

} // namespace signiq::bench
