// AES-256-GCM and the versioned envelope: round trips, every header field and the tag
// tampered, truncation, wrong key.
#include "crypto/Aead.h"
#include "crypto/Envelope.h"
#include "crypto/Random.h"

#include <QBuffer>
#include <QTest>
#include <QtEndian>

using namespace signiq;
using core::ErrorCode;
namespace env = crypto::envelope;

namespace {
QByteArray key(int seed)
{
    QByteArray k(32, '\0');
    for (int i = 0; i < 32; ++i)
        k[i] = char(seed * 17 + i);
    return k;
}
} // namespace

class TestEnvelope : public QObject {
    Q_OBJECT

private slots:
    void aesGcmKnownAnswer()
    {
        // NIST GCM specification, test case 16 (AES-256, 60-byte plaintext, 20-byte AAD).
        const QByteArray k = QByteArray::fromHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        const QByteArray iv = QByteArray::fromHex("cafebabefacedbaddecaf888");
        const QByteArray pt = QByteArray::fromHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        const QByteArray aad = QByteArray::fromHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        const QByteArray expected = QByteArray::fromHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                                                        "76fc6ece0f4e1768cddf8853bb2d551b");
        auto gcm = crypto::Aes256Gcm::create(k);
        QVERIFY(gcm);
        auto sealed = gcm->seal(iv, aad, pt);
        QVERIFY(sealed);
        QCOMPARE(sealed->toHex(), expected.toHex());
        auto opened = gcm->open(iv, aad, *sealed);
        QVERIFY(opened);
        QCOMPARE(*opened, pt);
        QByteArray bad = *sealed;
        bad[bad.size() - 1] = char(bad[bad.size() - 1] ^ 1);
        QCOMPARE(gcm->open(iv, aad, bad).error().code, ErrorCode::Corrupt);
        QCOMPARE(gcm->open(iv, QByteArray("x"), *sealed).error().code, ErrorCode::Corrupt);
        QCOMPARE(crypto::Aes256Gcm::create(k.left(16)).error().code, ErrorCode::InvalidArgument);
    }

    void roundTrip_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("chunk");
        QTest::newRow("empty") << 0 << 64;
        QTest::newRow("one byte") << 1 << 64;
        QTest::newRow("less than a chunk") << 63 << 64;
        QTest::newRow("exactly one chunk") << 64 << 64;
        QTest::newRow("exactly three chunks") << 192 << 64;
        QTest::newRow("three chunks and a bit") << 200 << 64;
        QTest::newRow("default chunk, 1 MB") << 1000000 << env::DefaultChunkSize;
        QTest::newRow("chunk of 1 byte") << 10 << 1;
    }
    void roundTrip()
    {
        QFETCH(int, size);
        QFETCH(int, chunk);
        const QByteArray plaintext = *crypto::randomBytes(size);
        const QByteArray aad("backup of edge-7");
        auto sealed = env::seal(key(1), plaintext, aad, chunk);
        QVERIFY(sealed);
        const int chunks = size / chunk + 1;
        QCOMPARE(sealed->size(), env::FixedHeaderSize + aad.size() + size + chunks * env::TagSize);
        QVERIFY(!sealed->contains(plaintext.left(16)) || size < 16);
        QByteArray gotAad;
        auto opened = env::open(key(1), *sealed, &gotAad);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
        QCOMPARE(*opened, plaintext);
        QCOMPARE(gotAad, aad);
        // Two seals of the same data differ (random nonce, per-envelope key).
        QVERIFY(*env::seal(key(1), plaintext, aad, chunk) != *sealed);
    }

    void streamingWritesInUnevenPieces()
    {
        const QByteArray plaintext = *crypto::randomBytes(100000);
        QByteArray sealed;
        QBuffer out(&sealed);
        out.open(QIODevice::WriteOnly);
        auto writer = crypto::EnvelopeWriter::begin(key(2), out, {}, 4096);
        QVERIFY(writer);
        qsizetype pos = 0;
        int step = 1;
        while (pos < plaintext.size()) {
            const qsizetype n = qMin<qsizetype>(step, plaintext.size() - pos);
            QVERIFY(writer->write(QByteArrayView(plaintext).sliced(pos, n)));
            pos += n;
            step = (step * 7 + 3) % 9000;
        }
        QVERIFY(writer->finish());
        QCOMPARE(writer->bytesWritten(), sealed.size());
        out.close();

        QBuffer in(&sealed);
        in.open(QIODevice::ReadOnly);
        auto reader = crypto::EnvelopeReader::begin(key(2), in);
        QVERIFY(reader);
        QCOMPARE(reader->header().chunkSize, 4096u);
        QByteArray got;
        while (!reader->atEnd()) {
            auto chunk = reader->readChunk();
            QVERIFY(chunk);
            got += *chunk;
        }
        QCOMPARE(got, plaintext);
    }

    void headerLayout()
    {
        const QByteArray k = key(3);
        auto sealed = env::seal(k, QByteArray("x"), QByteArray("AAD"), 1000);
        QVERIFY(sealed);
        const QByteArray &s = *sealed;
        QCOMPARE(s.left(4), QByteArray("SQEV"));
        QCOMPARE(qFromBigEndian<quint16>(s.constData() + 4), quint16(1));
        QCOMPARE(s.mid(6, 8), env::keyId(k));
        QCOMPARE(qFromBigEndian<quint32>(s.constData() + 26), 1000u);
        QCOMPARE(qFromBigEndian<quint32>(s.constData() + 30), 3u);
        QCOMPARE(s.mid(34, 3), QByteArray("AAD"));
        QCOMPARE(s.size(), 34 + 3 + 1 + 16);
        QVERIFY(env::keyId(k) != env::keyId(key(4)));
    }

    void tampered_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        // Header: 34 fixed bytes + 5 AAD bytes ("hello"); 3 chunks of 16 bytes: 39..39+3*(16+16)+(8+16).
        QTest::newRow("magic") << 0 << int(ErrorCode::Corrupt) << QStringLiteral("bad magic");
        QTest::newRow("magic last byte") << 3 << int(ErrorCode::Corrupt) << QStringLiteral("bad magic");
        QTest::newRow("version") << 5 << int(ErrorCode::Unsupported) << QStringLiteral("version");
        QTest::newRow("key id") << 6 << int(ErrorCode::WrongKey) << QStringLiteral("key id");
        QTest::newRow("key id last byte") << 13 << int(ErrorCode::WrongKey) << QStringLiteral("key id");
        QTest::newRow("nonce") << 14 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("nonce last byte") << 25 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("chunk size") << 29 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("chunk size out of range") << 26 << int(ErrorCode::Corrupt) << QStringLiteral("chunk size");
        QTest::newRow("aad length") << 33 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed");
        QTest::newRow("aad length out of range") << 31 << int(ErrorCode::Corrupt) << QStringLiteral("associated data length");
        QTest::newRow("aad") << 36 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed at chunk 0");
        QTest::newRow("first ciphertext byte") << 39 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed at chunk 0");
        QTest::newRow("first tag") << 39 + 16 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed at chunk 0");
        QTest::newRow("second chunk") << 39 + 32 + 5 << int(ErrorCode::Corrupt) << QStringLiteral("authentication failed at chunk 1");
        QTest::newRow("last tag, last byte") << 39 + 3 * 32 + 8 + 15 << int(ErrorCode::Corrupt)
                                             << QStringLiteral("authentication failed at chunk 3");
    }
    void tampered()
    {
        QFETCH(int, offset);
        QFETCH(int, code);
        QFETCH(QString, message);
        const QByteArray plaintext = *crypto::randomBytes(3 * 16 + 8);
        auto sealed = env::seal(key(5), plaintext, QByteArray("hello"), 16);
        QVERIFY(sealed);
        QCOMPARE(sealed->size(), 39 + 3 * 32 + 8 + 16);
        QVERIFY(env::open(key(5), *sealed));
        QByteArray bad = *sealed;
        bad[offset] = char(bad[offset] ^ (offset == 26 || offset == 31 ? 0x7f : 0x01));
        auto opened = env::open(key(5), bad);
        QVERIFY(!opened);
        QCOMPARE(int(opened.error().code), code);
        QVERIFY2(opened.error().message.contains(message), qPrintable(opened.error().message));
    }

    void truncated_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty file") << 0 << QStringLiteral("truncated");
        QTest::newRow("half header") << 20 << QStringLiteral("truncated");
        QTest::newRow("inside aad") << 36 << QStringLiteral("truncated");
        QTest::newRow("header only") << 39 << QStringLiteral("truncated");
        QTest::newRow("inside first chunk") << 39 + 20 << QStringLiteral("authentication failed at chunk 0");
        QTest::newRow("at a chunk boundary") << 39 + 2 * 32 << QStringLiteral("without the final chunk");
        QTest::newRow("last byte missing") << 39 + 3 * 32 + 8 + 15 << QStringLiteral("authentication failed at chunk 3");
    }
    void truncated()
    {
        QFETCH(int, length);
        QFETCH(QString, message);
        auto sealed = env::seal(key(6), *crypto::randomBytes(3 * 16 + 8), QByteArray("hello"), 16);
        QVERIFY(sealed);
        auto opened = env::open(key(6), sealed->left(length));
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Corrupt);
        QVERIFY2(opened.error().message.contains(message), qPrintable(opened.error().message));
    }

    void trailingData()
    {
        auto sealed = env::seal(key(7), QByteArray("payload"));
        QVERIFY(sealed);
        auto opened = env::open(key(7), QByteArray(*sealed + QByteArray("x")));
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Corrupt);
    }

    void wrongKey()
    {
        auto sealed = env::seal(key(8), QByteArray("payload"));
        QVERIFY(sealed);
        auto opened = env::open(key(9), *sealed);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::WrongKey);
        QVERIFY(opened.error().message.contains(QString::fromLatin1(env::keyId(key(8)).toHex())));
        QCOMPARE(env::open(key(8).left(31), *sealed).error().code, ErrorCode::InvalidArgument);
    }

    void notAnEnvelope()
    {
        auto opened = env::open(key(1), QByteArray("SQLite format 3\0 and more bytes to fill a header....", 52));
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::Corrupt);
        QVERIFY(opened.error().message.contains(QStringLiteral("not a Signiq encrypted file")));
    }

    void limits()
    {
        QCOMPARE(env::seal(key(1), "x", {}, 0).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(env::seal(key(1), "x", {}, env::MaxChunkSize + 1).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(env::seal(key(1), "x", QByteArray(env::MaxAadSize + 1, 'a')).error().code, ErrorCode::InvalidArgument);
        QVERIFY(env::seal(key(1), "x", QByteArray(env::MaxAadSize, 'a')));
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "TestEnvelope.moc"
