// signiq-hub backup and restore against the real PostgreSQL server of the CTest fixture: two
// organisations with data in every tenant table (database signiq_test_backup), a sealed backup
// through pg_dump as signiq_backup, refusals (wrong key, a flipped byte, truncation, swapped
// chunks, a non-empty target, wrong roles, missing/readable key files, pg_dump failing) that
// leave no output file or an untouched target, then a restore into the fresh, empty database
// signiq_test_restore that is compared table by table with the source, with RLS, policies,
// grants and ownership as before and signiq_app still isolated by organisation.
#include "HubTestSupport.h"

#include "core/Clock.h"
#include "crypto/Envelope.h"
#include "crypto/SecureFile.h"
#include "hub/ApiKeyRepository.h"
#include "hub/AuditRepository.h"
#include "hub/Backup.h"
#include "hub/DeviceRepository.h"
#include "hub/Migrations.h"
#include "hub/OrganisationRepository.h"
#include "hub/Retention.h"
#include "hub/SiteRepository.h"
#include "hub/SqlSupport.h"
#include "hub/WebhookRepository.h"
#include "hub/WindowRepository.h"
#include "hub/ZoneRepository.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <sys/resource.h>

using namespace signiq;
using namespace signiq::hub;
using test::utcMs;

// AddressSanitizer keeps freed memory in quarantine (256 MB by default), so under the asan
// preset the peak RSS says nothing about the backup's buffers; the bound is checked in the ci
// preset's run of this test.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPeakRssIsMeaningful = false;
#else
constexpr bool kPeakRssIsMeaningful = true;
#endif

namespace {

const QString kSource = QStringLiteral("signiq_test_backup");
const QString kTarget = QStringLiteral("signiq_test_restore");
constexpr int kChunk = 4096; // small chunks, so the file has many (for the swap test)

QString errorText(const core::Error &e)
{
    return e.toString();
}

core::Result<QStringList> strings(Database &db, const QString &sql)
{
    return db.maintenance([&](Transaction &tx) -> core::Result<QStringList> {
        auto q = tx.exec(sql);
        if (!q)
            return q.error();
        QStringList out;
        while (q->next()) {
            QStringList cells;
            for (int i = 0; i < q->record().count(); ++i)
                cells << q->value(i).toString();
            out << cells.join(QLatin1Char('|'));
        }
        return out;
    });
}

// Every table (partitions included) in schema signiq.
const QString kTables
    = QStringLiteral("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = 'signiq' AND c.relkind = 'r' ORDER BY 1");

struct Tenant {
    Organisation org;
    Site site;
    Device device;
    IssuedHubKey key;
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return f.write(data) == data.size();
}

// A backup's manifest and its three SQL sections, in the record format of hub/Backup.h, so a
// test holding the key can seal a well-formed file with deliberately wrong contents.
struct Unsealed {
    QJsonObject manifest;
    std::array<QByteArray, 3> sql;
};

std::optional<Unsealed> unseal(const QByteArray &sealed, const QByteArray &key)
{
    QByteArray aad;
    auto plain = crypto::envelope::open(key, sealed, &aad);
    if (!plain)
        return std::nullopt;
    Unsealed u;
    u.manifest = QJsonDocument::fromJson(aad).object();
    qsizetype pos = 0;
    while (pos + 5 <= plain->size()) {
        const quint8 type = quint8(plain->at(pos));
        const quint32 length = qFromBigEndian<quint32>(plain->constData() + pos + 1);
        if (type >= 1 && type <= 3)
            u.sql[type - 1] += plain->mid(pos + 5, length);
        pos += 5 + length;
    }
    return u;
}

QByteArray reseal(const Unsealed &u, const QByteArray &key)
{
    QByteArray plain;
    auto record = [&](quint8 type, const QByteArray &payload) {
        char head[5];
        head[0] = char(type);
        qToBigEndian<quint32>(quint32(payload.size()), head + 1);
        plain.append(head, 5);
        plain.append(payload);
    };
    QByteArray end(24, '\0');
    for (int i = 0; i < 3; ++i) {
        record(quint8(i + 1), u.sql[i]);
        qToBigEndian<quint64>(quint64(u.sql[i].size()), end.data() + 8 * i);
    }
    record(0x7f, end);
    auto sealed = crypto::envelope::seal(key, plain, QJsonDocument(u.manifest).toJson(QJsonDocument::Compact), kChunk);
    return sealed ? *sealed : QByteArray();
}

// The peak resident set of this process so far, in bytes.
qint64 peakRss()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_maxrss) * 1024;
}

} // namespace

class TestHubBackup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void largeDumpsStreamInBoundedMemory();
    void backupIsSealedAndMatchesTheSource();
    void keyFilesAreChecked();
    void backupRefusesTheWrongRoleAndLeavesNoFile();
    void pgDumpFailureLeavesNoFile_data();
    void pgDumpFailureLeavesNoFile();
    void damagedFilesAreRefusedBeforeTheDatabase_data();
    void damagedFilesAreRefusedBeforeTheDatabase();
    void failedChecksRollTheRestoreBack_data();
    void failedChecksRollTheRestoreBack();
    void restoreRefusesTheWrongRole();
    void restoreRefusesANonEmptyDatabase();
    void restoreReproducesEveryTable();
    void restoredDatabaseIsIsolated();
    void restoreIntoTheRestoredDatabaseIsRefused();

