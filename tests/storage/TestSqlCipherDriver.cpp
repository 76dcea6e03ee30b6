// The QSQLCIPHER driver through Qt's public QSqlDatabase/QSqlQuery/QSqlQueryModel API.
#include "storage/EncryptedDatabase.h"
#include "storage/SqlCipherDriver.h"

#include "StorageTestSupport.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace signiq;
using namespace signiq::storage;

class TestSqlCipherDriver : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void registrationIsIdempotent();
    void featuresAreTruthful();
    void roundTrip_data();
    void roundTrip();
    void positionalBinds();
    void namedBinds();
    void reexecPreparedStatement();
    void transactionRollback();
    void transactionCommit();
    void lastInsertIdAndRowsAffected();
    void recordTablesAndPrimaryIndex();
    void scrollableQuery();
    void forwardOnlyQuery();
    void queryModelShowsRows();
    void errors_data();
    void errors();

private:
    QSqlDatabase db() const { return m_db->database(); }
    void exec(const QString &sql);

    QTemporaryDir m_dir;
    std::optional<EncryptedDatabase> m_db;
    int m_counter = 0;
};

void TestSqlCipherDriver::initTestCase()
{
    QVERIFY(m_dir.isValid());
    registerSqlCipherDriver();
    QVERIFY(QSqlDatabase::drivers().contains(QStringLiteral("QSQLCIPHER")));
}

void TestSqlCipherDriver::init()
{
    const QString path = m_dir.filePath(QStringLiteral("driver-%1.db").arg(++m_counter));
    auto opened = EncryptedDatabase::open(path, test::testKey(), QStringLiteral("driver-test"),
                                          EncryptedDatabase::OpenOptions{.migrate = false});
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().toString()));
    m_db.emplace(std::move(opened).value());
}

void TestSqlCipherDriver::cleanup()
{
    m_db.reset();
}

void TestSqlCipherDriver::exec(const QString &sql)
{
    QSqlQuery query(db());
    QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
}

void TestSqlCipherDriver::registrationIsIdempotent()
{
    registerSqlCipherDriver();
    registerSqlCipherDriver();
    QCOMPARE(QSqlDatabase::drivers().count(QStringLiteral("QSQLCIPHER")), 1);
    QCOMPARE(db().driverName(), QStringLiteral("QSQLCIPHER"));
    QVERIFY(qobject_cast<SqlCipherDriver *>(db().driver()));
}

void TestSqlCipherDriver::featuresAreTruthful()
{
    const QSqlDriver *driver = db().driver();
    QVERIFY(driver->hasFeature(QSqlDriver::Transactions));
    QVERIFY(driver->hasFeature(QSqlDriver::BLOB));
    QVERIFY(driver->hasFeature(QSqlDriver::Unicode));
    QVERIFY(driver->hasFeature(QSqlDriver::PreparedQueries));
    QVERIFY(driver->hasFeature(QSqlDriver::PositionalPlaceholders));
    QVERIFY(driver->hasFeature(QSqlDriver::LastInsertId));
    QVERIFY(!driver->hasFeature(QSqlDriver::QuerySize));
    QVERIFY(!driver->hasFeature(QSqlDriver::BatchOperations));
    QVERIFY(!driver->hasFeature(QSqlDriver::MultipleResultSets));
    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("SELECT 1")));
    QCOMPARE(query.size(), -1); // consistent with QuerySize == false
}

