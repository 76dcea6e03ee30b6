// EncryptedDatabase: the file on disk is encrypted, keys are verified, settings are applied.
#include "storage/EncryptedDatabase.h"
#include "storage/SchemaMigrations.h"

#include "StorageTestSupport.h"

#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::storage;

namespace {
const QByteArray kMarker = QByteArrayLiteral("signiq-plaintext-marker-7f3a");
}

class TestEncryptedDatabase : public QObject {
    Q_OBJECT

private slots:
    void init();

    void selfCheckPasses();
    void createsAndReopens();
    void fileHasNoPlaintext();
    void sqliteCliCannotReadIt();
    void wrongKeyIsAClearError();
    void plainSqliteFileIsRejected();
    void pragmasAreApplied();
    void rejectsBadArguments_data();
    void rejectsBadArguments();
    void newerSchemaIsAnError();
    void twoConnectionsShareTheFile();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void createWithMarker(const QString &file);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestEncryptedDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestEncryptedDatabase::createWithMarker(const QString &file)
{
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("marker"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    QSqlQuery query(db->database());
    QVERIFY(query.exec(QStringLiteral("CREATE TABLE notes (text TEXT)")));
    QVERIFY(query.prepare(QStringLiteral("INSERT INTO notes VALUES (?)")));
    query.addBindValue(QString::fromLatin1(kMarker));
    QVERIFY(query.exec());
}

void TestEncryptedDatabase::selfCheckPasses()
{
    const auto version = EncryptedDatabase::selfCheck();
    QVERIFY2(version.ok(), version.ok() ? "" : qPrintable(version.error().toString()));
    QVERIFY(!version->isEmpty());
    QVERIFY2(version->startsWith(QLatin1StringView("3.")), qPrintable(*version));
}

void TestEncryptedDatabase::createsAndReopens()
{
    const QString file = path(QStringLiteral("edge.db"));
    createWithMarker(file);
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("reopen"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    QVERIFY(db->isOpen());
    QCOMPARE(db->path(), file);
    QCOMPARE(db->connectionName(), QStringLiteral("reopen"));
    QCOMPARE(*db->schemaVersion(), SchemaMigrations::latestVersion());
    QSqlQuery query(db->database());
    QVERIFY(query.exec(QStringLiteral("SELECT text FROM notes")) && query.next());
    QCOMPARE(query.value(0).toString().toLatin1(), kMarker);
    query.finish();
    query = QSqlQuery();
    db->close();
    QVERIFY(!db->isOpen());
    QVERIFY(!QSqlDatabase::contains(QStringLiteral("reopen")));
}

void TestEncryptedDatabase::fileHasNoPlaintext()
{
    const QString file = path(QStringLiteral("edge.db"));
    createWithMarker(file);
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.size() >= 4096);
    QVERIFY2(!bytes.startsWith("SQLite format 3"), "the file must not have a plain SQLite header");
    QVERIFY(!bytes.contains(kMarker));
    QVERIFY(!bytes.contains("CREATE TABLE"));
    QVERIFY(!QFile::exists(file + QStringLiteral("-wal")) || !QFile(file + QStringLiteral("-wal")).size());
}

void TestEncryptedDatabase::sqliteCliCannotReadIt()
{
    const QString cli = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (cli.isEmpty())
        QFAIL("fixture missing: the sqlite3 command-line tool is not installed (apt install sqlite3)");
    const QString file = path(QStringLiteral("edge.db"));
    createWithMarker(file);
    QProcess process;
    process.start(cli, {file, QStringLiteral("select count(*) from sqlite_master")});
    QVERIFY(process.waitForFinished(30000));
    const QString err = QString::fromLocal8Bit(process.readAllStandardError());
    QVERIFY2(process.exitCode() != 0, qPrintable(QString::fromLocal8Bit(process.readAllStandardOutput())));
    QVERIFY2(err.contains(QLatin1StringView("not a database")), qPrintable(err));
}

void TestEncryptedDatabase::wrongKeyIsAClearError()
{
    const QString file = path(QStringLiteral("edge.db"));
    createWithMarker(file);
    auto db = EncryptedDatabase::open(file, test::testKey(2), QStringLiteral("wrong"));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, core::ErrorCode::WrongKey);
    QCOMPARE(db.error().message,
             QStringLiteral("cannot open %1: wrong database key or not a Signiq database").arg(file));
    QVERIFY(!QSqlDatabase::contains(QStringLiteral("wrong"))); // cleaned up
    // The right key still works afterwards: nothing was overwritten.
    auto right = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("right"));
    QVERIFY2(right.ok(), right.ok() ? "" : qPrintable(right.error().toString()));
}