private:
    core::Result<Tenant> makeTenant(const QString &name, protocol::Tier tier, const QString &serial);
    BackupOptions backupOptions(const QString &out) const;
    RestoreOptions restoreOptions(const QString &in, const QString &user = QStringLiteral("signiq_owner")) const;
    void verifyTargetIsEmpty();

    core::ManualClock m_clock { utcMs(2026, 12, 7) };
    QTemporaryDir m_dir;
    std::optional<Database> m_source; // as signiq_backup
    std::optional<Database> m_target; // as signiq_owner
    Tenant m_a;
    Tenant m_b;
    QByteArray m_key;
    QString m_keyPath;
    QString m_backupPath;
    BackupManifest m_manifest;
};

core::Result<Tenant> TestHubBackup::makeTenant(const QString &name, protocol::Tier tier, const QString &serial)
{
    QString why;
    auto app = test::connect(QStringLiteral("signiq_app"), kSource, &why);
    if (!app)
        return core::makeError(core::ErrorCode::Io, why);
    Tenant t;
    auto org = OrganisationRepository(*app, m_clock).create(name, tier, QStringLiteral("test"));
    if (!org)
        return org.error();
    t.org = *org;
    if (auto changed
        = OrganisationRepository(*app, m_clock).setTier(t.org.id, protocol::Tier::Enterprise, QStringLiteral("test"));
        !changed)
        return changed.error();
    auto site = SiteRepository(*app).create(t.org.id, name + QStringLiteral(" venue"), QStringLiteral("Europe/Paris"));
    if (!site)
        return site.error();
    t.site = *site;
    auto device = DeviceRepository(*app).create(t.org.id, { t.site.id, name + QStringLiteral(" screen"), serial });
    if (!device)
        return device.error();
    t.device = *device;
    if (auto zones = ZoneRepository(*app).replace(
            t.org.id, t.device.id, { { QStringLiteral("entrance"), QStringLiteral("zone"), {}, m_clock.nowMs() } });
        !zones)
        return zones.error();
    WindowRepository windows(*app);
    // Two monthly partitions, and a zone name holding text a naive filter of the dump would
    // trip over (a COPY data line must never be touched).
    QList<core::AudienceWindow> list;
    for (int i = 0; i < 40; ++i)
        list << test::window(QStringLiteral("entrance"), utcMs(2026, 11, 20) + i * 60'000, i);
    list << test::window(QStringLiteral("ALTER TABLE signiq.sites FORCE ROW LEVEL SECURITY;"), utcMs(2026, 12, 2), 7);
    list << test::window(QStringLiteral("line\\.\nnext"), utcMs(2026, 12, 3), 8);
    if (auto inserted = windows.insertAudience(t.org.id, t.device.id, list); !inserted)
        return inserted.error();
    if (auto demo = windows.insertDemographic(t.org.id, t.device.id,
                                              { test::demographic(QStringLiteral("entrance"), utcMs(2026, 11, 20)),
                                                test::demographic(QStringLiteral("entrance"), utcMs(2026, 12, 1)) });
        !demo)
        return demo.error();
    NewKey request;
    request.name = QStringLiteral("integrator");
    request.scopes = protocol::Scope::Read | protocol::Scope::Export;
    auto key = ApiKeyRepository(*app, m_clock).create(t.org.id, request, QStringLiteral("test"));
    if (!key)
        return key.error();
    t.key = *key;
    auto hook = WebhookRepository(*app, QByteArray(32, 'k'))
                    .create(t.org.id, QStringLiteral("https://example.com/hook"), { QStringLiteral("window.created") },
                            "whsec-" + name.toUtf8());
    if (!hook)
        return hook.error();
    return t;
}

BackupOptions TestHubBackup::backupOptions(const QString &out) const
{
    BackupOptions o;
    o.connection = test::options(QStringLiteral("signiq_backup"), kSource);
    o.outPath = out;
    o.backupKey = m_key;
    o.chunkSize = kChunk;
    return o;
}

RestoreOptions TestHubBackup::restoreOptions(const QString &in, const QString &user) const
{
    RestoreOptions o;
    o.connection = test::options(user, kTarget);
    o.inPath = in;
    o.backupKey = m_key;
    return o;
}

void TestHubBackup::verifyTargetIsEmpty()
{
    auto objects
        = strings(*m_target,
                  QStringLiteral("SELECT nspname FROM pg_namespace WHERE nspname = 'signiq' UNION ALL "
                                 "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname = 'public'"));
    QVERIFY2(objects, qPrintable(objects.ok() ? QString() : errorText(objects.error())));
    QVERIFY2(objects->isEmpty(),
             qPrintable(QStringLiteral("the target database was written to: ") + objects->join(QLatin1Char(' '))));
}

void TestHubBackup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString why;
    auto owner = test::connect(QStringLiteral("signiq_owner"), kSource, &why);
    QVERIFY2(owner, qPrintable(why));
    auto migrated = Migrations::apply(*owner);
    QVERIFY2(migrated, qPrintable(migrated.ok() ? QString() : errorText(migrated.error())));
    QVERIFY(Retention::createPartitions(*owner, QDate(2026, 11, 1), QDate(2027, 1, 1)));
    auto a = makeTenant(QStringLiteral("Alpha"), protocol::Tier::Pro, QStringLiteral("A1"));
    QVERIFY2(a, qPrintable(a.ok() ? QString() : errorText(a.error())));
    m_a = *a;
    auto b = makeTenant(QStringLiteral("Beta"), protocol::Tier::Free, QStringLiteral("B1"));
    QVERIFY2(b, qPrintable(b.ok() ? QString() : errorText(b.error())));
    m_b = *b;
    m_source = test::connect(QStringLiteral("signiq_backup"), kSource, &why);
    QVERIFY2(m_source, qPrintable(why));
    m_target = test::connect(QStringLiteral("signiq_owner"), kTarget, &why);
    QVERIFY2(m_target, qPrintable(why));

    m_keyPath = m_dir.filePath(QStringLiteral("backup.key"));
    QVERIFY(writeAll(m_keyPath, QByteArray(QByteArray(32, '\x5a').toHex() + '\n')));
    auto key = Backup::loadKey(m_keyPath);
    QVERIFY2(key, qPrintable(key.ok() ? QString() : errorText(key.error())));
    m_key = *key;
    QCOMPARE(m_key, QByteArray(32, '\x5a'));

    m_backupPath = m_dir.filePath(QStringLiteral("hub.sqev"));
    QList<qint64> progress;
    BackupOptions options = backupOptions(m_backupPath);
    options.progress = [&](qint64 bytes) { progress << bytes; };
    auto manifest = Backup::create(options, m_clock);
    QVERIFY2(manifest, qPrintable(manifest.ok() ? QString() : errorText(manifest.error())));
    m_manifest = *manifest;
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), m_manifest.dumpBytes);
}

