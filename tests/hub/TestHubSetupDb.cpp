// `signiq-hub setup-db` against the real PostgreSQL server of the CTest fixture, as its
// superuser (the test runs as root, like `sudo signiq-hub setup-db`): the database
// signiq_test_setup does not exist before (fixture hub_postgres_drop_setup_db). The roles do
// (the fixture made them, and every hub test uses their passwords), so the credentials
// directory is the cluster's: setup-db keeps those passwords. A brand-new server with no roles
// and no password files is what scripts/test-packages.sh runs it on.
#include "HubTestSupport.h"

#include "hub/DatabaseSetup.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace signiq;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

const QString kDb = QStringLiteral("signiq_test_setup");

} // namespace

class TestHubSetupDb : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void firstRunCreatesTheDatabaseAndMigrates();
    void secondRunSaysWhatAlreadyExisted();
    void theServiceSettingsWork();
    void notRunningIsNamed();
    void notAllowedIsNamed();
    void badOptionsAreRefused();
    void scramVerifierHasPostgresFormat();

private:
    Run hub(const QStringList &args, const QStringList &prefix = {}, const QProcessEnvironment &extra = {}) const;
    QStringList setupArgs() const;
    QString m_dir;
    QString m_conninfo;
    QString m_credentials;
};

Run TestHubSetupDb::hub(const QStringList &args, const QStringList &prefix, const QProcessEnvironment &extra) const
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CREDENTIALS_DIRECTORY"));
    env.remove(QStringLiteral("SIGNIQ_HUB_DB"));
    for (const QString &key : extra.keys())
        env.insert(key, extra.value(key));
    process.setProcessEnvironment(env);
    if (prefix.isEmpty())
        process.start(QStringLiteral(SIGNIQ_HUB_BINARY), args);
    else
        process.start(prefix.first(), prefix.mid(1) + QStringList{QStringLiteral(SIGNIQ_HUB_BINARY)} + args);
    Run run;
    if (!process.waitForFinished(120'000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList TestHubSetupDb::setupArgs() const
{
    return {QStringLiteral("setup-db"), QStringLiteral("--admin-host"), m_dir, QStringLiteral("--db"), m_conninfo,
            QStringLiteral("--credentials-dir"), m_credentials};
}

void TestHubSetupDb::initTestCase()
{
    m_dir = hub::test::clusterDir();
    QVERIFY2(!m_dir.isEmpty() && QFileInfo::exists(QDir(m_dir).filePath(QStringLiteral("port"))),
             "fixture missing: PostgreSQL cluster (run through ctest)");
    QVERIFY2(::geteuid() == 0, "setup-db logs in as PostgreSQL's superuser by peer authentication: run the hub tests as root");
    m_conninfo = QStringLiteral("host=%1 port=%2 dbname=%3").arg(m_dir).arg(qEnvironmentVariableIntValue("SIGNIQ_TEST_PG_PORT")).arg(kDb);
    m_credentials = QDir(m_dir).filePath(QStringLiteral("credentials"));
}

void TestHubSetupDb::firstRunCreatesTheDatabaseAndMigrates()
{
    const Run r = hub(setupArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const QString &role : hub::DatabaseSetup::roles()) {
        QVERIFY2(r.err.contains(QStringLiteral("role %1: already existed, attributes checked").arg(role)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("password kept from %1/%2.password").arg(m_credentials, role)), qPrintable(r.err));
    }
    QVERIFY2(r.err.contains(QStringLiteral("database %1: created (owner signiq_owner").arg(kDb)), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("applied migration 1\n")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("created partition ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("signiq_app logs in")), qPrintable(r.err));
    QCOMPARE(r.out, QStringLiteral("SIGNIQ_HUB_DB=\"%1\"\n").arg(m_conninfo));

    // The database as a separate connection sees it: owned by signiq_owner, every migration
    // applied, and the application role neither superuser nor BYPASSRLS.
    QString why;
    auto owner = hub::test::connect(QStringLiteral("signiq_owner"), kDb, &why);
    QVERIFY2(owner, qPrintable(why));
    auto applied = hub::Migrations::applied(*owner);
    QVERIFY2(applied, applied ? "" : qPrintable(applied.error().message));
    auto available = hub::Migrations::available();
    QVERIFY(available);
    QCOMPARE(applied->size(), available->size());
    auto facts = owner->maintenance([](hub::Transaction &tx) -> core::Result<QStringList> {
        auto q = tx.exec(QStringLiteral(
            "SELECT pg_get_userbyid(d.datdba), r.rolsuper, r.rolbypassrls, has_database_privilege('public', d.datname, 'CONNECT') "
            "FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = 'signiq_app'"));
        if (!q)
            return q.error();
        if (!q->next())
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("no row"));
        return QStringList{q->value(0).toString(), q->value(1).toString(), q->value(2).toString(), q->value(3).toString()};
    });
    QVERIFY2(facts, facts ? "" : qPrintable(facts.error().message));
    QCOMPARE(*facts, (QStringList{QStringLiteral("signiq_owner"), QStringLiteral("false"), QStringLiteral("false"), QStringLiteral("false")}));
}

void TestHubSetupDb::secondRunSaysWhatAlreadyExisted()
{
    const Run r = hub(setupArgs());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("database %1: already existed (owner signiq_owner)").arg(kDb)), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("schema up to date (nothing to apply)")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String(": created")) && !r.err.contains(QLatin1String("password new")), qPrintable(r.err));
    QCOMPARE(r.out, QStringLiteral("SIGNIQ_HUB_DB=\"%1\"\n").arg(m_conninfo));
}