void TestSqlCipherDriver::roundTrip_data()
{
    QTest::addColumn<QString>("declType");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QVariant>("expected");
    QTest::addColumn<QString>("storageClass");

    const QByteArray blob("\0a\0b\0\xff", 6);
    QTest::newRow("int64 max") << QStringLiteral("INTEGER") << QVariant::fromValue(std::numeric_limits<qint64>::max())
                               << QVariant::fromValue(std::numeric_limits<qint64>::max()) << QStringLiteral("integer");
    QTest::newRow("int64 min") << QStringLiteral("INTEGER") << QVariant::fromValue(std::numeric_limits<qint64>::min())
                               << QVariant::fromValue(std::numeric_limits<qint64>::min()) << QStringLiteral("integer");
    QTest::newRow("int") << QStringLiteral("INTEGER") << QVariant(-42) << QVariant::fromValue(qint64(-42)) << QStringLiteral("integer");
    QTest::newRow("bool") << QStringLiteral("INTEGER") << QVariant(true) << QVariant::fromValue(qint64(1)) << QStringLiteral("integer");
    QTest::newRow("double") << QStringLiteral("REAL") << QVariant(3.141592653589793) << QVariant(3.141592653589793) << QStringLiteral("real");
    QTest::newRow("text") << QStringLiteral("TEXT") << QVariant(QStringLiteral("Zürich ☕ 東京")) << QVariant(QStringLiteral("Zürich ☕ 東京"))
                          << QStringLiteral("text");
    QTest::newRow("empty text") << QStringLiteral("TEXT") << QVariant(QStringLiteral("")) << QVariant(QStringLiteral("")) << QStringLiteral("text");
    QTest::newRow("blob with zero bytes") << QStringLiteral("BLOB") << QVariant(blob) << QVariant(blob) << QStringLiteral("blob");
    QTest::newRow("empty blob") << QStringLiteral("BLOB") << QVariant(QByteArray("")) << QVariant(QByteArray("")) << QStringLiteral("blob");
    QTest::newRow("null") << QStringLiteral("TEXT") << QVariant() << QVariant() << QStringLiteral("null");
    QTest::newRow("typed null") << QStringLiteral("INTEGER") << QVariant(QMetaType::fromType<qint64>()) << QVariant()
                                << QStringLiteral("null");
    const QDateTime when(QDate(2024, 5, 17), QTime(13, 45, 30, 250), Qt::UTC);
    QTest::newRow("datetime") << QStringLiteral("TEXT") << QVariant(when) << QVariant(QStringLiteral("2024-05-17T13:45:30.250Z"))
                              << QStringLiteral("text");
}

void TestSqlCipherDriver::roundTrip()
{
    QFETCH(QString, declType);
    QFETCH(QVariant, value);
    QFETCH(QVariant, expected);
    QFETCH(QString, storageClass);

    exec(QStringLiteral("CREATE TABLE t (v %1)").arg(declType));
    QSqlQuery insert(db());
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (v) VALUES (?)")));
    insert.addBindValue(value);
    QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));

    QSqlQuery select(db());
    QVERIFY(select.exec(QStringLiteral("SELECT v, typeof(v) FROM t")));
    QVERIFY(select.next());
    QCOMPARE(select.value(1).toString(), storageClass);
    if (expected.isNull()) {
        QVERIFY(select.isNull(0));
        QVERIFY(select.value(0).isNull());
    } else {
        QVERIFY(!select.isNull(0));
        QCOMPARE(select.value(0).metaType(), expected.metaType());
        QCOMPARE(select.value(0), expected);
    }
    QVERIFY(!select.next());
}

void TestSqlCipherDriver::positionalBinds()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER, b TEXT, c BLOB)"));
    QSqlQuery query(db());
    QVERIFY(query.prepare(QStringLiteral("INSERT INTO t (a, b, c) VALUES (?, ?, ?)")));
    query.bindValue(2, QByteArray("\x01\x00\x02", 3));
    query.bindValue(0, 7);
    query.bindValue(1, QStringLiteral("seven"));
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    QVERIFY(query.exec(QStringLiteral("SELECT a, b, c FROM t")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toLongLong(), 7);
    QCOMPARE(query.value(1).toString(), QStringLiteral("seven"));
    QCOMPARE(query.value(2).toByteArray(), QByteArray("\x01\x00\x02", 3));
}

void TestSqlCipherDriver::namedBinds()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER, b TEXT, c INTEGER)"));
    QSqlQuery query(db());
    // :a is used twice; the ':' inside the string literal is not a placeholder.
    QVERIFY(query.prepare(QStringLiteral("INSERT INTO t (a, b, c) VALUES (:a, :b || ' at 12:30', :a * 2)")));
    query.bindValue(QStringLiteral(":b"), QStringLiteral("lunch"));
    query.bindValue(QStringLiteral(":a"), 21);
    QVERIFY2(query.exec(), qPrintable(query.lastError().text()));

    QSqlQuery select(db());
    QVERIFY(select.prepare(QStringLiteral("SELECT b, c FROM t WHERE a = :a")));
    select.bindValue(QStringLiteral(":a"), 21);
    QVERIFY2(select.exec(), qPrintable(select.lastError().text()));
    QVERIFY(select.next());
    QCOMPARE(select.value(0).toString(), QStringLiteral("lunch at 12:30"));
    QCOMPARE(select.value(1).toLongLong(), 42);
}

void TestSqlCipherDriver::reexecPreparedStatement()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER)"));
    QSqlQuery query(db());
    QVERIFY(query.prepare(QStringLiteral("INSERT INTO t (a) VALUES (?)")));
    for (int i = 0; i < 50; ++i) {
        query.addBindValue(i);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
    }
    QSqlQuery select(db());
    QVERIFY(select.prepare(QStringLiteral("SELECT count(*), sum(a) FROM t WHERE a >= ?")));
    select.addBindValue(10);
    QVERIFY(select.exec() && select.next());
    QCOMPARE(select.value(0).toInt(), 40);
    select.addBindValue(40);
    QVERIFY(select.exec() && select.next());
    QCOMPARE(select.value(0).toInt(), 10);
    QCOMPARE(select.value(1).toInt(), 445);
}

