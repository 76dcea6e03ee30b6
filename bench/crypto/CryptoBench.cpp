// Figures for docs/security.md: AES-256-GCM throughput (raw and through the chunked envelope),
// and backup / restore time of an edge database with N window rows compared with a plain
// file copy of the same database. Prints numbers; never fails on a time.
//
//   signiq-bench-crypto [--rows 1000000] [--runs 3] [--mb 256] [--dir DIR]
#include "core/AudienceWindow.h"
#include "core/Clock.h"
#include "crypto/Aead.h"
#include "crypto/Envelope.h"
#include "crypto/Random.h"
#include "storage/DatabaseBackup.h"
#include "storage/EncryptedDatabase.h"
#include "storage/WindowRepository.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

using namespace signiq;

namespace {

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

void print(const QString &s)
{
    std::fputs(qPrintable(s + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

// Plain copy with the same durability as a backup (read, write, fsync).
double copySeconds(const QString &from, const QString &to)
{
    QFile::remove(to);
    QElapsedTimer t;
    t.start();
    QFile in(from);
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
        return -1;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    qint64 n;
    while ((n = in.read(buffer.data(), buffer.size())) > 0)
        out.write(buffer.constData(), n);
    out.flush();
    ::fsync(out.handle());
    out.close();
    return t.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Window rows in the database."), QStringLiteral("N"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Repetitions (median)."), QStringLiteral("N"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("mb"), QStringLiteral("MiB for the AES-GCM figures."), QStringLiteral("N"), QStringLiteral("256")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("Work directory (default: a temporary one)."), QStringLiteral("DIR")});
    parser.process(app);
    const int rows = parser.value(QStringLiteral("rows")).toInt();
    const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
    const int mb = std::max(1, parser.value(QStringLiteral("mb")).toInt());

    // --- AES-256-GCM -----------------------------------------------------------------------
    const QByteArray key = *crypto::randomBytes(32);
    const QByteArray data = *crypto::randomBytes(mb * 1024 * 1024);
    {
        auto created = crypto::Aes256Gcm::create(key);
        auto &gcm = *created;
        const QByteArray nonce(12, '\1');
        QByteArray out(1024 * 1024 + 16, Qt::Uninitialized);
        QList<double> seal, open;
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer t;
            t.start();
            for (qsizetype off = 0; off < data.size(); off += 1024 * 1024)
                (void)gcm.sealTo(nonce, {}, QByteArrayView(data).sliced(off, 1024 * 1024), out.data());
            seal << mb / (t.nsecsElapsed() / 1e9);
        }
        const QByteArray sealedChunk = *gcm.seal(nonce, {}, QByteArrayView(data).first(1024 * 1024));
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer t;
            t.start();
            for (int i = 0; i < mb; ++i)
                (void)gcm.openTo(nonce, {}, sealedChunk, out.data());
            open << mb / (t.nsecsElapsed() / 1e9);
        }
        print(QStringLiteral("AES-256-GCM raw, 1 MiB messages      seal %1 MiB/s   open %2 MiB/s").arg(median(seal), 0, 'f', 0).arg(median(open), 0, 'f', 0));
    }
    for (const int chunk : {64 * 1024, 1024 * 1024}) {
        QList<double> seal, open;
        for (int r = 0; r < runs; ++r) {
            QElapsedTimer t;
            t.start();
            auto sealed = crypto::envelope::seal(key, data, {}, chunk);
            seal << mb / (t.nsecsElapsed() / 1e9);
            t.restart();
            auto opened = crypto::envelope::open(key, *sealed);
            open << mb / (t.nsecsElapsed() / 1e9);
            if (!opened || opened->size() != data.size())
                print(QStringLiteral("envelope round trip FAILED"));
        }
        print(QStringLiteral("envelope, %1 KiB chunks (in memory)  seal %2 MiB/s   open %3 MiB/s")
                  .arg(chunk / 1024, 4).arg(median(seal), 0, 'f', 0).arg(median(open), 0, 'f', 0));
    }