// What signiq-hub.service does with them: SIGNIQ_HUB_DB as printed, the passwords from
// $CREDENTIALS_DIRECTORY, the default role signiq_app.
void TestHubSetupDb::theServiceSettingsWork()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("SIGNIQ_HUB_DB"), m_conninfo);
    env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), m_credentials);
    const Run created = hub({QStringLiteral("org"), QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("Setup Ltd"),
                             QStringLiteral("--tier"), QStringLiteral("pro")},
                            {}, env);
    QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    const QString org = created.out.trimmed();
    const Run shown = hub({QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--org"), org}, {}, env);
    QVERIFY2(shown.exitCode == 0, qPrintable(shown.err));
    QVERIFY2(shown.out.contains(QLatin1String("name Setup Ltd")), qPrintable(shown.out));
}

void TestHubSetupDb::notRunningIsNamed()
{
    QTemporaryDir empty; // no socket in it: nothing listens
    QVERIFY(empty.isValid());
    QVERIFY(::chmod(QFile::encodeName(empty.path()).constData(), 0755) == 0);
    const Run r = hub({QStringLiteral("setup-db"), QStringLiteral("--admin-host"), empty.path(), QStringLiteral("--db"), m_conninfo,
                       QStringLiteral("--credentials-dir"), m_credentials});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QLatin1String("PostgreSQL is not running: nothing listens on ") + empty.path()), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("systemctl start postgresql")), qPrintable(r.err));
}

