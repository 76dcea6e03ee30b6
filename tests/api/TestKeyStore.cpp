// API keys in the encrypted store: only hashes stored, rotation overlap, revocation, expiry.
#include "api/KeyStore.h"
#include "storage/ApiKeyRepository.h"
#include "storage/EncryptedDatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;

class TestKeyStore : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto db = storage::EncryptedDatabase::open(m_dir->filePath(QStringLiteral("k.db")), QByteArray(32, '\x22'), QStringLiteral("keys"));
        QVERIFY(db.ok());
        m_db = std::make_unique<storage::EncryptedDatabase>(std::move(db).value());
        m_clock.setMs(1'000'000);
    }
    void cleanup() { m_db.reset(); }

    void onlyTheHashIsStored()
    {
        KeyStore keys(*m_db, m_clock);
        auto created = keys.create(KeyRequest{QStringLiteral("n"), Scope::Read | Scope::Admin, Tier::Pro, KeyEnvironment::Live, {}});
        QVERIFY(created.ok());
        QSqlQuery q(m_db->database());
        QVERIFY(q.exec(QStringLiteral("SELECT * FROM api_keys")));
        QVERIFY(q.next());
        for (int i = 0; i < 13; ++i) {
            const QByteArray value = q.value(i).toByteArray();
            QVERIFY(!value.contains(created->token.toLatin1()));
            QVERIFY(!value.contains(created->token.right(38).toLatin1()));
        }
        auto stored = storage::ApiKeyRepository(*m_db).find(created->info.keyId);
        QCOMPARE((*stored)->secretHash, ApiKeyFormat::hashToken(created->token));
        QCOMPARE((*stored)->scopes, (QStringList{QStringLiteral("read"), QStringLiteral("admin")}));
    }

    void authenticateAndLastUsed()
    {
        KeyStore keys(*m_db, m_clock);
        auto created = keys.create(KeyRequest{{}, Scope::Analytics, Tier::Free, KeyEnvironment::Test, {}});
        auto info = keys.authenticate(created->token);
        QVERIFY(info.ok());
        QCOMPARE(info->keyId, created->info.keyId);
        QCOMPARE(*keys.find(created->info.keyId)->lastUsedAtMs, 1'000'000);
        m_clock.advanceMs(30'000); // within the resolution: not rewritten
        QVERIFY(keys.authenticate(created->token).ok());
        QCOMPARE(*keys.find(created->info.keyId)->lastUsedAtMs, 1'000'000);
        m_clock.advanceMs(30'000);
        QVERIFY(keys.authenticate(created->token).ok());
        QCOMPARE(*keys.find(created->info.keyId)->lastUsedAtMs, 1'060'000);

        QString wrong = created->token;
        wrong[20] = wrong[20] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
        auto refused = keys.authenticate(wrong);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument); // checksum catches typos
        auto unknown = keys.authenticate(ApiKeyFormat::generate(KeyEnvironment::Test)->token);
        QCOMPARE(unknown.error().code, core::ErrorCode::PermissionDenied);
        // Same id, other secret (well-formed): refused.
        auto forged = ApiKeyFormat::generate(KeyEnvironment::Test, created->info.keyId);
        QCOMPARE(keys.authenticate(forged->token).error().code, core::ErrorCode::PermissionDenied);
    }

    void rotationOverlap()
    {
        KeyStore keys(*m_db, m_clock);
        auto created = keys.create(KeyRequest{{}, Scope::Read, Tier::Free, KeyEnvironment::Live, {}});
        auto rotated = keys.rotate(created->info.keyId, 10'000);
        QVERIFY(rotated.ok());
        QCOMPARE(*rotated->info.previousValidUntilMs, 1'010'000);
        QVERIFY(keys.authenticate(created->token).ok());
        QVERIFY(keys.authenticate(rotated->token).ok());
        m_clock.advanceMs(10'000);
        QVERIFY(!keys.authenticate(created->token).ok());
        QVERIFY(keys.authenticate(rotated->token).ok());
        QCOMPARE(keys.rotate(created->info.keyId, KeyStore::MaxRotationOverlapMs + 1).error().code, core::ErrorCode::InvalidArgument);
        QVERIFY(keys.rotate(created->info.keyId, KeyStore::MaxRotationOverlapMs).ok());
        QCOMPARE(keys.rotate(QStringLiteral("nosuchkey000"), 0).error().code, core::ErrorCode::NotFound);
    }

    void revocationAndExpiry()
    {
        KeyStore keys(*m_db, m_clock);
        auto a = keys.create(KeyRequest{{}, Scope::Read, Tier::Free, KeyEnvironment::Live, {}});
        auto b = keys.create(KeyRequest{{}, Scope::Read, Tier::Free, KeyEnvironment::Live, 1'000'500});
        QVERIFY(keys.revoke(a->info.keyId).ok());
        QVERIFY(!keys.authenticate(a->token).ok());
        m_clock.advanceMs(100);
        QCOMPARE(*keys.revoke(a->info.keyId)->revokedAtMs, 1'000'000); // first time kept
        QVERIFY(keys.authenticate(b->token).ok());
        m_clock.advanceMs(400);
        QVERIFY(!keys.authenticate(b->token).ok());
        QCOMPARE(keys.find(b->info.keyId)->state(m_clock.nowMs()), QStringLiteral("expired"));
        QCOMPARE(keys.list()->size(), 2);
        QCOMPARE(keys.create(KeyRequest{{}, {}, Tier::Free, KeyEnvironment::Live, {}}).error().code, core::ErrorCode::InvalidArgument);
        QCOMPARE(keys.create(KeyRequest{{}, Scope::Read, Tier::Free, KeyEnvironment::Live, 1}).error().code, core::ErrorCode::InvalidArgument);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::EncryptedDatabase> m_db;
    core::ManualClock m_clock{1'000'000};
};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "TestKeyStore.moc"
