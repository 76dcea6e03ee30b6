// Encrypted backups: a consistent online snapshot while another thread keeps inserting
// windows, restore into a new file, and every way a backup can be wrong (truncated, tampered,
// wrong key, target exists).
#include "StorageTestSupport.h"

#include "core/Clock.h"
#include "crypto/Envelope.h"
#include "crypto/SecureFile.h"
#include "storage/DatabaseBackup.h"
#include "storage/EncryptedDatabase.h"
#include "storage/SchemaMigrations.h"
#include "storage/WindowRepository.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace signiq;
using namespace signiq::storage;
using core::ErrorCode;
using storage::test::sampleWindow;
using storage::test::testKey;

namespace {
constexpr qint64 kT0 = 1'700'000'000'000;

QList<core::AudienceWindow> batch(int i)
{
    return {sampleWindow(QStringLiteral("door"), kT0 + i * 60'000LL, i), sampleWindow(QStringLiteral("shelf"), kT0 + i * 60'000LL, i + 1)};
}
} // namespace

class TestDatabaseBackup : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::ManualClock m_clock{kT0};
    const QByteArray m_dbKey = testKey(1);
    const QByteArray m_backupKey = testKey(2);
    int m_case = 0;
    QString m_db;
    QString m_backup;
    QString m_sharedBackup; // badBackupsRefused
    QString m_sharedDb;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A database with `n` window closes (2 rows each) and its backup.
    void populate(int n)
    {
        auto db = EncryptedDatabase::open(m_db, m_dbKey, QStringLiteral("populate"));
        QVERIFY(db);
        WindowRepository repo(*db);
        QList<core::AudienceWindow> all;
        for (int i = 0; i < n; ++i)
            all += batch(i);
        QVERIFY(repo.insert(all)); // one transaction
    }

    QList<core::AudienceWindow> allWindows(const QString &file, const QByteArray &key)
    {
        auto db = EncryptedDatabase::open(file, key, QStringLiteral("read-%1").arg(++m_case));
        if (!db)
            qFatal("%s", qPrintable(db.error().toString()));
        return *WindowRepository(*db).windows(0, std::numeric_limits<qint64>::max());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        ++m_case;
        m_db = path(QStringLiteral("edge-%1.db").arg(m_case));
        m_backup = path(QStringLiteral("edge-%1.backup").arg(m_case));
    }

    void roundTrip()
    {
        populate(50);
        auto info = DatabaseBackup::create(m_db, m_dbKey, m_backup, m_backupKey, m_clock);
        QVERIFY2(info, qPrintable(info ? QString() : info.error().toString()));
        QCOMPARE(info->createdAtMs, kT0);
        QCOMPARE(info->schemaVersion, SchemaMigrations::latestVersion());
        QCOMPARE(crypto::securefile::mode(m_backup), 0600);
        QCOMPARE(QFileInfo(m_backup).size(), info->fileBytes);

        // Nothing readable in the file: no SQLite header, no zone names.
        QFile raw(m_backup);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QVERIFY(bytes.startsWith("SQEV"));
        QVERIFY(!bytes.contains("SQLite format"));
        QVERIFY(!bytes.contains("shelf"));

        auto inspected = DatabaseBackup::inspect(m_backup);
        QVERIFY(inspected);
        QCOMPARE(inspected->databaseBytes, info->databaseBytes);
        QCOMPARE(inspected->keyId, QString::fromLatin1(crypto::envelope::keyId(m_backupKey).toHex()));

        // Restore under a NEW database key: the backup key alone is enough.
        const QByteArray newDbKey = testKey(3);
        const QString restored = path(QStringLiteral("restored-%1.db").arg(m_case));
        auto back = DatabaseBackup::restore(m_backup, m_backupKey, restored, newDbKey);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(crypto::securefile::mode(restored), 0600);
        QCOMPARE(allWindows(restored, newDbKey), allWindows(m_db, m_dbKey));
        QCOMPARE(allWindows(restored, newDbKey).size(), 100);
        // No temporary directory is left behind.
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".signiq-tmp-*")}, QDir::AllEntries | QDir::Hidden).size(), 0);
    }

    void snapshotIsConsistentWhileAnotherConnectionWrites()
    {
        populate(200);
        std::atomic<bool> stop{false};
        std::atomic<int> written{200};
        std::atomic<bool> writerFailed{false};
        QThread *writer = QThread::create([&] {
            auto db = EncryptedDatabase::open(m_db, m_dbKey, QStringLiteral("writer"));
            if (!db) {
                writerFailed = true;
                return;
            }
            WindowRepository repo(*db);
            for (int i = written; !stop; ++i) {
                if (!repo.insert(batch(i))) {
                    writerFailed = true;
                    return;
                }
                written = i + 1;
            }
        });
        QSignalSpy finished(writer, &QThread::finished);
        writer->start();
        // Let the writer get going (progress, not time).
        while (written < 260 && !writerFailed && finished.isEmpty())
            QThread::yieldCurrentThread();
        const int before = written;
        auto info = DatabaseBackup::create(m_db, m_dbKey, m_backup, m_backupKey, m_clock);
        const int after = written;
        // The writer kept writing during the backup.
        while (written < after + 20 && !writerFailed && finished.isEmpty())
            QThread::yieldCurrentThread();
        stop = true;
        QVERIFY(finished.count() == 1 || finished.wait(30000));
        delete writer;
        QVERIFY(!writerFailed);
        QVERIFY2(info, qPrintable(info ? QString() : info.error().toString()));

        const QString restored = path(QStringLiteral("restored-%1.db").arg(m_case));
        QVERIFY(DatabaseBackup::restore(m_backup, m_backupKey, restored, m_dbKey));
        const auto snapshot = allWindows(restored, m_dbKey);
        const auto source = allWindows(m_db, m_dbKey);
        QCOMPARE(source.size(), 2 * written.load());
        // A consistent snapshot: whole window closes only, and exactly a prefix of the source.
        QVERIFY(snapshot.size() % 2 == 0);
        QVERIFY2(snapshot.size() >= 2 * before && snapshot.size() <= 2 * (after + 1),
                 qPrintable(QStringLiteral("%1 rows, writer at %2..%3").arg(snapshot.size()).arg(before).arg(after)));
        QCOMPARE(snapshot, source.mid(0, snapshot.size()));
    }

    void restoreNeverOverwrites()
    {
        populate(3);
        QVERIFY(DatabaseBackup::create(m_db, m_dbKey, m_backup, m_backupKey, m_clock));
        const QByteArray original = [&] {
            QFile f(m_db);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        auto refused = DatabaseBackup::restore(m_backup, m_backupKey, m_db, m_dbKey);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        QVERIFY(refused.error().message.contains(QStringLiteral("never overwrites")));
        QFile f(m_db);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), original);
        // A leftover -wal of a database that is gone also blocks the restore.
        const QString target = path(QStringLiteral("gone-%1.db").arg(m_case));
        QFile wal(target + QStringLiteral("-wal"));
        QVERIFY(wal.open(QIODevice::WriteOnly));
        wal.close();
        QCOMPARE(DatabaseBackup::restore(m_backup, m_backupKey, target, m_dbKey).error().code, ErrorCode::InvalidArgument);
        // And the backup itself is never overwritten.
        QCOMPARE(DatabaseBackup::create(m_db, m_dbKey, m_backup, m_backupKey, m_clock).error().code, ErrorCode::InvalidArgument);
    }

    void badBackupsRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("wrong backup key") << QStringLiteral("wrong-key") << int(ErrorCode::WrongKey) << QStringLiteral("wrong key");
        QTest::newRow("database key instead of backup key") << QStringLiteral("db-key") << int(ErrorCode::WrongKey) << QStringLiteral("wrong key");
        QTest::newRow("truncated to half") << QStringLiteral("half") << int(ErrorCode::Corrupt) << QStringLiteral("truncated");
        QTest::newRow("last byte missing") << QStringLiteral("minus-one") << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("header only") << QStringLiteral("header") << int(ErrorCode::Corrupt) << QStringLiteral("truncated");
        QTest::newRow("magic") << QStringLiteral("flip:0") << int(ErrorCode::Corrupt) << QStringLiteral("not a Signiq encrypted file");
        QTest::newRow("version") << QStringLiteral("flip:5") << int(ErrorCode::Unsupported) << QStringLiteral("version");
        QTest::newRow("key id") << QStringLiteral("flip:9") << int(ErrorCode::WrongKey) << QStringLiteral("key id");
        QTest::newRow("nonce") << QStringLiteral("flip:20") << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("chunk size") << QStringLiteral("flip:28") << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("aad length") << QStringLiteral("flip:33") << int(ErrorCode::Corrupt) << QStringLiteral("");
        QTest::newRow("aad (metadata)") << QStringLiteral("flip:40") << int(ErrorCode::Corrupt) << QStringLiteral("");
        QTest::newRow("data in the middle") << QStringLiteral("flip:middle") << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("final tag") << QStringLiteral("flip:last") << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("appended bytes") << QStringLiteral("append") << int(ErrorCode::Corrupt) << QStringLiteral("");
        QTest::newRow("not a backup") << QStringLiteral("plain") << int(ErrorCode::Corrupt) << QStringLiteral("not a Signiq encrypted file");
    }
    void badBackupsRefused()
    {
        QFETCH(QString, damage);
        QFETCH(int, code);
        QFETCH(QString, message);
        // One good backup for all cases, larger than one 1 MiB chunk so that it has several.
        if (m_sharedBackup.isEmpty()) {
            populate(6000);
            QVERIFY(DatabaseBackup::create(m_db, m_dbKey, m_backup, m_backupKey, m_clock));
            QVERIFY(QFileInfo(m_backup).size() > 2 * DatabaseBackup::ChunkSize);
            m_sharedBackup = m_backup;
            m_sharedDb = m_db;
        }
        QFile f(m_sharedBackup);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        f.close();
        QByteArray key = m_backupKey;
        if (damage == QLatin1StringView("wrong-key"))
            key = testKey(9);
        else if (damage == QLatin1StringView("db-key"))
            key = m_dbKey;
        else if (damage == QLatin1StringView("half"))
            bytes.truncate(bytes.size() / 2);
        else if (damage == QLatin1StringView("minus-one"))
            bytes.chop(1);
        else if (damage == QLatin1StringView("header"))
            bytes.truncate(crypto::envelope::FixedHeaderSize + 20);
        else if (damage == QLatin1StringView("append"))
            bytes.append('x');
        else if (damage == QLatin1StringView("plain")) {
            QFile db(m_sharedDb);
            QVERIFY(db.open(QIODevice::ReadOnly));
            bytes = db.readAll();
        } else if (damage.startsWith(QLatin1StringView("flip:"))) {
            const QString where = damage.mid(5);
            const qsizetype at = where == QLatin1StringView("middle") ? bytes.size() / 2
                                 : where == QLatin1StringView("last")  ? bytes.size() - 1
                                                                       : where.toInt();
            bytes[at] = char(bytes[at] ^ 0x01);
        }
        const QString damaged = path(QStringLiteral("damaged-%1.backup").arg(m_case));
        QVERIFY(crypto::securefile::writeSecret(damaged, bytes));
        const QString target = path(QStringLiteral("target-%1.db").arg(m_case));
        auto restored = DatabaseBackup::restore(damaged, key, target, m_dbKey);
        QVERIFY(!restored);
        QCOMPARE(int(restored.error().code), code);
        QVERIFY2(restored.error().message.contains(message), qPrintable(restored.error().message));
        QVERIFY(restored.error().message.contains(damaged));
        // Nothing was created.
        QVERIFY(!QFileInfo::exists(target));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".signiq-tmp-*")}, QDir::AllEntries | QDir::Hidden).size(), 0);
    }

    void keysMustDiffer()
    {
        populate(1);
        QCOMPARE(DatabaseBackup::create(m_db, m_dbKey, m_backup, m_dbKey, m_clock).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(DatabaseBackup::create(m_db, testKey(7), m_backup, m_backupKey, m_clock).error().code, ErrorCode::WrongKey);
        QCOMPARE(DatabaseBackup::create(path(QStringLiteral("missing.db")), m_dbKey, m_backup, m_backupKey, m_clock).error().code,
                 ErrorCode::NotFound);
        QVERIFY(!QFileInfo::exists(m_backup));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseBackup)
#include "TestDatabaseBackup.moc"
