#include "ConsoleTestData.h"
#include "audit/AuditPublicKey.h"
#include "audit/AuditViewModel.h"
#include "client/FakeDeviceClient.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "devices/AuditKeyPins.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "protocol/AuditHead.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

// The audit key pinned per device: input checking, storage in devices.json next to the TLS pin,
// and the audit view model following the current device's pin.
class TestAuditKeyPins : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<AuditKeyPins> m_pins;
    QByteArray m_key;   // a real device key
    QByteArray m_other; // another device's key

    static QByteArray freshKey() { return crypto::Ed25519SigningKey::fromSeed(*crypto::randomBytes(32))->publicKey(); }
    static DeviceEntry device(const QString &id, const QString &host)
    {
        return DeviceEntry{id, id, {host, 8443}, QStringLiteral("ab12"), 42, {}};
    }
    void writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(m_dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

private slots:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("devices.json"));
        QFile::remove(m_path);
        m_registry = std::make_unique<DeviceRegistry>(m_path);
        QVERIFY(m_registry->add(device(QStringLiteral("lobby"), QStringLiteral("10.0.0.5"))).ok());
        QVERIFY(m_registry->add(device(QStringLiteral("checkout"), QStringLiteral("10.0.0.6"))).ok());
        QVERIFY(m_registry->save().ok());
        m_pins = std::make_unique<AuditKeyPins>(*m_registry);
        m_key = freshKey();
        m_other = freshKey();
    }

    void parseHex_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem"); // empty: accepted
        const QString rfc = QStringLiteral("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        QTest::newRow("as printed") << rfc << QString();
        QTest::newRow("upper case, newline") << QString(rfc.toUpper() + u'\n') << QString();
        QTest::newRow("spaces around") << QString(QStringLiteral("  ") + rfc + QStringLiteral("  ")) << QString();
        QTest::newRow("empty") << QString() << QStringLiteral("no audit public key given");
        QTest::newRow("blank") << QStringLiteral(" \n") << QStringLiteral("no audit public key given");
        QTest::newRow("too short") << rfc.left(62) << QStringLiteral("has 64 hex characters (32 bytes), this one has 62");
        QTest::newRow("too long") << QString(rfc + QStringLiteral("00")) << QStringLiteral("this one has 66");
        QTest::newRow("not hex") << QString(rfc.left(10) + QStringLiteral("zz") + rfc.mid(12)) << QStringLiteral("character 11 is 'z'");
        QTest::newRow("space inside") << QString(rfc.left(32) + u' ' + rfc.mid(32))
                                      << QStringLiteral("character 33 is ' '");
        QTest::newRow("id instead of key") << QStringLiteral("3f2a9c0d11e4b7a8") << QStringLiteral("this one has 16");
        QTest::newRow("not a curve point") << QString(QStringLiteral("02") + QString(62, u'0'))
                                           << QStringLiteral("not an Ed25519 public key (not a point on the curve)");
        QTest::newRow("small order") << QString(QStringLiteral("01") + QString(62, u'0')) << QStringLiteral("small order");
    }
    void parseHex()
    {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        const auto key = parseAuditPublicKey(text);
        if (problem.isEmpty()) {
            QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
            QCOMPARE(key->toHex(), text.trimmed().toLower().toLatin1());
            return;
        }
        QVERIFY(!key.ok());
        QCOMPARE(key.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(key.error().message.contains(problem), qPrintable(key.error().message));
    }

    void readFile()
    {
        // What `signiq-edge audit public-key --out FILE` writes: the hex and a newline.
        writeFile(QStringLiteral("audit.pub"), m_key.toHex() + '\n');
        const auto key = readAuditPublicKeyFile(m_dir.filePath(QStringLiteral("audit.pub")));
        QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
        QCOMPARE(key.value(), m_key);

        const auto missing = readAuditPublicKeyFile(m_dir.filePath(QStringLiteral("missing.pub")));
        QCOMPARE(missing.error().code, core::ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("missing.pub")));

        writeFile(QStringLiteral("checkpoint.json"), "{\"format\":\"signiq-audit-head\"}\n");
        const auto wrong = readAuditPublicKeyFile(m_dir.filePath(QStringLiteral("checkpoint.json")));
        QCOMPARE(wrong.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(wrong.error().message.contains(QStringLiteral("checkpoint.json: an audit public key is written in hex")),
                 qPrintable(wrong.error().message));

        writeFile(QStringLiteral("big.pub"), QByteArray(5000, 'a'));
        const auto big = readAuditPublicKeyFile(m_dir.filePath(QStringLiteral("big.pub")));
        QCOMPARE(big.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY(big.error().message.contains(QStringLiteral("larger than 4 KiB")));
    }

    void keyIdIsTheExportsKeyId()
    {
        const auto signer = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x11'));
        protocol::AuditHead head{1, 1, QString(64, u'a'), {}, {}};
        QVERIFY(head.sign(signer).ok());
        QCOMPARE(auditKeyId(signer.publicKey()), head.keyId);
        QCOMPARE(int(auditKeyId(signer.publicKey()).size()), 16);
        QVERIFY(auditKeyId({}).isEmpty());
    }

    void pinPersistsAcrossAReload()
    {
        QSignalSpy changed(m_pins.get(), &AuditKeyPins::pinChanged);
        QVERIFY(m_pins->pinnedKey(QStringLiteral("lobby")).isEmpty());
        QVERIFY(!m_pins->wouldReplace(QStringLiteral("lobby"), m_key)); // nothing pinned yet
        QVERIFY(m_pins->pin(QStringLiteral("lobby"), m_key).ok());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toString(), QStringLiteral("lobby"));
        QCOMPARE(changed.first().at(1).toByteArray(), m_key);
        QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")), m_key);
        QVERIFY(m_pins->pinnedKey(QStringLiteral("checkout")).isEmpty()); // per device
        QVERIFY(!m_pins->wouldReplace(QStringLiteral("lobby"), m_key));   // the same key again
        QVERIFY(m_pins->wouldReplace(QStringLiteral("lobby"), m_other));
        QVERIFY(m_pins->pin(QStringLiteral("lobby"), m_key).ok());
        QCOMPARE(changed.size(), 1); // unchanged: no signal, nothing written

        // Stored next to the TLS pin, as the hex `signiq-edge audit public-key` prints.
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject lobby = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("devices")).toArray().at(0).toObject();
        QCOMPARE(lobby.value(QStringLiteral("audit_public_key")).toString(), QString::fromLatin1(m_key.toHex()));
        QCOMPARE(lobby.value(QStringLiteral("pinned_sha256")).toString(), QStringLiteral("ab12"));

        DeviceRegistry reloaded(m_path);
        QVERIFY(reloaded.load().ok());
        AuditKeyPins again(reloaded);
        QCOMPARE(again.pinnedKey(QStringLiteral("lobby")), m_key);
        QVERIFY(again.pinnedKey(QStringLiteral("checkout")).isEmpty());

        // Replace, then clear: each saved.
        QVERIFY(again.pin(QStringLiteral("lobby"), m_other).ok());
        DeviceRegistry third(m_path);
        QVERIFY(third.load().ok());
        QCOMPARE(third.find(QStringLiteral("lobby"))->auditPublicKey, m_other);
        QSignalSpy cleared(&again, &AuditKeyPins::pinChanged);
        QVERIFY(again.clear(QStringLiteral("lobby")).ok());
        QCOMPARE(cleared.size(), 1);
        QVERIFY(cleared.first().at(1).toByteArray().isEmpty());
        DeviceRegistry fourth(m_path);
        QVERIFY(fourth.load().ok());
        QVERIFY(fourth.find(QStringLiteral("lobby"))->auditPublicKey.isEmpty());
    }

    void badInputIsRefused_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("problem");
        QTest::newRow("31 bytes") << QByteArray(31, '\x05') << QStringLiteral("has 32 bytes, not 31");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("has 32 bytes, not 0");
        QTest::newRow("not a point") << QByteArray(QByteArray::fromHex("02") + QByteArray(31, '\0')) << QStringLiteral("not a point on the curve");
        QTest::newRow("small order") << QByteArray(32, '\0') << QStringLiteral("small order");
    }
    void badInputIsRefused()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, problem);
        QVERIFY(m_pins->pin(QStringLiteral("lobby"), m_key).ok());
        QSignalSpy changed(m_pins.get(), &AuditKeyPins::pinChanged);
        const core::Status refused = m_pins->pin(QStringLiteral("lobby"), key);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(refused.error().message.contains(problem), qPrintable(refused.error().message));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")), m_key); // the old pin stays
        DeviceRegistry reloaded(m_path);
        QVERIFY(reloaded.load().ok());
        QCOMPARE(reloaded.find(QStringLiteral("lobby"))->auditPublicKey, m_key);
    }

    void unknownDeviceAndUnwritableListAreErrors()
    {
        QCOMPARE(m_pins->pin(QStringLiteral("nope"), m_key).error().code, core::ErrorCode::NotFound);
        QCOMPARE(m_pins->clear(QStringLiteral("nope")).error().code, core::ErrorCode::NotFound);

        // The list cannot be saved (its directory is a file): the pin is not kept.
        writeFile(QStringLiteral("blocker"), "x");
        DeviceRegistry stuck(m_dir.filePath(QStringLiteral("blocker/devices.json")));
        QVERIFY(stuck.add(device(QStringLiteral("lobby"), QStringLiteral("10.0.0.5"))).ok());
        AuditKeyPins pins(stuck);
        QSignalSpy changed(&pins, &AuditKeyPins::pinChanged);
        const core::Status refused = pins.pin(QStringLiteral("lobby"), m_key);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, core::ErrorCode::Io);
        QVERIFY(refused.error().message.contains(QStringLiteral("devices.json")));
        QVERIFY(pins.pinnedKey(QStringLiteral("lobby")).isEmpty());
        QCOMPARE(changed.size(), 0);
    }

    void viewModelFollowsTheCurrentDevicesPin()
    {
        core::ManualClock clock{Monday};
        FakeDeviceClient lobby(clock);
        FakeDeviceClient checkout(clock);
        DeviceSession session;
        AuditViewModel model(session, m_pins.get());
        QSignalSpy keyChanged(&model, &AuditViewModel::auditKeyChanged);
        QVERIFY(!model.canPinAuditKey()); // no device
        QVERIFY(!model.pinAuditKey(m_key).ok());

        QVERIFY(m_pins->pin(QStringLiteral("lobby"), m_key).ok());
        session.setClient(&lobby, QStringLiteral("lobby"), false, QStringLiteral("lobby"));
        QVERIFY(model.canPinAuditKey());
        QCOMPARE(model.auditPublicKey(), m_key);
        QCOMPARE(model.auditKeyId(), auditKeyId(m_key));
        QCOMPARE(keyChanged.last().first().toString(), auditKeyId(m_key));

        session.setClient(&checkout, QStringLiteral("checkout"), false, QStringLiteral("checkout"));
        QVERIFY(model.auditPublicKey().isEmpty()); // another device, nothing pinned
        QVERIFY(!model.pinReplacesAnotherKey(m_other));
        QVERIFY(model.pinAuditKey(m_other).ok());
        QCOMPARE(model.auditPublicKey(), m_other);
        QCOMPARE(m_pins->pinnedKey(QStringLiteral("checkout")), m_other);
        QVERIFY(model.pinReplacesAnotherKey(m_key));
        QVERIFY(!model.pinReplacesAnotherKey(m_other));

        QSignalSpy failed(&model, &AuditViewModel::failed);
        QVERIFY(!model.pinAuditKey(QByteArray(32, '\0')).ok());
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().startsWith(QStringLiteral("The audit key was not pinned.\n")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("small order")), qPrintable(failed.first().first().toString()));
        QCOMPARE(model.auditPublicKey(), m_other);

        // A pin changed elsewhere (another page) for the current device is used at once.
        QVERIFY(m_pins->pin(QStringLiteral("checkout"), m_key).ok());
        QCOMPARE(model.auditPublicKey(), m_key);
        QVERIFY(model.clearAuditKey().ok());
        QVERIFY(model.auditPublicKey().isEmpty());
        QVERIFY(keyChanged.last().first().toString().isEmpty());

        session.clear();
        QVERIFY(!model.canPinAuditKey());
        QVERIFY(model.auditPublicKey().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAuditKeyPins)
#include "TestAuditKeyPins.moc"
