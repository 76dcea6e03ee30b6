// signiq-bench-storage-plain <database> <rows>
//
// The unencrypted baseline for signiq-bench-storage: links ONLY the system libsqlite3 (no
// SQLCipher, no Qt), so it must run as a separate process. Inserts <rows> rows in one
// transaction with one prepared statement and prints "rows_per_s=<n>" on stdout.
#include "BenchRows.h"

#include <chrono>
#include <cstdlib>

using namespace signiq::bench;

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <database> <rows>\n", argv[0]);
        return 2;
    }
    const int rows = std::atoi(argv[2]);
    sqlite3 *db = nullptr;
    // The same open flags as the QSQLCIPHER driver (one connection per thread, no API mutex).
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK
        || sqlite3_exec(db, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;",
                        nullptr, nullptr, nullptr) != SQLITE_OK
        || sqlite3_exec(db, metricTableSql(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "plain sqlite: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
        return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    if (!insertRowsRaw(db, rows, "plain sqlite"))
        return 1;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    sqlite3_close(db);
    std::printf("sqlite_version=%s\nrows=%d\nseconds=%.4f\nrows_per_s=%.0f\n", sqlite3_libversion(), rows, seconds,
                rows / seconds);
    return 0;
}
