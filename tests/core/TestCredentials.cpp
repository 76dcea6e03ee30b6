// core::credentialFile: systemd credentials as the default of file options.
#include "core/Credentials.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using signiq::core::credentialFile;

class TestCredentials : public QObject {
    Q_OBJECT

private slots:
    void init() { qunsetenv("CREDENTIALS_DIRECTORY"); }

    void findsAnExistingCredential()
    {
        QTemporaryDir dir;
        QFile file(QDir(dir.path()).filePath(QStringLiteral("db.key")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        qputenv("CREDENTIALS_DIRECTORY", dir.path().toUtf8());
        QCOMPARE(credentialFile(QStringLiteral("db.key")), file.fileName());
        QCOMPARE(credentialFile(QStringLiteral("tls.key")), QString()); // not loaded
    }

    void nothingOutsideSystemd() { QCOMPARE(credentialFile(QStringLiteral("db.key")), QString()); }

    void refusesNamesWithASlash()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub")));
        QFile file(QDir(dir.path()).filePath(QStringLiteral("sub/db.key")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        qputenv("CREDENTIALS_DIRECTORY", dir.path().toUtf8());
        QCOMPARE(credentialFile(QStringLiteral("sub/db.key")), QString());
        QCOMPARE(credentialFile(QStringLiteral("sub")), QString()); // a directory is not a credential
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "TestCredentials.moc"