    // --- Backup / restore ------------------------------------------------------------------
    if (rows <= 0)
        return 0;
    QTemporaryDir tmp;
    const QString dir = parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir")) : tmp.path();
    const QString db = dir + QStringLiteral("/bench.db");
    const QByteArray dbKey = *crypto::randomBytes(32);
    const QByteArray backupKey = *crypto::randomBytes(32);
    for (const QString &f : QStringList{db, db + QStringLiteral("-wal"), db + QStringLiteral("-shm")})
        QFile::remove(f);
    {
        QElapsedTimer t;
        t.start();
        auto opened = storage::EncryptedDatabase::open(db, dbKey, QStringLiteral("bench"));
        if (!opened) {
            print(opened.error().toString());
            return 1;
        }
        storage::WindowRepository repo(*opened);
        const QStringList zones{QStringLiteral("door"), QStringLiteral("shelf"), QStringLiteral("queue"), QStringLiteral("window")};
        const int perBatch = 10000;
        for (int done = 0; done < rows;) {
            QList<core::AudienceWindow> batch;
            for (int i = 0; i < perBatch && done < rows; ++i, ++done) {
                core::AudienceWindow w;
                w.zone = zones.at(done % zones.size());
                w.startMs = 1'700'000'000'000 + qint64(done / zones.size()) * 60'000;
                w.endMs = w.startMs + 60'000;
                w.ots = done % 37;
                w.entries = done % 11;
                w.exits = done % 13;
                w.meanOccupancy = (done % 17) / 4.0;
                w.peakOccupancy = done % 9;
                w.dwellBands = {done % 5, done % 7, 2, 1, 0};
                w.meanDwellS = 12.5;
                w.confidence = 0.9;
                w.modelVersion = QStringLiteral("yolo-fastest-1.1-body@3f2a9c01");
                w.calibrationVersion = QStringLiteral("cal-7");
                batch << w;
            }
            if (auto ok = repo.insert(batch); !ok) {
                print(ok.error().toString());
                return 1;
            }
        }
        QSqlQuery checkpoint(opened->database());
        (void)checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        print(QStringLiteral("database: %1 window rows, %2 MiB, populated in %3 s")
                  .arg(rows)
                  .arg(QFileInfo(db).size() / 1048576.0, 0, 'f', 1)
                  .arg(t.nsecsElapsed() / 1e9, 0, 'f', 1));
    }
    core::SystemClock clock;
    QList<double> backup, restore, copy;
    for (int r = 0; r < runs; ++r) {
        const QString out = dir + QStringLiteral("/bench-%1.backup").arg(r);
        const QString restored = dir + QStringLiteral("/restored-%1.db").arg(r);
        QFile::remove(out);
        QFile::remove(restored);
        copy << copySeconds(db, dir + QStringLiteral("/copy.db"));
        QElapsedTimer t;
        t.start();
        auto info = storage::DatabaseBackup::create(db, dbKey, out, backupKey, clock);
        backup << t.nsecsElapsed() / 1e9;
        if (!info) {
            print(info.error().toString());
            return 1;
        }
        t.restart();
        auto back = storage::DatabaseBackup::restore(out, backupKey, restored, dbKey);
        restore << t.nsecsElapsed() / 1e9;
        if (!back) {
            print(back.error().toString());
            return 1;
        }
        QFile::remove(out);
        QFile::remove(restored);
    }
    QFile::remove(dir + QStringLiteral("/copy.db"));
    const double mib = QFileInfo(db).size() / 1048576.0;
    print(QStringLiteral("plain file copy (read+write+fsync)    %1 s  (%2 MiB/s)").arg(median(copy), 0, 'f', 2).arg(mib / median(copy), 0, 'f', 0));
    print(QStringLiteral("backup  (snapshot + envelope + fsync) %1 s  (%2 MiB/s)").arg(median(backup), 0, 'f', 2).arg(mib / median(backup), 0, 'f', 0));
    print(QStringLiteral("restore (verify + decrypt + rekey)    %1 s  (%2 MiB/s)").arg(median(restore), 0, 'f', 2).arg(mib / median(restore), 0, 'f', 0));
    print(QStringLiteral("ratio backup / plain copy             %1").arg(median(backup) / median(copy), 0, 'f', 1));
    print(QStringLiteral("ratio restore / plain copy            %1").arg(median(restore) / median(copy), 0, 'f', 1));
    return 0;
}
