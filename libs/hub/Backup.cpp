#include "hub/Backup.h"
#include "hub/KeyFile.h"

#include "crypto/Envelope.h"
#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "hub/Database.h"
#include "hub/HubLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QtEndian>

#include <array>
#include <optional>
#include <unistd.h>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr auto kFormat = "signiq-hub-backup";
constexpr int kFormatVersion = 1;
constexpr QByteArrayView kDumpComplete("PostgreSQL database dump complete");
constexpr qsizetype kMaxRecord = 1024 * 1024; // payload bytes per record
constexpr qint64 kMaxPipeBacklog = 4 * 1024 * 1024; // bytes queued for psql before we wait
constexpr qint64 kProgressStep = 8 * 1024 * 1024;

// Record types of the plaintext (see Backup.h).
enum RecordType : quint8 { PreData = 1, Data = 2, PostData = 3, End = 0x7f };
constexpr std::array<const char *, 3> kSections { "pre-data", "data", "post-data" };

QString defaultBinDir(const QString &given)
{
    if (!given.isEmpty())
        return given;
    const QString env = qEnvironmentVariable("SIGNIQ_PG_BINDIR");
    return env.isEmpty() ? QStringLiteral("/usr/lib/postgresql/15/bin") : env;
}

core::Result<QString> tool(const QString &binDir, const QString &name)
{
    const QString path = QDir(defaultBinDir(binDir)).filePath(name);
    if (!QFileInfo(path).isExecutable())
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("%1 not found at %2 (Debian package postgresql-client-15; or set SIGNIQ_PG_BINDIR)")
                .arg(name, path));
    return path;
}

// The password reaches pg_dump/psql through a private (0600) libpq password file, never the
// command line or the environment. Removed when the returned object goes away.
struct ChildCredentials {
    std::unique_ptr<QTemporaryFile> passfile;
    QProcessEnvironment environment;
};

core::Result<ChildCredentials> childCredentials(const ConnectionOptions &o)
{
    auto password = o.password();
    if (!password)
        return password.error();
    ChildCredentials c;
    c.environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS" })
        c.environment.remove(QString::fromLatin1(name));
    if (!password->isEmpty()) {
        c.passfile = std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/signiq-hub-pgpass-XXXXXX"));
        if (!c.passfile->open())
            return makeError(ErrorCode::Io,
                             QStringLiteral("cannot create a password file for the PostgreSQL tools: %1")
                                 .arg(c.passfile->errorString()));
        c.passfile->setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QString escaped = *password;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char(':'), QStringLiteral("\\:"));
        const QByteArray line = QStringLiteral("*:*:*:*:%1\n").arg(escaped).toUtf8();
        if (c.passfile->write(line) != line.size() || !c.passfile->flush())
            return makeError(ErrorCode::Io, QStringLiteral("cannot write the password file for the PostgreSQL tools"));
        c.environment.insert(QStringLiteral("PGPASSFILE"), c.passfile->fileName());
    } else {
        c.environment.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/dev/null"));
    }
    return c;
}

QString lastLines(const QByteArray &text)
{
    QString s = QString::fromUtf8(text).trimmed();
    if (s.size() > 2000)
        s = QStringLiteral("...") + s.right(2000);
    return s.isEmpty() ? QStringLiteral("(no message)") : s;
}

QString exitDescription(const QProcess &process, const QString &name)
{
    if (process.exitStatus() == QProcess::CrashExit)
        return QStringLiteral("%1 was killed by a signal").arg(name);
    return QStringLiteral("%1 exited with status %2").arg(name).arg(process.exitCode());
}

// A "signiq.sites"-style name as written by quote_ident: only plain lower-case identifiers
// are accepted from a manifest (they end up in generated SQL).
bool plainTableName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}$"));
    return re.match(name).hasMatch();
}

