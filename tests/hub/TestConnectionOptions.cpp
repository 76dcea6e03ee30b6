// hub::ConnectionOptions: the --db conninfo parser and where passwords come from (no server).
#include "hub/ConnectionOptions.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::hub;

class TestConnectionOptions : public QObject {
    Q_OBJECT

private slots:
    void init() { qunsetenv("CREDENTIALS_DIRECTORY"); }
    void parsesConnInfo();
    void toConnInfoRoundTrips();
    void refusesBadConnInfo_data();
    void refusesBadConnInfo();
    void validatesRanges();
    void passwordFromFileOrCredentialsDirectory();
    void passwordFileReadableByOthersIsRefused();
};

void TestConnectionOptions::parsesConnInfo()
{
    auto o = ConnectionOptions::fromConnInfo(
        QStringLiteral("  host=/srv/pg port=55432 dbname='my db' user=signiq_app password_file='/run/a\\'b' connect_timeout=3 sslmode=verify-full"));
    QVERIFY2(o, qPrintable(o.ok() ? QString() : o.error().toString()));
    QCOMPARE(o->host, QStringLiteral("/srv/pg"));
    QCOMPARE(o->port, 55432);
    QCOMPARE(o->dbname, QStringLiteral("my db"));
    QCOMPARE(o->user, QStringLiteral("signiq_app"));
    QCOMPARE(o->passwordFile, QStringLiteral("/run/a'b"));
    QCOMPARE(o->connectTimeoutS, 3);
    QCOMPARE(o->sslmode, QStringLiteral("verify-full"));
    QVERIFY(o->validate());
    QVERIFY(!o->describe().contains(QLatin1String("password")));
    auto empty = ConnectionOptions::fromConnInfo(QString());
    QVERIFY(empty);
    QCOMPARE(empty->dbname, QStringLiteral("signiq"));
    QCOMPARE(empty->port, 5432);
}

void TestConnectionOptions::toConnInfoRoundTrips()
{
    // What pg_dump and psql get (hub::Backup): quotes and backslashes in values survive, and a
    // password never appears.
    ConnectionOptions o;
    o.host = QStringLiteral("/srv/pg o'brien\\dir");
    o.port = 55432;
    o.dbname = QStringLiteral("sig niq");
    o.user = QStringLiteral("signiq_backup");
    o.sslmode = QStringLiteral("verify-full");
    o.connectTimeoutS = 7;
    o.passwordFile = QStringLiteral("/run/secret");
    const QString text = o.toConnInfo(QStringLiteral("signiq-hub backup"));
    QVERIFY(text.contains(QStringLiteral("application_name='signiq-hub backup'")));
    QVERIFY(!text.contains(QStringLiteral("password")));
    auto back = ConnectionOptions::fromConnInfo(text.section(QStringLiteral(" application_name="), 0, 0) + QStringLiteral(" sslmode=verify-full"));
    QVERIFY2(back, qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->host, o.host);
    QCOMPARE(back->port, o.port);
    QCOMPARE(back->dbname, o.dbname);
    QCOMPARE(back->user, o.user);
    QCOMPARE(back->connectTimeoutS, o.connectTimeoutS);
    QCOMPARE(back->sslmode, o.sslmode);
}

void TestConnectionOptions::refusesBadConnInfo_data()
{
    QTest::addColumn<QString>("conninfo");
    QTest::addColumn<QString>("message");
    QTest::newRow("password") << QStringLiteral("user=x password=secret") << QStringLiteral("passwords are not accepted");
    QTest::newRow("unknown key") << QStringLiteral("hostaddr=1.2.3.4") << QStringLiteral("unknown key 'hostaddr'");
    QTest::newRow("no value") << QStringLiteral("host") << QStringLiteral("expected key=value");
    QTest::newRow("bad port") << QStringLiteral("port=abc") << QStringLiteral("port 'abc' is not a number");
    QTest::newRow("open quote") << QStringLiteral("dbname='abc") << QStringLiteral("unterminated quote");
}

void TestConnectionOptions::refusesBadConnInfo()
{
    QFETCH(QString, conninfo);
    QFETCH(QString, message);
    auto o = ConnectionOptions::fromConnInfo(conninfo);
    QVERIFY(!o);
    QCOMPARE(o.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(o.error().message.contains(message), qPrintable(o.error().message));
    QVERIFY(!o.error().message.contains(QLatin1String("secret")));
}

void TestConnectionOptions::validatesRanges()
{
    ConnectionOptions o;
    o.user = QStringLiteral("u");
    QVERIFY(o.validate());
    o.port = 0;
    QVERIFY(!o.validate());
    o.port = 5432;
    o.user.clear();
    QVERIFY(!o.validate());
    o.user = QStringLiteral("u");
    o.sslmode = QStringLiteral("maybe");
    QVERIFY(!o.validate());
}

void TestConnectionOptions::passwordFromFileOrCredentialsDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("signiq_app.password")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("s3cret\n");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));

    ConnectionOptions o;
    o.user = QStringLiteral("signiq_app");
    auto none = o.password();
    QVERIFY(none);
    QVERIFY(none->isEmpty()); // no file, no CREDENTIALS_DIRECTORY: peer authentication
    o.passwordFile = file.fileName();
    auto fromFile = o.password();
    QVERIFY(fromFile);
    QCOMPARE(*fromFile, QStringLiteral("s3cret"));
    o.passwordFile.clear();
    qputenv("CREDENTIALS_DIRECTORY", dir.path().toUtf8());
    auto fromCredentials = o.password();
    QVERIFY(fromCredentials);
    QCOMPARE(*fromCredentials, QStringLiteral("s3cret"));
    o.user = QStringLiteral("signiq_owner"); // no file for this user there
    auto missing = o.password();
    QVERIFY(missing);
    QVERIFY(missing->isEmpty());
    o.passwordFile = dir.filePath(QStringLiteral("absent"));
    QVERIFY(!o.password());
}

void TestConnectionOptions::passwordFileReadableByOthersIsRefused()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("pw")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("s3cret");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    ConnectionOptions o;
    o.user = QStringLiteral("u");
    o.passwordFile = file.fileName();
    auto refused = o.password();
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
}

QTEST_GUILESS_MAIN(TestConnectionOptions)
#include "TestConnectionOptions.moc"