void TestHubSetupDb::notAllowedIsNamed()
{
    // Not root and not the postgres OS user: refused before connecting.
    const Run asNobody = hub(setupArgs(), {QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--")});
    QCOMPARE(asNobody.exitCode, 1);
    QVERIFY2(asNobody.err.contains(QLatin1String("not allowed: run signiq-hub setup-db as root (sudo) or as the OS user 'postgres' (you are 'nobody')")),
             qPrintable(asNobody.err));
    // Root, but as a superuser role whose OS user cannot log in (peer authentication).
    QStringList args = setupArgs();
    args << QStringLiteral("--admin-user") << QStringLiteral("nobody");
    const Run wrongRole = hub(args);
    QCOMPARE(wrongRole.exitCode, 1);
    QVERIFY2(wrongRole.err.contains(QLatin1String("not allowed to log in as PostgreSQL's superuser 'nobody'")), qPrintable(wrongRole.err));
    // A superuser role that does not exist as an OS user.
    args = setupArgs();
    args << QStringLiteral("--admin-user") << QStringLiteral("no_such_os_user");
    const Run noUser = hub(args);
    QCOMPARE(noUser.exitCode, 1);
    QVERIFY2(noUser.err.contains(QLatin1String("there is no OS user 'no_such_os_user'")), qPrintable(noUser.err));
}

void TestHubSetupDb::badOptionsAreRefused()
{
    const QString port = QString::number(qEnvironmentVariableIntValue("SIGNIQ_TEST_PG_PORT"));
    struct Case {
        QStringList args;
        QString message;
    };
    QTemporaryDir open;
    QVERIFY(open.isValid());
    QVERIFY(::chmod(QFile::encodeName(open.path()).constData(), 0755) == 0);
    const QList<Case> cases{
        {{QStringLiteral("--db"), QStringLiteral("host=%1 port=%2 dbname=Bad;Name").arg(m_dir, port)},
         QStringLiteral("bad database name 'Bad;Name'")},
        {{QStringLiteral("--db"), QStringLiteral("host=%1 port=%2 dbname=postgres").arg(m_dir, port)},
         QStringLiteral("database name 'postgres' is reserved")},
        {{QStringLiteral("--db"), m_conninfo, QStringLiteral("--user"), QStringLiteral("signiq_app")},
         QStringLiteral("--user, --password-file and user=/password_file= in --db do not apply")},
        {{QStringLiteral("--db"), m_conninfo + QStringLiteral(" password=secret")}, QStringLiteral("passwords are not accepted")},
        {{QStringLiteral("--db"), m_conninfo, QStringLiteral("--admin-host"), QStringLiteral("relative/dir")},
         QStringLiteral("--admin-host 'relative/dir' must be the directory of PostgreSQL's unix socket")},
        {{QStringLiteral("--db"), QStringLiteral("host=%1 port=99999 dbname=%2").arg(m_dir, kDb)},
         QStringLiteral("database port 99999 is out of range")},
        {{QStringLiteral("--db"), m_conninfo, QStringLiteral("--admin-host"), m_dir, QStringLiteral("--credentials-dir"), open.path()},
         QStringLiteral("credentials directory %1 is open to group or others (mode 755)").arg(open.path())},
    };
    for (const Case &c : cases) {
        QStringList args{QStringLiteral("setup-db"), QStringLiteral("--admin-host"), m_dir, QStringLiteral("--credentials-dir"), m_credentials};
        const Run r = hub(args + c.args);
        QVERIFY2(r.exitCode == 1, qPrintable(c.args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
        QVERIFY2(r.err.contains(c.message), qPrintable(c.message + QStringLiteral(" not in: ") + r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    }
    QVERIFY2(QDir(open.path()).isEmpty(), "nothing written into a refused credentials directory");
    const Run extra = hub({QStringLiteral("setup-db"), QStringLiteral("now")});
    QCOMPARE(extra.exitCode, 2);
    QVERIFY2(extra.err.contains(QLatin1String("unknown command 'setup-db now'")), qPrintable(extra.err));
}

void TestHubSetupDb::scramVerifierHasPostgresFormat()
{
    auto a = hub::DatabaseSetup::scramVerifier(QStringLiteral("correct horse"));
    auto b = hub::DatabaseSetup::scramVerifier(QStringLiteral("correct horse"));
    QVERIFY(a && b);
    QVERIFY2(QRegularExpression(QStringLiteral("^SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$")).match(*a).hasMatch(),
             qPrintable(*a));
    QVERIFY2(*a != *b, "a fresh salt every time");
    QVERIFY(!a->contains(QLatin1String("correct horse")));
}

QTEST_GUILESS_MAIN(TestHubSetupDb)
#include "TestHubSetupDb.moc"
