#include "protocol/ApiKey.h"

#include <QSet>
#include <QTest>

using namespace signiq;
using namespace signiq::protocol;

class TestApiKey : public QObject {
    Q_OBJECT

private slots:
    void generatedKeysParse()
    {
        auto key = ApiKeyFormat::generate(KeyEnvironment::Live);
        QVERIFY(key.ok());
        QVERIFY(key->token.startsWith(QStringLiteral("sq_live_") + key->keyId + QLatin1Char('_')));
        QCOMPARE(key->token.size(), 8 + 12 + 1 + 32 + 6);
        auto parsed = ApiKeyFormat::parse(key->token);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->keyId, key->keyId);
        QCOMPARE(parsed->environment, KeyEnvironment::Live);
        QCOMPARE(key->secretHash.size(), 32);
        QVERIFY(ApiKeyFormat::matches(key->token, key->secretHash));

        auto test = ApiKeyFormat::generate(KeyEnvironment::Test);
        QVERIFY(test.ok());
        QCOMPARE(ApiKeyFormat::parse(test->token)->environment, KeyEnvironment::Test);
    }

    void keysAreUnique()
    {
        QSet<QString> tokens, ids;
        for (int i = 0; i < 200; ++i) {
            auto key = ApiKeyFormat::generate(KeyEnvironment::Live);
            QVERIFY(key.ok());
            tokens.insert(key->token);
            ids.insert(key->keyId);
        }
        QCOMPARE(tokens.size(), 200);
        QCOMPARE(ids.size(), 200);
    }

    void rotationKeepsTheId()
    {
        auto first = ApiKeyFormat::generate(KeyEnvironment::Live);
        auto second = ApiKeyFormat::generate(KeyEnvironment::Live, first->keyId);
        QCOMPARE(second->keyId, first->keyId);
        QVERIFY(second->token != first->token);
        QVERIFY(!ApiKeyFormat::matches(first->token, second->secretHash));
    }

    void malformedKeysAreRejected_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("message");
        auto key = ApiKeyFormat::generate(KeyEnvironment::Live);
        const QString good = key->token;
        QString flipped = good;
        const qsizetype pos = 8 + 12 + 1 + 5; // inside the secret
        flipped[pos] = flipped[pos] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
        QTest::newRow("empty") << QString() << QStringLiteral("malformed");
        QTest::newRow("wrong prefix") << QString(good).replace(0, 3, QStringLiteral("xx_")) << QStringLiteral("malformed");
        QTest::newRow("unknown environment") << QString(good).replace(3, 4, QStringLiteral("prod")) << QStringLiteral("malformed");
        QTest::newRow("truncated") << good.chopped(1) << QStringLiteral("malformed");
        QTest::newRow("one character changed") << flipped << QStringLiteral("checksum");
        QTest::newRow("bad character") << QString(good).replace(good.size() - 10, 1, QStringLiteral("-")) << QStringLiteral("malformed");
    }

    void malformedKeysAreRejected()
    {
        QFETCH(QString, token);
        QFETCH(QString, message);
        auto parsed = ApiKeyFormat::parse(token);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
        if (token.size() > 20)
            QVERIFY(!parsed.error().message.contains(token.mid(21, 10))); // never echoes the secret
    }

    void scopesAndTiers()
    {
        auto scopes = scopesFromNames({QStringLiteral("admin"), QStringLiteral("read")});
        QVERIFY(scopes.ok());
        QVERIFY(scopes->testFlag(Scope::Admin) && scopes->testFlag(Scope::Read) && !scopes->testFlag(Scope::Write));
        QCOMPARE(scopeNames(*scopes), (QStringList{QStringLiteral("read"), QStringLiteral("admin")}));
        QVERIFY(!scopesFromNames({QStringLiteral("root")}).ok());
        QCOMPARE(*tierFromName(QStringLiteral("pro")), Tier::Pro);
        QVERIFY(!tierFromName(QStringLiteral("gold")).ok());
    }
};

QTEST_GUILESS_MAIN(TestApiKey)
#include "TestApiKey.moc"
