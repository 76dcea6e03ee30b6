#include "AuditKeyDialog.h"
#include "AuditPage.h"
#include "ConsoleTestData.h"
#include "audit/AuditPublicKey.h"
#include "audit/AuditViewModel.h"
#include "client/FakeDeviceClient.h"
#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "crypto/Signature.h"
#include "devices/AuditKeyPins.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"

#include <QFile>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

class TestAuditPage : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{Monday + 30 * DayMs};
    std::unique_ptr<FakeDeviceClient> m_device;
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<AuditKeyPins> m_pins;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<AuditViewModel> m_model;
    std::unique_ptr<AuditPage> m_page;
    QTemporaryDir m_dir;

    static crypto::Ed25519SigningKey freshKey() { return *crypto::Ed25519SigningKey::fromSeed(*crypto::randomBytes(32)); }

    // The fake device's 24 entries with a head signed by `key`, as a device export.
    QString writeSignedExport(const QString &name, const crypto::Ed25519SigningKey &key, bool csv = false)
    {
        const auto chain = auditChain(24);
        protocol::AuditHead head{chain.last().seq, chain.size(), chain.last().hash, {}, {}};
        if (!head.sign(key).ok())
            return QString();
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return QString();
        f.write(csv ? protocol::AuditChain::toCsv(chain, &head) : protocol::AuditChain::toJsonLines(chain, &head));
        return path;
    }

    // Dialogs close with WA_DeleteOnClose, i.e. later: the one on screen is the visible one.
    template <typename T>
    T *visible() const
    {
        for (T *child : m_page->findChildren<T *>())
            if (child->isVisible())
                return child;
        return nullptr;
    }

    QString verify(const QString &path, bool *intact)
    {
        QSignalSpy verified(m_model.get(), &AuditViewModel::verified);
        m_model->verifyFile(path);
        if (!verified.wait())
            return QStringLiteral("(no answer)");
        *intact = verified.first().at(1).toBool();
        return m_page->verificationText();
    }