QString sqlLiteral(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString migrationsText(const BackupManifest &m)
{
    QStringList parts;
    for (const auto &migration : m.migrations)
        parts << QStringLiteral("%1:%2").arg(migration.version).arg(migration.sha256);
    return parts.join(QLatin1Char(','));
}

QByteArray manifestJson(const BackupManifest &m)
{
    QJsonArray migrations;
    for (const auto &migration : m.migrations)
        migrations.append(QJsonObject { { QStringLiteral("version"), migration.version },
                                        { QStringLiteral("name"), migration.name },
                                        { QStringLiteral("sha256"), migration.sha256 } });
    QJsonObject tables;
    for (auto it = m.rowCounts.cbegin(); it != m.rowCounts.cend(); ++it)
        tables.insert(it.key(), it.value());
    return QJsonDocument(
               QJsonObject { { QStringLiteral("format"), QLatin1StringView(kFormat) },
                             { QStringLiteral("version"), kFormatVersion },
                             { QStringLiteral("created_ms"), m.createdAtMs },
                             { QStringLiteral("database"), m.database },
                             { QStringLiteral("server_version"), m.serverVersion },
                             { QStringLiteral("migrations"), migrations },
                             { QStringLiteral("row_counts"), tables },
                             { QStringLiteral("forced_rls"), QJsonArray::fromStringList(m.forcedRlsTables) } })
        .toJson(QJsonDocument::Compact);
}

core::Result<BackupManifest> parseManifest(const QByteArray &aad, const QByteArray &keyId)
{
    const QJsonObject o = QJsonDocument::fromJson(aad).object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1StringView(kFormat))
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("not a Signiq hub backup (the envelope holds something else)"));
    if (o.value(QStringLiteral("version")).toInt() != kFormatVersion)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("hub backup format version %1 is not supported (this build reads %2)")
                             .arg(o.value(QStringLiteral("version")).toInt())
                             .arg(kFormatVersion));
    BackupManifest m;
    m.createdAtMs = o.value(QStringLiteral("created_ms")).toInteger();
    m.database = o.value(QStringLiteral("database")).toString();
    m.serverVersion = o.value(QStringLiteral("server_version")).toString();
    m.keyId = QString::fromLatin1(keyId.toHex());
    for (const QJsonValue &v : o.value(QStringLiteral("migrations")).toArray()) {
        const QJsonObject mo = v.toObject();
        BackupManifest::Migration migration { mo.value(QStringLiteral("version")).toInt(),
                                              mo.value(QStringLiteral("name")).toString(),
                                              mo.value(QStringLiteral("sha256")).toString() };
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
        if (migration.version < 1 || !hex.match(migration.sha256).hasMatch())
            return makeError(ErrorCode::Corrupt,
                             QStringLiteral("the backup's manifest has a malformed migration entry"));
        m.migrations.append(migration);
    }
    const QJsonObject tables = o.value(QStringLiteral("row_counts")).toObject();
    for (auto it = tables.begin(); it != tables.end(); ++it) {
        if (!plainTableName(it.key()) || !it.value().isDouble() || it.value().toInteger(-1) < 0)
            return makeError(ErrorCode::Corrupt,
                             QStringLiteral("the backup's manifest has a malformed table entry '%1'").arg(it.key()));
        m.rowCounts.insert(it.key(), it.value().toInteger());
    }
    for (const QJsonValue &v : o.value(QStringLiteral("forced_rls")).toArray()) {
        if (!plainTableName(v.toString()))
            return makeError(ErrorCode::Corrupt,
                             QStringLiteral("the backup's manifest has a malformed table name '%1'").arg(v.toString()));
        m.forcedRlsTables << v.toString();
    }
    if (m.rowCounts.isEmpty() || m.migrations.isEmpty())
        return makeError(ErrorCode::Corrupt, QStringLiteral("the backup's manifest lists no tables or no migrations"));
    return m;
}

// Writes records into the envelope.
class RecordWriter {
public:
    explicit RecordWriter(crypto::EnvelopeWriter &writer) : m_writer(writer) { }

