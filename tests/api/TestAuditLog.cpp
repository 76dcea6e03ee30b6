// The hash-chained audit log in the encrypted database: verification finds edited, inserted and
// deleted entries (also the newest ones) in the database and in an export file on its own; with
// the audit key (Ed25519, apart from the database key) a log rewritten by whoever holds only the
// database key is found too; an operation and its audit entry are one transaction.
#include "api/AuditLog.h"
#include "api/KeyStore.h"
#include "crypto/Signature.h"
#include "storage/ConfigRepository.h"
#include "storage/EncryptedDatabase.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;

namespace {

qint64 countRows(const storage::EncryptedDatabase &db, const QString &table)
{
    QSqlQuery q(db.database());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// What whoever holds the database key (but not the audit key) can do with raw SQL: change
// entry `seq`, re-link every entry after it and move the head's seq/hash to match.
bool rewriteWithDatabaseKey(const storage::EncryptedDatabase &db, qint64 seq, const QString &newResult)
{
    const core::ManualClock clock;
    auto all = *AuditLog(db, clock).all();
    all[seq - 1].result = newResult;
    for (qsizetype i = seq - 1; i < all.size(); ++i)
        all[i] = AuditChain::link(all[i], i == 0 ? nullptr : &all[i - 1]);
    QSqlQuery q(db.database());
    for (qsizetype i = seq - 1; i < all.size(); ++i) {
        q.prepare(QStringLiteral("UPDATE audit_log SET result = ?, prev_hash = ?, hash = ? WHERE seq = ?"));
        q.addBindValue(all[i].result);
        q.addBindValue(all[i].prevHash);
        q.addBindValue(all[i].hash);
        q.addBindValue(all[i].seq);
        if (!q.exec())
            return false;
    }
    q.prepare(QStringLiteral("UPDATE audit_head SET hash = ? WHERE id = 1"));
    q.addBindValue(all.last().hash);
    return q.exec();
}

} // namespace

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
    void cleanup()
    {
        m_signedDb.reset();
        m_db.reset();
    }

