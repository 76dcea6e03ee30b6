// Key rotation on a populated database, refusal while the database is in use, and recovery
// from a rotation interrupted at each step.
#include "StorageTestSupport.h"

#include "crypto/SecureFile.h"
#include "storage/DatabaseRekey.h"
#include "storage/EncryptedDatabase.h"
#include "storage/KeyFile.h"
#include "storage/RawSqlCipher.h"
#include "storage/WindowRepository.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::storage;
using core::ErrorCode;
using storage::test::sampleWindow;

namespace {
constexpr qint64 kT0 = 1'700'000'000'000;
}

class TestDatabaseRekey : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_case = 0;
    QString m_db;
    QString m_key;

    QByteArray readKey(const QString &file)
    {
        auto key = KeyFile::load(file);
        if (!key)
            qFatal("%s", qPrintable(key.error().toString()));
        return *key;
    }

    void populate(int n)
    {
        QVERIFY(KeyFile::generate(m_key));
        auto db = EncryptedDatabase::open(m_db, readKey(m_key), QStringLiteral("populate-%1").arg(m_case));
        QVERIFY(db);
        WindowRepository repo(*db);
        for (int i = 0; i < n; ++i)
            QVERIFY(repo.insert({sampleWindow(QStringLiteral("door"), kT0 + i * 60'000LL, i),
                                 sampleWindow(QStringLiteral("shelf"), kT0 + i * 60'000LL, i + 1)}));
    }

    QList<core::AudienceWindow> windows(const QByteArray &key)
    {
        auto db = EncryptedDatabase::open(m_db, key, QStringLiteral("read-%1-%2").arg(m_case).arg(qHash(key)));
        if (!db)
            return {};
        return *WindowRepository(*db).windows(0, std::numeric_limits<qint64>::max());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init()
    {
        ++m_case;
        m_db = m_dir.filePath(QStringLiteral("edge-%1.db").arg(m_case));
        m_key = m_dir.filePath(QStringLiteral("edge-%1.key").arg(m_case));
    }

    void rotatesWithoutDataLoss()
    {
        populate(500);
        const QByteArray oldKey = readKey(m_key);
        const auto before = windows(oldKey);
        QCOMPARE(before.size(), 1000);

        auto outcome = DatabaseRekey::rotate(m_db, m_key);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().toString()));
        QCOMPARE(*outcome, DatabaseRekey::Outcome::Rotated);
        const QByteArray newKey = readKey(m_key);
        QVERIFY(newKey != oldKey);
        QCOMPARE(crypto::securefile::mode(m_key), 0600);
        QVERIFY(!QFileInfo::exists(DatabaseRekey::pendingKeyPath(m_key)));

        QCOMPARE(windows(newKey), before);
        auto withOld = EncryptedDatabase::open(m_db, oldKey, QStringLiteral("old-%1").arg(m_case));
        QVERIFY(!withOld);
        QCOMPARE(withOld.error().code, ErrorCode::WrongKey);
        // WAL again, and usable for writing.
        auto db = EncryptedDatabase::open(m_db, newKey, QStringLiteral("write-%1").arg(m_case));
        QVERIFY(db);
        QVERIFY(WindowRepository(*db).insert({sampleWindow(QStringLiteral("door"), kT0 - 60'000, 9)}));
        QCOMPARE(*WindowRepository(*db).count(), 1001);

        // And again.
        db->close();
        QVERIFY(DatabaseRekey::rotate(m_db, m_key));
        QCOMPARE(windows(readKey(m_key)).size(), 1001);
    }

    void refusedWhileInUse()
    {
        populate(5);
        const QByteArray key = readKey(m_key);
        auto open = EncryptedDatabase::open(m_db, key, QStringLiteral("busy-%1").arg(m_case));
        QVERIFY(open);
        QVERIFY(WindowRepository(*open).count());
        auto refused = DatabaseRekey::rotate(m_db, m_key);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
        QVERIFY(refused.error().message.contains(QStringLiteral("in use")));
        QCOMPARE(readKey(m_key), key);
        QVERIFY(!QFileInfo::exists(DatabaseRekey::pendingKeyPath(m_key)));
        open->close();
        QCOMPARE(windows(key).size(), 10);
    }

    void wrongKeyRefused()
    {
        populate(2);
        QVERIFY(QFile::remove(m_key));
        QVERIFY(KeyFile::generate(m_key)); // some other key
        auto refused = DatabaseRekey::rotate(m_db, m_key);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::WrongKey);
        QVERIFY(!QFileInfo::exists(DatabaseRekey::pendingKeyPath(m_key)));
    }

    void crashAfterNewKeyWrittenBeforeRekey()
    {
        populate(20);
        const QByteArray oldKey = readKey(m_key);
        // Step 3 done, step 4 never happened: KEY.new exists, the database has the old key.
        QVERIFY(KeyFile::generate(DatabaseRekey::pendingKeyPath(m_key)));
        auto outcome = DatabaseRekey::rotate(m_db, m_key);
        QVERIFY(outcome);
        QCOMPARE(*outcome, DatabaseRekey::Outcome::Rotated);
        QVERIFY(readKey(m_key) != oldKey);
        QCOMPARE(windows(readKey(m_key)).size(), 40);
    }

    void crashAfterRekeyBeforeRename()
    {
        populate(20);
        const QByteArray oldKey = readKey(m_key);
        const QString pending = DatabaseRekey::pendingKeyPath(m_key);
        // Steps 3-5 done, step 6 never happened: the database has KEY.new's key.
        QVERIFY(KeyFile::generate(pending));
        const QByteArray newKey = readKey(pending);
        {
            auto raw = detail::RawSqlCipher::open(m_db, oldKey, false);
            QVERIFY(raw);
            QVERIFY(raw->queryText("PRAGMA journal_mode = DELETE;"));
            QVERIFY(raw->rekey(newKey));
        }
        QVERIFY(windows(oldKey).isEmpty()); // the key file on its own is stale now
        auto outcome = DatabaseRekey::rotate(m_db, m_key);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().toString()));
        QCOMPARE(*outcome, DatabaseRekey::Outcome::CompletedInterruptedRotation);
        QCOMPARE(readKey(m_key), newKey);
        QVERIFY(!QFileInfo::exists(pending));
        QCOMPARE(windows(newKey).size(), 40);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseRekey)
#include "TestDatabaseRekey.moc"