void TestSqlCipherDriver::transactionRollback()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER)"));
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (1)"));
    exec(QStringLiteral("INSERT INTO t VALUES (2)"));
    QVERIFY(db().rollback());
    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM t")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
}

void TestSqlCipherDriver::transactionCommit()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER)"));
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (1)"));
    QVERIFY(db().commit());
    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM t")) && query.next());
    QCOMPARE(query.value(0).toInt(), 1);
    // A transaction inside a transaction is a SAVEPOINT: its rollback undoes only its own part,
    // its commit keeps it inside the outer one, which decides for both.
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (2)"));
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (3)"));
    QVERIFY(db().rollback()); // 3 only
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (4)"));
    QVERIFY(db().commit()); // released into the outer transaction
    QVERIFY(db().commit());
    QVERIFY(query.exec(QStringLiteral("SELECT group_concat(a) FROM (SELECT a FROM t ORDER BY a)")) && query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("1,2,4"));
    query.finish();
    // Rolling back the outer one undoes the committed inner one too.
    QVERIFY(db().transaction());
    QVERIFY(db().transaction());
    exec(QStringLiteral("INSERT INTO t VALUES (5)"));
    QVERIFY(db().commit());
    QVERIFY(db().rollback());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM t")) && query.next());
    QCOMPARE(query.value(0).toInt(), 3);
    query.finish();
    // Unbalanced: a commit without a transaction is an error with SQLite's message.
    QVERIFY(!db().commit());
    QVERIFY2(db().lastError().text().contains(QLatin1StringView("no transaction is active")), qPrintable(db().lastError().text()));
}

void TestSqlCipherDriver::lastInsertIdAndRowsAffected()
{
    exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)"));
    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("INSERT INTO t (id, a) VALUES (41, 1)")));
    QVERIFY(query.exec(QStringLiteral("INSERT INTO t (a) VALUES (2)")));
    QCOMPARE(query.lastInsertId().toLongLong(), 42);
    QCOMPARE(query.numRowsAffected(), 1);
    QVERIFY(query.exec(QStringLiteral("UPDATE t SET a = a + 1")));
    QCOMPARE(query.numRowsAffected(), 2);
    QVERIFY(query.exec(QStringLiteral("DELETE FROM t WHERE a > 100")));
    QCOMPARE(query.numRowsAffected(), 0);
}

void TestSqlCipherDriver::recordTablesAndPrimaryIndex()
{
    exec(QStringLiteral("CREATE TABLE items (zone TEXT NOT NULL, start_ms INTEGER, score REAL, payload BLOB, "
                        "PRIMARY KEY (zone, start_ms))"));
    exec(QStringLiteral("CREATE VIEW item_zones AS SELECT DISTINCT zone FROM items"));
    QCOMPARE(db().tables(), QStringList{QStringLiteral("items")});
    QCOMPARE(db().tables(QSql::Views), QStringList{QStringLiteral("item_zones")});
    QVERIFY(db().tables(QSql::SystemTables).contains(QStringLiteral("sqlite_master")));

    const QSqlRecord tableRecord = db().record(QStringLiteral("items"));
    QCOMPARE(tableRecord.count(), 4);
    QCOMPARE(tableRecord.fieldName(0), QStringLiteral("zone"));
    QCOMPARE(tableRecord.field(0).metaType(), QMetaType::fromType<QString>());
    QCOMPARE(tableRecord.field(0).requiredStatus(), QSqlField::Required);
    QCOMPARE(tableRecord.field(2).metaType(), QMetaType::fromType<double>());
    QCOMPARE(tableRecord.field(3).metaType(), QMetaType::fromType<QByteArray>());

    const QSqlIndex primary = db().primaryIndex(QStringLiteral("items"));
    QCOMPARE(primary.count(), 2);
    QCOMPARE(primary.fieldName(0), QStringLiteral("zone"));
    QCOMPARE(primary.fieldName(1), QStringLiteral("start_ms"));

    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("SELECT zone, start_ms AS start, score * 2 FROM items")));
    const QSqlRecord resultRecord = query.record();
    QCOMPARE(resultRecord.count(), 3);
    QCOMPARE(resultRecord.fieldName(0), QStringLiteral("zone"));
    QCOMPARE(resultRecord.fieldName(1), QStringLiteral("start"));
    QCOMPARE(resultRecord.field(1).metaType(), QMetaType::fromType<qlonglong>());
}