// A dump of ~40 MB goes through backup and restore in pieces: the process's peak memory grows
// by far less than the dump (pg_dump's output is sealed as it arrives, psql is fed as the file
// is read), and progress is reported along the way.
void TestHubBackup::largeDumpsStreamInBoundedMemory()
{
    const QString source = QStringLiteral("signiq_test_backup_large");
    const QString target = QStringLiteral("signiq_test_restore_large");
    QString why;
    auto owner = test::connect(QStringLiteral("signiq_owner"), source, &why);
    QVERIFY2(owner, qPrintable(why));
    QVERIFY(Migrations::apply(*owner));
    QVERIFY(Retention::createPartitions(*owner, QDate(2026, 12, 1), QDate(2026, 12, 1)));
    auto app = test::connect(QStringLiteral("signiq_app"), source, &why);
    QVERIFY2(app, qPrintable(why));
    auto org = OrganisationRepository(*app, m_clock).create(QStringLiteral("Large"), protocol::Tier::Enterprise, QStringLiteral("test"));
    QVERIFY(org);
    auto site = SiteRepository(*app).create(org->id, QStringLiteral("Large venue"), QStringLiteral("UTC"));
    QVERIFY(site);
    auto device = DeviceRepository(*app).create(org->id, {site->id, QStringLiteral("Large screen"), QStringLiteral("C1")});
    QVERIFY(device);
    constexpr int kRows = 40'000;
    auto inserted = app->inOrg(org->id, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(QStringLiteral(R"sql(
INSERT INTO signiq.audience_windows (org_id, device_id, zone, start_at, end_at, ots, entries, exits, mean_occupancy, peak_occupancy,
                                     viewers, attention_time_s, confidence, quality_flags, model_version, calibration_version, window_json)
SELECT CAST(? AS uuid), CAST(? AS uuid), 'entrance', timestamptz '2026-12-01 00:00+00' + i * interval '1 minute',
       timestamptz '2026-12-01 00:01+00' + i * interval '1 minute', i % 50, i % 40, i % 30, 1.5, 4, 2, 3.25, 0.9, 0, 'm1', 'c1',
       jsonb_build_object('pad', repeat(md5(i::text), 24))
  FROM generate_series(1, ?) AS i)sql"),
                         {uuidParam(org->id), uuidParam(device->id), kRows});
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY2(inserted, qPrintable(inserted.ok() ? QString() : errorText(inserted.error())));

    const qint64 before = peakRss();
    const QString path = m_dir.filePath(QStringLiteral("large.sqev"));
    BackupOptions options = backupOptions(path);
    options.connection.dbname = source;
    options.chunkSize = crypto::envelope::DefaultChunkSize;
    QList<qint64> progress;
    options.progress = [&](qint64 bytes) { progress << bytes; };
    auto manifest = Backup::create(options, m_clock);
    QVERIFY2(manifest, qPrintable(manifest.ok() ? QString() : errorText(manifest.error())));
    const qint64 afterBackup = peakRss();
    QVERIFY2(manifest->dumpBytes > 32 * 1024 * 1024, qPrintable(QString::number(manifest->dumpBytes)));
    QCOMPARE(manifest->rowCounts.value(QStringLiteral("signiq.audience_windows_p2026_12")), kRows);
    QVERIFY2(progress.size() >= 4, qPrintable(QString::number(progress.size()))); // every 8 MiB, and at the end
    QVERIFY(std::is_sorted(progress.cbegin(), progress.cend()));
    QVERIFY(QFileInfo(path).size() > manifest->dumpBytes);
    if (kPeakRssIsMeaningful)
        QVERIFY2(afterBackup - before < 16 * 1024 * 1024,
             qPrintable(QStringLiteral("backup grew the peak RSS by %1 bytes for a %2-byte dump").arg(afterBackup - before).arg(manifest->dumpBytes)));

    RestoreOptions restore = restoreOptions(path);
    restore.connection.dbname = target;
    progress.clear();
    restore.progress = [&](qint64 bytes) { progress << bytes; };
    auto restored = Backup::restore(restore);
    QVERIFY2(restored, qPrintable(restored.ok() ? QString() : errorText(restored.error())));
    const qint64 afterRestore = peakRss();
    QVERIFY2(progress.size() >= 4, qPrintable(QString::number(progress.size())));
    if (kPeakRssIsMeaningful)
        QVERIFY2(afterRestore - before < 16 * 1024 * 1024,
             qPrintable(QStringLiteral("restore grew the peak RSS by %1 bytes for a %2-byte dump").arg(afterRestore - before).arg(manifest->dumpBytes)));
    qInfo("dump %lld bytes; peak RSS growth: backup %lld bytes, backup + restore %lld bytes", manifest->dumpBytes, afterBackup - before,
          afterRestore - before);
    auto reader = test::connect(QStringLiteral("signiq_backup"), target, &why);
    QVERIFY2(reader, qPrintable(why));
    auto count = strings(*reader, QStringLiteral("SELECT count(*), count(DISTINCT window_json) FROM signiq.audience_windows"));
    QVERIFY(count);
    QCOMPARE(count->value(0), QStringLiteral("%1|%1").arg(kRows));
}

void TestHubBackup::backupIsSealedAndMatchesTheSource()
{
    QVERIFY(QFileInfo::exists(m_backupPath));
    QVERIFY(!QFileInfo::exists(m_backupPath + QStringLiteral(".partial")));
    QCOMPARE(crypto::securefile::mode(m_backupPath), 0600);
    const QByteArray sealed = readAll(m_backupPath);
    QVERIFY(sealed.startsWith("SQEV"));
    for (const char *plain : { "Alpha venue", "whsec-", "COPY signiq", "CREATE TABLE" })
        QVERIFY2(!sealed.contains(plain), plain);
    QCOMPARE(m_manifest.database, kSource);
    auto available = Migrations::available();
    QVERIFY(available);
    QCOMPARE(m_manifest.migrations.size(), available->size()); // every migration of this build
    QCOMPARE(m_manifest.keyId, QString::fromLatin1(crypto::envelope::keyId(m_key).toHex()));

    // The manifest's counts are the source's, table by table (partitions included).
    auto tables = strings(*m_source, kTables);
    QVERIFY(tables);
    QCOMPARE(QStringList(m_manifest.rowCounts.keys()), *tables);
    for (const QString &table : *tables) {
        auto count = strings(*m_source, QStringLiteral("SELECT count(*) FROM ONLY ") + table);
        QVERIFY(count);
        QCOMPARE(m_manifest.rowCounts.value(table), count->value(0).toLongLong());
    }
    QCOMPARE(m_manifest.rowCounts.value(QStringLiteral("signiq.organisations")), 2);
    QCOMPARE(m_manifest.rowCounts.value(QStringLiteral("signiq.audience_windows_p2026_11")), 80);
    QCOMPARE(m_manifest.rowCounts.value(QStringLiteral("signiq.audience_windows_p2026_12")), 4);
    QVERIFY(m_manifest.rowCounts.value(QStringLiteral("signiq.audit_entries")) >= 6);
    QVERIFY(m_manifest.forcedRlsTables.contains(QStringLiteral("signiq.audience_windows_p2026_12")));

    auto verified = Backup::verify(m_backupPath, m_key);
    QVERIFY2(verified, qPrintable(verified.ok() ? QString() : errorText(verified.error())));
    QCOMPARE(verified->rowCounts, m_manifest.rowCounts);
    QCOMPARE(verified->dumpBytes, m_manifest.dumpBytes);

    // An existing output file is never overwritten.
    auto again = Backup::create(backupOptions(m_backupPath), m_clock);
    QVERIFY(!again);
    QVERIFY2(again.error().message.contains(QLatin1String("already exists")), qPrintable(errorText(again.error())));
    QCOMPARE(readAll(m_backupPath), sealed);
}

void TestHubBackup::keyFilesAreChecked()
{
    auto missing = Backup::loadKey(m_dir.filePath(QStringLiteral("nope.key")));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, core::ErrorCode::NotFound);
    QVERIFY2(missing.error().message.contains(QLatin1String("nope.key")), qPrintable(errorText(missing.error())));

    const QString readable = m_dir.filePath(QStringLiteral("readable.key"));
    QVERIFY(writeAll(readable, QByteArray(32, '\x11').toHex()));
    QFile::setPermissions(readable, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    auto open = Backup::loadKey(readable);
    QVERIFY(!open);
    QCOMPARE(open.error().code, core::ErrorCode::PermissionDenied);

    const QString shortKey = m_dir.filePath(QStringLiteral("short.key"));
    QVERIFY(writeAll(shortKey, QByteArray("abcdef\n")));
    auto bad = Backup::loadKey(shortKey);
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, core::ErrorCode::InvalidArgument);

    const QString raw = m_dir.filePath(QStringLiteral("raw.key"));
    QVERIFY(writeAll(raw, QByteArray(32, '\x01')));
    auto rawKey = Backup::loadKey(raw);
    QVERIFY(rawKey);
    QCOMPARE(*rawKey, QByteArray(32, '\x01'));
}

