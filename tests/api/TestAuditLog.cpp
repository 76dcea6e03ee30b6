// The hash-chained audit log in the encrypted database: verification finds edited, inserted and
// deleted entries (also the newest ones) in the database and in an export file on its own.
#include "api/AuditLog.h"
#include "storage/EncryptedDatabase.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;

class TestAuditLog : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto db = storage::EncryptedDatabase::open(m_dir->filePath(QStringLiteral("a.db")), QByteArray(32, '\x33'), QStringLiteral("audit"));
        QVERIFY(db.ok());
        m_db = std::make_unique<storage::EncryptedDatabase>(std::move(db).value());
        AuditLog log(*m_db, m_clock);
        for (int i = 1; i <= 6; ++i) {
            auto e = log.record(AuditEvent{QStringLiteral("key%1").arg(i), QStringLiteral("10.0.0.%1").arg(i), QStringLiteral("key.create"),
                                           QStringLiteral("target,%1 \"q\"").arg(i), QStringLiteral("ok")});
            QVERIFY2(e.ok(), e.ok() ? "" : qPrintable(e.error().toString()));
            QCOMPARE(e->seq, i);
            m_clock.advanceMs(1000);
        }
    }
    void cleanup() { m_db.reset(); }

    void intactChainVerifies()
    {
        auto v = verifyAuditLog(*m_db);
        QVERIFY(v.ok());
        QVERIFY2(v->intact(), qPrintable(v->summary()));
        QCOMPARE(v->entries, 6);
        auto all = AuditLog(*m_db, m_clock).all();
        QCOMPARE(all->first().prevHash, AuditChain::genesisHash());
        QCOMPARE(all->at(3).prevHash, all->at(2).hash);
    }

    void storedFieldsAreBounded()
    {
        AuditLog log(*m_db, m_clock);
        const QString huge(1 << 20, u'x');
        auto e = log.record(AuditEvent{huge, huge, huge, huge, huge});
        QVERIFY(e);
        const AuditEntry stored = log.all()->last();
        QCOMPARE(stored.actor.size(), AuditEvent::MaxShortField);
        QCOMPARE(stored.sourceIp.size(), AuditEvent::MaxShortField);
        QCOMPARE(stored.action.size(), AuditEvent::MaxShortField);
        QCOMPARE(stored.target.size(), AuditEvent::MaxTarget);
        QCOMPARE(stored.result.size(), AuditEvent::MaxResult);
        QVERIFY(stored.target.endsWith(QChar(0x2026)));
        auto short_ = log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.revoke"), QStringLiteral("k1"), QStringLiteral("ok")});
        QVERIFY(short_);
        QCOMPARE(log.all()->last().target, QStringLiteral("k1")); // short fields untouched
        QVERIFY(verifyAuditLog(*m_db)->intact());
    }

    void databaseTampering_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<qint64>("brokenSeq");
        QTest::addColumn<QString>("reason");
        QTest::newRow("edited field") << QStringLiteral("UPDATE audit_log SET result = 'denied' WHERE seq = 3") << qint64(3) << QStringLiteral("altered");
        QTest::newRow("edited time") << QStringLiteral("UPDATE audit_log SET timestamp_ms = 5 WHERE seq = 2") << qint64(2) << QStringLiteral("altered");
        QTest::newRow("deleted middle") << QStringLiteral("DELETE FROM audit_log WHERE seq = 4") << qint64(5) << QStringLiteral("missing");
        QTest::newRow("deleted first") << QStringLiteral("DELETE FROM audit_log WHERE seq = 1") << qint64(2) << QStringLiteral("missing");
        QTest::newRow("deleted newest") << QStringLiteral("DELETE FROM audit_log WHERE seq >= 5") << qint64(5) << QStringLiteral("deleted");
        QTest::newRow("renumbered") << QStringLiteral("UPDATE audit_log SET seq = seq + 10 WHERE seq = 6") << qint64(16) << QStringLiteral("altered");
    }

    void databaseTampering()
    {
        QFETCH(QString, sql);
        QFETCH(qint64, brokenSeq);
        QFETCH(QString, reason);
        QSqlQuery q(m_db->database());
        QVERIFY(q.exec(sql));
        auto v = verifyAuditLog(*m_db);
        QVERIFY(v.ok());
        QVERIFY(!v->intact());
        QCOMPARE(v->chainBreak->seq, brokenSeq);
        QVERIFY2(v->chainBreak->reason.contains(reason), qPrintable(v->chainBreak->reason));
        QVERIFY(v->summary().contains(QStringLiteral("BROKEN")));
    }

    void insertedEntryIsFound()
    {
        // A forged entry re-hashed correctly on its own, inserted in the middle: the next one no
        // longer follows it.
        auto all = *AuditLog(*m_db, m_clock).all();
        QSqlQuery q(m_db->database());
        QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET seq = seq + 1 WHERE seq >= 4")) || true);
        AuditEntry forged = all.at(2);
        forged = AuditChain::link(AuditEntry{0, 1, QStringLiteral("evil"), {}, QStringLiteral("key.create"), {}, QStringLiteral("ok"), {}, {}}, &forged);
        // Renumbering in one UPDATE can collide on the primary key; do it the long way.
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM audit_log WHERE seq = 4")));
        q.next();
        if (q.value(0).toInt() == 1) {
            for (int s = 6; s >= 4; --s)
                QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET seq = %1 WHERE seq = %2").arg(s + 1).arg(s)));
        }
        q.prepare(QStringLiteral("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const QVariant &v : {QVariant(forged.seq), QVariant(forged.timestampMs), QVariant(forged.actor), QVariant(forged.sourceIp),
                                  QVariant(forged.action), QVariant(forged.target), QVariant(forged.result), QVariant(forged.prevHash),
                                  QVariant(forged.hash)})
            q.addBindValue(v);
        QVERIFY(q.exec());
        auto v = verifyAuditLog(*m_db);
        QVERIFY(!v->intact());
        QCOMPARE(v->chainBreak->seq, 5);
    }

    void exportFileVerifiesOnItsOwn()
    {
        const auto all = *AuditLog(*m_db, m_clock).all();
        for (const bool csv : {false, true}) {
            const QByteArray data = csv ? AuditChain::toCsv(all) : AuditChain::toJsonLines(all);
            const QString path = m_dir->filePath(csv ? QStringLiteral("audit.csv") : QStringLiteral("audit.jsonl"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
            f.close();
            auto v = verifyAuditExportFile(path);
            QVERIFY(v.ok());
            QVERIFY2(v->intact(), qPrintable(v->summary()));
            QCOMPARE(v->entries, 6);
            // A slice (entries 3..6) verifies as a contiguous slice.
            auto slice = verifyAuditExport(csv ? AuditChain::toCsv(all.mid(2)) : AuditChain::toJsonLines(all.mid(2)));
            QVERIFY(slice->intact());
            // An edit in the file.
            QByteArray edited = data;
            edited.replace("10.0.0.4", "10.0.0.9");
            auto broken = verifyAuditExport(edited);
            QVERIFY(!broken->intact());
            QCOMPARE(broken->chainBreak->seq, 4);
        }
        QCOMPARE(verifyAuditExportFile(m_dir->filePath(QStringLiteral("none"))).error().code, core::ErrorCode::NotFound);
        QVERIFY(!verifyAuditExport("not an export").ok());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::EncryptedDatabase> m_db;
    core::ManualClock m_clock{1'700'000'000'000};
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "TestAuditLog.moc"