    core::Status write(RecordType type, QByteArrayView payload)
    {
        char head[5];
        head[0] = char(type);
        qToBigEndian<quint32>(quint32(payload.size()), head + 1);
        if (auto ok = m_writer.write(QByteArrayView(head, 5)); !ok)
            return ok;
        if (auto ok = m_writer.write(payload); !ok)
            return ok;
        if (type >= PreData && type <= PostData)
            m_sectionBytes[type - 1] += payload.size();
        return {};
    }
    core::Status end()
    {
        char payload[24];
        for (int i = 0; i < 3; ++i)
            qToBigEndian<quint64>(quint64(m_sectionBytes[i]), payload + 8 * i);
        return write(End, QByteArrayView(payload, 24));
    }
    qint64 dumpBytes() const { return m_sectionBytes[0] + m_sectionBytes[1] + m_sectionBytes[2]; }

private:
    crypto::EnvelopeWriter &m_writer;
    std::array<qint64, 3> m_sectionBytes {};
};

// Parses records from the plaintext as it is read and checks their structure: sections in
// order, each present, records within bounds, the end record last with matching byte counts.
class RecordReader {
public:
    using Sink = std::function<core::Status(RecordType, QByteArrayView)>;

    core::Status feed(QByteArrayView data, const Sink &sink)
    {
        m_buffer.append(data);
        qsizetype pos = 0;
        while (m_buffer.size() - pos >= 5) {
            const quint8 type = quint8(m_buffer.at(pos));
            const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + pos + 1);
            if (m_ended)
                return corrupt(QStringLiteral("data after the end record"));
            if (length > quint32(kMaxRecord))
                return corrupt(QStringLiteral("a record of %1 bytes (at most %2)").arg(length).arg(kMaxRecord));
            if (type == End) {
                if (length != 24)
                    return corrupt(QStringLiteral("a malformed end record"));
            } else if (type < PreData || type > PostData || type < m_section) {
                return corrupt(QStringLiteral("an unexpected record type %1").arg(type));
            }
            if (m_buffer.size() - pos - 5 < qsizetype(length))
                break;
            const QByteArrayView payload(m_buffer.constData() + pos + 5, length);
            if (type == End) {
                for (int i = 0; i < 3; ++i) {
                    const qint64 expected = qint64(qFromBigEndian<quint64>(payload.data() + 8 * i));
                    if (expected != m_sectionBytes[i] || expected == 0)
                        return corrupt(QStringLiteral("the %1 section has %2 bytes, the end record says %3")
                                           .arg(QLatin1String(kSections[i]))
                                           .arg(m_sectionBytes[i])
                                           .arg(expected));
                }
                m_ended = true;
            } else {
                m_section = type;
                m_sectionBytes[type - 1] += length;
            }
            if (auto ok = sink(RecordType(type), payload); !ok)
                return ok;
            pos += 5 + length;
        }
        m_buffer.remove(0, pos);
        return {};
    }
    core::Status finish() const
    {
        if (!m_ended || !m_buffer.isEmpty())
            return corrupt(QStringLiteral("the dump is incomplete (no end record)"));
        return {};
    }
    qint64 dumpBytes() const { return m_sectionBytes[0] + m_sectionBytes[1] + m_sectionBytes[2]; }

private:
    static core::Error corrupt(const QString &what)
    {
        return makeError(ErrorCode::Corrupt, QStringLiteral("the backup's contents are malformed: %1").arg(what));
    }
    QByteArray m_buffer;
    quint8 m_section = PreData;
    std::array<qint64, 3> m_sectionBytes {};
    bool m_ended = false;
};

// Reads every chunk of an envelope (each authenticated) and hands the records to `sink`.
core::Result<qint64> readRecords(crypto::EnvelopeReader &reader, const RecordReader::Sink &sink)
{
    RecordReader records;
    while (!reader.atEnd()) {
        auto chunk = reader.readChunk();
        if (!chunk)
            return chunk.error();
        if (auto ok = records.feed(*chunk, sink); !ok)
            return ok.error();
    }
    if (auto ok = records.finish(); !ok)
        return ok.error();
    return records.dumpBytes();
}