void TestHubBackup::backupRefusesTheWrongRoleAndLeavesNoFile()
{
    const QString out = m_dir.filePath(QStringLiteral("as-app.sqev"));
    BackupOptions options = backupOptions(out);
    options.connection = test::options(QStringLiteral("signiq_app"), kSource);
    auto asApp = Backup::create(options, m_clock);
    QVERIFY(!asApp);
    QCOMPARE(asApp.error().code, core::ErrorCode::PermissionDenied);
    QVERIFY2(asApp.error().message.contains(QLatin1String("signiq_app"))
                 && asApp.error().message.contains(QLatin1String("row-level security")),
             qPrintable(errorText(asApp.error())));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral(".partial")));

    // A bad connection (a database that does not exist).
    options = backupOptions(out);
    options.connection.dbname = QStringLiteral("signiq_no_such_database");
    auto unreachable = Backup::create(options, m_clock);
    QVERIFY(!unreachable);
    QVERIFY2(unreachable.error().message.contains(QLatin1String("signiq_no_such_database")),
             qPrintable(errorText(unreachable.error())));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral(".partial")));
}

void TestHubBackup::pgDumpFailureLeavesNoFile_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QString>("expected");
    // Output first, so the partial file has data in it when pg_dump fails.
    QTest::newRow("exit status")
        << QByteArray("#!/bin/sh\necho '-- some SQL'\necho 'pg_dump: error: connection lost' >&2\nexit 1\n")
        << QStringLiteral("pg_dump exited with status 1 (section pre-data): pg_dump: error: connection lost");
    QTest::newRow("signal") << QByteArray("#!/bin/sh\necho '-- some SQL'\nkill -9 $$\n")
                            << QStringLiteral("pg_dump was killed by a signal");
    QTest::newRow("incomplete dump") << QByteArray("#!/bin/sh\necho '-- some SQL'\nexit 0\n")
                                     << QStringLiteral("ended without its completion line");
    // The real pg_dump, refused by the server: the database role cannot read the snapshot
    // of another session (a wrong snapshot id is what a broken connection looks like here).
    QTest::newRow("real pg_dump, bad argument")
        << QByteArray("#!/bin/sh\nexec /usr/lib/postgresql/15/bin/pg_dump \"$@\" --snapshot=00000000-0000BAD\n")
        << QStringLiteral("pg_dump exited with status 1");
}