void TestEncryptedDatabase::plainSqliteFileIsRejected()
{
    const QString cli = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
    if (cli.isEmpty())
        QFAIL("fixture missing: the sqlite3 command-line tool is not installed (apt install sqlite3)");
    const QString file = path(QStringLiteral("plain.db"));
    QProcess process;
    process.start(cli, {file, QStringLiteral("create table t(a); insert into t values (1);")});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("plain"));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, core::ErrorCode::WrongKey);
}

void TestEncryptedDatabase::pragmasAreApplied()
{
    auto db = EncryptedDatabase::open(path(QStringLiteral("edge.db")), test::testKey(), QStringLiteral("pragmas"));
    QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    const auto pragma = [&](const QString &name) {
        QSqlQuery query(db->database());
        if (!query.exec(QStringLiteral("PRAGMA ") + name) || !query.next())
            return QString();
        return query.value(0).toString();
    };
    QCOMPARE(pragma(QStringLiteral("journal_mode")), QStringLiteral("wal"));
    QCOMPARE(pragma(QStringLiteral("cipher_page_size")), QStringLiteral("4096"));
    QCOMPARE(pragma(QStringLiteral("busy_timeout")), QStringLiteral("5000"));
    QCOMPARE(pragma(QStringLiteral("foreign_keys")), QStringLiteral("1"));
    QVERIFY(!pragma(QStringLiteral("cipher_version")).isEmpty());
}

void TestEncryptedDatabase::rejectsBadArguments_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("short key") << QByteArray(16, 'k') << QStringLiteral("a") << QStringLiteral("must be 32 bytes, got 16");
    QTest::newRow("hex text as key") << test::testKey().toHex() << QStringLiteral("a") << QStringLiteral("got 64");
    QTest::newRow("empty connection") << test::testKey() << QString() << QStringLiteral("connection name");
    QTest::newRow("connection in use") << test::testKey() << QStringLiteral("taken") << QStringLiteral("already in use");
}

void TestEncryptedDatabase::rejectsBadArguments()
{
    QFETCH(QByteArray, key);
    QFETCH(QString, connection);
    QFETCH(QString, messagePart);
    auto taken = EncryptedDatabase::open(path(QStringLiteral("taken.db")), test::testKey(), QStringLiteral("taken"));
    QVERIFY(taken.ok());
    auto db = EncryptedDatabase::open(path(QStringLiteral("edge.db")), key, connection);
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(db.error().message.contains(messagePart), qPrintable(db.error().message));
    QVERIFY(taken->isOpen()); // the existing connection was not disturbed
}

void TestEncryptedDatabase::newerSchemaIsAnError()
{
    const QString file = path(QStringLiteral("edge.db"));
    {
        auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("future"));
        QVERIFY(db.ok());
        QSqlQuery query(db->database());
        QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("future"));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, core::ErrorCode::Unsupported);
    QVERIFY2(db.error().message.contains(QLatin1StringView("version 99 is newer")), qPrintable(db.error().message));
    QVERIFY(db.error().message.contains(file));
}

void TestEncryptedDatabase::twoConnectionsShareTheFile()
{
    const QString file = path(QStringLiteral("edge.db"));
    auto writer = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("writer"));
    auto reader = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("reader"));
    QVERIFY(writer.ok() && reader.ok());
    QSqlQuery w(writer->database());
    QVERIFY(w.exec(QStringLiteral("CREATE TABLE t (a)")));
    QVERIFY(writer->database().transaction());
    QVERIFY(w.exec(QStringLiteral("INSERT INTO t VALUES (1)")));
    QSqlQuery r(reader->database());
    QVERIFY2(r.exec(QStringLiteral("SELECT count(*) FROM t")) && r.next(), qPrintable(r.lastError().text()));
    QCOMPARE(r.value(0).toInt(), 0); // WAL: readers see the last committed state
    r.finish();
    QVERIFY(writer->database().commit());
    QVERIFY(r.exec(QStringLiteral("SELECT count(*) FROM t")) && r.next());
    QCOMPARE(r.value(0).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestEncryptedDatabase)
#include "TestEncryptedDatabase.moc"
