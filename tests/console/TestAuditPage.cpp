#include "AuditPage.h"
#include "ConsoleTestData.h"
#include "audit/AuditViewModel.h"
#include "client/FakeDeviceClient.h"
#include "crypto/Signature.h"
#include "devices/DeviceSession.h"

#include <QFile>
#include <QItemSelectionModel>
#include <QLineEdit>
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
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<AuditViewModel> m_model;
    std::unique_ptr<AuditPage> m_page;
    QTemporaryDir m_dir;

private slots:
    void init()
    {
        m_device = std::make_unique<FakeDeviceClient>(m_clock);
        m_device->setAuditEntries(auditChain(24));
        m_session = std::make_unique<DeviceSession>();
        m_model = std::make_unique<AuditViewModel>(*m_session);
        m_page = std::make_unique<AuditPage>(*m_model);
        m_page->show();
        m_session->setClient(m_device.get(), QStringLiteral("fake"));
    }
    void cleanup()
    {
        m_page.reset();
        m_session->clear();
        m_model.reset();
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