void TestHubBackup::pgDumpFailureLeavesNoFile()
{
    QFETCH(QByteArray, script);
    QFETCH(QString, expected);
    QTemporaryDir bin;
    QVERIFY(bin.isValid());
    const QString pgDump = bin.filePath(QStringLiteral("pg_dump"));
    QVERIFY(writeAll(pgDump, script));
    QVERIFY(QFile::setPermissions(pgDump, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    const QString out = m_dir.filePath(QStringLiteral("failing.sqev"));
    BackupOptions options = backupOptions(out);
    options.pgBinDir = bin.path();
    auto result = Backup::create(options, m_clock);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(expected), qPrintable(errorText(result.error())));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral(".partial")));
}

void TestHubBackup::damagedFilesAreRefusedBeforeTheDatabase_data()
{
    const QByteArray sealed = readAll(m_backupPath);
    QVERIFY(sealed.size() > 10 * kChunk);
    QFile file(m_backupPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    auto header = crypto::EnvelopeReader::peekHeader(file);
    QVERIFY(header);
    const qsizetype headerSize = header->raw.size();
    const qsizetype sealedChunk = kChunk + crypto::envelope::TagSize;
    QVERIFY(header->chunkSize == quint32(kChunk));

    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");

    QTest::newRow("wrong key") << sealed << QByteArray(32, '\x5b') << int(core::ErrorCode::WrongKey)
                               << QStringLiteral("wrong key");
    QByteArray flipped = sealed;
    flipped[flipped.size() / 2] = char(flipped.at(flipped.size() / 2) ^ 0x01);
    QTest::newRow("one byte flipped in the middle") << flipped << m_key << int(core::ErrorCode::Corrupt) << QString();
    QByteArray manifest = sealed;
    manifest[headerSize - 3] = char(manifest.at(headerSize - 3) ^ 0x20); // inside the manifest (AAD)
    QTest::newRow("manifest edited") << manifest << m_key << int(core::ErrorCode::Corrupt) << QString();
    QTest::newRow("truncated in a chunk")
        << sealed.left(sealed.size() / 2) << m_key << int(core::ErrorCode::Corrupt) << QString();
    // Cut exactly after a whole chunk: every chunk left is authentic, but none is the last.
    const qsizetype chunks = (sealed.size() - headerSize) / sealedChunk;
    QTest::newRow("truncated at a chunk boundary")
        << sealed.left(headerSize + (chunks - 1) * sealedChunk) << m_key << int(core::ErrorCode::Corrupt) << QString();
    QTest::newRow("last chunk dropped") << sealed.left(headerSize + chunks * sealedChunk) << m_key
                                        << int(core::ErrorCode::Corrupt) << QString();
    QByteArray swapped = sealed;
    const QByteArray second = sealed.mid(headerSize + sealedChunk, sealedChunk);
    const QByteArray third = sealed.mid(headerSize + 2 * sealedChunk, sealedChunk);
    swapped.replace(headerSize + sealedChunk, sealedChunk, third);
    swapped.replace(headerSize + 2 * sealedChunk, sealedChunk, second);
    QVERIFY(swapped != sealed && swapped.size() == sealed.size());
    QTest::newRow("chunks 2 and 3 swapped") << swapped << m_key << int(core::ErrorCode::Corrupt) << QString();
    QTest::newRow("trailing bytes") << sealed + QByteArray("more") << m_key << int(core::ErrorCode::Corrupt)
                                    << QString();
    QTest::newRow("not a backup") << QByteArray("-- PostgreSQL database dump\n") << m_key
                                  << int(core::ErrorCode::Corrupt) << QStringLiteral("not a Signiq encrypted file");
    auto otherEnvelope = crypto::envelope::seal(m_key, "plain text", "{\"format\":\"something-else\"}");
    QVERIFY(otherEnvelope);
    QTest::newRow("another kind of envelope")
        << *otherEnvelope << m_key << int(core::ErrorCode::Corrupt) << QStringLiteral("not a Signiq hub backup");
}

void TestHubBackup::damagedFilesAreRefusedBeforeTheDatabase()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, key);
    QFETCH(int, code);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("damaged.sqev"));
    QVERIFY(writeAll(path, content));
    auto verified = Backup::verify(path, key);
    QVERIFY(!verified);
    QCOMPARE(int(verified.error().code), code);
    QVERIFY2(verified.error().message.contains(expected), qPrintable(errorText(verified.error())));

    RestoreOptions options = restoreOptions(path);
    options.backupKey = key;
    auto restored = Backup::restore(options);
    QVERIFY(!restored);
    QCOMPARE(int(restored.error().code), code);
    QCOMPARE(restored.error().message, verified.error().message); // refused by the verification, before psql
    verifyTargetIsEmpty();
}