// Runs pg_dump for one section and streams its stdout into records.
core::Status dumpSection(const QString &pgDump, const QStringList &arguments, const ChildCredentials &credentials,
                         RecordType type, RecordWriter &records, qint64 &total,
                         const std::function<void(qint64)> &progress)
{
    const QString section = QLatin1String(kSections[type - 1]);
    QProcess process;
    process.setProgram(pgDump);
    process.setArguments(arguments + QStringList { QStringLiteral("--section=") + section });
    process.setProcessEnvironment(credentials.environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start();
    if (!process.waitForStarted(-1))
        return makeError(ErrorCode::Io, QStringLiteral("cannot start %1: %2").arg(pgDump, process.errorString()));
    QByteArray tail;
    qint64 nextProgress = (total / kProgressStep + 1) * kProgressStep;
    auto pump = [&]() -> core::Status {
        while (process.bytesAvailable() > 0) {
            const QByteArray data = process.read(kMaxRecord);
            if (auto ok = records.write(type, data); !ok)
                return ok;
            total += data.size();
            tail.append(data);
            tail = tail.right(256);
            if (progress && total >= nextProgress) {
                progress(total);
                nextProgress = (total / kProgressStep + 1) * kProgressStep;
            }
        }
        return {};
    };
    while (true) {
        if (auto ok = pump(); !ok) {
            process.kill();
            process.waitForFinished(-1);
            return ok;
        }
        if (process.state() == QProcess::NotRunning)
            break;
        if (!process.waitForReadyRead(-1) && process.state() != QProcess::NotRunning)
            process.waitForFinished(100);
    }
    process.waitForFinished(-1);
    if (auto ok = pump(); !ok)
        return ok;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return makeError(ErrorCode::Io,
                         QStringLiteral("%1 (section %2): %3")
                             .arg(exitDescription(process, QStringLiteral("pg_dump")), section,
                                  lastLines(process.readAllStandardError())));
    if (!tail.contains(kDumpComplete))
        return makeError(ErrorCode::Io,
                         QStringLiteral("pg_dump (section %1) ended without its completion line").arg(section));
    return {};
}

// What every tenant table must have again after a restore (the rule of test_hub_schema's
// catalogue test): ENABLE and FORCE row-level security and the tenant_isolation policy. The
// query lists the tables lacking it; `extra` adds names that must comply even without org_id.
QString rlsProblemsQuery(const QStringList &extra)
{
    QStringList names;
    for (const QString &name : extra)
        names << sqlLiteral(name);
    return QStringLiteral(R"sql(
SELECT c.oid::regclass::text
  FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = 'signiq' AND c.relkind IN ('r', 'p')
   AND (pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) = ANY (ARRAY[%1]::text[])
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped))
   AND NOT (c.relrowsecurity AND c.relforcerowsecurity
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_policy AS p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'
                        AND p.polqual IS NOT NULL AND p.polwithcheck IS NOT NULL))
 ORDER BY 1)sql")
        .arg(names.join(QLatin1Char(',')));
}

// Run inside the restore's transaction after the data section (row-level security is not
// enabled yet: pg_dump enables it in post-data), so the owner counts every row.
QByteArray countCheckSql(const BackupManifest &m)
{
    QString sql = QStringLiteral("\n-- signiq-hub restore: row counts against the backup's manifest\n"
                                 "DO $signiq_restore_check$\nDECLARE n bigint;\nBEGIN\n");
    for (auto it = m.rowCounts.cbegin(); it != m.rowCounts.cend(); ++it) {
        sql += QStringLiteral(
                   "  SELECT pg_catalog.count(*) INTO n FROM ONLY %1;\n"
                   "  IF n <> %2 THEN RAISE EXCEPTION 'restore check: %1 has % rows, the backup has %2', n; END IF;\n")
                   .arg(it.key())
                   .arg(it.value());
    }
    QStringList names;
    for (auto it = m.rowCounts.cbegin(); it != m.rowCounts.cend(); ++it)
        names << sqlLiteral(it.key());
    sql += QStringLiteral(
               "  SELECT pg_catalog.count(*) INTO n FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS s ON "
               "s.oid = c.relnamespace\n"
               "   WHERE s.nspname = 'signiq' AND c.relkind = 'r'\n"
               "     AND NOT ((pg_catalog.quote_ident(s.nspname) || '.' || pg_catalog.quote_ident(c.relname)) = ANY "
               "(ARRAY[%1]::text[]));\n"
               "  IF n <> 0 THEN RAISE EXCEPTION 'restore check: % tables not in the backup''s manifest', n; END IF;\n"
               "END $signiq_restore_check$;\n")
               .arg(names.join(QLatin1Char(',')));
    return sql.toUtf8();
}

