#include "ConsoleTestData.h"
#include "audit/AuditFilter.h"
#include "audit/AuditVerification.h"
#include "crypto/Signature.h"

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
        // No head (an export from before signed heads): consistent, but only "chain only".
        QVERIFY(!result->isBroken());
        QVERIFY(!result->isIntact());
        QCOMPARE(result->trust, protocol::AuditTrust::ChainOnly);
        QVERIFY(result->startsAtGenesis);
        QCOMPARE(result->entries.size(), 20);
    }

    void signedExportsVerifyWithThePublicKey()
    {
        const auto key = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x3c'));
        const auto chain = auditChain(20);
        protocol::AuditHead head{chain.last().seq, chain.size(), chain.last().hash, {}, {}};
        QVERIFY(head.sign(key).ok());
        const QByteArray data = protocol::AuditChain::toJsonLines(chain, &head);
        auto result = verifyAuditExport(data, key.publicKey());
        QVERIFY(result.ok());
        QVERIFY(result->isIntact());
        QCOMPARE(result->head->keyId, head.keyId);
        QCOMPARE(verifyAuditExport(data)->trust, protocol::AuditTrust::ChainOnly); // key not pinned
        // The same verifier as the edge: a cut at either end is found (a file with a head is never a slice).
        QList<QByteArray> lines = data.split('\n');
        lines.removeFirst();
        QVERIFY(verifyAuditExport(lines.join('\n'), key.publicKey())->isBroken());
        lines = data.split('\n');
        lines.removeAt(lines.size() - 3);
        QVERIFY(verifyAuditExport(lines.join('\n'), key.publicKey())->isBroken());
        const auto other = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x3d'));
        QVERIFY(verifyAuditExport(data, other.publicKey())->isBroken());
    }

    void editedEntryIsLocated()
    {
        QList<QByteArray> lines = protocol::AuditChain::toJsonLines(auditChain(20)).split('\n');
        lines[7].replace("\"result\":\"ok\"", "\"result\":\"denied\"");
        const auto result = verifyAuditExport(lines.join('\n'));
        QVERIFY(result.ok());
        QVERIFY(result->isBroken());
        QCOMPARE(result->chainBreak->index, 7);
        QCOMPARE(result->chainBreak->seq, 8);
    }

    void deletedEntryIsLocated()
    {
        QList<QByteArray> lines = protocol::AuditChain::toJsonLines(auditChain(20)).split('\n');
        lines.removeAt(5);
        const auto result = verifyAuditExport(lines.join('\n'));
        QVERIFY(result.ok());
        QVERIFY(result->isBroken());
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
        QVERIFY(!result->isBroken());
        QVERIFY(!result->isIntact()); // a slice is never proved intact
        QVERIFY(result->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("slice")));
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
        QVERIFY(!ok->isBroken());
        const auto missing = verifyAuditExportFile(dir.filePath(QStringLiteral("nope.jsonl")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, core::ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestAuditVerification)
#include "TestAuditVerification.moc"
