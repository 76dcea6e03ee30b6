// signiq-bench-storage-plain-qt <database> <rows>
//
// The unencrypted baseline through Qt's own QSQLITE driver (plugin, system libsqlite3): the same
// QSqlQuery code as the QSQLCIPHER run of signiq-bench-storage, in a process that never loads
// SQLCipher. Prints "rows_per_s=<n>" on stdout.
#include "BenchRowsQt.h"

#include <QCoreApplication>
#include <QSqlDatabase>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <database> <rows>\n", argv[0]);
        return 2;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("plain-qt"));
    db.setDatabaseName(QString::fromLocal8Bit(argv[1]));
    if (!db.open()) {
        std::fprintf(stderr, "plain sqlite (Qt): cannot open: %s (is Debian's libqt6sql6-sqlite installed?)\n",
                     qPrintable(db.lastError().text()));
        return 1;
    }
    QSqlQuery pragma(db);
    for (const char *sql : {"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL", "PRAGMA busy_timeout = 5000",
                            "PRAGMA foreign_keys = ON", signiq::bench::metricTableSql()}) {
        if (!pragma.exec(QString::fromLatin1(sql))) {
            std::fprintf(stderr, "plain sqlite (Qt): %s: %s\n", sql, qPrintable(pragma.lastError().text()));
            return 1;
        }
    }
    const double rate = signiq::bench::insertRowsQt(db, std::atoi(argv[2]), "plain sqlite (Qt)");
    if (rate < 0)
        return 1;
    std::printf("rows_per_s=%.0f\n", rate);
    return 0;
}