private slots:
    void init()
    {
        m_device = std::make_unique<FakeDeviceClient>(m_clock);
        m_device->setAuditEntries(auditChain(24));
        QFile::remove(m_dir.filePath(QStringLiteral("devices.json")));
        m_registry = std::make_unique<DeviceRegistry>(m_dir.filePath(QStringLiteral("devices.json")));
        QVERIFY(m_registry->add({QStringLiteral("lobby"), QStringLiteral("Lobby"), {QStringLiteral("10.0.0.5"), 8443}, {}, 0, {}}).ok());
        QVERIFY(m_registry->add({QStringLiteral("checkout"), QStringLiteral("Checkout"), {QStringLiteral("10.0.0.6"), 8443}, {}, 0, {}})
                    .ok());
        QVERIFY(m_registry->save().ok());
        m_pins = std::make_unique<AuditKeyPins>(*m_registry);
        m_session = std::make_unique<DeviceSession>();
        m_model = std::make_unique<AuditViewModel>(*m_session, m_pins.get());
        m_page = std::make_unique<AuditPage>(*m_model);
        m_page->show();
        m_session->setClient(m_device.get(), QStringLiteral("Lobby"), false, QStringLiteral("lobby"));
    }
    void cleanup()
    {
        m_page.reset();
        m_session->clear();
        m_model.reset();
        m_pins.reset();
        m_registry.reset();
        m_device.reset();
    }

    void browseWithFilters()
    {
        QSignalSpy loaded(m_model.get(), &AuditViewModel::loaded);
        m_model->setQuery({});
        m_model->refresh();
        QVERIFY(loaded.wait());
        QCOMPARE(m_page->entriesTable()->model()->rowCount(), 24);
        m_page->actorEdit()->setText(QStringLiteral("cli"));
        m_page->applyFilters();
        QVERIFY(loaded.wait());
        const int rows = m_page->entriesTable()->model()->rowCount();
        QCOMPARE(rows, 0); // the page's default time range (last 30 days of the real clock) excludes 2024
        AuditQuery query;
        query.actor = QStringLiteral("cli");
        m_model->setQuery(query);
        m_model->refresh();
        QVERIFY(loaded.wait());
        QCOMPARE(m_page->entriesTable()->model()->rowCount(), 12);
    }

    void exportAndVerify_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("jsonl") << false;
        QTest::newRow("csv") << true;
    }
    void exportAndVerify()
    {
        QFETCH(bool, csv);
        const QString path = m_dir.filePath(csv ? QStringLiteral("audit.csv") : QStringLiteral("audit.jsonl"));
        m_model->setQuery({}); // the whole log (the page's default range is relative to the real clock)
        QSignalSpy exported(m_model.get(), &AuditViewModel::exported);
        m_model->exportTo(path, csv ? AuditExportFormat::Csv : AuditExportFormat::JsonLines);
        QVERIFY(exported.wait());
        QCOMPARE(crypto::securefile::mode(path), 0600); // like signiq-edge audit export
        QVERIFY(QFile::exists(path));
        QSignalSpy verified(m_model.get(), &AuditViewModel::verified);
        m_model->verifyFile(path);
        QVERIFY(verified.wait());
        // The fake device's export has no signed head: consistent, but not proved intact.
        QCOMPARE(verified.first().at(1).toBool(), false);
        QVERIFY2(m_page->verificationText().contains(QStringLiteral("NOT proved intact")), qPrintable(m_page->verificationText()));
        QCOMPARE(m_page->verifiedTable()->model()->rowCount(), 24);
    }

    void signedFileVerifiesWithThePinnedKey()
    {
        const auto key = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x3c'));
        const auto chain = auditChain(24);
        protocol::AuditHead head{chain.last().seq, chain.size(), chain.last().hash, {}, {}};
        QVERIFY(head.sign(key).ok());
        const QString path = m_dir.filePath(QStringLiteral("signed.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(protocol::AuditChain::toJsonLines(chain, &head));
        f.close();
        m_model->setAuditPublicKey(key.publicKey());
        QSignalSpy verified(m_model.get(), &AuditViewModel::verified);
        m_model->verifyFile(path);
        QVERIFY(verified.wait());
        QCOMPARE(verified.first().at(1).toBool(), true);
        QVERIFY2(m_page->verificationText().contains(QStringLiteral("The log is intact")), qPrintable(m_page->verificationText()));
        QVERIFY(m_page->verificationText().contains(head.keyId));
        m_model->setAuditPublicKey({});
    }

    // Pin the device's key through the dialog: a signed export is then intact, naming the key.
    void pinThroughTheDialogProvesIntact_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("jsonl") << false;
        QTest::newRow("csv") << true;
    }
    void pinThroughTheDialogProvesIntact()
    {
        QFETCH(bool, csv);
        const auto key = freshKey();
        const QString keyId = auditKeyId(key.publicKey());
        QVERIFY(m_page->pinButton()->isEnabled());
        QVERIFY(!m_page->clearPinButton()->isEnabled());
        QVERIFY2(m_page->auditKeyText().contains(QStringLiteral("No audit key is pinned")), qPrintable(m_page->auditKeyText()));

        m_page->pinButton()->click();
        auto *dialog = visible<AuditKeyDialog>();
        QVERIFY(dialog);
        QVERIFY(!dialog->okButton()->isEnabled());
        dialog->keyEdit()->setText(QStringLiteral("not a key"));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->checkText().contains(QStringLiteral("hex digits")), qPrintable(dialog->checkText()));
        dialog->keyEdit()->setText(QString::fromLatin1(key.publicKey().toHex().left(40)));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->checkText().contains(QStringLiteral("this one has 40")), qPrintable(dialog->checkText()));
        dialog->keyEdit()->setText(QString(QStringLiteral("02") + QString(62, u'0')));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->checkText().contains(QStringLiteral("not a point on the curve")), qPrintable(dialog->checkText()));
        // As `signiq-edge audit public-key` prints it.
        dialog->keyEdit()->setText(QString::fromLatin1(key.publicKey().toHex()) + u'\n');
        QVERIFY(dialog->okButton()->isEnabled());
        QVERIFY2(dialog->checkText().contains(keyId), qPrintable(dialog->checkText()));
        QSignalSpy keyChanged(m_model.get(), &AuditViewModel::auditKeyChanged);
        dialog->okButton()->click();
        QVERIFY(!visible<QMessageBox>()); // the first pin needs no confirmation
        QCOMPARE(keyChanged.size(), 1);
        QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")), key.publicKey());
        QVERIFY2(m_page->auditKeyText().contains(keyId), qPrintable(m_page->auditKeyText()));
        QVERIFY(m_page->clearPinButton()->isEnabled());
        DeviceRegistry saved(m_dir.filePath(QStringLiteral("devices.json")));
        QVERIFY(saved.load().ok());
        QCOMPARE(saved.find(QStringLiteral("lobby"))->auditPublicKey, key.publicKey());

        bool intact = false;
        const QString text = verify(writeSignedExport(csv ? QStringLiteral("signed.csv") : QStringLiteral("signed.jsonl"), key, csv), &intact);
        QVERIFY2(intact, qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("The log is intact")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Checked with the audit key pinned for this device: %1.").arg(keyId)), qPrintable(text));
    }

    void keyFileLoadsIntoTheDialog()
    {
        const auto key = freshKey();
        const QString path = m_dir.filePath(QStringLiteral("audit.pub"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(key.publicKey().toHex() + '\n')); // what `audit public-key --out` writes
        f.close();
        m_page->openPinDialog();
        auto *dialog = visible<AuditKeyDialog>();
        QVERIFY(dialog);
        dialog->loadFile(m_dir.filePath(QStringLiteral("missing.pub")));
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->checkText().contains(QStringLiteral("does not exist")), qPrintable(dialog->checkText()));
        dialog->loadFile(path);
        QCOMPARE(dialog->keyEdit()->text(), QString::fromLatin1(key.publicKey().toHex()));
        QVERIFY(dialog->okButton()->isEnabled());
        QCOMPARE(dialog->publicKey(), key.publicKey());
        dialog->reject();
        QVERIFY(m_pins->pinnedKey(QStringLiteral("lobby")).isEmpty()); // cancelled: nothing pinned
    }

    // Replacing a pin asks first; an export signed by another key is then BROKEN, naming both.
    void anotherDevicesKeyIsRefusedWithBothIds()
    {
        const auto deviceKey = freshKey();
        const auto otherKey = freshKey();
        const QString deviceId = auditKeyId(deviceKey.publicKey());
        const QString otherId = auditKeyId(otherKey.publicKey());
        QVERIFY(m_model->pinAuditKey(deviceKey.publicKey()).ok());

        for (const bool confirm : {false, true}) {
            m_page->openPinDialog();
            auto *dialog = visible<AuditKeyDialog>();
            QVERIFY(dialog);
            dialog->keyEdit()->setText(QString::fromLatin1(otherKey.publicKey().toHex()));
            dialog->okButton()->click();
            auto *box = visible<QMessageBox>();
            QVERIFY(box);
            QVERIFY2(box->text().contains(deviceId) && box->text().contains(otherId), qPrintable(box->text()));
            QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")), deviceKey.publicKey()); // not before the answer
            box->button(confirm ? QMessageBox::Yes : QMessageBox::No)->click();
            QTRY_VERIFY(!visible<QMessageBox>());
            QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")), confirm ? otherKey.publicKey() : deviceKey.publicKey());
        }
        QVERIFY2(m_page->auditKeyText().contains(otherId), qPrintable(m_page->auditKeyText()));

        bool intact = true;
        const QString text = verify(writeSignedExport(QStringLiteral("device.jsonl"), deviceKey), &intact);
        QVERIFY(!intact);
        QVERIFY2(text.contains(QStringLiteral("BROKEN")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("signed with key %1, not with the given audit key %2").arg(deviceId, otherId)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("signed by audit key %1, but the key pinned for this device is %2").arg(deviceId, otherId)),
                 qPrintable(text));
        const QModelIndexList selected = m_page->verifiedTable()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), 23); // the head covers the last entry
    }

    void clearedPinSaysNotProvedIntactWithTheHint()
    {
        const auto key = freshKey();
        QVERIFY(m_model->pinAuditKey(key.publicKey()).ok());
        QVERIFY(m_page->clearPinButton()->isEnabled());
        for (const bool confirm : {false, true}) {
            m_page->clearPinButton()->click();
            auto *box = visible<QMessageBox>();
            QVERIFY(box);
            QVERIFY2(box->text().contains(auditKeyId(key.publicKey())), qPrintable(box->text()));
            box->button(confirm ? QMessageBox::Yes : QMessageBox::No)->click();
            QTRY_VERIFY(!visible<QMessageBox>());
            QCOMPARE(m_pins->pinnedKey(QStringLiteral("lobby")).isEmpty(), confirm);
        }
        QVERIFY(!m_page->clearPinButton()->isEnabled());
        QVERIFY2(m_page->auditKeyText().contains(QStringLiteral("No audit key is pinned")), qPrintable(m_page->auditKeyText()));

        bool intact = true;
        const QString text = verify(writeSignedExport(QStringLiteral("signed.jsonl"), key), &intact);
        QVERIFY(!intact);
        QVERIFY2(text.contains(QStringLiteral("NOT proved intact")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("No audit key is pinned for this device")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("“signiq-edge audit public-key”")) && text.contains(QStringLiteral("Pin audit key…")),
                 qPrintable(text));
        QCOMPARE(m_page->pinButton()->text(), QStringLiteral("Pin audit key…")); // the hint names the real button
    }

    void eachDeviceHasItsOwnPin()
    {
        const auto key = freshKey();
        QVERIFY(m_model->pinAuditKey(key.publicKey()).ok());
        m_session->setClient(m_device.get(), QStringLiteral("Checkout"), false, QStringLiteral("checkout"));
        QVERIFY(m_model->auditPublicKey().isEmpty());
        QVERIFY2(m_page->auditKeyText().contains(QStringLiteral("No audit key is pinned")), qPrintable(m_page->auditKeyText()));
        bool intact = true;
        QString text = verify(writeSignedExport(QStringLiteral("signed.jsonl"), key), &intact);
        QVERIFY2(!intact && text.contains(QStringLiteral("NOT proved intact")), qPrintable(text));
        m_session->setClient(m_device.get(), QStringLiteral("Lobby"), false, QStringLiteral("lobby"));
        QCOMPARE(m_model->auditPublicKey(), key.publicKey());
        text = verify(m_dir.filePath(QStringLiteral("signed.jsonl")), &intact);
        QVERIFY2(intact, qPrintable(text));

        // No registered device (a bare client): nothing to pin to.
        m_session->setClient(m_device.get(), QStringLiteral("fake"));
        QVERIFY(!m_page->pinButton()->isEnabled());
        QVERIFY(!m_page->clearPinButton()->isEnabled());
    }

    void tamperedFileShowsWhereItBreaks()
    {
        QList<QByteArray> lines = protocol::AuditChain::toJsonLines(auditChain(24)).split('\n');
        lines[9].replace("\"actor\":\"k3x9m2p7q4ad\"", "\"actor\":\"intruder\"");
        const QString path = m_dir.filePath(QStringLiteral("tampered.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(lines.join('\n'));
        f.close();
        QSignalSpy verified(m_model.get(), &AuditViewModel::verified);
        m_model->verifyFile(path);
        QVERIFY(verified.wait());
        QCOMPARE(verified.first().at(1).toBool(), false);
        QVERIFY(m_page->verificationText().contains(QStringLiteral("BROKEN at entry 10")));
        const QModelIndexList selected = m_page->verifiedTable()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), 9);
    }

    void unreadableFileIsAnError()
    {
        QSignalSpy failed(m_model.get(), &AuditViewModel::failed);
        m_model->verifyFile(m_dir.filePath(QStringLiteral("missing.jsonl")));
        QVERIFY(failed.wait());
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("does not exist")));
    }
};

QTEST_MAIN(TestAuditPage)
#include "TestAuditPage.moc"
