// SHA-256, HMAC-SHA256, HKDF-SHA256 against published test vectors; constant-time compare.
#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"

#include <QTest>

using namespace signiq;

class TestHash : public QObject {
    Q_OBJECT

private slots:
    void sha256_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("empty") << QByteArray() << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        QTest::newRow("abc") << QByteArray("abc") << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                  << QByteArray("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    void sha256()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, hex);
        QCOMPARE(crypto::sha256(input).toHex(), hex);
        crypto::Sha256 incremental;
        for (char c : input)
            incremental.addData(QByteArrayView(&c, 1));
        QCOMPARE(incremental.result().toHex(), hex);
        QCOMPARE(incremental.result(), crypto::sha256(QByteArray())); // reset after result()
    }

    void hmac_data()
    {
        // RFC 4231 test cases 1, 2 and 6 (key longer than the block size).
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("rfc4231-1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                                   << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        QTest::newRow("rfc4231-2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
                                   << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        QTest::newRow("rfc4231-6") << QByteArray(131, '\xaa')
                                   << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
                                   << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }
    void hmac()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, hex);
        QCOMPARE(crypto::hmacSha256(key, data).toHex(), hex);
    }

    void hkdf()
    {
        // RFC 5869 test case 1.
        const QByteArray ikm(22, '\x0b');
        const QByteArray salt = QByteArray::fromHex("000102030405060708090a0b0c");
        const QByteArray info = QByteArray::fromHex("f0f1f2f3f4f5f6f7f8f9");
        auto okm = crypto::hkdfSha256(ikm, salt, info, 42);
        QVERIFY(okm);
        QCOMPARE(okm->toHex(), QByteArray("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
        // RFC 5869 test case 3: no salt, no info.
        auto okm3 = crypto::hkdfSha256(ikm, {}, {}, 42);
        QVERIFY(okm3);
        QCOMPARE(okm3->toHex(), QByteArray("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
        QCOMPARE(crypto::hkdfSha256(ikm, salt, info, 0).error().code, core::ErrorCode::InvalidArgument);
        QCOMPARE(crypto::hkdfSha256(ikm, salt, info, 255 * 32 + 1).error().code, core::ErrorCode::InvalidArgument);
    }

    void constantTimeEquals()
    {
        const QByteArray a = *crypto::randomBytes(32);
        QByteArray b = a;
        QVERIFY(crypto::constantTimeEquals(a, b));
        b[31] = char(b[31] ^ 1);
        QVERIFY(!crypto::constantTimeEquals(a, b));
        QVERIFY(!crypto::constantTimeEquals(a, a.left(31)));
        QVERIFY(crypto::constantTimeEquals(QByteArray(), QByteArray()));
    }

    void randomBytesDiffer()
    {
        auto a = crypto::randomBytes(32);
        auto b = crypto::randomBytes(32);
        QVERIFY(a && b);
        QCOMPARE(a->size(), 32);
        QVERIFY(*a != *b);
        QCOMPARE(crypto::randomBytes(-1).error().code, core::ErrorCode::InvalidArgument);
    }

    // RFC 8032 section 7.1, tests 1 and 2: the seed gives the public key and the signature.
    void ed25519KnownAnswers_data()
    {
        QTest::addColumn<QByteArray>("seed");
        QTest::addColumn<QByteArray>("publicKey");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("signature");
        QTest::newRow("rfc8032 test 1")
            << QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
            << QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") << QByteArray()
            << QByteArray::fromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                                   "d25bf5f0595bbe24655141438e7a100b");
        QTest::newRow("rfc8032 test 2")
            << QByteArray::fromHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
            << QByteArray::fromHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c") << QByteArray::fromHex("72")
            << QByteArray::fromHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
                                   "387b2eaeb4302aeeb00d291612bb0c00");
    }

    void ed25519KnownAnswers()
    {
        QFETCH(QByteArray, seed);
        QFETCH(QByteArray, publicKey);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, signature);
        auto key = crypto::Ed25519SigningKey::fromSeed(seed);
        QVERIFY(key.ok());
        QCOMPARE(key->publicKey(), publicKey);
        auto signed_ = key->sign(message);
        QVERIFY(signed_.ok());
        QCOMPARE(*signed_, signature);
        QVERIFY(crypto::ed25519Verify(publicKey, message, signature).ok());
    }

    void ed25519RefusesForgeries()
    {
        auto key = crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x07'));
        QVERIFY(key.ok());
        const QByteArray message("seq 5, count 5, hash ab...");
        const QByteArray signature = *key->sign(message);
        QVERIFY(crypto::ed25519Verify(key->publicKey(), message, signature).ok());
        QByteArray flipped = signature;
        flipped[10] = char(flipped[10] ^ 1);
        QCOMPARE(crypto::ed25519Verify(key->publicKey(), message, flipped).error().code, core::ErrorCode::Corrupt);
        QCOMPARE(crypto::ed25519Verify(key->publicKey(), QByteArray(message + '!'), signature).error().code, core::ErrorCode::Corrupt);
        auto other = crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x08'));
        QCOMPARE(crypto::ed25519Verify(other->publicKey(), message, signature).error().code, core::ErrorCode::Corrupt);
        QCOMPARE(crypto::ed25519Verify(key->publicKey(), message, signature.left(63)).error().code, core::ErrorCode::Corrupt);
        QCOMPARE(crypto::ed25519Verify(key->publicKey().left(31), message, signature).error().code, core::ErrorCode::InvalidArgument);
        QCOMPARE(crypto::Ed25519SigningKey::fromSeed(QByteArray(31, 'x')).error().code, core::ErrorCode::InvalidArgument);
    }

    // OpenSSL imports any 32 bytes as an Ed25519 key; ed25519CheckPublicKey decodes the point.
    void ed25519PublicKeysAreChecked_data()
    {
        QTest::addColumn<QByteArray>("publicKey");
        QTest::addColumn<QString>("problem"); // empty: a usable key
        const auto hex = [](const char *h) { return QByteArray::fromHex(h); };
        QTest::newRow("rfc8032 test 1") << hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") << QString();
        QTest::newRow("from a random seed") << crypto::Ed25519SigningKey::fromSeed(*crypto::randomBytes(32))->publicKey()
                                            << QString();
        QTest::newRow("y = 2: no x") << hex("0200000000000000000000000000000000000000000000000000000000000000")
                                     << QStringLiteral("not a point on the curve");
        QTest::newRow("x = 0 negative") << hex("0100000000000000000000000000000000000000000000000000000000000080")
                                        << QStringLiteral("not a point on the curve");
        QTest::newRow("y = p") << hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
                               << QStringLiteral("not below 2^255 - 19");
        QTest::newRow("all ones") << QByteArray(32, '\xff') << QStringLiteral("not below 2^255 - 19");
        QTest::newRow("neutral element") << hex("0100000000000000000000000000000000000000000000000000000000000000")
                                         << QStringLiteral("small order");
        QTest::newRow("order 2") << hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
                                 << QStringLiteral("small order");
        QTest::newRow("order 4") << QByteArray(32, '\0') << QStringLiteral("small order");
        QTest::newRow("order 8") << hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
                                 << QStringLiteral("small order");
        QTest::newRow("order 8, other") << hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
                                        << QStringLiteral("small order");
        QTest::newRow("31 bytes") << QByteArray(31, '\x01') << QStringLiteral("has 32 bytes, not 31");
    }
    void ed25519PublicKeysAreChecked()
    {
        QFETCH(QByteArray, publicKey);
        QFETCH(QString, problem);
        const core::Status checked = crypto::ed25519CheckPublicKey(publicKey);
        if (problem.isEmpty()) {
            QVERIFY2(checked.ok(), qPrintable(checked.error().message));
            return;
        }
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(checked.error().message.contains(problem), qPrintable(checked.error().message));
        // ed25519Verify refuses the key the same way instead of reporting a mismatch.
        QCOMPARE(crypto::ed25519Verify(publicKey, "m", QByteArray(64, '\0')).error().code, core::ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestHash)
#include "TestHash.moc"