// Run inside the restore's transaction at the end, before COMMIT.
QByteArray finalCheckSql(const BackupManifest &m)
{
    QString query = rlsProblemsQuery(m.forcedRlsTables).trimmed();
    query.replace(QStringLiteral("SELECT c.oid::regclass::text"),
                  QStringLiteral("SELECT pg_catalog.string_agg(c.oid::regclass::text, ', ')"));
    query.remove(QStringLiteral("\n ORDER BY 1"));
    return QStringLiteral("\n-- signiq-hub restore: row-level security and migrations as in the backup\n"
                          "DO $signiq_restore_check$\nDECLARE bad text;\nBEGIN\n"
                          "  %1 INTO bad;\n"
                          "  IF bad IS NOT NULL THEN RAISE EXCEPTION 'restore check: row-level security (ENABLE, "
                          "FORCE, tenant_isolation) missing on %', bad; END IF;\n"
                          "  SELECT pg_catalog.string_agg(version || ':' || sha256, ',' ORDER BY version) INTO bad "
                          "FROM signiq.schema_migrations;\n"
                          "  IF bad IS DISTINCT FROM %2 THEN RAISE EXCEPTION 'restore check: schema_migrations is %, "
                          "the backup has %', bad, %2; END IF;\n"
                          "END $signiq_restore_check$;\n")
        .arg(query, sqlLiteral(migrationsText(m)))
        .toUtf8();
}

core::Result<QStringList> strings(Transaction &tx, const QString &sql)
{
    auto q = tx.exec(sql);
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out << q->value(0).toString();
    return out;
}

} // namespace

qint64 BackupManifest::totalRows() const
{
    qint64 n = 0;
    for (qint64 rows : rowCounts)
        n += rows;
    return n;
}

core::Result<QByteArray> Backup::loadKey(const QString &path)
{
    return loadKeyFile(path, QStringLiteral("backup"), QStringLiteral("--backup-key-file"));
}

