// The real signiq-edge binary: keys/audit commands, and `run --api-port` serving the HTTPS API
// (TLS 1.3, test CA from libs/crypto) while the pipeline runs on its worker thread; the overlay
// stream's JPEG frames contain no face YuNet can find; SIGTERM still closes the open windows.
#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/SecureFile.h"
#include "crypto/TlsConfiguration.h"
#include "vision/faces/FaceAnalyzer.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace signiq;

namespace {
struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};
} // namespace

class TestEdgeApi : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_key, m_db, m_cert, m_tlsKey, m_auditKey;
    QSslCertificate m_ca;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QStringList store() const { return {QStringLiteral("--db"), m_db, QStringLiteral("--key-file"), m_key}; }
    // The log is signed from keysAndAuditCommands on: every writer passes the audit key.
    QStringList signedStore() const { return store() + QStringList{QStringLiteral("--audit-key-file"), m_auditKey}; }

    Run edge(const QStringList &args)
    {
        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments(args);
        p.start();
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    QString createKey(const QString &scopes)
    {
        const Run r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), scopes,
                                       QStringLiteral("--tier"), QStringLiteral("enterprise")} + signedStore());
        return r.exitCode == 0 ? r.out.trimmed() : QString();
    }

    QNetworkReply *get(QNetworkAccessManager &nam, quint16 port, const QString &path, const QString &key)
    {
        QNetworkRequest req(QUrl(QStringLiteral("https://localhost:%1%2").arg(port).arg(path)));
        req.setSslConfiguration(*crypto::TlsConfigurationFactory::client({m_ca}));
        if (!key.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + key.toLatin1());
        return nam.get(req);
    }

    QJsonObject getJson(quint16 port, const QString &path, const QString &key, int *status = nullptr)
    {
        QNetworkAccessManager nam;
        QNetworkReply *reply = get(nam, port, path, key);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !done.wait(20000))
            QTest::qFail(qPrintable(QStringLiteral("no answer to GET %1 within 20 s").arg(path)), __FILE__, __LINE__);
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return o;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_key = path(QStringLiteral("db.key"));
        m_db = path(QStringLiteral("edge.db"));
        QCOMPARE(edge({QStringLiteral("init-key"), m_key}).exitCode, 0);
        m_auditKey = path(QStringLiteral("audit.key"));
        QCOMPARE(edge({QStringLiteral("init-key"), m_auditKey}).exitCode, 0);
        const core::SystemClock clock;
        auto ca = crypto::CertificateAuthority::create(QStringLiteral("edge test CA"), 24LL * 3600 * 1000, clock);
        QVERIFY(ca.ok());
        auto key = crypto::PrivateKey::generateEcP256();
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("edge"));
        crypto::IssueOptions options;
        options.commonName = QStringLiteral("edge");
        options.dnsNames = {QStringLiteral("localhost")};
        options.ipAddresses = {QStringLiteral("127.0.0.1")};
        options.lifetimeMs = 3600 * 1000;
        auto cert = ca->issue(*csr, options, clock);
        QVERIFY(cert.ok());
        m_ca = ca->certificate().toQSslCertificate();
        m_cert = path(QStringLiteral("device.crt"));
        m_tlsKey = path(QStringLiteral("device.key"));
        QVERIFY(cert->save(m_cert).ok());
        QVERIFY(key->save(m_tlsKey).ok());
    }

    void keysAndAuditCommands()
    {
        Run r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("admin"),
                                 QStringLiteral("--name"), QStringLiteral("bootstrap")} + store());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString token = r.out.trimmed();
        QVERIFY2(QRegularExpression(QStringLiteral("^sq_live_[0-9a-z]{12}_[0-9A-Za-z]{38}$")).match(token).hasMatch(), qPrintable(token));
        QVERIFY(r.err.contains(QStringLiteral("shown once")));
        const QString id = token.section(QLatin1Char('_'), 2, 2);

        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("list")} + store());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(id));
        QVERIFY(!r.out.contains(token));
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("root")} + store());
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("unknown scope 'root'")));
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create")} + store());
        QCOMPARE(r.exitCode, 2);

        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("read")} + store());
        QCOMPARE(r.exitCode, 0);
        const QString other = r.out.trimmed();
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("revoke"), other.section(QLatin1Char('_'), 2, 2)} + store());
        QCOMPARE(r.exitCode, 0);
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")} + store());
        QVERIFY(r.out.contains(QStringLiteral("\"revoked\"")));

        // Without an audit key the log is only hash-chained: consistent, never "intact" (exit 3).
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + store());
        QVERIFY2(r.exitCode == 3, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("unsigned, chain only (NOT proved intact): 3 entries")), qPrintable(r.err));

        // The audit key must be a key of its own.
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("adopt"), QStringLiteral("--audit-key-file"), m_key} + store());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("must not be the database key")), qPrintable(r.err));
        // With the audit key the old log must first be adopted ...
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--scope"), QStringLiteral("read")} + signedStore());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("signiq-edge audit adopt")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty()); // no key was created (and none shown)
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("adopt")} + signedStore());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("entry 4: ok: 3 entries adopted (unsigned head)")), qPrintable(r.out));
        // ... and then verifies with the key file or with the public key alone.
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedStore());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("intact: 4 entries")), qPrintable(r.out));
        const QString publicKey = path(QStringLiteral("audit.pub"));
        r = edge({QStringLiteral("audit"), QStringLiteral("public-key"), QStringLiteral("--audit-key-file"), m_auditKey,
                  QStringLiteral("--out"), publicKey});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--audit-public-key"), publicKey} + store());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // A signed log refuses writers without the key, and the key stays as it was.
        const QString keysBefore = edge(QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")} + store()).out;
        r = edge(QStringList{QStringLiteral("keys"), QStringLiteral("revoke"), id} + store());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("--audit-key-file")), qPrintable(r.err));
        QCOMPARE(edge(QStringList{QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")} + store()).out, keysBefore);

        // A checkpoint to keep off the device.
        const QString checkpoint = path(QStringLiteral("checkpoint.json"));
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("checkpoint"), QStringLiteral("--out"), checkpoint} + signedStore());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("checkpoint at entry 5 (5 entries)")), qPrintable(r.err));
        QCOMPARE(crypto::securefile::mode(checkpoint), 0600);
        QCOMPARE(edge(QStringList{QStringLiteral("audit"), QStringLiteral("checkpoint")} + store()).exitCode, 2); // needs the key

        const QString exported = path(QStringLiteral("audit.csv"));
        r = edge(QStringList{QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"),
                             QStringLiteral("--out"), exported} + signedStore());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(crypto::securefile::mode(exported), 0600);
        r = edge({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), exported, QStringLiteral("--audit-public-key"),
                  publicKey, QStringLiteral("--checkpoint"), checkpoint});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("intact: 6 entries")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("1 checkpoint(s) matched")), qPrintable(r.out));
        r = edge({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), exported});
        QCOMPARE(r.exitCode, 3); // no public key: chain only
        QVERIFY(r.err.contains(QStringLiteral("no audit public key")));

        QFile f(exported);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        f.close();
        const auto verifyText = [&](const QByteArray &text) {
            const QString file = path(QStringLiteral("tampered.csv"));
            QFile::remove(file);
            QFile t(file);
            if (!t.open(QIODevice::WriteOnly))
                return Run{-1, {}, {}};
            t.write(text);
            t.close();
            return edge({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), file, QStringLiteral("--audit-public-key"), publicKey});
        };
        r = verifyText(QByteArray(data).replace("key.revoke", "key.rotate"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("BROKEN at entry 3")), qPrintable(r.err));
        QList<QByteArray> lines = data.split('\n');
        lines.removeAt(1); // the first entry
        r = verifyText(lines.join('\n'));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("entries 1..1 are missing")), qPrintable(r.err));
        lines = data.split('\n');
        lines.removeAt(lines.size() - 3); // the last entry
        r = verifyText(lines.join('\n'));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("removed from the end")), qPrintable(r.err));
        lines = data.split('\n');
        lines.removeAt(lines.size() - 2); // the head: an "old" export, at best chain only
        r = verifyText(lines.join('\n'));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QStringLiteral("no head")), qPrintable(r.err));
        // Bad inputs to verify: usage errors.
        QCOMPARE(edge({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), exported, QStringLiteral("--audit-public-key"),
                       QStringLiteral("xyz")}).exitCode, 2);
        QCOMPARE(edge({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), exported, QStringLiteral("--checkpoint"),
                       exported}).exitCode, 2);
    }

    void runServesApiAndOverlay()
    {
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing");
        const QString models = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
        const QString analytics = createKey(QStringLiteral("analytics"));
        const QString installer = createKey(QStringLiteral("calibrate"));
        QVERIFY(!analytics.isEmpty() && !installer.isEmpty());

        // No plaintext: a port without a certificate is a usage error.
        Run refused = edge(QStringList{QStringLiteral("run"), QStringLiteral("--source"), QStringLiteral(SIGNIQ_SAMPLE_VIDEO),
                                       QStringLiteral("--api-port"), QStringLiteral("0")} + store());
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.err.contains(QStringLiteral("--tls-cert")));

        // The pipeline's own frames feed the overlay: a directory of the face test images,
        // repeated so that the run lasts (about 20 s at 10 fps in real time).
        const QString faceFrames = m_dir.filePath(QStringLiteral("face-frames"));
        QVERIFY(QDir().mkpath(faceFrames));
        const QStringList images = QDir(QStringLiteral(SIGNIQ_TESTDATA_DIR))
                                       .entryList({QStringLiteral("ulfd_*.jpg"), QStringLiteral("astronaut.png")}, QDir::Files, QDir::Name);
        QVERIFY(images.size() >= 5);
        for (int i = 0; i < 200; ++i) {
            const QString name = images.at(i % images.size());
            QVERIFY(QFile::link(QStringLiteral(SIGNIQ_TESTDATA_DIR "/") + name,
                                QStringLiteral("%1/%2_%3").arg(faceFrames).arg(i, 4, 10, QLatin1Char('0')).arg(name)));
        }
        QProcess p;
        p.setProgram(QStringLiteral(SIGNIQ_EDGE_BIN));
        p.setArguments(QStringList{QStringLiteral("run"), QStringLiteral("--realtime"), QStringLiteral("--source"),
                                   faceFrames, QStringLiteral("--config"),
                                   QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"), QStringLiteral("--no-faces"),
                                   QStringLiteral("--models-dir"), models, QStringLiteral("--start-time"),
                                   QStringLiteral("2026-11-29T12:00:00Z"), QStringLiteral("--api-port"), QStringLiteral("0"),
                                   QStringLiteral("--tls-cert"), m_cert, QStringLiteral("--tls-key"), m_tlsKey}
                       + signedStore());
        p.setReadChannel(QProcess::StandardError);
        p.start();
        QVERIFY(p.waitForStarted());
        QString err;
        const QRegularExpression portLine(QStringLiteral("API on https://127\\.0\\.0\\.1:(\\d+)/v1/"));
        while (!(portLine.match(err).hasMatch() && err.contains(QStringLiteral("processing"))) && p.waitForReadyRead(60000))
            err += QString::fromUtf8(p.readAllStandardError());
        const auto match = portLine.match(err);
        QVERIFY2(match.hasMatch(), qPrintable(err));
        const quint16 port = quint16(match.captured(1).toUInt());

        // Health while the pipeline runs on its worker thread.
        QJsonObject health;
        for (int i = 0; i < 60; ++i) {
            health = getJson(port, QStringLiteral("/v1/health"), analytics);
            if (health.value(QStringLiteral("pipeline")).toObject().value(QStringLiteral("fps")).toDouble() > 0)
                break;
            QSignalSpy(&p, &QProcess::readyReadStandardError).wait(250);
        }
        QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QVERIFY2(health.value(QStringLiteral("pipeline")).toObject().value(QStringLiteral("fps")).toDouble() > 0,
                 QJsonDocument(health).toJson().constData());
        QVERIFY(health.value(QStringLiteral("model_version")).toString().startsWith(QStringLiteral("yolo-fastest")));
        QCOMPARE(health.value(QStringLiteral("calibration_version")).toString().size(), 16);
        int status = 0;
        getJson(port, QStringLiteral("/v1/windows"), analytics, &status);
        QCOMPARE(status, 200);
        getJson(port, QStringLiteral("/v1/keys"), analytics, &status);
        QCOMPARE(status, 403);

        // The overlay: multipart JPEG frames, anonymised: YuNet finds no face in any of them.
        QSslSocket socket;
        socket.setSslConfiguration(*crypto::TlsConfigurationFactory::client({m_ca}));
        QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
        socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
        QVERIFY(encrypted.wait(10000));
        QCOMPARE(socket.sessionProtocol(), QSsl::TlsV1_3);
        socket.write("GET /v1/overlay HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + installer.toLatin1() + "\r\n\r\n");
        QByteArray stream;
        QList<QByteArray> jpegs;
        for (int i = 0; i < 200 && jpegs.size() < 6; ++i) {
            QSignalSpy(&socket, &QIODevice::readyRead).wait(200);
            stream += socket.readAll();
            jpegs.clear();
            qsizetype at = 0;
            while ((at = stream.indexOf("Content-Length: ", at)) >= 0) {
                const qsizetype eol = stream.indexOf("\r\n", at);
                const qsizetype bodyAt = stream.indexOf("\r\n\r\n", at);
                if (eol < 0 || bodyAt < 0)
                    break;
                const qsizetype length = stream.mid(at + 16, eol - at - 16).toLongLong();
                if (stream.size() < bodyAt + 4 + length)
                    break;
                jpegs << stream.mid(bodyAt + 4, length);
                at = bodyAt + 4 + length;
            }
        }
        QVERIFY2(stream.contains("multipart/x-mixed-replace"), stream.left(300).constData());
        QVERIFY2(jpegs.size() >= 3, qPrintable(QString::number(jpegs.size())));
        vision::FaceAnalyzerConfig faceConfig;
        faceConfig.modelsDir = models;
        auto faces = vision::createFaceAnalyzer(faceConfig);
        QVERIFY2(faces.ok(), faces.ok() ? "" : qPrintable(faces.error().toString()));
        // Control: the detector does find the face in an original test image.
        const cv::Mat original = cv::imread(SIGNIQ_TESTDATA_DIR "/astronaut.png");
        QVERIFY(!original.empty());
        QVERIFY((*faces)->detectFaces(original)->size() >= 1);
        for (const QByteArray &jpeg : jpegs) {
            QVERIFY(jpeg.startsWith("\xff\xd8"));
            const cv::Mat image = cv::imdecode(cv::Mat(1, int(jpeg.size()), CV_8UC1, const_cast<char *>(jpeg.constData())), cv::IMREAD_COLOR);
            QVERIFY(!image.empty());
            QVERIFY(image.cols <= 640);
            auto found = (*faces)->detectFaces(image);
            QVERIFY(found.ok());
            QCOMPARE(found->size(), 0);
        }
        socket.disconnectFromHost();

        // SIGTERM: the pipeline stores its open windows, the API stops, exit 0.
        p.terminate();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().right(4000).constData());
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains(QStringLiteral("Stopped     by signal")));

        const Run audit = edge(QStringList{QStringLiteral("audit"), QStringLiteral("export")} + signedStore());
        QVERIFY(audit.out.contains(QStringLiteral("overlay.open")));
        QVERIFY(audit.out.contains(QStringLiteral("overlay.close")));
        QVERIFY(audit.out.contains(QStringLiteral("auth.denied")));
        // The running API signed every entry it wrote.
        const Run verified = edge(QStringList{QStringLiteral("audit"), QStringLiteral("verify")} + signedStore());
        QVERIFY2(verified.exitCode == 0, qPrintable(verified.err));
    }
};

QTEST_GUILESS_MAIN(TestEdgeApi)
#include "TestEdgeApi.moc"
