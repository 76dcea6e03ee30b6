// The symbol clash: OpenCV pulls the system libsqlite3 into this process; because
// signiq_link_sqlcipher() put libsqlcipher first, every sqlite3_* call still goes to SQLCipher.
// A probe linked the wrong way round must fail the self-check loudly.
#include "storage/EncryptedDatabase.h"

#include "StorageTestSupport.h"

#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <link.h>

using namespace signiq;
using namespace signiq::storage;

namespace {

QStringList loadedLibraries()
{
    QStringList names;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) {
            static_cast<QStringList *>(data)->append(QString::fromLocal8Bit(info->dlpi_name));
            return 0;
        },
        &names);
    return names;
}

qsizetype indexOfLibrary(const QStringList &libraries, QLatin1StringView soname)
{
    for (qsizetype i = 0; i < libraries.size(); ++i) {
        if (libraries.at(i).endsWith(QLatin1Char('/') + soname))
            return i;
    }
    return -1;
}

} // namespace

class TestSqlCipherLinkOrder : public QObject {
    Q_OBJECT

private slots:
    void sqlcipherIsLoadedBeforeSqlite();
    void selfCheckAndEncryptionWorkNextToOpenCv();
    void wrongLinkOrderFailsTheSelfCheck();
};

void TestSqlCipherLinkOrder::sqlcipherIsLoadedBeforeSqlite()
{
    // Use OpenCV so that it (and, through GDAL, libsqlite3) really is loaded here.
    QVERIFY(cv::haveImageWriter(".png"));
    const QStringList libraries = loadedLibraries();
    const qsizetype cipher = indexOfLibrary(libraries, QLatin1StringView("libsqlcipher.so.0"));
    const qsizetype plain = indexOfLibrary(libraries, QLatin1StringView("libsqlite3.so.0"));
    QVERIFY2(cipher >= 0, qPrintable(libraries.join(QLatin1Char('\n'))));
    if (plain < 0)
        QSKIP("OpenCV did not pull in libsqlite3 on this system: there is no clash to test");
    QVERIFY2(cipher < plain, qPrintable(libraries.join(QLatin1Char('\n'))));
}

void TestSqlCipherLinkOrder::selfCheckAndEncryptionWorkNextToOpenCv()
{
    const auto version = EncryptedDatabase::selfCheck();
    QVERIFY2(version.ok(), version.ok() ? "" : qPrintable(version.error().toString()));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("edge.db"));
    {
        auto db = EncryptedDatabase::open(file, test::testKey(), QStringLiteral("a"));
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().toString()));
    }
    auto wrong = EncryptedDatabase::open(file, test::testKey(9), QStringLiteral("b"));
    QCOMPARE(wrong.ok() ? core::ErrorCode::Internal : wrong.error().code, core::ErrorCode::WrongKey);
}

void TestSqlCipherLinkOrder::wrongLinkOrderFailsTheSelfCheck()
{
    QTemporaryDir dir;
    QProcess probe;
    probe.start(QStringLiteral(SIGNIQ_WRONG_LINK_ORDER_PROBE), {dir.filePath(QStringLiteral("probe.db"))});
    QVERIFY(probe.waitForFinished(60000));
    const QString out = QString::fromLocal8Bit(probe.readAllStandardOutput() + probe.readAllStandardError());
    QCOMPARE(probe.exitCode(), 3);
    QVERIFY2(out.contains(QLatin1StringView("linked against plain SQLite")), qPrintable(out));
    QVERIFY2(out.contains(QLatin1StringView("unsupported")), qPrintable(out));
    QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("probe.db"))), "no unencrypted file may be created");
}

QTEST_GUILESS_MAIN(TestSqlCipherLinkOrder)
#include "TestSqlCipherLinkOrder.moc"