core::Result<BackupManifest> Backup::create(const BackupOptions &options, const core::Clock &clock)
{
    if (options.backupKey.size() != crypto::envelope::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the backup key must be 32 bytes"));
    if (options.outPath.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no output file given (--out)"));
    if (QFileInfo::exists(options.outPath))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 already exists; refusing to overwrite it").arg(options.outPath));
    const QString partialPath = options.outPath + QStringLiteral(".partial");
    if (QFileInfo::exists(partialPath))
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("%1 exists (another backup running, or a crashed one: remove it)").arg(partialPath));
    auto pgDump = tool(options.pgBinDir, QStringLiteral("pg_dump"));
    if (!pgDump)
        return pgDump.error();

    auto db = Database::open(options.connection);
    if (!db)
        return db.error();
    auto role = db->maintenance([](Transaction &tx) -> core::Result<std::pair<bool, bool>> {
        auto q = tx.exec(
            QStringLiteral("SELECT rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user"));
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ErrorCode::Internal, QStringLiteral("the current role is not in pg_roles"));
        return std::pair { q->value(0).toBool(), q->value(1).toBool() };
    });
    if (!role)
        return role.error();
    if (role->first || !role->second)
        return makeError(
            ErrorCode::PermissionDenied,
            QStringLiteral("backup must log in as the read-only backup role (BYPASSRLS, not superuser: signiq_backup); "
                           "'%1' %2")
                .arg(options.connection.user,
                     role->first ? QStringLiteral("is a superuser")
                                 : QStringLiteral("does not bypass row-level security")));
    auto credentials = childCredentials(options.connection);
    if (!credentials)
        return credentials.error();

    QFile out(partialPath);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(partialPath, out.errorString()));
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // Whatever fails from here on, the partial file goes.
    struct RemoveUnlessKept {
        QFile &file;
        bool keep = false;
        ~RemoveUnlessKept()
        {
            if (!keep) {
                file.close();
                file.remove();
            }
        }
    } guard { out };

    auto manifest = db->readOnlySnapshot([&](Transaction &tx) -> core::Result<BackupManifest> {
        auto snapshot = tx.exec(QStringLiteral(
            "SELECT pg_catalog.pg_export_snapshot(), current_database(), current_setting('server_version_num')"));
        if (!snapshot)
            return snapshot.error();
        if (!snapshot->next())
            return makeError(ErrorCode::Internal, QStringLiteral("pg_export_snapshot() returned nothing"));
        const QString snapshotId = snapshot->value(0).toString();
        BackupManifest m;
        m.createdAtMs = clock.nowMs();
        m.database = snapshot->value(1).toString();
        m.serverVersion = snapshot->value(2).toString();
        m.keyId = QString::fromLatin1(crypto::envelope::keyId(options.backupKey).toHex());

        auto tables = tx.exec(QStringLiteral(R"sql(
SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), c.relkind, c.relrowsecurity AND c.relforcerowsecurity
  FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = 'signiq' AND c.relkind IN ('r', 'p') ORDER BY 1)sql"));
        if (!tables)
            return tables.error();
        QStringList leaves;
        while (tables->next()) {
            const QString name = tables->value(0).toString();
            if (!plainTableName(name))
                return makeError(ErrorCode::Unsupported,
                                 QStringLiteral("table name %1 is not a plain identifier").arg(name));
            if (tables->value(1).toString() == QLatin1String("r"))
                leaves << name;
            if (tables->value(2).toBool())
                m.forcedRlsTables << name;
        }
        if (!leaves.contains(QStringLiteral("signiq.schema_migrations")))
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("database %1 has no signiq.schema_migrations: not a migrated hub "
                                            "database (signiq-hub migrate)")
                                 .arg(m.database));
        for (const QString &name : leaves) {
            auto count = tx.exec(QStringLiteral("SELECT pg_catalog.count(*) FROM ONLY %1").arg(name));
            if (!count)
                return count.error();
            if (!count->next())
                return makeError(ErrorCode::Internal, QStringLiteral("no count for %1").arg(name));
            m.rowCounts.insert(name, count->value(0).toLongLong());
        }
        auto migrations
            = tx.exec(QStringLiteral("SELECT version, name, sha256 FROM signiq.schema_migrations ORDER BY version"));
        if (!migrations)
            return migrations.error();
        while (migrations->next())
            m.migrations.append(
                { migrations->value(0).toInt(), migrations->value(1).toString(), migrations->value(2).toString() });
        if (m.migrations.isEmpty())
            return makeError(
                ErrorCode::NotFound,
                QStringLiteral("database %1 has no migrations applied (signiq-hub migrate)").arg(m.database));

        const QByteArray aad = manifestJson(m);
        if (aad.size() > crypto::envelope::MaxAadSize)
            return makeError(ErrorCode::Unsupported,
                             QStringLiteral("the manifest (%1 tables) is larger than %2 bytes")
                                 .arg(m.rowCounts.size())
                                 .arg(crypto::envelope::MaxAadSize));
        auto writer = crypto::EnvelopeWriter::begin(options.backupKey, out, aad, options.chunkSize);
        if (!writer)
            return writer.error();
        RecordWriter records(*writer);
        const QStringList arguments { QStringLiteral("--dbname=")
                                          + options.connection.toConnInfo(QStringLiteral("signiq-hub backup")),
                                      QStringLiteral("--no-password"),
                                      QStringLiteral("--format=plain"),
                                      QStringLiteral("--schema=signiq"),
                                      QStringLiteral("--encoding=UTF8"),
                                      QStringLiteral("--lock-wait-timeout=60000"),
                                      QStringLiteral("--snapshot=") + snapshotId };
        qint64 total = 0;
        for (RecordType type : { PreData, Data, PostData }) {
            if (auto ok = dumpSection(*pgDump, arguments, *credentials, type, records, total, options.progress); !ok)
                return ok.error();
        }
        if (auto ok = records.end(); !ok)
            return ok.error();
        if (auto ok = writer->finish(); !ok)
            return ok.error();
        m.dumpBytes = records.dumpBytes();
        return m;
    });
    if (!manifest)
        return manifest.error();
    if (!out.flush() || ::fsync(out.handle()) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot flush %1").arg(partialPath));
    out.close();
    if (auto ok = crypto::securefile::renameNoReplace(partialPath, options.outPath); !ok)
        return ok.error();
    guard.keep = true;
    if (options.progress)
        options.progress(manifest->dumpBytes);
    qCInfo(lcHub).noquote() << "backup of database" << manifest->database << "(" << options.connection.describe()
                            << ") written to" << options.outPath << ":" << manifest->rowCounts.size() << "tables,"
                            << manifest->totalRows() << "rows," << manifest->dumpBytes << "SQL bytes, backup key id"
                            << manifest->keyId;
    return std::move(manifest).value();
}