void TestSqlCipherDriver::scrollableQuery()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER)"));
    QVERIFY(db().transaction());
    QSqlQuery insert(db());
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t VALUES (?)")));
    for (int i = 0; i < 20; ++i) {
        insert.addBindValue(i);
        QVERIFY(insert.exec());
    }
    QVERIFY(db().commit());

    QSqlQuery query(db());
    QVERIFY(query.exec(QStringLiteral("SELECT a FROM t ORDER BY a")));
    QVERIFY(query.seek(10));
    QCOMPARE(query.value(0).toInt(), 10);
    QVERIFY(query.seek(3));
    QCOMPARE(query.value(0).toInt(), 3);
    QVERIFY(query.last());
    QCOMPARE(query.at(), 19);
    QCOMPARE(query.value(0).toInt(), 19);
    QVERIFY(query.previous());
    QCOMPARE(query.value(0).toInt(), 18);
    QVERIFY(query.first());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(!query.seek(20));
    QCOMPARE(query.at(), int(QSql::AfterLastRow));
}

void TestSqlCipherDriver::forwardOnlyQuery()
{
    exec(QStringLiteral("CREATE TABLE t (a INTEGER)"));
    exec(QStringLiteral("INSERT INTO t VALUES (1), (2), (3)"));
    QSqlQuery query(db());
    query.setForwardOnly(true);
    QVERIFY(query.exec(QStringLiteral("SELECT a FROM t ORDER BY a")));
    int sum = 0;
    while (query.next())
        sum += query.value(0).toInt();
    QCOMPARE(sum, 6);
    QVERIFY(!query.seek(0)); // forward-only cannot go back
    // Empty result
    QVERIFY(query.exec(QStringLiteral("SELECT a FROM t WHERE a > 10")));
    QVERIFY(query.isActive());
    QVERIFY(query.isSelect());
    QVERIFY(!query.next());
}

void TestSqlCipherDriver::queryModelShowsRows()
{
    exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"));
    QVERIFY(db().transaction());
    QSqlQuery insert(db());
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (name) VALUES (?)")));
    for (int i = 0; i < 600; ++i) { // more than QSqlQueryModel's 255-row fetch batch
        insert.addBindValue(QStringLiteral("row %1").arg(i));
        QVERIFY(insert.exec());
    }
    QVERIFY(db().commit());

    QSqlQueryModel model;
    model.setQuery(QStringLiteral("SELECT id, name FROM t ORDER BY id"), db());
    QVERIFY2(!model.lastError().isValid(), qPrintable(model.lastError().text()));
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("name"));
    QVERIFY(model.rowCount() > 0);
    while (model.canFetchMore())
        model.fetchMore();
    QCOMPARE(model.rowCount(), 600);
    QCOMPARE(model.data(model.index(0, 1)).toString(), QStringLiteral("row 0"));
    QCOMPARE(model.data(model.index(599, 1)).toString(), QStringLiteral("row 599"));
    QCOMPARE(model.data(model.index(300, 0)).toLongLong(), 301); // random access back into the middle
    QCOMPARE(model.data(model.index(7, 1)).toString(), QStringLiteral("row 7"));
}

void TestSqlCipherDriver::errors_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("syntax") << QStringLiteral("SELEC 1") << QStringLiteral("syntax error");
    QTest::newRow("missing table") << QStringLiteral("SELECT * FROM nope") << QStringLiteral("no such table: nope");
    QTest::newRow("constraint") << QStringLiteral("INSERT INTO u VALUES (1)") << QStringLiteral("UNIQUE constraint failed: u.a");
    QTest::newRow("two statements") << QStringLiteral("SELECT 1; SELECT 2") << QStringLiteral("multiple statements");
}

void TestSqlCipherDriver::errors()
{
    QFETCH(QString, sql);
    QFETCH(QString, messagePart);
    exec(QStringLiteral("CREATE TABLE u (a INTEGER UNIQUE)"));
    exec(QStringLiteral("INSERT INTO u VALUES (1)"));
    QSqlQuery query(db());
    QVERIFY(!query.exec(sql));
    QVERIFY2(query.lastError().isValid(), "an error is reported");
    QVERIFY2(query.lastError().text().contains(messagePart), qPrintable(query.lastError().text()));

    // Parameter count mismatch on a prepared statement.
    QVERIFY(query.prepare(QStringLiteral("SELECT ? + ?")));
    query.addBindValue(1);
    QVERIFY(!query.exec());
    QVERIFY2(query.lastError().text().contains(QLatin1StringView("Parameter count mismatch")),
             qPrintable(query.lastError().text()));
}

QTEST_GUILESS_MAIN(TestSqlCipherDriver)
#include "TestSqlCipherDriver.moc"