// Authentic files (sealed with the backup key) whose contents disagree with their manifest or
// lose row-level security: the checks inside the restore's transaction fail, psql stops, and
// the target database is left empty.
void TestHubBackup::failedChecksRollTheRestoreBack_data()
{
    auto original = unseal(readAll(m_backupPath), m_key);
    QVERIFY(original);
    QVERIFY(original->sql[2].contains("ALTER TABLE signiq.sites ENABLE ROW LEVEL SECURITY;"));
    QVERIFY(original->sql[0].contains("ALTER TABLE ONLY signiq.zones FORCE ROW LEVEL SECURITY;"));
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");

    Unsealed resealed = *original;
    QTest::newRow("unchanged (control)") << reseal(resealed, m_key) << QString();

    Unsealed counts = *original;
    QJsonObject rows = counts.manifest.value(QStringLiteral("row_counts")).toObject();
    rows.insert(QStringLiteral("signiq.sites"), 3);
    counts.manifest.insert(QStringLiteral("row_counts"), rows);
    QTest::newRow("row count differs") << reseal(counts, m_key)
                                       << QStringLiteral("restore check: signiq.sites has 2 rows, the backup has 3");

    Unsealed enable = *original;
    enable.sql[2].replace("ALTER TABLE signiq.sites ENABLE ROW LEVEL SECURITY;", "-- (removed)");
    QTest::newRow("ENABLE missing") << reseal(
        enable,
        m_key) << QStringLiteral("row-level security (ENABLE, FORCE, tenant_isolation) missing on signiq.sites");

    Unsealed force = *original;
    force.sql[0].replace("ALTER TABLE ONLY signiq.zones FORCE ROW LEVEL SECURITY;", "-- (removed)");
    QTest::newRow("FORCE missing") << reseal(
        force, m_key) << QStringLiteral("row-level security (ENABLE, FORCE, tenant_isolation) missing on signiq.zones");

    Unsealed migrations = *original;
    QJsonArray list = migrations.manifest.value(QStringLiteral("migrations")).toArray();
    QJsonObject second = list.at(1).toObject();
    second.insert(QStringLiteral("sha256"), QString(64, QLatin1Char('0')));
    list.replace(1, second);
    migrations.manifest.insert(QStringLiteral("migrations"), list);
    QTest::newRow("migrations differ") << reseal(migrations, m_key)
                                       << QStringLiteral("restore check: schema_migrations is");

    Unsealed failing = *original;
    failing.sql[1].append("\nSELECT 1 / 0;\n");
    QTest::newRow("SQL error in the data") << reseal(failing, m_key) << QStringLiteral("division by zero");
}

