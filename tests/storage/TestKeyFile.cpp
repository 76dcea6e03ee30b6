// KeyFile: loading accepts hex or raw keys and rejects everything else with a distinct,
// clear error; generating creates a 0600 file and never overwrites.
#include "storage/KeyFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace signiq;
using namespace signiq::storage;

namespace {
const QByteArray kHex = QByteArrayLiteral("00112233445566778899aabbccddeeff0f1e2d3c4b5a69788796a5b4c3d2e1f0");
}

class TestKeyFile : public QObject {
    Q_OBJECT

private slots:
    void init();

    void loadsGoodKeys_data();
    void loadsGoodKeys();
    void rejectsBadKeyFiles_data();
    void rejectsBadKeyFiles();
    void generateCreatesAPrivateHexKey();
    void generateRefusesToOverwrite();
    void generateNeedsAnExistingDirectory();
    void generatedKeysDiffer();

private:
    QString writeFile(const QString &name, const QByteArray &content, int mode);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestKeyFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestKeyFile::writeFile(const QString &name, const QByteArray &content, int mode)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return QString();
    file.close();
    if (::chmod(QFile::encodeName(path).constData(), mode_t(mode)) != 0)
        return QString();
    return path;
}

void TestKeyFile::loadsGoodKeys_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray key = QByteArray::fromHex(kHex);
    QByteArray raw;
    for (int i = 0; i < 32; ++i)
        raw.append(char(i * 8)); // contains 0x00, '\n' (0x0a is not a multiple of 8, but 0x20 ' ' is)
    raw[5] = '\n';
    QTest::newRow("hex") << kHex << 0600 << key;
    QTest::newRow("hex + newline") << kHex + '\n' << 0600 << key;
    QTest::newRow("hex + whitespace") << kHex + " \t\r\n\n" << 0600 << key;
    QTest::newRow("upper-case hex") << kHex.toUpper() + '\n' << 0600 << key;
    QTest::newRow("read-only for owner") << kHex << 0400 << key;
    QTest::newRow("raw 32 bytes") << raw << 0600 << raw;
}

void TestKeyFile::loadsGoodKeys()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(QByteArray, expected);
    const QString path = writeFile(QStringLiteral("db.key"), content, mode);
    QVERIFY(!path.isEmpty());
    const auto key = KeyFile::load(path);
    QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().toString()));
    QCOMPARE(key->size(), 32);
    QCOMPARE(*key, expected);
}

void TestKeyFile::rejectsBadKeyFiles_data()
{
    QTest::addColumn<QByteArray>("content"); // "<missing>" = no file
    QTest::addColumn<int>("mode");
    QTest::addColumn<core::ErrorCode>("code");
    QTest::addColumn<QStringList>("messageParts"); // "%1" = the path

    QTest::newRow("missing") << QByteArrayLiteral("<missing>") << 0600 << core::ErrorCode::NotFound
                             << QStringList{QStringLiteral("does not exist"), QStringLiteral("signiq-edge --init-key %1")};
    QTest::newRow("world readable") << kHex << 0644 << core::ErrorCode::PermissionDenied
                                    << QStringList{QStringLiteral("mode 0644"), QStringLiteral("chmod 600 %1")};
    QTest::newRow("group readable") << kHex << 0640 << core::ErrorCode::PermissionDenied
                                    << QStringList{QStringLiteral("mode 0640"), QStringLiteral("chmod 600 %1")};
    QTest::newRow("too short") << QByteArrayLiteral("00112233\n") << 0600 << core::ErrorCode::InvalidArgument
                               << QStringList{QStringLiteral("has 9 bytes (8 characters"), QStringLiteral("expected 64 hex characters or exactly 32 raw bytes")};
    QTest::newRow("too long") << kHex + "00\n" << 0600 << core::ErrorCode::InvalidArgument
                              << QStringList{QStringLiteral("66 characters")};
    QTest::newRow("empty") << QByteArray() << 0600 << core::ErrorCode::InvalidArgument << QStringList{QStringLiteral("is empty")};
    QByteArray badHex = kHex;
    badHex[17] = 'g';
    QTest::newRow("bad hex") << badHex + '\n' << 0600 << core::ErrorCode::Parse
                             << QStringList{QStringLiteral("offset 17 is not a hex digit")};
}

void TestKeyFile::rejectsBadKeyFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(core::ErrorCode, code);
    QFETCH(QStringList, messageParts);
    QString path = m_dir->filePath(QStringLiteral("db.key"));
    if (content != "<missing>") {
        path = writeFile(QStringLiteral("db.key"), content, mode);
        QVERIFY(!path.isEmpty());
    }
    const auto key = KeyFile::load(path);
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, code);
    const QString message = key.error().message;
    QVERIFY2(message.contains(path), qPrintable(message));
    for (const QString &part : messageParts)
        QVERIFY2(message.contains(part.contains(QLatin1StringView("%1")) ? part.arg(path) : part), qPrintable(message));
    QVERIFY2(!message.contains(QString::fromLatin1(kHex.left(16))), "the message must not echo key material");
}

void TestKeyFile::generateCreatesAPrivateHexKey()
{
    const QString path = m_dir->filePath(QStringLiteral("new.key"));
    const mode_t oldMask = ::umask(0); // even a permissive umask must give 0600
    const core::Status status = KeyFile::generate(path);
    ::umask(oldMask);
    QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().toString()));

    struct stat info = {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 07777), 0600);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QCOMPARE(content.size(), 65);
    QVERIFY(content.endsWith('\n'));
    for (char c : content.left(64))
        QVERIFY((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));

    const auto key = KeyFile::load(path);
    QVERIFY(key.ok());
    QCOMPARE(*key, QByteArray::fromHex(content.trimmed()));
}

void TestKeyFile::generateRefusesToOverwrite()
{
    const QString path = writeFile(QStringLiteral("existing.key"), kHex, 0600);
    QVERIFY(!path.isEmpty());
    const core::Status status = KeyFile::generate(path);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(status.error().message.contains(path), qPrintable(status.error().message));
    QVERIFY(status.error().message.contains(QLatin1StringView("refusing to overwrite")));
    QCOMPARE(*KeyFile::load(path), QByteArray::fromHex(kHex)); // untouched
}

void TestKeyFile::generateNeedsAnExistingDirectory()
{
    const QString path = m_dir->filePath(QStringLiteral("no/such/dir/db.key"));
    const core::Status status = KeyFile::generate(path);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::NotFound);
    QVERIFY(status.error().message.contains(path));
}

void TestKeyFile::generatedKeysDiffer()
{
    const QString a = m_dir->filePath(QStringLiteral("a.key"));
    const QString b = m_dir->filePath(QStringLiteral("b.key"));
    QVERIFY(KeyFile::generate(a).ok());
    QVERIFY(KeyFile::generate(b).ok());
    QVERIFY(*KeyFile::load(a) != *KeyFile::load(b));
}

QTEST_GUILESS_MAIN(TestKeyFile)
#include "TestKeyFile.moc"
