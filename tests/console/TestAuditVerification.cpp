#include "ConsoleTestData.h"
#include "audit/AuditFilter.h"
#include "audit/AuditVerification.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

class TestAuditVerification : public QObject {
    Q_OBJECT

private slots:
    void intactExportsVerify_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("json lines") << false;
        QTest::newRow("csv") << true;
    }
    void intactExportsVerify()
    {
        QFETCH(bool, csv);
        const auto chain = auditChain(20);
        const QByteArray data = csv ? protocol::AuditChain::toCsv(chain) : protocol::AuditChain::toJsonLines(chain);
        const auto result = verifyAuditExport(data);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QVERIFY(result->isIntact());
        QVERIFY(result->startsAtGenesis);
        QCOMPARE(result->entries.size(), 20);
    }

    void editedEntryIsLocated()
    {
        QList<QByteArray> lines = protocol::AuditChain::toJsonLines(auditChain(20)).split('\n');
        lines[7].replace("\"result\":\"ok\"", "\"result\":\"denied\"");
        const auto result = verifyAuditExport(lines.join('\n'));
        QVERIFY(result.ok());
        QVERIFY(!result->isIntact());
        QCOMPARE(result->chainBreak->index, 7);
        QCOMPARE(result->chainBreak->seq, 8);
    }

    void deletedEntryIsLocated()
    {
        QList<QByteArray> lines = protocol::AuditChain::toJsonLines(auditChain(20)).split('\n');
        lines.removeAt(5);
        const auto result = verifyAuditExport(lines.join('\n'));
        QVERIFY(result.ok());
        QVERIFY(!result->isIntact());
        QCOMPARE(result->chainBreak->index, 5);
    }

    void sliceFromTheMiddleVerifiesAsASlice()
    {
        const auto chain = auditChain(30);
        AuditQuery query;
        query.fromMs = chain.at(10).timestampMs;
        query.toMs = chain.at(20).timestampMs;
        const auto slice = auditTimeSlice(chain, query);
        QCOMPARE(slice.size(), 10);
        const auto result = verifyAuditExport(protocol::AuditChain::toJsonLines(slice));
        QVERIFY(result.ok());
        QVERIFY(result->isIntact());
        QVERIFY(!result->startsAtGenesis);
    }

    void filtersMatchActorAndActionPrefix()
    {
        const auto chain = auditChain(12);
        AuditQuery query;
        query.actor = QStringLiteral("cli");
        query.action = QStringLiteral("key.");
        const auto filtered = filterAuditEntries(chain, query);
        QVERIFY(!filtered.isEmpty());
        for (const auto &e : filtered) {
            QCOMPARE(e.actor, QStringLiteral("cli"));
            QVERIFY(e.action.startsWith(QStringLiteral("key.")));
        }
    }

    void notAnExportIsAnError()
    {
        const auto result = verifyAuditExport("hello\nworld\n");
        QVERIFY(!result.ok());
        const auto empty = verifyAuditExport(QByteArray());
        QVERIFY(!empty.ok());
    }

    void files()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(protocol::AuditChain::toJsonLines(auditChain(5)));
        file.close();
        const auto ok = verifyAuditExportFile(path);
        QVERIFY(ok.ok());
        QVERIFY(ok->isIntact());
        const auto missing = verifyAuditExportFile(dir.filePath(QStringLiteral("nope.jsonl")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, core::ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestAuditVerification)
#include "TestAuditVerification.moc"
