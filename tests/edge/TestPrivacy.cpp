// Privacy you can prove: the real signiq-edge runs the real pipeline over the sample video under
// strace, and every file it opens for writing, every write and every network call is checked.
// Only the encrypted database (+ its WAL/SHM/journal) and the process's own stdout/stderr may
// be written; nothing may be sent or connected anywhere.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

class TestPrivacy : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    int edge(const QStringList &args, QString *err = nullptr)
    {
        QProcess p;
        p.start(QStringLiteral(SIGNIQ_EDGE_BIN), args);
        p.waitForFinished(300000);
        if (err)
            *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("strace")).isEmpty())
            QFAIL("fixture missing: strace is not installed (scripts/setup.sh installs it)");
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing: install Debian's opencv-doc");
        QVERIFY(m_dir.isValid());
        QString err;
        QCOMPARE(edge({QStringLiteral("init-key"), m_dir.filePath(QStringLiteral("k"))}, &err), 0);
        QVERIFY2(edge({QStringLiteral("models"), QStringLiteral("install"), QStringLiteral("--from"),
                       QStringLiteral(SIGNIQ_TEST_MODELS_DIR), QStringLiteral("--dir"), m_dir.filePath(QStringLiteral("models")),
                       QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yunet-2022mar"),
                       QStringLiteral("head-pose-adas-0001")},
                      &err)
                     == 0,
                 qPrintable(err));
    }

    void pipelineWritesOnlyTheEncryptedDatabase()
    {
        const QString db = m_dir.filePath(QStringLiteral("audience.db"));
        const QString trace = m_dir.filePath(QStringLiteral("trace.txt"));
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        // LeakSanitizer cannot run under ptrace: in the asan build the traced
        // program keeps ASan's checks but not its leak check.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
        env.insert(QStringLiteral("ASAN_OPTIONS"), (asan.isEmpty() ? QString() : asan + QLatin1Char(':')) + QStringLiteral("detect_leaks=0"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("strace"),
                {QStringLiteral("-f"), QStringLiteral("-y"), QStringLiteral("-qq"), QStringLiteral("-o"), trace,
                 QStringLiteral("-e"),
                 QStringLiteral("trace=openat,creat,write,pwrite64,writev,pwritev,pwritev2,sendto,sendmsg,sendmmsg,connect,"
                                "rename,renameat,renameat2,link,symlink,truncate,ftruncate,memfd_create"),
                 QStringLiteral(SIGNIQ_EDGE_BIN), QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"),
                 QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--config"),
                 QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"), QStringLiteral("--db"), db,
                 QStringLiteral("--key-file"), m_dir.filePath(QStringLiteral("k")), QStringLiteral("--models-dir"),
                 m_dir.filePath(QStringLiteral("models"))});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());

        QFile file(trace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(lines.size() > 10);

        const QRegularExpression dbFile(QStringLiteral("^%1(-wal|-shm|-journal)?$").arg(QRegularExpression::escape(db)));
        // syscall(fd<path>, ...) as printed by strace -y
        const QRegularExpression fdCall(QStringLiteral("^\\d+\\s+(\\w+)\\((\\d+)<([^>]*)>"));
        const QRegularExpression openCall(QStringLiteral("^\\d+\\s+(openat|creat)\\([^\"]*\"([^\"]+)\", ([A-Z_|]+)"));
        int dbWrites = 0;
        QStringList violations;
        for (const QString &line : lines) {
            if (line.contains(QLatin1String("+++ exited")) || line.contains(QLatin1String("--- SIG")))
                continue;
            if (const auto open = openCall.match(line); open.hasMatch()) {
                const QString flags = open.captured(3);
                const bool writing = open.captured(1) == QLatin1String("creat") || flags.contains(QLatin1String("O_WRONLY"))
                    || flags.contains(QLatin1String("O_RDWR")) || flags.contains(QLatin1String("O_CREAT"));
                if (writing && !dbFile.match(open.captured(2)).hasMatch() && open.captured(2) != QLatin1String("/dev/null"))
                    violations << line;
                continue;
            }
            const auto call = fdCall.match(line);
            const QString name = call.hasMatch() ? call.captured(1) : line.section(QLatin1Char('('), 0, 0).section(QLatin1Char(' '), -1);
            if (name.startsWith(QLatin1String("send")) || name == QLatin1String("connect") || name.startsWith(QLatin1String("rename"))
                || name == QLatin1String("link") || name == QLatin1String("symlink") || name == QLatin1String("memfd_create")
                || name == QLatin1String("truncate")) {
                violations << line;
                continue;
            }
            if (!call.hasMatch())
                continue;
            const int fd = call.captured(2).toInt();
            const QString target = call.captured(3);
            if (dbFile.match(target).hasMatch()) {
                ++dbWrites;
                continue;
            }
            // stdout/stderr (pipes to this test), and thread wake-ups (eventfd) carry no pixels.
            if (fd == 1 || fd == 2 || target.startsWith(QLatin1String("anon_inode:[eventfd]")))
                continue;
#ifdef SIGNIQ_SANITIZED_BUILD
            // UBSan's vptr check probes whether 16 bytes of memory are readable by
            // writing them into a fresh pipe of its own (sanitizer_common's
            // IsAccessibleMemoryRange): only in the sanitizer build, only that size.
            if (name == QLatin1String("write") && target.startsWith(QLatin1String("pipe:")) && line.endsWith(QLatin1String(", 16) = 16")))
                continue;
#endif
            violations << line;
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.mid(0, 10).join(QLatin1Char('\n'))));
        QVERIFY2(dbWrites > 0, "the trace must show the database being written, or the check proves nothing");

        // Everything the run left behind in its folder: the database files, the key, the models, the trace.
        const QStringList left = QDir(m_dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot);
        for (const QString &name : left)
            QVERIFY2(name.startsWith(QLatin1String("audience.db")) || name == QLatin1String("k") || name == QLatin1String("trace.txt"),
                     qPrintable(name));

        // The database is private to the service account.
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(db).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0077, 0u);
    }
};

QTEST_GUILESS_MAIN(TestPrivacy)
#include "TestPrivacy.moc"
