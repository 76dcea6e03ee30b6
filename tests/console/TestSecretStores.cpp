#include "crypto/SecureFile.h"
#include "devices/EncryptedFileSecretStore.h"
#include "devices/FallbackSecretStore.h"
#include "devices/InMemorySecretStore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

namespace {
template <typename T>
T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.result();
}

const QString Secret = QStringLiteral("sq_live_abcdefghijkl_THISISTHESECRETTHISISTHESECRET12ab34");
} // namespace

class TestSecretStores : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void encryptedFileRoundTrip()
    {
        const QString db = m_dir.filePath(QStringLiteral("a/secrets.db"));
        const QString key = m_dir.filePath(QStringLiteral("a/secrets.key"));
        {
            EncryptedFileSecretStore store(db, key);
            QCOMPARE(await(store.readSecret(QStringLiteral("device/1"))).error().code, core::ErrorCode::NotFound);
            QVERIFY(!QFile::exists(db)); // a miss creates nothing
            QVERIFY(await(store.writeSecret(QStringLiteral("device/1"), Secret)).ok());
            QVERIFY(await(store.writeSecret(QStringLiteral("device/1"), Secret + QStringLiteral("x"))).ok()); // replace
            QCOMPARE(await(store.readSecret(QStringLiteral("device/1"))).value(), Secret + QStringLiteral("x"));
        }
        QCOMPARE(crypto::securefile::mode(key), 0600);
        EncryptedFileSecretStore reopened(db, key);
        QCOMPARE(await(reopened.readSecret(QStringLiteral("device/1"))).value(), Secret + QStringLiteral("x"));
        QVERIFY(await(reopened.removeSecret(QStringLiteral("device/1"))).ok());
        QCOMPARE(await(reopened.readSecret(QStringLiteral("device/1"))).error().code, core::ErrorCode::NotFound);
    }

    void fileIsEncrypted()
    {
        const QString db = m_dir.filePath(QStringLiteral("b/secrets.db"));
        {
            EncryptedFileSecretStore store(db, m_dir.filePath(QStringLiteral("b/secrets.key")));
            QVERIFY(await(store.writeSecret(QStringLiteral("device/2"), Secret)).ok());
        }
        QByteArray bytes;
        for (const QString &path : QStringList{db, db + QStringLiteral("-wal")}) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                bytes += f.readAll();
        }
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!bytes.contains("THISISTHESECRET"));
        QVERIFY(!bytes.contains("SQLite format 3"));
    }

    void wrongKeyIsAnError()
    {
        const QString db = m_dir.filePath(QStringLiteral("c/secrets.db"));
        {
            EncryptedFileSecretStore store(db, m_dir.filePath(QStringLiteral("c/one.key")));
            QVERIFY(await(store.writeSecret(QStringLiteral("d"), Secret)).ok());
        }
        EncryptedFileSecretStore other(db, m_dir.filePath(QStringLiteral("c/two.key")));
        const auto read = await(other.readSecret(QStringLiteral("d")));
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, core::ErrorCode::WrongKey);
    }

    void fallbackWhenNoKeychain()
    {
        InMemorySecretStore keychain;
        keychain.setFailure(core::makeError(core::ErrorCode::Unsupported, QStringLiteral("no Secret Service")));
        InMemorySecretStore file;
        FallbackSecretStore store(keychain, file);
        QSignalSpy activated(&store, &FallbackSecretStore::fallbackActivated);
        QVERIFY(await(store.writeSecret(QStringLiteral("k"), Secret)).ok());
        QCOMPARE(activated.count(), 1);
        QVERIFY(store.isUsingFallback());
        QVERIFY(file.contains(QStringLiteral("k")));
        QCOMPARE(await(store.readSecret(QStringLiteral("k"))).value(), Secret);
        QCOMPARE(store.backendName(), file.backendName());
    }

    void primaryUsedWhenAvailable()
    {
        InMemorySecretStore keychain;
        InMemorySecretStore file;
        QVERIFY(await(file.writeSecret(QStringLiteral("old"), QStringLiteral("from-file"))).ok());
        FallbackSecretStore store(keychain, file);
        QVERIFY(await(store.writeSecret(QStringLiteral("k"), Secret)).ok());
        QVERIFY(keychain.contains(QStringLiteral("k")));
        QVERIFY(!file.contains(QStringLiteral("k")));
        QVERIFY(!store.isUsingFallback());
        // A key saved while the keychain was down is still found.
        QCOMPARE(await(store.readSecret(QStringLiteral("old"))).value(), QStringLiteral("from-file"));
        QVERIFY(await(store.removeSecret(QStringLiteral("old"))).ok());
        QVERIFY(!file.contains(QStringLiteral("old")));
    }

    void otherKeychainErrorsAreReported()
    {
        InMemorySecretStore keychain;
        keychain.setFailure(core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("user said no")));
        InMemorySecretStore file;
        FallbackSecretStore store(keychain, file);
        const auto written = await(store.writeSecret(QStringLiteral("k"), Secret));
        QVERIFY(!written.ok());
        QCOMPARE(written.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY(!store.isUsingFallback());
    }
};

QTEST_GUILESS_MAIN(TestSecretStores)
#include "TestSecretStores.moc"