void TestHubBackup::failedChecksRollTheRestoreBack()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QVERIFY(!content.isEmpty());
    const QString path = m_dir.filePath(QStringLiteral("resealed.sqev"));
    QVERIFY(writeAll(path, content));
    auto verified = Backup::verify(path, m_key);
    QVERIFY2(verified,
             qPrintable(verified.ok() ? QString() : errorText(verified.error()))); // well-formed and authentic
    if (expected.isEmpty()) {
        // The control: the test's resealing is faithful, so the refusals below are the checks'.
        QCOMPARE(verified->rowCounts, m_manifest.rowCounts);
        QCOMPARE(verified->dumpBytes, m_manifest.dumpBytes);
        return;
    }
    auto restored = Backup::restore(restoreOptions(path));
    QVERIFY(!restored);
    QVERIFY2(restored.error().message.contains(expected), qPrintable(errorText(restored.error())));
    QVERIFY2(restored.error().message.contains(QLatin1String("nothing was restored")),
             qPrintable(errorText(restored.error())));
    verifyTargetIsEmpty();
}

void TestHubBackup::restoreRefusesTheWrongRole()
{
    for (const QString &user : { QStringLiteral("signiq_app"), QStringLiteral("signiq_backup") }) {
        auto restored = Backup::restore(restoreOptions(m_backupPath, user));
        QVERIFY(!restored);
        QCOMPARE(restored.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY2(restored.error().message.contains(QLatin1String("owner")), qPrintable(errorText(restored.error())));
        verifyTargetIsEmpty();
    }
}

void TestHubBackup::restoreRefusesANonEmptyDatabase()
{
    RestoreOptions options = restoreOptions(m_backupPath);
    options.connection.dbname = kSource;
    auto restored = Backup::restore(options);
    QVERIFY(!restored);
    QCOMPARE(restored.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(restored.error().message.contains(QLatin1String("is not empty"))
                 && restored.error().message.contains(QLatin1String("schema signiq")),
             qPrintable(errorText(restored.error())));
    // The source is unchanged.
    auto count = strings(*m_source, QStringLiteral("SELECT count(*) FROM signiq.organisations"));
    QVERIFY(count);
    QCOMPARE(count->value(0), QStringLiteral("2"));
}

void TestHubBackup::restoreReproducesEveryTable()
{
    verifyTargetIsEmpty();
    QList<qint64> progress;
    RestoreOptions options = restoreOptions(m_backupPath);
    options.progress = [&](qint64 bytes) { progress << bytes; };
    auto restored = Backup::restore(options);
    QVERIFY2(restored, qPrintable(restored.ok() ? QString() : errorText(restored.error())));
    QCOMPARE(restored->rowCounts, m_manifest.rowCounts);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), m_manifest.dumpBytes);

    QString why;
    auto reader = test::connect(QStringLiteral("signiq_backup"), kTarget, &why);
    QVERIFY2(reader, qPrintable(why));
    // Every table's content, row by row (as the BYPASSRLS reader, so every organisation's).
    auto sourceTables = strings(*m_source, kTables);
    auto targetTables = strings(*reader, kTables);
    QVERIFY(sourceTables && targetTables);
    QCOMPARE(*targetTables, *sourceTables);
    for (const QString &table : *sourceTables) {
        const QString sql = QStringLiteral("SELECT t::text FROM ONLY %1 AS t ORDER BY 1").arg(table);
        auto before = strings(*m_source, sql);
        auto after = strings(*reader, sql);
        QVERIFY2(before && after, qPrintable(table));
        QCOMPARE(after->size(), int(m_manifest.rowCounts.value(table)));
        QVERIFY2(*after == *before, qPrintable(table + QStringLiteral(" differs after the restore")));
    }
    auto zones = strings(*reader,
                         QStringLiteral("SELECT count(*) FROM signiq.audience_windows WHERE zone LIKE 'ALTER TABLE%'"));
    QVERIFY(zones);
    QCOMPARE(zones->value(0), QStringLiteral("2"));

    // RLS flags, policies, grants, ownership, functions: as in the source.
    const QStringList catalogue {
        QStringLiteral("SELECT c.oid::regclass::text, c.relkind, c.relrowsecurity, c.relforcerowsecurity, "
                       "pg_get_userbyid(c.relowner), "
                       "c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                       "'signiq' ORDER BY 1"),
        QStringLiteral(
            "SELECT p.polrelid::regclass::text, p.polname, p.polcmd, p.polpermissive, p.polroles::regrole[]::text, "
            "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p ORDER BY 1, "
            "2"),
        QStringLiteral(
            "SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner), p.prosecdef, p.proacl::text, "
            "p.proconfig::text "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'signiq' ORDER BY 1"),
        QStringLiteral("SELECT pg_get_userbyid(d.defaclrole), d.defaclobjtype, d.defaclacl::text FROM pg_default_acl d "
                       "ORDER BY 1, 2"),
        QStringLiteral(
            "SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace WHERE nspname = 'signiq'"),
        QStringLiteral("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE connamespace = 'signiq'::regnamespace ORDER BY 1, 2"),
    };
    for (const QString &sql : catalogue) {
        auto before = strings(*m_source, sql);
        auto after = strings(*reader, sql);
        QVERIFY2(before && after, qPrintable(sql));
        QVERIFY2(!before->isEmpty(), qPrintable(sql));
        QCOMPARE(*after, *before);
    }
    auto unprotected
        = strings(*reader,
                  QStringLiteral(
                      "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = 'signiq' AND c.relkind IN ('r','p') "
                      "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id') "
                      "AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE "
                      "p.polrelid = c.oid "
                      "AND p.polname = 'tenant_isolation' AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL))"));
    QVERIFY(unprotected);
    QVERIFY2(unprotected->isEmpty(), qPrintable(unprotected->join(QLatin1Char(' '))));
    const QString tenantCount = QStringLiteral(
        "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' "
        "WHERE c.relnamespace = 'signiq'::regnamespace AND c.relkind IN ('r','p')");
    auto tenantBefore = strings(*m_source, tenantCount);
    auto tenantAfter = strings(*reader, tenantCount);
    QVERIFY(tenantBefore && tenantAfter);
    QCOMPARE(*tenantAfter, *tenantBefore);
    QVERIFY(tenantAfter->value(0).toInt() >= 13); // 7 tables, 2 partitioned, at least 4 partitions
}

void TestHubBackup::restoredDatabaseIsIsolated()
{
    QString why;
    auto app = test::connect(QStringLiteral("signiq_app"), kTarget, &why);
    QVERIFY2(app, qPrintable(why));
    const QString aText = m_a.org.id.toString(QUuid::WithoutBraces);
    const QString bText = m_b.org.id.toString(QUuid::WithoutBraces);
    int checked = 0;
    for (const QString &table :
         { QStringLiteral("signiq.organisations"), QStringLiteral("signiq.sites"), QStringLiteral("signiq.devices"),
           QStringLiteral("signiq.zones"), QStringLiteral("signiq.api_keys"), QStringLiteral("signiq.audit_entries"),
           QStringLiteral("signiq.webhook_endpoints"), QStringLiteral("signiq.audience_windows"),
           QStringLiteral("signiq.demographic_windows") }) {
        // Deliberately unfiltered: only RLS decides.
        auto asA = app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Result<QStringList> {
            auto q = tx.exec(QStringLiteral("SELECT org_id FROM ") + table);
            if (!q)
                return q.error();
            QStringList orgs;
            while (q->next())
                orgs << uuidValue(q->value(0)).toString(QUuid::WithoutBraces);
            return orgs;
        });
        QVERIFY2(asA, qPrintable(table + QStringLiteral(": ") + (asA.ok() ? QString() : errorText(asA.error()))));
        QVERIFY2(!asA->isEmpty(), qPrintable(table));
        QVERIFY2(!asA->contains(bText), qPrintable(table + QStringLiteral(": B's rows under A's context")));
        QCOMPARE(asA->count(aText), asA->size());
        auto none = app->maintenance([&](Transaction &tx) -> core::Result<int> {
            auto q = tx.exec(QStringLiteral("SELECT count(*) FROM ") + table);
            if (!q)
                return q.error();
            q->next();
            return q->value(0).toInt();
        });
        QVERIFY(none);
        QCOMPARE(*none, 0);
        ++checked;
    }
    QCOMPARE(checked, 9);
    // Writing for B under A's context is still refused.
    auto cross = app->inOrg(m_a.org.id, [&](Transaction &tx) -> core::Status {
        auto q = tx.exec(
            QStringLiteral("INSERT INTO signiq.sites (org_id, name, time_zone) VALUES (CAST(? AS uuid), 'x', 'UTC')"),
            { bText });
        if (!q)
            return q.error();
        return {};
    });
    QVERIFY(!cross);
    QCOMPARE(cross.error().code, core::ErrorCode::PermissionDenied);
    // The keys work in the restored database (SECURITY DEFINER lookup, grants), per organisation.
    auto authenticated = ApiKeyRepository(*app, m_clock).authenticate(m_b.key.token);
    QVERIFY2(authenticated, qPrintable(authenticated.ok() ? QString() : errorText(authenticated.error())));
    QCOMPARE(authenticated->orgId, m_b.org.id);
    // And the audit chains still verify.
    for (const Tenant *t : { &m_a, &m_b }) {
        auto broken = AuditRepository(*app, m_clock).verify(t->org.id);
        QVERIFY(broken);
        QVERIFY(!broken->has_value());
    }
}

void TestHubBackup::restoreIntoTheRestoredDatabaseIsRefused()
{
    auto again = Backup::restore(restoreOptions(m_backupPath));
    QVERIFY(!again);
    QCOMPARE(again.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(again.error().message.contains(QLatin1String("is not empty")), qPrintable(errorText(again.error())));
}

QTEST_GUILESS_MAIN(TestHubBackup)
#include "TestHubBackup.moc"
