// signiq-bench-storage [--rows N] [--runs N]
//
// Insert throughput of the encrypted store: N metric rows (the shape of audience_windows) in
// ONE transaction with ONE prepared statement
//   1. SQLCipher through our QSQLCIPHER driver (QSqlQuery, what the edge program does),
//   2. SQLCipher through the C API on the same connection type (encryption cost only),
//   3. plain SQLite in a separate process (signiq-bench-storage-plain links only libsqlite3;
//      it cannot live in this process, see docs/storage.md),
//   4. plain SQLite through Qt's own QSQLITE driver in a separate process, running the very same
//      QSqlQuery code as 1 (so the ratio 1/4 is the cost of encryption in our application stack),
// and prints rows/s and the ratios encrypted/plain (goal >= 0.8). Never fails on a time.
#include "BenchRows.h"
#include "BenchRowsQt.h"

#include "crypto/Random.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SqlCipherDriver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace signiq;
using namespace signiq::bench;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0.0 : values.at(values.size() / 2);
}

// Opens a fresh encrypted database with the metrics table. Returns it or prints the error.
std::optional<storage::EncryptedDatabase> openBenchDatabase(const QString &path, const QString &name)
{
    auto key = crypto::randomBytes(storage::EncryptedDatabase::KeySize);
    if (!key) {
        std::fprintf(stderr, "%s\n", qPrintable(key.error().toString()));
        return std::nullopt;
    }
    auto db = storage::EncryptedDatabase::open(path, *key, name, {.migrate = false});
    crypto::secureZero(*key);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error().toString()));
        return std::nullopt;
    }
    QSqlQuery query(db->database());
    if (!query.exec(QString::fromLatin1(metricTableSql()))) {
        std::fprintf(stderr, "create table: %s\n", qPrintable(query.lastError().text()));
        return std::nullopt;
    }
    return std::move(db).value();
}

// 1. Through QSqlQuery and the QSQLCIPHER driver. Returns rows/s, or -1.
double benchDriver(const QString &path, int rows)
{
    auto db = openBenchDatabase(path, QStringLiteral("bench-driver"));
    if (!db)
        return -1;
    return insertRowsQt(db->database(), rows, "sqlcipher (driver)");
}

// 2. SQLCipher's C API on a connection opened by EncryptedDatabase.
double benchRawSqlCipher(const QString &path, int rows)
{
    auto db = openBenchDatabase(path, QStringLiteral("bench-raw"));
    if (!db)
        return -1;
    auto *driver = qobject_cast<storage::SqlCipherDriver *>(db->database().driver());
    QElapsedTimer timer;
    timer.start();
    if (!driver || !insertRowsRaw(driver->connection(), rows, "sqlcipher (C API)"))
        return -1;
    return rows / (double(timer.nsecsElapsed()) / 1e9);
}

// 3. Plain SQLite in its own process.
double benchPlain(const QString &path, int rows)
{
    const QString program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("signiq-bench-storage-plain"));
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, {path, QString::number(rows)});
    if (!process.waitForFinished(600'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(program), qPrintable(process.errorString()));
        return -1;
    }
    const QStringList lines = QString::fromLocal8Bit(process.readAllStandardOutput()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1StringView("rows_per_s=")))
            return line.mid(11).toDouble();
    }
    return -1;
}

// 4. Plain SQLite through Qt's own QSQLITE driver, same QSqlQuery code, in its own process.
double benchPlainQt(const QString &path, int rows)
{
    const QString program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("signiq-bench-storage-plain-qt"));
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(program, {path, QString::number(rows)});
    if (!process.waitForFinished(600'000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(program), qPrintable(process.errorString()));
        return -1;
    }
    const QStringList lines = QString::fromLocal8Bit(process.readAllStandardOutput()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1StringView("rows_per_s=")))
            return line.mid(11).toDouble();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Insert throughput: SQLCipher (QSQLCIPHER driver) vs plain SQLite"));
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("Rows per run (default 100000)."),
                                        QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Runs per variant; the median is reported (default 5)."),
                                        QStringLiteral("n"), QStringLiteral("5"));
    parser.addOptions({rowsOption, runsOption});
    parser.process(app);
    const int rows = std::max(1, parser.value(rowsOption).toInt());
    const int runs = std::max(1, parser.value(runsOption).toInt());

    const auto version = storage::EncryptedDatabase::selfCheck();
    if (!version) {
        out() << version.error().toString() << Qt::endl;
        return 1;
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    out() << "signiq-bench-storage: " << rows << " rows in one transaction, " << runs << " runs each, SQLCipher "
          << *version << Qt::endl;
    QList<double> driver, raw, plain, plainQt;
    for (int run = 1; run <= runs; ++run) {
        std::fprintf(stderr, "run %d/%d\n", run, runs);
        const QString suffix = QString::number(run);
        driver << benchDriver(dir.filePath(QStringLiteral("driver-") + suffix + QStringLiteral(".db")), rows);
        raw << benchRawSqlCipher(dir.filePath(QStringLiteral("raw-") + suffix + QStringLiteral(".db")), rows);
        plain << benchPlain(dir.filePath(QStringLiteral("plain-") + suffix + QStringLiteral(".db")), rows);
        plainQt << benchPlainQt(dir.filePath(QStringLiteral("plain-qt-") + suffix + QStringLiteral(".db")), rows);
        if (driver.last() < 0 || raw.last() < 0 || plain.last() < 0 || plainQt.last() < 0) {
            out() << "benchmark failed (see messages above)" << Qt::endl;
            return 1;
        }
    }
    const double d = median(driver), r = median(raw), p = median(plain), pq = median(plainQt);
    out() << qSetFieldWidth(0) << Qt::fixed << qSetRealNumberPrecision(0);
    out() << "  sqlcipher via QSQLCIPHER driver : " << d << " rows/s" << Qt::endl;
    out() << "  sqlcipher via C API             : " << r << " rows/s" << Qt::endl;
    out() << "  plain sqlite (separate process) : " << p << " rows/s" << Qt::endl;
    out() << "  plain sqlite via Qt QSQLITE     : " << pq << " rows/s (separate process)" << Qt::endl;
    out() << qSetRealNumberPrecision(2);
    out() << "  ratio encrypted/plain (driver)  : " << d / p << (d / p >= 0.8 ? "  (goal >= 0.8: met)" : "  (goal >= 0.8: NOT met)")
          << Qt::endl;
    out() << "  ratio encrypted/plain (C API)   : " << r / p << (r / p >= 0.8 ? "  (goal >= 0.8: met)" : "  (goal >= 0.8: NOT met)")
          << Qt::endl;
    out() << "  ratio encrypted/plain (Qt both) : " << d / pq
          << (d / pq >= 0.8 ? "  (goal >= 0.8: met)" : "  (goal >= 0.8: NOT met)")
          << "  <- same QSqlQuery code, QSQLCIPHER vs Qt's QSQLITE" << Qt::endl;
    return 0;
}
