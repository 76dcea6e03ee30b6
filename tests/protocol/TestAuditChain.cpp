#include "protocol/AuditChain.h"
#include "protocol/Csv.h"
#include "protocol/AuditVerification.h"
#include "crypto/Signature.h"

#include <QTest>

#include <limits>

using namespace signiq;
using namespace signiq::protocol;

namespace {
QList<AuditEntry> chain(int n, bool oneLinePerEntry = false)
{
    QList<AuditEntry> entries;
    for (int i = 0; i < n; ++i) {
        AuditEntry e;
        e.timestampMs = 1'700'000'000'000 + i * 1000;
        e.actor = QStringLiteral("k%1").arg(i % 3);
        e.sourceIp = QStringLiteral("192.0.2.%1").arg(i);
        e.action = i % 2 ? QStringLiteral("key.create") : QStringLiteral("zones.update");
        e.target = oneLinePerEntry ? QStringLiteral("target, with \"quotes\" %1").arg(i)
                                   : QStringLiteral("target, with \"quotes\"\nand a newline %1").arg(i);
        e.result = QStringLiteral("ok");
        entries << AuditChain::link(e, entries.isEmpty() ? nullptr : &entries.last());
    }
    return entries;
}
crypto::Ed25519SigningKey auditKey(char fill = '\x5a')
{
    return *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, fill));
}

AuditHead signedHead(const QList<AuditEntry> &entries, const crypto::Ed25519SigningKey &key)
{
    AuditHead head{entries.last().seq, entries.size(), entries.last().hash, {}, {}};
    if (!head.sign(key).ok())
        qFatal("cannot sign");
    return head;
}

QByteArray exportOf(const QList<AuditEntry> &entries, const AuditHead *head, bool csv)
{
    return csv ? AuditChain::toCsv(entries, head) : AuditChain::toJsonLines(entries, head);
}

