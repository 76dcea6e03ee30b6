#include "devices/DeviceRegistry.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestDeviceRegistry : public QObject {
    Q_OBJECT

private slots:
    void parseAddress_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << QStringLiteral("192.168.1.20") << true << QStringLiteral("192.168.1.20") << 8443;
        QTest::newRow("ipv4 port") << QStringLiteral(" 10.0.0.5:9443 ") << true << QStringLiteral("10.0.0.5") << 9443;
        QTest::newRow("name") << QStringLiteral("player-3.local") << true << QStringLiteral("player-3.local") << 8443;
        QTest::newRow("ipv6") << QStringLiteral("[fe80::1]:8443") << true << QStringLiteral("fe80::1") << 8443;
        QTest::newRow("bare ipv6") << QStringLiteral("fe80::1") << true << QStringLiteral("fe80::1") << 8443;
        QTest::newRow("scheme") << QStringLiteral("https://x") << false << QString() << 0;
        QTest::newRow("empty") << QString() << false << QString() << 0;
        QTest::newRow("bad port") << QStringLiteral("x:99999") << false << QString() << 0;
        QTest::newRow("space") << QStringLiteral("a b") << false << QString() << 0;
    }
    void parseAddress()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        const auto address = DeviceAddress::parse(text);
        QCOMPARE(address.ok(), ok);
        if (!ok)
            return;
        QFETCH(QString, host);
        QFETCH(int, port);
        QCOMPARE(address->host, host);
        QCOMPARE(int(address->port), port);
        QCOMPARE(DeviceAddress::parse(address->toString())->host, host); // round trip
    }

    void saveAndLoad()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("conf/devices.json"));
        DeviceRegistry registry(path);
        QVERIFY(registry.load().ok()); // missing = empty
        DeviceEntry entry{QStringLiteral("id-1"), QStringLiteral("Lobby"), {QStringLiteral("10.0.0.5"), 8443},
                          QStringLiteral("ab12"), 42,
                          QByteArray::fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")};
        QVERIFY(registry.add(entry).ok());
        QVERIFY(registry.save().ok());
        DeviceRegistry again(path);
        QVERIFY(again.load().ok());
        QCOMPARE(again.devices().size(), 1);
        QCOMPARE(again.devices().first(), entry);
        QCOMPARE(entry.secretKey(), QStringLiteral("device/id-1/api-key"));
    }

    void duplicatesAreRefused()
    {
        DeviceRegistry registry(QStringLiteral("/nonexistent/devices.json"));
        QVERIFY(registry.add({QStringLiteral("1"), QStringLiteral("A"), {QStringLiteral("h"), 1}, {}, 0, {}}).ok());
        QVERIFY(!registry.add({QStringLiteral("2"), QStringLiteral("B"), {QStringLiteral("h"), 1}, {}, 0, {}}).ok());
        QVERIFY(!registry.add({QStringLiteral("3"), QStringLiteral(" "), {QStringLiteral("g"), 1}, {}, 0, {}}).ok());
        QVERIFY(registry.remove(QStringLiteral("1")));
        QVERIFY(!registry.remove(QStringLiteral("1")));
    }

    void malformedFileIsAParseError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("devices.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"devices\": [{\"id\": \"x\", \"address\": \"https://bad\"}]}");
        f.close();
        DeviceRegistry registry(path);
        const core::Status loaded = registry.load();
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, core::ErrorCode::Parse);
        QVERIFY(loaded.error().message.contains(QStringLiteral("devices[0].address")));
    }

    void badAuditKeyIsAParseError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("devices.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"devices\": [{\"id\": \"x\", \"name\": \"A\", \"address\": \"10.0.0.5\", \"audit_public_key\": \"abc\"}]}");
        f.close();
        DeviceRegistry registry(path);
        const core::Status loaded = registry.load();
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, core::ErrorCode::Parse);
        QVERIFY2(loaded.error().message.contains(QStringLiteral("devices[0].audit_public_key: an audit public key has 64 hex")),
                 qPrintable(loaded.error().message));
    }
};

QTEST_GUILESS_MAIN(TestDeviceRegistry)
#include "TestDeviceRegistry.moc"
