// End to end: the real signiq-edge binary on the real sample video with the real model,
// writing a real SQLCipher file.
#include "core/AudienceWindow.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <QElapsedTimer>

#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace signiq;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};
} // namespace

class TestEdgeCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_models;
    QString m_key;
    QString m_db;
    QString m_zones;
    QJsonObject m_report;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    Run edge(const QStringList &args, int timeoutMs = 300000)
    {
        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments(args);
        p.start();
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    QStringList store() const
    {
        return {QStringLiteral("--db"), m_db, QStringLiteral("--key-file"), m_key, QStringLiteral("--models-dir"), m_models};
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile f(path(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return f.fileName();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing: install Debian's opencv-doc (scripts/setup.sh does)");
        m_models = path(QStringLiteral("models"));
        m_key = path(QStringLiteral("db.key"));
        m_db = path(QStringLiteral("signiq.db"));
        m_zones = QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json");
    }

    void versionAndHelp()
    {
        const Run version = edge({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("signiq-edge ")));
        const Run help = edge({QStringLiteral("run"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--source")));
        const Run unknown = edge({QStringLiteral("fly")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QStringLiteral("unknown command 'fly'")));
    }

    void initKeyCreatesPrivateFileOnce()
    {
        const Run created = edge({QStringLiteral("init-key"), m_key});
        QCOMPARE(created.exitCode, 0);
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(m_key).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QFile f(m_key);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().trimmed().size(), 64);

        const Run again = edge({QStringLiteral("init-key"), m_key});
        QVERIFY(again.exitCode != 0);
        QVERIFY2(again.err.contains(m_key), qPrintable(again.err));
    }

    void missingModelIsNamedWithTheFix()
    {
        const Run r = edge(QStringList{QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"),
                                       QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--config"), m_zones}
                           + store());
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("yolo-fastest-1.1_body")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("models install")), qPrintable(r.err));
    }

    void installModelsFromMirror()
    {
        const QStringList args{QStringLiteral("models"), QStringLiteral("install"), QStringLiteral("--from"),
                               QStringLiteral(SIGNIQ_TEST_MODELS_DIR), QStringLiteral("--dir"), m_models,
                               QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yunet-2022mar"),
                               QStringLiteral("head-pose-adas-0001")};
        const Run r = edge(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(m_models + QStringLiteral("/yolo-fastest-1.1_body.weights")));
        const Run again = edge(args);
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains(QStringLiteral("0 installed")), qPrintable(again.out));
    }

    void badInputs_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");

        const QString video = QStringLiteral(SIGNIQ_SAMPLE_VIDEO);
        const QString unknownKey = writeFile(QStringLiteral("unknown-key.json"),
            R"({"zones":[{"name":"a","polygon":[[0,0],[1,0],[1,1]]}],"colour":"red"})");
        const QString twoPoints = writeFile(QStringLiteral("two-points.json"),
            R"({"zones":[{"name":"a","polygon":[[0,0],[1,0]]}]})");
        const QString outside = writeFile(QStringLiteral("outside.json"),
            R"({"zones":[{"name":"a","polygon":[[0,0],[1.5,0],[1,1]]}]})");
        const QString run = QStringLiteral("run");
        const QString src = QStringLiteral("--source");
        const QString cfg = QStringLiteral("--config");

        QTest::newRow("no source") << QStringList{run} << 2 << QStringLiteral("--source is required");
        QTest::newRow("unknown option") << QStringList{run, QStringLiteral("--sauce"), video} << 2 << QStringLiteral("sauce");
        QTest::newRow("unknown config key") << QStringList{run, src, video, cfg, unknownKey} << 2 << QStringLiteral("colour");
        QTest::newRow("polygon < 3 points") << QStringList{run, src, video, cfg, twoPoints} << 2 << QStringLiteral("polygon");
        QTest::newRow("coordinate outside 0..1") << QStringList{run, src, video, cfg, outside} << 2 << QStringLiteral("1.5");
        QTest::newRow("missing config file") << QStringList{run, src, video, cfg, path(QStringLiteral("nope.json"))} << 1
                                             << QStringLiteral("nope.json");
        QTest::newRow("unreadable source") << QStringList{run, src, path(QStringLiteral("missing.avi")), cfg, m_zones} << 1
                                           << QStringLiteral("missing.avi");
        QTest::newRow("bad detect-every") << QStringList{run, src, video, QStringLiteral("--detect-every"), QStringLiteral("0")}
                                          << 2 << QStringLiteral("--detect-every");
        QTest::newRow("unknown model") << QStringList{run, src, video, cfg, m_zones, QStringLiteral("--model"), QStringLiteral("yolo9000")}
                                       << 2 << QStringLiteral("yolo9000");

        // Sync options (docs/sync.md): `sync --once` and `run --sync-hub`.
        const QString sync = QStringLiteral("sync");
        const QString onceOpt = QStringLiteral("--once");
        const QString hub = QStringLiteral("--hub");
        const QString hubUrl = QStringLiteral("https://hub.example:8444");
        const QString idDir = QStringLiteral("--identity-dir");
        const QString noIdentity = path(QStringLiteral("no-identity"));
        QTest::newRow("sync without --once") << QStringList{sync} << 2 << QStringLiteral("sync needs --once");
        QTest::newRow("sync without --hub") << QStringList{sync, onceOpt} << 2 << QStringLiteral("--hub must be https://HOST:PORT");
        QTest::newRow("sync over http") << QStringList{sync, onceOpt, hub, QStringLiteral("http://hub.example:8444")} << 2
                                        << QStringLiteral("not 'http://hub.example:8444'");
        QTest::newRow("sync without identity") << QStringList{sync, onceOpt, hub, hubUrl} << 2 << QStringLiteral("--identity-dir is required");
        QTest::newRow("sync --batches 0") << QStringList{sync, onceOpt, hub, hubUrl, idDir, noIdentity, QStringLiteral("--batches"), QStringLiteral("0")}
                                          << 2 << QStringLiteral("--batches must be a whole number, at least 1");
        QTest::newRow("sync --once and --requeue-all") << QStringList{sync, onceOpt, QStringLiteral("--requeue-all")} << 2
                                                       << QStringLiteral("sync needs --once, or else one of --set-aside");
        QTest::newRow("sync --batch-size 0")
            << QStringList{sync, onceOpt, hub, hubUrl, idDir, noIdentity, QStringLiteral("--batch-size"), QStringLiteral("0")} << 2
            << QStringLiteral("--batch-size must be a whole number from 1 to 1000, not '0'");
        QTest::newRow("sync --batch-size 1001")
            << QStringList{sync, onceOpt, hub, hubUrl, idDir, noIdentity, QStringLiteral("--batch-size"), QStringLiteral("1001")} << 2
            << QStringLiteral("--batch-size must be a whole number from 1 to 1000");
        QTest::newRow("sync --now without --once") << QStringList{sync, QStringLiteral("--requeue-all"), QStringLiteral("--now")} << 2
                                                   << QStringLiteral("--now needs --once");
        QTest::newRow("run --sync-batch-size 0")
            << QStringList{run, src, video, QStringLiteral("--sync-hub"), hubUrl, idDir, noIdentity, QStringLiteral("--sync-batch-size"),
                           QStringLiteral("0")}
            << 2 << QStringLiteral("--sync-batch-size must be a whole number from 1 to 1000");
        QTest::newRow("sync, identity missing") << QStringList{sync, onceOpt, hub, hubUrl, idDir, noIdentity} << 1
                                                << QStringLiteral("no-identity/device.pem does not exist");
        QTest::newRow("run --sync-hub over ftp") << QStringList{run, src, video, QStringLiteral("--sync-hub"), QStringLiteral("ftp://hub.example")}
                                                 << 2 << QStringLiteral("--sync-hub must be https://HOST:PORT");
        QTest::newRow("run --sync-hub without identity") << QStringList{run, src, video, QStringLiteral("--sync-hub"), hubUrl} << 2
                                                         << QStringLiteral("--sync-hub needs --identity-dir");
        QTest::newRow("run --sync-interval-s 0")
            << QStringList{run, src, video, QStringLiteral("--sync-hub"), hubUrl, idDir, noIdentity, QStringLiteral("--sync-interval-s"),
                           QStringLiteral("0")}
            << 2 << QStringLiteral("--sync-interval-s must be a whole number of seconds, at least 1");
        QTest::newRow("run --sync-hub-ca without --sync-hub")
            << QStringList{run, src, video, QStringLiteral("--sync-hub-ca"), path(QStringLiteral("hub-ca.pem"))} << 2
            << QStringLiteral("--sync-hub-ca needs --sync-hub");
    }

    void badInputs()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = edge(args + store());
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(r.err)); // one line
    }

    void runOnSampleVideo()
    {
        const QString report = path(QStringLiteral("report.json"));
        const Run r = edge(QStringList{QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"),
                                       QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--config"), m_zones,
                                       QStringLiteral("--start-time"), QStringLiteral("2026-11-29T10:00:00Z"),
                                       QStringLiteral("--report"), report}
                           + store());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("west-walkway")), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("capture->release p50")));

        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_report = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(m_report.value(QStringLiteral("frames")).toObject().value(QStringLiteral("processed")).toInt(), 795);

        // 79.5 s of video from 10:00:00 -> two 1-minute windows per zone.
        const QJsonArray windows = m_report.value(QStringLiteral("windows")).toArray();
        QCOMPARE(windows.size(), 4);
        int ots = 0;
        for (const auto &w : windows) {
            auto window = core::AudienceWindow::fromJson(w.toObject());
            QVERIFY(window.ok());
            QVERIFY(window->modelVersion.startsWith(QStringLiteral("yolo-fastest-1.1-body@")));
            QVERIFY(!window->calibrationVersion.isEmpty());
            QVERIFY(window->confidence > 0.0 && window->confidence <= 1.0);
            QVERIFY(window->qualityFlags & core::QualityUncalibrated);
            ots += window->ots;
        }
        QVERIFY2(ots >= 4, "people walk through both zones of vtest.avi");

        // Occupancy once per second of video, plausible at every second.
        const QJsonArray occupancy = m_report.value(QStringLiteral("occupancy")).toArray();
        QVERIFY(occupancy.size() >= 79 && occupancy.size() <= 81);
        int maxPeople = 0;
        for (const auto &s : occupancy) {
            const int people = s.toObject().value(QStringLiteral("people")).toInt();
            QVERIFY2(people >= 0 && people <= 12, qPrintable(QString::number(people)));
            maxPeople = std::max(maxPeople, people);
        }
        QVERIFY(maxPeople >= 3);
    }

    void storedWindowsAreEncryptedAndReadBack()
    {
        QVERIFY(!m_report.isEmpty());
        QFile db(m_db);
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(!db.read(16).startsWith("SQLite format 3"));

        const Run r = edge(QStringList{QStringLiteral("windows"), QStringLiteral("--json")} + store());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray stored = QJsonDocument::fromJson(r.out.toUtf8()).array();
        const QJsonArray reported = m_report.value(QStringLiteral("windows")).toArray();
        QCOMPARE(stored.size(), reported.size());
        for (const auto &w : reported) {
            auto expected = core::AudienceWindow::fromJson(w.toObject());
            bool found = false;
            for (const auto &s : stored) {
                auto got = core::AudienceWindow::fromJson(s.toObject());
                if (got->zone == expected->zone && got->startMs == expected->startMs) {
                    QCOMPARE(got->ots, expected->ots);
                    QCOMPARE(got->dwellBands, expected->dwellBands);
                    QCOMPARE(got->qualityFlags, expected->qualityFlags);
                    found = true;
                }
            }
            QVERIFY(found);
        }
    }

    void wrongKeyFailsCleanly()
    {
        const QString otherKey = path(QStringLiteral("other.key"));
        QCOMPARE(edge({QStringLiteral("init-key"), otherKey}).exitCode, 0);
        const Run r = edge({QStringLiteral("windows"), QStringLiteral("--db"), m_db, QStringLiteral("--key-file"), otherKey});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("wrong database key")), qPrintable(r.err));
    }

    void laterRunsUseStoredConfig()
    {
        // No --config: the configuration imported above comes from the encrypted store.
        const Run r = edge(QStringList{QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--source"),
                                       QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--start-time"),
                                       QStringLiteral("2026-11-29T11:00:00Z"), QStringLiteral("--detect-every"),
                                       QStringLiteral("2")}
                           + store());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("east-walkway")));

        // A fresh database has no configuration yet.
        const Run fresh = edge({QStringLiteral("run"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
                                QStringLiteral("--db"), path(QStringLiteral("fresh.db")), QStringLiteral("--key-file"), m_key,
                                QStringLiteral("--models-dir"), m_models});
        QCOMPARE(fresh.exitCode, 1);
        QVERIFY2(fresh.err.contains(QStringLiteral("--config")), qPrintable(fresh.err));
    }

    void sigtermClosesOpenWindows()
    {
        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments(QStringList{QStringLiteral("run"), QStringLiteral("--realtime"), QStringLiteral("--source"),
                                   QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--start-time"),
                                   QStringLiteral("2026-11-29T12:00:00Z")}
                       + store());
        p.setReadChannel(QProcess::StandardError);
        p.start();
        QVERIFY(p.waitForStarted());
        // Wait for the pipeline to announce itself, then stop it like systemd would.
        QString err;
        while (!err.contains(QStringLiteral("processing")) && p.waitForReadyRead(30000))
            err += QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("processing")), qPrintable(err));
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains(QStringLiteral("Stopped     by signal")));
    }

    // Under systemd: the database key comes from $CREDENTIALS_DIRECTORY/db.key (no --key-file),
    // READY=1 and WATCHDOG=1 arrive while frames are processed, STOPPING=1 on SIGTERM.
    void speaksSdNotifyAndReadsCredentials()
    {
        const QString credentials = path(QStringLiteral("credentials"));
        QVERIFY(QDir().mkpath(credentials));
        const QString credKey = credentials + QStringLiteral("/db.key");
        QFile::remove(credKey);
        QVERIFY(QFile::copy(m_key, credKey));
        QVERIFY(::chmod(QFile::encodeName(credKey).constData(), 0400) == 0);

        const QByteArray socketPath = QFile::encodeName(path(QStringLiteral("notify")));
        const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        QVERIFY(fd >= 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        QVERIFY(size_t(socketPath.size()) < sizeof(address.sun_path));
        std::memcpy(address.sun_path, socketPath.constData(), size_t(socketPath.size()));
        QVERIFY(::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0);

        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments({QStringLiteral("run"), QStringLiteral("--realtime"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
                        QStringLiteral("--db"), m_db, QStringLiteral("--models-dir"), m_models});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), QString::fromLocal8Bit(socketPath));
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("2000000"));
        env.insert(QStringLiteral("CREDENTIALS_DIRECTORY"), credentials);
        p.setProcessEnvironment(env);
        p.start();
        QVERIFY(p.waitForStarted());

        QStringList states;
        const auto receiveFor = [&](int ms) {
            QElapsedTimer t;
            t.start();
            while (t.elapsed() < ms) {
                char buffer[512];
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n > 0)
                    states << QString::fromUtf8(buffer, int(n));
                else
                    p.waitForFinished(50);
            }
        };
        QElapsedTimer waited;
        waited.start();
        while (!states.contains(QStringLiteral("WATCHDOG=1")) && waited.elapsed() < 60000 && p.state() == QProcess::Running)
            receiveFor(200);
        QVERIFY2(states.value(0) == QStringLiteral("READY=1"), qPrintable(states.join(u' ') + QString::fromUtf8(p.readAllStandardError())));
        QVERIFY2(states.contains(QStringLiteral("WATCHDOG=1")), qPrintable(states.join(u' ')));
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        receiveFor(300);
        ::close(fd);
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(states.last(), QStringLiteral("STOPPING=1"));
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains(QStringLiteral("Stopped     by signal")));
    }
};

QTEST_GUILESS_MAIN(TestEdgeCli)
#include "TestEdgeCli.moc"