// Removes entry lines (JSON lines: line i is entry i+1; CSV: line 0 is the header).
QByteArray withoutLines(const QByteArray &data, bool csv, int first, int count)
{
    QList<QByteArray> lines = data.split('\n');
    lines.remove(first + (csv ? 1 : 0), count);
    return lines.join('\n');
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

    void csvCellsCannotBeFormulasAndStillVerify()
    {
        // A key name or target is outside input: in a CSV export it must not run as a formula in
        // a spreadsheet, and the verifier must still read back exactly what was hashed.
        QList<AuditEntry> entries;
        const QStringList hostile{QStringLiteral("=HYPERLINK(\"http://evil\",\"x\")"), QStringLiteral("+1+1"), QStringLiteral("-2"),
                                  QStringLiteral("@SUM(A1)"), QStringLiteral("\tx"), QStringLiteral("'=already quoted"),
                                  QStringLiteral("''"), QStringLiteral("plain")};
        for (const QString &text : hostile) {
            AuditEntry e;
            e.timestampMs = 1'700'000'000'000 + entries.size();
            e.actor = text;
            e.action = QStringLiteral("key.create");
            e.target = text;
            e.result = QStringLiteral("ok");
            entries << AuditChain::link(e, entries.isEmpty() ? nullptr : &entries.last());
        }
        const QByteArray csv = AuditChain::toCsv(entries);
        auto rows = parseCsv(QString::fromUtf8(csv));
        QVERIFY(rows.ok());
        for (qsizetype r = 1; r < rows->size(); ++r)
            for (const QString &cell : rows->at(r))
                QVERIFY2(cell.isEmpty() || !QStringLiteral("=+-@\t\r").contains(cell.front()), qPrintable(cell));
        QVERIFY(csv.contains("'=HYPERLINK("));
        QVERIFY(csv.contains("''=already quoted"));
        auto parsed = AuditChain::parseExport(csv);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(*parsed, entries);
        QVERIFY(!AuditChain::verify(*parsed).has_value());
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

    void headSignatureCoversEveryField()
    {
        const auto key = auditKey();
        const auto entries = chain(5, true);
        AuditHead head = signedHead(entries, key);
        QCOMPARE(head.keyId, AuditHead::keyIdOf(key.publicKey()));
        QCOMPARE(head.keyId.size(), 16);
        QVERIFY(head.verify(key.publicKey()).ok());
        for (int field = 0; field < 3; ++field) {
            AuditHead forged = head;
            if (field == 0)
                forged.seq += 1;
            else if (field == 1)
                forged.count -= 1;
            else
                forged.hash = entries.at(3).hash;
            QCOMPARE(forged.verify(key.publicKey()).error().code, core::ErrorCode::Corrupt);
        }
        const auto other = auditKey('\x11');
        const auto wrongKey = head.verify(other.publicKey());
        QVERIFY(wrongKey.error().message.contains(head.keyId));
        AuditHead unsignedHead = head;
        unsignedHead.keyId.clear();
        unsignedHead.signature.clear();
        QVERIFY(unsignedHead.verify(key.publicKey()).error().message.contains(QStringLiteral("not signed")));
        // The checkpoint file reads back.
        QCOMPARE(*AuditHead::fromCheckpointFile(head.toCheckpointFile()), head);
    }

    void exportsCarryTheirHead_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::newRow("json lines") << false;
        QTest::newRow("csv") << true;
    }

    void exportsCarryTheirHead()
    {
        QFETCH(bool, csv);
        const auto key = auditKey();
        const auto entries = chain(8, true);
        const AuditHead head = signedHead(entries, key);
        const QByteArray data = exportOf(entries, &head, csv);
        auto parsed = AuditChain::parseExportWithHead(data);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->entries, entries);
        QVERIFY(parsed->head.has_value());
        QCOMPARE(*parsed->head, head);
        QCOMPARE(*AuditChain::parseExport(data), entries); // entries only

        const AuditVerifyOptions withKey{key.publicKey(), {}, false};
        auto v = verifyAuditExport(data, withKey);
        QVERIFY(v.ok());
        QVERIFY2(v->intact(), qPrintable(v->summary()));
        // Without the public key: nothing contradicts, but nothing is proved either.
        auto noKey = verifyAuditExport(data);
        QCOMPARE(noKey->trust, AuditTrust::ChainOnly);
        QVERIFY(noKey->summary().contains(QStringLiteral("NOT proved intact")));
        QVERIFY(noKey->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("no audit public key")));
    }

    void exportCutsAndEditsAreFound_data()
    {
        QTest::addColumn<bool>("csv");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("reason");
        for (const bool csv : {false, true}) {
            const char *f = csv ? "csv" : "jsonl";
            QTest::addRow("%s first entry removed", f) << csv << 0 << QStringLiteral("entries 1..1 are missing");
            QTest::addRow("%s first three removed", f) << csv << 1 << QStringLiteral("entries 1..3 are missing");
            QTest::addRow("%s last entry removed", f) << csv << 2 << QStringLiteral("removed from the end");
            QTest::addRow("%s last two removed", f) << csv << 3 << QStringLiteral("entries 7..8 were removed");
            QTest::addRow("%s entry edited", f) << csv << 4 << QStringLiteral("entry 4 was altered");
            QTest::addRow("%s edited and chain recomputed, head rewritten", f) << csv << 5 << QStringLiteral("signature");
            QTest::addRow("%s head signed by another key", f) << csv << 6 << QStringLiteral("not with the given audit key");
        }
    }

    void exportCutsAndEditsAreFound()
    {
        QFETCH(bool, csv);
        QFETCH(int, kind);
        QFETCH(QString, reason);
        const auto key = auditKey();
        auto entries = chain(8, true);
        AuditHead head = signedHead(entries, key);
        QByteArray data = exportOf(entries, &head, csv);
        switch (kind) {
        case 0: data = withoutLines(data, csv, 0, 1); break;
        case 1: data = withoutLines(data, csv, 0, 3); break;
        case 2: data = withoutLines(data, csv, 7, 1); break;
        case 3: data = withoutLines(data, csv, 6, 2); break;
        case 4: data.replace("192.0.2.3", "192.0.2.9"); break;
        case 5: {
            // Whoever holds the database key: edit entry 3, re-link everything after it, and
            // write a head with the new hash — but the old signature.
            entries[2].result = QStringLiteral("denied");
            for (int i = 2; i < entries.size(); ++i)
                entries[i] = AuditChain::link(entries[i], &entries[i - 1]);
            AuditHead forged = head;
            forged.hash = entries.last().hash;
            data = exportOf(entries, &forged, csv);
            break;
        }
        case 6: {
            AuditHead other = signedHead(entries, auditKey('\x11'));
            data = exportOf(entries, &other, csv);
            break;
        }
        }
        auto v = verifyAuditExport(data, AuditVerifyOptions{key.publicKey(), {}, false});
        QVERIFY2(v.ok(), qPrintable(v.ok() ? QString() : v.error().message));
        QCOMPARE(v->trust, AuditTrust::Broken);
        QVERIFY2(v->chainBreak->reason.contains(reason), qPrintable(v->chainBreak->reason));
        QVERIFY(v->summary().contains(QStringLiteral("BROKEN")));
        // A cut is found without the public key too (the head's count and hash).
        if (kind <= 4)
            QCOMPARE(verifyAuditExport(data)->trust, AuditTrust::Broken);
    }

    void oldExportsAreChainOnly()
    {
        // An export from before heads: verified as far as it goes, never "intact".
        const auto key = auditKey();
        const auto entries = chain(6, true);
        for (const bool csv : {false, true}) {
            auto v = verifyAuditExport(exportOf(entries, nullptr, csv), AuditVerifyOptions{key.publicKey(), {}, false});
            QVERIFY(v.ok());
            QCOMPARE(v->trust, AuditTrust::ChainOnly);
            QVERIFY(!v->intact());
            QVERIFY(v->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("no head")));
            // Its first entries cut off: broken, not a slice.
            auto cut = verifyAuditExport(exportOf(entries.mid(2), nullptr, csv));
            QCOMPARE(cut->trust, AuditTrust::Broken);
            // ... unless slices are asked for (the console's time ranges): still only chain only.
            auto slice = verifyAuditExport(exportOf(entries.mid(2), nullptr, csv), AuditVerifyOptions{{}, {}, true});
            QCOMPARE(slice->trust, AuditTrust::ChainOnly);
            QVERIFY(slice->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("slice")));
            // An export with a head is never taken as a slice.
            const AuditHead head = signedHead(entries, key);
            auto headed = verifyAuditExport(withoutLines(exportOf(entries, &head, csv), csv, 0, 2), AuditVerifyOptions{{}, {}, true});
            QCOMPARE(headed->trust, AuditTrust::Broken);
        }
    }

    void checkpointsProveThePrefix()
    {
        const auto key = auditKey();
        auto entries = chain(10, true);
        const AuditHead checkpoint = signedHead(entries.mid(0, 6), key);
        AuditHead head = signedHead(entries, key);
        auto v = verifyAuditEntries(entries, head, AuditVerifyOptions{key.publicKey(), {checkpoint}, false}, true);
        QVERIFY2(v.intact(), qPrintable(v.summary()));
        QCOMPARE(v.checkpointsMatched, 1);
        // Whoever holds both keys rewrites entry 2 and signs a new head: only the checkpoint
        // kept off the device shows it.
        entries[1].actor = QStringLiteral("intruder");
        for (int i = 1; i < entries.size(); ++i)
            entries[i] = AuditChain::link(entries[i], &entries[i - 1]);
        head = signedHead(entries, key);
        QVERIFY(verifyAuditEntries(entries, head, AuditVerifyOptions{key.publicKey(), {}, false}, true).intact());
        auto found = verifyAuditEntries(entries, head, AuditVerifyOptions{key.publicKey(), {checkpoint}, false}, true);
        QCOMPARE(found.trust, AuditTrust::Broken);
        QVERIFY2(found.chainBreak->reason.contains(QStringLiteral("entries 1..6 changed since the checkpoint")), qPrintable(found.chainBreak->reason));
        // Rolled back to before the checkpoint: entries removed.
        auto shorter = chain(4, true);
        auto rolledBack = verifyAuditEntries(shorter, signedHead(shorter, key), AuditVerifyOptions{key.publicKey(), {checkpoint}, false}, true);
        QVERIFY2(rolledBack.chainBreak->reason.contains(QStringLiteral("entries 5..6 were removed")), qPrintable(rolledBack.chainBreak->reason));
        // A forged checkpoint file.
        AuditHead forged = checkpoint;
        forged.hash = entries.at(5).hash;
        auto bad = verifyAuditEntries(entries, head, AuditVerifyOptions{key.publicKey(), {forged}, false}, true);
        QVERIFY2(bad.chainBreak->reason.contains(QStringLiteral("checkpoint at entry 6")), qPrintable(bad.chainBreak->reason));
    }

    void badHeadsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("trailer");
        QTest::addColumn<QString>("message");
        const QByteArray good = R"({"count":2,"format":"signiq-audit-head","hash":"HASH","key_id":"","seq":2,"signature":"","version":1})";
        QTest::newRow("unknown field") << QByteArray(good).replace("\"version\":1", "\"version\":1,\"x\":1") << QStringLiteral("unknown fields");
        QTest::newRow("missing count") << QByteArray(good).replace("\"count\":2,", "") << QStringLiteral("without 'count'");
        QTest::newRow("version 2") << QByteArray(good).replace("\"version\":1", "\"version\":2") << QStringLiteral("version 2");
        QTest::newRow("fractional seq") << QByteArray(good).replace("\"seq\":2", "\"seq\":2.5") << QStringLiteral("whole number");
        QTest::newRow("negative count") << QByteArray(good).replace("\"count\":2", "\"count\":-2") << QStringLiteral(">= 0");
        QTest::newRow("short hash") << QByteArray(good).replace("HASH", "abc") << QStringLiteral("64 lower-case hex");
        QTest::newRow("key id without signature") << QByteArray(good).replace("\"key_id\":\"\"", "\"key_id\":\"0123456789abcdef\"")
                                                  << QStringLiteral("both set or both empty");
        QTest::newRow("signature not base64") << QByteArray(good).replace("\"key_id\":\"\"", "\"key_id\":\"0123456789abcdef\"")
                                                         .replace("\"signature\":\"\"", "\"signature\":\"***\"")
                                              << QStringLiteral("not base64");
        QTest::newRow("head not last") << good + "\n" + good << QStringLiteral("after the audit head");
    }

    void badHeadsAreRefused()
    {
        QFETCH(QByteArray, trailer);
        QFETCH(QString, message);
        const auto entries = chain(2, true);
        trailer.replace("HASH", entries.last().hash.toLatin1());
        auto parsed = AuditChain::parseExportWithHead(AuditChain::toJsonLines(entries) + trailer + '\n');
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
        // The same good head parses.
        AuditHead head{2, 2, entries.last().hash, {}, {}};
        QVERIFY(AuditChain::parseExportWithHead(AuditChain::toJsonLines(entries, &head)).ok());
        // CSV head row that is not the last row.
        QByteArray csv = AuditChain::toCsv(entries, &head);
        csv += AuditChain::toCsv(entries).split('\n').at(1) + '\n';
        QVERIFY(AuditChain::parseExportWithHead(csv).error().message.contains(QStringLiteral("after the audit head")));
    }
};

QTEST_GUILESS_MAIN(TestAuditChain)
#include "TestAuditChain.moc"