    // A second database whose log is signed from its first entry, with a checkpoint every 3.
    void openSigned()
    {
        auto db = storage::EncryptedDatabase::open(m_dir->filePath(QStringLiteral("s.db")), QByteArray(32, '\x44'), QStringLiteral("signed"));
        QVERIFY(db.ok());
        m_signedDb = std::make_unique<storage::EncryptedDatabase>(std::move(db).value());
        AuditLog log(*m_signedDb, m_clock, &m_key, AuditLogOptions{3});
        for (int i = 1; i <= 5; ++i)
            QVERIFY(log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.create"), QStringLiteral("k%1").arg(i), QStringLiteral("ok")}).ok());
    }

    AuditVerifyOptions withKey() const { return AuditVerifyOptions{m_key.publicKey(), {}, false}; }

    void intactChainVerifies()
    {
        auto v = verifyAuditLog(*m_db);
        QVERIFY(v.ok());
        // Unsigned (no audit key): consistent, but never "intact".
        QVERIFY2(!v->broken(), qPrintable(v->summary()));
        QCOMPARE(v->trust, AuditTrust::ChainOnly);
        QVERIFY(v->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("not signed")));
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
        QVERIFY(!verifyAuditLog(*m_db)->broken());
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
        QTest::newRow("deleted newest") << QStringLiteral("DELETE FROM audit_log WHERE seq >= 5") << qint64(5) << QStringLiteral("removed from the end");
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
            // An export without a head (as written before heads existed): chain only.
            QVERIFY2(!v->broken(), qPrintable(v->summary()));
            QCOMPARE(v->trust, AuditTrust::ChainOnly);
            QCOMPARE(v->entries, 6);
            // Entries 3..6 alone: cut at the start.
            auto slice = verifyAuditExport(csv ? AuditChain::toCsv(all.mid(2)) : AuditChain::toJsonLines(all.mid(2)));
            QVERIFY(slice->broken());
            QVERIFY2(slice->chainBreak->reason.contains(QStringLiteral("entries 1..2 are missing")), qPrintable(slice->chainBreak->reason));
            // An edit in the file.
            QByteArray edited = data;
            edited.replace("10.0.0.4", "10.0.0.9");
            auto broken = verifyAuditExport(edited);
            QVERIFY(broken->broken());
            QCOMPARE(broken->chainBreak->seq, 4);
        }
        QCOMPARE(verifyAuditExportFile(m_dir->filePath(QStringLiteral("none"))).error().code, core::ErrorCode::NotFound);
        QVERIFY(!verifyAuditExport("not an export").ok());
    }

    void signedLogVerifiesWithThePublicKeyOnly()
    {
        openSigned();
        auto v = verifyAuditLog(*m_signedDb, withKey());
        QVERIFY(v.ok());
        QVERIFY2(v->intact(), qPrintable(v->summary()));
        QCOMPARE(v->head->keyId, AuditHead::keyIdOf(m_key.publicKey()));
        QCOMPARE(v->checkpointsMatched, 1); // stored at entry 3
        QCOMPARE(AuditLog(*m_signedDb, m_clock).storedCheckpoints()->first().seq, 3);
        auto noKey = verifyAuditLog(*m_signedDb);
        QCOMPARE(noKey->trust, AuditTrust::ChainOnly);
        QVERIFY(noKey->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("no audit public key")));
        auto other = crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x01'));
        QCOMPARE(verifyAuditLog(*m_signedDb, AuditVerifyOptions{other->publicKey(), {}, false})->trust, AuditTrust::Broken);
    }

    void rewriteWithTheDatabaseKeyIsFound()
    {
        openSigned();
        // Edit entry 2 with raw SQL, recompute the chain and the head's hash: the chain alone
        // cannot tell...
        QVERIFY(rewriteWithDatabaseKey(*m_signedDb, 2, QStringLiteral("denied")));
        auto chainOnly = verifyAuditLog(*m_signedDb, AuditVerifyOptions{{}, {}, false});
        QVERIFY(!AuditChain::verify(*AuditLog(*m_signedDb, m_clock).all()).has_value());
        // ... but the head signature (and the stored checkpoint at 3) can.
        QVERIFY(chainOnly->broken()); // the stored checkpoint at entry 3 no longer matches
        auto v = verifyAuditLog(*m_signedDb, withKey());
        QCOMPARE(v->trust, AuditTrust::Broken);
        QVERIFY2(v->chainBreak->reason.contains(QStringLiteral("signature")), qPrintable(v->chainBreak->reason));
        // Deleting the checkpoints too: the signature still finds it.
        QSqlQuery q(m_signedDb->database());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_checkpoints")));
        QCOMPARE(verifyAuditLog(*m_signedDb, withKey())->trust, AuditTrust::Broken);
        QCOMPARE(verifyAuditLog(*m_signedDb)->trust, AuditTrust::ChainOnly); // without the key it cannot be seen
        // The device never signs over the edit: the next append is refused.
        AuditLog log(*m_signedDb, m_clock, &m_key);
        auto refused = log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.revoke"), QStringLiteral("k1"), QStringLiteral("ok")});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, core::ErrorCode::Corrupt);
        QCOMPARE(countRows(*m_signedDb, QStringLiteral("audit_log")), 5);
        QVERIFY(!log.checkWritable().ok());
    }

    void strippedSignatureIsFound()
    {
        openSigned();
        QSqlQuery q(m_signedDb->database());
        QVERIFY(q.exec(QStringLiteral("UPDATE audit_head SET signature = NULL, key_id = ''")));
        auto v = verifyAuditLog(*m_signedDb, withKey());
        QCOMPARE(v->trust, AuditTrust::Broken);
        QVERIFY2(v->chainBreak->reason.contains(QStringLiteral("not signed")), qPrintable(v->chainBreak->reason));
        // The key holder's next append is refused (not signed over) until someone adopts it.
        auto refused = AuditLog(*m_signedDb, m_clock, &m_key).record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("x"), {}, QStringLiteral("ok")});
        QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY(refused.error().message.contains(QStringLiteral("audit adopt")));
    }

    void signedLogRefusesUnsignedAppends()
    {
        openSigned();
        AuditLog unsignedLog(*m_signedDb, m_clock);
        auto refused = unsignedLog.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.create"), {}, QStringLiteral("ok")});
        QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY2(refused.error().message.contains(QStringLiteral("--audit-key-file")), qPrintable(refused.error().message));
        QCOMPARE(unsignedLog.checkWritable().error().code, core::ErrorCode::PermissionDenied);
        QCOMPARE(countRows(*m_signedDb, QStringLiteral("audit_log")), 5);
        QVERIFY(verifyAuditLog(*m_signedDb, withKey())->intact());
    }

    void adoptSignsAnOlderLog()
    {
        // m_db: 6 entries written without an audit key.
        AuditLog log(*m_db, m_clock, &m_key);
        auto refused = log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.create"), {}, QStringLiteral("ok")});
        QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
        auto adopted = log.adopt(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("audit.adopt"), {}, QStringLiteral("ok")});
        QVERIFY2(adopted.ok(), qPrintable(adopted.ok() ? QString() : adopted.error().toString()));
        QCOMPARE(adopted->seq, 7);
        QVERIFY2(adopted->result.contains(QStringLiteral("6 entries adopted (unsigned head)")), qPrintable(adopted->result));
        QVERIFY(verifyAuditLog(*m_db, withKey())->intact());
        QVERIFY(log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.create"), {}, QStringLiteral("ok")}).ok());
        QVERIFY(verifyAuditLog(*m_db, withKey())->intact());
        // Adopting again is pointless; a broken chain is never adopted.
        QCOMPARE(log.adopt(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("audit.adopt"), {}, QStringLiteral("ok")}).error().code,
                 core::ErrorCode::InvalidArgument);
        QSqlQuery q(m_db->database());
        QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET actor = 'x' WHERE seq = 2")));
        auto other = crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x02'));
        QCOMPARE(AuditLog(*m_db, m_clock, &*other).adopt(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("audit.adopt"), {}, QStringLiteral("ok")}).error().code,
                 core::ErrorCode::Corrupt);
    }

    void checkpointsKeptOffTheDeviceProveThePrefix()
    {
        openSigned();
        AuditLog log(*m_signedDb, m_clock, &m_key, AuditLogOptions{3});
        auto checkpoint = log.checkpoint(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("audit.checkpoint"), QStringLiteral("cp.json"), QStringLiteral("ok")});
        QVERIFY2(checkpoint.ok(), qPrintable(checkpoint.ok() ? QString() : checkpoint.error().toString()));
        QCOMPARE(checkpoint->seq, 6); // covers its own record
        QCOMPARE(checkpoint->count, 6);
        QVERIFY(checkpoint->verify(m_key.publicKey()).ok());
        const QByteArray file = checkpoint->toCheckpointFile();
        QCOMPARE(log.storedCheckpoints()->size(), 2); // 3 (periodic) and 6 (on demand, also the periodic one)
        for (int i = 0; i < 3; ++i)
            QVERIFY(log.record(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.rotate"), {}, QStringLiteral("ok")}).ok());
        AuditVerifyOptions options = withKey();
        options.checkpoints = {*AuditHead::fromCheckpointFile(file)};
        auto v = verifyAuditLog(*m_signedDb, options);
        QVERIFY2(v->intact(), qPrintable(v->summary()));
        QCOMPARE(v->checkpointsMatched, 4); // 3, 6, 9 stored + the file

        // Rolled back to an older signed state (entries 7..9 and every stored checkpoint after
        // 6 deleted, the head set back to the checkpoint at 6): the device alone cannot tell,
        // a newer checkpoint kept elsewhere can.
        auto later = log.checkpoint(AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("audit.checkpoint"), {}, QStringLiteral("ok")});
        QVERIFY(later.ok());
        QSqlQuery q(m_signedDb->database());
        QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_log WHERE seq > 6")));
        QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_checkpoints WHERE seq > 6")));
        q.prepare(QStringLiteral("UPDATE audit_head SET seq = ?, count = ?, hash = ?, key_id = ?, signature = ? WHERE id = 1"));
        for (const QVariant &value : {QVariant(checkpoint->seq), QVariant(checkpoint->count), QVariant(checkpoint->hash),
                                      QVariant(checkpoint->keyId), QVariant(checkpoint->signature)})
            q.addBindValue(value);
        QVERIFY(q.exec());
        QVERIFY(verifyAuditLog(*m_signedDb, withKey())->intact());
        options.checkpoints = {*later};
        auto rolledBack = verifyAuditLog(*m_signedDb, options);
        QCOMPARE(rolledBack->trust, AuditTrust::Broken);
        QVERIFY2(rolledBack->chainBreak->reason.contains(QStringLiteral("entries 7..10 were removed")), qPrintable(rolledBack->chainBreak->reason));
    }

    void exportCarriesTheSignedHead()
    {
        openSigned();
        auto snapshot = AuditLog(*m_signedDb, m_clock).snapshot();
        QVERIFY(snapshot.ok());
        QCOMPARE(snapshot->head.seq, 5);
        QCOMPARE(snapshot->head.count, 5);
        for (const bool csv : {false, true}) {
            const QByteArray data = csv ? AuditChain::toCsv(snapshot->entries, &snapshot->head)
                                        : AuditChain::toJsonLines(snapshot->entries, &snapshot->head);
            QVERIFY2(verifyAuditExport(data, withKey())->intact(), qPrintable(verifyAuditExport(data, withKey())->summary()));
            QList<QByteArray> lines = data.split('\n');
            lines.removeAt(csv ? 1 : 0); // first entry
            QCOMPARE(verifyAuditExport(lines.join('\n'), withKey())->trust, AuditTrust::Broken);
            lines = data.split('\n');
            lines.removeAt(lines.size() - 3); // last entry (then the head, then "")
            QCOMPARE(verifyAuditExport(lines.join('\n'), withKey())->trust, AuditTrust::Broken);
        }
    }

    void operationAndAuditAreOneTransaction()
    {
        // The audit write fails (a trigger in this test database): the key is not created,
        // rotated or revoked, and the zone configuration is not stored.
        KeyStore keys(*m_db, m_clock);
        KeyRequest request;
        request.scopes = Scope::Admin;
        auto existing = keys.create(request);
        QVERIFY(existing.ok());
        QSqlQuery q(m_db->database());
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit disk full'); END")));
        const auto before = *keys.list();
        AuditLog log(*m_db, m_clock);
        const auto op = [&](const std::function<core::Status()> &change) {
            return log.transact([&]() -> core::Result<AuditEvent> {
                if (auto ok = change(); !ok)
                    return ok.error();
                return AuditEvent{QStringLiteral("cli"), {}, QStringLiteral("key.x"), {}, QStringLiteral("ok")};
            });
        };
        auto created = op([&]() -> core::Status { auto c = keys.create(request); if (!c) return c.error(); return {}; });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, core::ErrorCode::Internal);
        QVERIFY2(created.error().message.contains(QStringLiteral("nothing was changed")), qPrintable(created.error().message));
        QVERIFY(created.error().message.contains(QStringLiteral("audit disk full")));
        QVERIFY(!op([&]() -> core::Status { auto r = keys.rotate(existing->info.keyId, 0); if (!r) return r.error(); return {}; }).ok());
        QVERIFY(!op([&]() -> core::Status { auto r = keys.revoke(existing->info.keyId); if (!r) return r.error(); return {}; }).ok());
        storage::ConfigRepository configs(*m_db, m_clock);
        QVERIFY(!op([&] { return configs.saveZoneConfig(QByteArrayLiteral("{\"zones\":[]}"), QStringLiteral("v1")); }).ok());
        QCOMPARE(*keys.list(), before); // unchanged: one key, not rotated, not revoked
        QCOMPARE(countRows(*m_db, QStringLiteral("api_keys")), 1);
        QCOMPARE(countRows(*m_db, QStringLiteral("zone_configs")), 0);
        QCOMPARE(countRows(*m_db, QStringLiteral("audit_log")), 6);
        // The connection is usable afterwards, and without the trigger both are written.
        QVERIFY(q.exec(QStringLiteral("DROP TRIGGER audit_fails")));
        QVERIFY(op([&]() -> core::Status { auto c = keys.create(request); if (!c) return c.error(); return {}; }).ok());
        QCOMPARE(countRows(*m_db, QStringLiteral("api_keys")), 2);
        QCOMPARE(countRows(*m_db, QStringLiteral("audit_log")), 7);
        // A refused operation writes neither.
        auto refused = log.transact([]() -> core::Result<AuditEvent> { return core::makeError(core::ErrorCode::NotFound, QStringLiteral("no")); });
        QCOMPARE(refused.error().code, core::ErrorCode::NotFound);
        QCOMPARE(countRows(*m_db, QStringLiteral("audit_log")), 7);
        QVERIFY(!verifyAuditLog(*m_db)->broken());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::EncryptedDatabase> m_db;
    std::unique_ptr<storage::EncryptedDatabase> m_signedDb;
    crypto::Ed25519SigningKey m_key = *crypto::Ed25519SigningKey::fromSeed(QByteArray(32, '\x66'));
    core::ManualClock m_clock{1'700'000'000'000};
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "TestAuditLog.moc"
