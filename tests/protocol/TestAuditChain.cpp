#include "protocol/AuditChain.h"

#include <QTest>

#include <limits>

using namespace signiq;
using namespace signiq::protocol;

namespace {
QList<AuditEntry> chain(int n)
{
    QList<AuditEntry> entries;
    for (int i = 0; i < n; ++i) {
        AuditEntry e;
        e.timestampMs = 1'700'000'000'000 + i * 1000;
        e.actor = QStringLiteral("k%1").arg(i % 3);
        e.sourceIp = QStringLiteral("192.0.2.%1").arg(i);
        e.action = i % 2 ? QStringLiteral("key.create") : QStringLiteral("zones.update");
        e.target = QStringLiteral("target, with \"quotes\"\nand a newline %1").arg(i);
        e.result = QStringLiteral("ok");
        entries << AuditChain::link(e, entries.isEmpty() ? nullptr : &entries.last());
    }
    return entries;
}
} // namespace

class TestAuditChain : public QObject {
    Q_OBJECT

private slots:
    void intactChainVerifies()
    {
        const auto entries = chain(10);
        QCOMPARE(entries.first().seq, 1);
        QCOMPARE(entries.first().prevHash, AuditChain::genesisHash());
        QCOMPARE(entries.at(5).prevHash, entries.at(4).hash);
        QVERIFY(!AuditChain::verify(entries).has_value());
        QVERIFY(!AuditChain::verify({}).has_value());
    }

    void editDetected()
    {
        auto entries = chain(10);
        entries[4].result = QStringLiteral("denied");
        const auto broken = AuditChain::verify(entries);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->seq, 5);
        QVERIFY2(broken->reason.contains(QStringLiteral("altered")), qPrintable(broken->reason));
    }

    void editWithRecomputedHashDetected()
    {
        auto entries = chain(10);
        entries[4].actor = QStringLiteral("intruder");
        entries[4].hash = entries[4].computeHash(); // a careful forger
        const auto broken = AuditChain::verify(entries);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->seq, 6); // the next entry no longer follows
    }

    void deletionDetected()
    {
        auto entries = chain(10);
        entries.removeAt(6);
        const auto broken = AuditChain::verify(entries);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->index, 6);
        QVERIFY2(broken->reason.contains(QStringLiteral("7..7 are missing")), qPrintable(broken->reason));
    }

    void insertionDetected()
    {
        auto entries = chain(10);
        AuditEntry forged = entries.at(3);
        forged.action = QStringLiteral("key.revoke");
        forged.hash = forged.computeHash();
        entries.insert(4, forged);
        const auto broken = AuditChain::verify(entries);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->index, 4);
    }

    void deletedHeadDetected()
    {
        auto entries = chain(5);
        entries.removeFirst();
        const auto broken = AuditChain::verify(entries);
        QVERIFY(broken.has_value());
        QVERIFY2(broken->reason.contains(QStringLiteral("missing")), qPrintable(broken->reason));
        // ...but a slice verifies when its predecessor's hash is known.
        QVERIFY(!AuditChain::verify(entries, chain(5).first().hash).has_value());
    }

    void exportsRoundTripAndVerifyOnTheirOwn_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("json lines") << false;
        QTest::newRow("csv") << true;
    }

    void exportsRoundTripAndVerifyOnTheirOwn()
    {
        QFETCH(bool, csv);
        const auto entries = chain(8);
        const QByteArray exported = csv ? AuditChain::toCsv(entries) : AuditChain::toJsonLines(entries);
        auto parsed = AuditChain::parseExport(exported);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(*parsed, entries);
        QVERIFY(!AuditChain::verify(*parsed).has_value());

        // Tamper with the exported file text: the offline check notices.
        QByteArray tampered = exported;
        tampered.replace("192.0.2.3", "192.0.2.9");
        auto reparsed = AuditChain::parseExport(tampered);
        QVERIFY(reparsed.ok());
        const auto broken = AuditChain::verify(*reparsed);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->seq, 4);
    }

    void sequenceNumbersAtTheEdgesAreBreaksNotOverflows()
    {
        // Found while writing fuzz_audit_export; its input is kept in
        // tests/fuzz/regressions/audit_export: a CSV export whose first seq is -2^63 made
        // verify() compute seq - 1 (signed overflow, reported by UBSan under the target).
        const QByteArray csv = "seq,timestamp_ms,actor,source_ip,action,target,result,prev_hash,hash\n"
                               "-9223372036854775808,0,a,,b,,ok,x,y\n";
        auto parsed = AuditChain::parseExport(csv);
        QVERIFY(parsed);
        auto broken = AuditChain::verify(*parsed);
        QVERIFY(broken.has_value());
        QCOMPARE(broken->index, 0);
        QVERIFY2(broken->reason.contains(QStringLiteral("invalid sequence number")), qPrintable(broken->reason));
        QVERIFY(AuditChain::verify(*parsed, QStringLiteral("x")).has_value());

        // A forger can compute the hashes: seq 0 or negative later in a chain, and a chain that
        // goes past 2^63 - 1, are breaks too.
        for (const qint64 seq : {qint64(0), std::numeric_limits<qint64>::min()}) {
            auto entries = chain(3);
            entries[1].seq = seq;
            entries[1].hash = entries[1].computeHash();
            broken = AuditChain::verify(entries);
            QVERIFY(broken.has_value());
            QCOMPARE(broken->index, 1);
        }
        AuditEntry last;
        last.seq = std::numeric_limits<qint64>::max();
        last.prevHash = QStringLiteral("p");
        last.hash = last.computeHash();
        AuditEntry after = AuditChain::link(AuditEntry{}, nullptr);
        after.seq = std::numeric_limits<qint64>::min();
        after.prevHash = last.hash;
        after.hash = after.computeHash();
        QVERIFY(!AuditChain::verify({last}, QStringLiteral("p")).has_value()); // a slice ending at the maximum
        broken = AuditChain::verify({last, after}, QStringLiteral("p"));
        QVERIFY(broken.has_value());
        QCOMPARE(broken->index, 1);
    }

    void garbageExportRejected()
    {
        QVERIFY(!AuditChain::parseExport("hello,world\n1,2\n").ok());
        QVERIFY(!AuditChain::parseExport("{\"seq\":1}\n").ok());
    }
};

QTEST_GUILESS_MAIN(TestAuditChain)
#include "TestAuditChain.moc"
