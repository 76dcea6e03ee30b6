// The real signiq-edge binary: backup / restore / rekey on a real SQLCipher file, and the
// CA holder (ca init/token/serve/revoke) with a device enrolling over real TLS on loopback.
#include "core/AudienceWindow.h"
#include "protocol/AuditChain.h"
#include "storage/EncryptedDatabase.h"
#include "storage/KeyFile.h"
#include "storage/WindowRepository.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace signiq;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

int fileMode(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? int(info.st_mode & 07777) : -1;
}
} // namespace

class TestSecurityCommands : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    Run edge(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(SIGNIQ_EDGE_BIN), args);
        QSignalSpy finished(&p, &QProcess::finished);
        for (int i = 0; i < 600 && finished.isEmpty(); ++i)
            finished.wait(100);
        if (finished.isEmpty()) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    int windowCount(const QString &db, const QString &key)
    {
        const Run r = edge({QStringLiteral("windows"), QStringLiteral("--db"), db, QStringLiteral("--key-file"), key, QStringLiteral("--json")});
        if (r.exitCode != 0)
            return -1;
        return int(QJsonDocument::fromJson(r.out.toUtf8()).array().size());
    }

    // The audited database: its log is signed with its own audit key from the first entry on.
    QStringList signedDb(const QString &db = QStringLiteral("signed.db"), bool withAuditKey = true) const
    {
        QStringList args{QStringLiteral("--db"), path(db), QStringLiteral("--key-file"), path(QStringLiteral("signed.key"))};
        if (withAuditKey)
            args << QStringLiteral("--audit-key-file") << path(QStringLiteral("audit.key"));
        return args;
    }

    // The audit entries of `db` (exported with the audit key, which records the export too).
    QList<protocol::AuditEntry> auditOf(const QString &db)
    {
        const Run r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("export")} + signedDb(db));
        if (r.exitCode != 0)
            return {};
        auto entries = protocol::AuditChain::parseExport(r.out.toUtf8());
        return entries ? *entries : QList<protocol::AuditEntry>();
    }

    static QStringList resultsOf(const QList<protocol::AuditEntry> &entries, const QString &action)
    {
        QStringList out;
        for (const auto &e : entries) {
            if (e.action == action)
                out << e.result;
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCOMPARE(edge({QStringLiteral("init-key"), path(QStringLiteral("db.key"))}).exitCode, 0);
        QCOMPARE(edge({QStringLiteral("init-key"), path(QStringLiteral("backup.key"))}).exitCode, 0);
        auto key = storage::KeyFile::load(path(QStringLiteral("db.key")));
        QVERIFY(key);
        auto db = storage::EncryptedDatabase::open(path(QStringLiteral("edge.db")), *key, QStringLiteral("populate"));
        QVERIFY(db);
        storage::WindowRepository repo(*db);
        for (int i = 0; i < 120; ++i) {
            core::AudienceWindow w;
            w.zone = QStringLiteral("door");
            w.startMs = 1'700'000'000'000 + i * 60'000LL;
            w.endMs = w.startMs + 60'000;
            w.ots = i;
            QVERIFY(repo.insert({w}));
        }
    }

    void backupAndRestore()
    {
        const QString backup = path(QStringLiteral("edge.backup"));
        const QStringList backupArgs{QStringLiteral("backup"), QStringLiteral("--db"), path(QStringLiteral("edge.db")),
                                     QStringLiteral("--key-file"), path(QStringLiteral("db.key")), QStringLiteral("--out"), backup,
                                     QStringLiteral("--backup-key-file"), path(QStringLiteral("backup.key"))};
        const Run made = edge(backupArgs);
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        QVERIFY(made.out.contains(QStringLiteral("backup key id")));
        QCOMPARE(fileMode(backup), 0600);

        const Run again = edge(backupArgs);
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains(QStringLiteral("already exists")));

        const QString restored = path(QStringLiteral("restored.db"));
        const QStringList restoreArgs{QStringLiteral("restore"), QStringLiteral("--in"), backup, QStringLiteral("--backup-key-file"),
                                      path(QStringLiteral("backup.key")), QStringLiteral("--db"), restored, QStringLiteral("--key-file"),
                                      path(QStringLiteral("db.key"))};
        const Run back = edge(restoreArgs);
        QVERIFY2(back.exitCode == 0, qPrintable(back.err));
        QCOMPARE(fileMode(restored), 0600);
        QCOMPARE(windowCount(restored, path(QStringLiteral("db.key"))), 120);

        // Never over an existing database.
        const Run overwrite = edge(restoreArgs);
        QCOMPARE(overwrite.exitCode, 1);
        QVERIFY2(overwrite.err.startsWith(QStringLiteral("signiq-edge: error: ")) && overwrite.err.contains(QStringLiteral("never overwrites")),
                 qPrintable(overwrite.err));

        // The database key is not the backup key.
        QStringList wrongKey = restoreArgs;
        wrongKey[4] = path(QStringLiteral("db.key"));
        wrongKey[6] = path(QStringLiteral("other.db"));
        const Run wrong = edge(wrongKey);
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(QStringLiteral("wrong key")), qPrintable(wrong.err));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("other.db"))));

        // Tampered.
        QFile f(backup);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray bytes = f.readAll();
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x20);
        QFile t(path(QStringLiteral("tampered.backup")));
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(bytes);
        t.close();
        QStringList tamperedArgs = restoreArgs;
        tamperedArgs[2] = t.fileName();
        tamperedArgs[6] = path(QStringLiteral("other.db"));
        const Run tampered = edge(tamperedArgs);
        QCOMPARE(tampered.exitCode, 1);
        QVERIFY2(tampered.err.contains(QStringLiteral("authentication failed")), qPrintable(tampered.err));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("other.db"))));

        // A readable backup key is refused.
        QVERIFY(QFile::setPermissions(path(QStringLiteral("backup.key")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup));
        const Run readable = edge(restoreArgs);
        QCOMPARE(readable.exitCode, 1);
        QVERIFY(readable.err.contains(QStringLiteral("chmod 600")));
        QVERIFY(QFile::setPermissions(path(QStringLiteral("backup.key")), QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        // Usage errors name the option.
        const Run usage = edge({QStringLiteral("backup"), QStringLiteral("--db"), path(QStringLiteral("edge.db"))});
        QCOMPARE(usage.exitCode, 2);
        QVERIFY(usage.err.contains(QStringLiteral("--key-file")));
    }

    void rekey()
    {
        const QString key = path(QStringLiteral("db.key"));
        QFile before(key);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray oldKey = before.readAll();
        before.close();
        const Run r = edge({QStringLiteral("rekey"), QStringLiteral("--db"), path(QStringLiteral("edge.db")), QStringLiteral("--key-file"), key});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile after(key);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QVERIFY(after.readAll() != oldKey);
        QCOMPARE(fileMode(key), 0600);
        QCOMPARE(windowCount(path(QStringLiteral("edge.db")), key), 120);
    }

    void backupRestoreRekeyAreAudited()
    {
        QCOMPARE(edge({QStringLiteral("init-key"), path(QStringLiteral("audit.key"))}).exitCode, 0);
        Run r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("admin"),
                                 QStringLiteral("--init-key")} + signedDb());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        // Backup: refused up front when it could not be audited (a signed log, no audit key) ...
        const QString backup = path(QStringLiteral("signed.backup"));
        const QStringList backupKey{QStringLiteral("--out"), backup, QStringLiteral("--backup-key-file"), path(QStringLiteral("backup.key"))};
        r = edge(QStringList{QStringLiteral("backup")} + signedDb(QStringLiteral("signed.db"), false) + backupKey);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("refusing to back up without an audit entry")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(backup));
        // ... recorded with its result when it ran: ok, and an error (the file exists).
        r = edge(QStringList{QStringLiteral("backup")} + signedDb() + backupKey);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = edge(QStringList{QStringLiteral("backup")} + signedDb() + backupKey);
        QCOMPARE(r.exitCode, 1);
        QStringList results = resultsOf(auditOf(QStringLiteral("signed.db")), QStringLiteral("db.backup"));
        QCOMPARE(results.size(), 2);
        QVERIFY2(results.at(0).startsWith(QStringLiteral("ok: schema ")), qPrintable(results.at(0)));
        QVERIFY2(results.at(1).startsWith(QStringLiteral("error: ")) && results.at(1).contains(QStringLiteral("already exists")),
                 qPrintable(results.at(1)));

        // Restore: the new database records its own restore, signed.
        const QStringList restoreFrom{QStringLiteral("restore"), QStringLiteral("--in"), backup, QStringLiteral("--backup-key-file"),
                                      path(QStringLiteral("backup.key"))};
        r = edge(restoreFrom + signedDb(QStringLiteral("restored-signed.db")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto restoredLog = auditOf(QStringLiteral("restored-signed.db"));
        results = resultsOf(restoredLog, QStringLiteral("db.restore"));
        QCOMPARE(results.size(), 1);
        QVERIFY2(results.first().startsWith(QStringLiteral("ok: backup taken ")), qPrintable(results.first()));
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedDb(QStringLiteral("restored-signed.db")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        // Without the audit key the data comes back, with a warning that the log could not say so.
        r = edge(restoreFrom + signedDb(QStringLiteral("restored-unsigned.db"), false));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QStringLiteral("the restore is not in the audit log")), qPrintable(r.err));

        // Rekey: refused without the audit key (key file unchanged), recorded ok with it, and
        // recorded as an error while another connection has the database open.
        QFile keyFile(path(QStringLiteral("signed.key")));
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const QByteArray keyBefore = keyFile.readAll();
        keyFile.close();
        r = edge(QStringList{QStringLiteral("rekey")} + signedDb(QStringLiteral("signed.db"), false));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("refusing to rotate the key without an audit entry")), qPrintable(r.err));
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        QCOMPARE(keyFile.readAll(), keyBefore);
        keyFile.close();
        r = edge(QStringList{QStringLiteral("rekey")} + signedDb());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        {
            auto key = storage::KeyFile::load(path(QStringLiteral("signed.key")));
            QVERIFY(key);
            auto inUse = storage::EncryptedDatabase::open(path(QStringLiteral("signed.db")), *key, QStringLiteral("in-use"));
            QVERIFY(inUse);
            r = edge(QStringList{QStringLiteral("rekey")} + signedDb());
            QCOMPARE(r.exitCode, 1);
        }
        results = resultsOf(auditOf(QStringLiteral("signed.db")), QStringLiteral("db.rekey"));
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(0), QStringLiteral("ok: rotated"));
        QVERIFY2(results.at(1).startsWith(QStringLiteral("error: ")), qPrintable(results.at(1)));
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedDb());
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    }

    void databaseKeyHolderCannotRewriteTheLog()
    {
        // Whoever holds only the database key edits an entry with raw SQL, re-links the chain
        // and moves the head's hash: the chain is consistent again, but the head's signature
        // no longer is.
        {
            auto key = storage::KeyFile::load(path(QStringLiteral("signed.key")));
            QVERIFY(key);
            auto db = storage::EncryptedDatabase::open(path(QStringLiteral("signed.db")), *key, QStringLiteral("intruder"));
            QVERIFY(db);
            QSqlQuery q(db->database());
            QVERIFY(q.exec(QStringLiteral("SELECT seq, timestamp_ms, actor, source_ip, action, target, result, prev_hash, hash FROM audit_log ORDER BY seq")));
            QList<protocol::AuditEntry> all;
            while (q.next())
                all.append(protocol::AuditEntry{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                                                q.value(4).toString(), q.value(5).toString(), q.value(6).toString(), q.value(7).toString(),
                                                q.value(8).toString()});
            QVERIFY(all.size() >= 3);
            all[1].result = QStringLiteral("ok: nothing to see");
            for (qsizetype i = 1; i < all.size(); ++i) {
                all[i] = protocol::AuditChain::link(all[i], &all[i - 1]);
                q.prepare(QStringLiteral("UPDATE audit_log SET result = ?, prev_hash = ?, hash = ? WHERE seq = ?"));
                q.addBindValue(all[i].result);
                q.addBindValue(all[i].prevHash);
                q.addBindValue(all[i].hash);
                q.addBindValue(all[i].seq);
                QVERIFY(q.exec());
            }
            q.prepare(QStringLiteral("UPDATE audit_head SET hash = ? WHERE id = 1"));
            q.addBindValue(all.last().hash);
            QVERIFY(q.exec());
            QVERIFY(q.exec(QStringLiteral("DELETE FROM audit_checkpoints")));
        }
        Run r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedDb(QStringLiteral("signed.db"), false));
        QCOMPARE(r.exitCode, 3); // the chain alone cannot tell
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedDb());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("BROKEN")) && r.err.contains(QStringLiteral("signature")), qPrintable(r.err));
        // The device does not sign over it: the next key operation is refused and changes nothing.
        const QString before = edge(QStringList{QStringLiteral("keys"), QStringLiteral("list")} + signedDb(QStringLiteral("signed.db"), false)).out;
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("read")} + signedDb());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("nothing was changed")), qPrintable(r.err));
        QCOMPARE(edge(QStringList{QStringLiteral("keys"), QStringLiteral("list")} + signedDb(QStringLiteral("signed.db"), false)).out, before);
    }

    void enrollment()
    {
        const QString ca = path(QStringLiteral("ca"));
        QCOMPARE(edge({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--dir"), ca}).exitCode, 0);
        QCOMPARE(fileMode(ca + QStringLiteral("/ca.key")), 0600);
        const Run token = edge({QStringLiteral("ca"), QStringLiteral("token"), QStringLiteral("--dir"), ca, QStringLiteral("--device"),
                                QStringLiteral("edge-cli"), QStringLiteral("--dns"), QStringLiteral("localhost")});
        QCOMPARE(token.exitCode, 0);
        const QString tokenText = token.out.trimmed();
        QVERIFY(tokenText.startsWith(QStringLiteral("sqe1.")));

        QProcess server;
        server.start(QStringLiteral(SIGNIQ_EDGE_BIN),
                     {QStringLiteral("ca"), QStringLiteral("serve"), QStringLiteral("--dir"), ca, QStringLiteral("--port"), QStringLiteral("0")});
        QSignalSpy output(&server, &QProcess::readyReadStandardOutput);
        QVERIFY(output.wait(20000));
        const auto match = QRegularExpression(QStringLiteral(":(\\d+) \\(TLS 1.3\\)")).match(QString::fromUtf8(server.readAllStandardOutput()));
        QVERIFY(match.hasMatch());
        const QString endpoint = QStringLiteral("localhost:") + match.captured(1);

        const QStringList enrollArgs{QStringLiteral("enroll"), QStringLiteral("--server"), endpoint, QStringLiteral("--token"), tokenText,
                                     QStringLiteral("--ca-cert"), ca + QStringLiteral("/ca.crt"), QStringLiteral("--dir"), path(QStringLiteral("device"))};
        const Run enrolled = edge(enrollArgs);
        QVERIFY2(enrolled.exitCode == 0, qPrintable(enrolled.err));
        QVERIFY(enrolled.out.contains(QStringLiteral("enrolled as edge-cli")));
        QCOMPARE(fileMode(path(QStringLiteral("device/device.pem"))), 0600);
        // The fingerprint the console shows when the device is added, in the console's format.
        const QList<QSslCertificate> issued = QSslCertificate::fromPath(path(QStringLiteral("device/device.pem")));
        QVERIFY(!issued.isEmpty());
        QVERIFY2(enrolled.out.contains(QStringLiteral("TLS certificate SHA-256 fingerprint: ") +
                                       QString::fromLatin1(issued.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper())),
                 qPrintable(enrolled.out));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("device/crl.pem"))));

        const Run replay = edge(enrollArgs);
        QCOMPARE(replay.exitCode, 1);
        QVERIFY2(replay.err.contains(QStringLiteral("already used")), qPrintable(replay.err));

        const QString serial = QRegularExpression(QStringLiteral("serial ([0-9a-f]+)")).match(enrolled.out).captured(1);
        // A serial that is not one, or one with trailing junk (once parsed as its hex prefix,
        // revoking another certificate), is refused before anything is stored.
        for (const QString &bad : QStringList{QStringLiteral("not-a-serial"), serial + QStringLiteral("zz"), QString(42, u'a'), QStringLiteral(":")}) {
            const Run refused = edge({QStringLiteral("ca"), QStringLiteral("revoke"), QStringLiteral("--dir"), ca, QStringLiteral("--serial"), bad});
            QCOMPARE(refused.exitCode, 2);
            QVERIFY2(refused.err.contains(QStringLiteral("serial number")), qPrintable(refused.err));
            QVERIFY2(!refused.out.contains(QStringLiteral("revoked")), qPrintable(refused.out));
        }
        // ...so enrollment still works afterwards (a bad stored entry once made every revocation
        // list, and with it every enrollment, fail after spending the token).
        const Run second = edge({QStringLiteral("ca"), QStringLiteral("token"), QStringLiteral("--dir"), ca, QStringLiteral("--device"),
                                 QStringLiteral("edge-cli-2"), QStringLiteral("--dns"), QStringLiteral("localhost")});
        QCOMPARE(second.exitCode, 0);
        QStringList secondArgs = enrollArgs;
        secondArgs[4] = second.out.trimmed();
        secondArgs[8] = path(QStringLiteral("device2"));
        const Run enrolledAgain = edge(secondArgs);
        QVERIFY2(enrolledAgain.exitCode == 0, qPrintable(enrolledAgain.err));
        // Colons and capitals are the same serial.
        QString spaced;
        for (qsizetype i = 0; i < serial.size(); i += 2)
            spaced += (i ? QStringLiteral(":") : QString()) + serial.mid(i, 2).toUpper();
        const Run revoked = edge({QStringLiteral("ca"), QStringLiteral("revoke"), QStringLiteral("--dir"), ca, QStringLiteral("--serial"), spaced});
        QCOMPARE(revoked.exitCode, 0);
        QVERIFY2(revoked.out.contains(QStringLiteral("revoked ") + serial), qPrintable(revoked.out));

        server.terminate();
        QVERIFY(server.waitForFinished(20000));
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSecurityCommands)
#include "TestSecurityCommands.moc"