core::Result<BackupManifest> Backup::verify(const QString &path, const QByteArray &backupKey)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(in.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("cannot read backup %1: %2").arg(path, in.errorString()));
    const auto withPath
        = [&](const core::Error &e) { return makeError(e.code, QStringLiteral("backup %1: %2").arg(path, e.message)); };
    auto reader = crypto::EnvelopeReader::begin(backupKey, in);
    if (!reader)
        return withPath(reader.error());
    auto manifest = parseManifest(reader->header().aad, reader->header().keyId);
    if (!manifest)
        return withPath(manifest.error());
    auto bytes = readRecords(*reader, [](RecordType, QByteArrayView) { return core::Status(); });
    if (!bytes)
        return withPath(bytes.error());
    manifest->dumpBytes = *bytes;
    return manifest;
}

core::Result<BackupManifest> Backup::restore(const RestoreOptions &options)
{
    if (options.backupKey.size() != crypto::envelope::KeySize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the backup key must be 32 bytes"));
    // 1. The whole file, before anything touches the database.
    auto manifest = verify(options.inPath, options.backupKey);
    if (!manifest)
        return manifest.error();
    auto psql = tool(options.pgBinDir, QStringLiteral("psql"));
    if (!psql)
        return psql.error();

    // 2. The target: the database's owner, an empty database.
    auto db = Database::open(options.connection);
    if (!db)
        return db.error();
    auto refused = db->maintenance([&](Transaction &tx) -> core::Status {
        auto role = tx.exec(QStringLiteral(
            "SELECT r.rolsuper, d.datdba = r.oid FROM pg_catalog.pg_roles AS r, pg_catalog.pg_database AS d "
            "WHERE r.rolname = current_user AND d.datname = current_database()"));
        if (!role)
            return role.error();
        if (!role->next())
            return makeError(ErrorCode::Internal,
                             QStringLiteral("the current role or database is not in the catalogue"));
        if (role->value(0).toBool())
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("restore refuses to run as a superuser ('%1'): the schema would be "
                                            "owned by it; log in as the database's owner (signiq_owner)")
                                 .arg(options.connection.user));
        if (!role->value(1).toBool())
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("restore must log in as the owner of database %1 (signiq_owner), not '%2'")
                                 .arg(options.connection.dbname, options.connection.user));
        auto existing = strings(tx, QStringLiteral(R"sql(
SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace WHERE nspname = 'signiq'
UNION ALL
(SELECT 'table ' || c.oid::regclass::text FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1 LIMIT 5))sql"));
        if (!existing)
            return existing.error();
        if (!existing->isEmpty())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("database %1 is not empty (%2); restore only goes into an empty database "
                                            "(scripts/pg-cluster.sh fresh-db, or createdb -O signiq_owner)")
                                 .arg(options.connection.dbname, existing->join(QStringLiteral(", "))));
        return {};
    });
    if (!refused)
        return refused.error();

    // 3. Stream the SQL through psql in one transaction, with the checks between the sections.
    auto credentials = childCredentials(options.connection);
    if (!credentials)
        return credentials.error();
    QProcess process;
    process.setProgram(*psql);
    process.setArguments(
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("--no-password"),
          QStringLiteral("--set=ON_ERROR_STOP=1"), QStringLiteral("--single-transaction"),
          QStringLiteral("--dbname=") + options.connection.toConnInfo(QStringLiteral("signiq-hub restore")),
          QStringLiteral("--file=-") });
    process.setProcessEnvironment(credentials->environment);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start();
    if (!process.waitForStarted(-1))
        return makeError(ErrorCode::Io, QStringLiteral("cannot start %1: %2").arg(*psql, process.errorString()));
    // psql commits when its input ends: on any failure it is killed instead, so the server
    // rolls the transaction back and nothing of the backup stays in the database.
    const auto abort = [&](const core::Error &e) {
        process.kill();
        process.waitForFinished(-1);
        return makeError(
            e.code,
            QStringLiteral("%1; nothing was restored (the restore transaction was rolled back)").arg(e.message));
    };
    // psql stopped early (an SQL error, with ON_ERROR_STOP): its exit status and last message.
    const auto psqlFailed = [&]() {
        process.waitForFinished(10'000);
        return makeError(ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(exitDescription(process, QStringLiteral("psql")),
                                                      lastLines(process.readAllStandardError())));
    };
    const auto send = [&](QByteArrayView data) -> core::Status {
        if (process.state() != QProcess::Running || process.write(data.data(), data.size()) != data.size())
            return psqlFailed();
        while (process.bytesToWrite() > kMaxPipeBacklog) {
            if (!process.waitForBytesWritten(-1) && process.state() != QProcess::Running)
                return psqlFailed();
        }
        return {};
    };

    QFile in(options.inPath);
    if (!in.open(QIODevice::ReadOnly))
        return abort(makeError(ErrorCode::Io,
                               QStringLiteral("cannot read backup %1: %2").arg(options.inPath, in.errorString())));
    auto reader = crypto::EnvelopeReader::begin(options.backupKey, in);
    if (!reader)
        return abort(reader.error());
    // The file was verified, but it is authenticated again as it is read (it could have
    // changed since): a failure here also aborts the transaction.
    auto again = parseManifest(reader->header().aad, reader->header().keyId);
    if (!again || manifestJson(*again) != manifestJson(*manifest))
        return abort(makeError(ErrorCode::Corrupt,
                               QStringLiteral("backup %1 changed while it was being restored").arg(options.inPath)));
    bool counted = false;
    qint64 sent = 0;
    qint64 nextProgress = kProgressStep;
    auto restored = readRecords(*reader, [&](RecordType type, QByteArrayView payload) -> core::Status {
        if (type == PostData && !counted) {
            counted = true;
            if (auto ok = send(countCheckSql(*manifest)); !ok)
                return ok;
        }
        if (type == End)
            return send(finalCheckSql(*manifest));
        sent += payload.size();
        if (options.progress && sent >= nextProgress) {
            options.progress(sent);
            nextProgress = (sent / kProgressStep + 1) * kProgressStep;
        }
        return send(payload);
    });
    if (!restored)
        return abort(restored.error());
    process.closeWriteChannel(); // end of input: psql commits
    process.waitForFinished(-1);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return makeError(
            ErrorCode::Io,
            QStringLiteral("%1: %2; nothing was restored (the restore transaction was rolled back)")
                .arg(exitDescription(process, QStringLiteral("psql")), lastLines(process.readAllStandardError())));
    if (options.progress)
        options.progress(sent);

    // 4. Committed; read the result back through the hub's own connection.
    auto problems
        = db->maintenance([&](Transaction &tx) { return strings(tx, rlsProblemsQuery(manifest->forcedRlsTables)); });
    if (!problems)
        return problems.error();
    if (!problems->isEmpty())
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("restored, but row-level security is missing on %1")
                             .arg(problems->join(QStringLiteral(", "))));
    qCInfo(lcHub).noquote() << "restored backup" << options.inPath << "(database" << manifest->database << ", key id"
                            << manifest->keyId << ") into" << options.connection.describe() << ":"
                            << manifest->rowCounts.size() << "tables," << manifest->totalRows()
                            << "rows, row counts, RLS and migrations checked";
    return manifest;
}

} // namespace signiq::hub
