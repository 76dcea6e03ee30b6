// Certificate renewal in a running signiq-edge: a device enrolled with a short-lived certificate
// renews it at 2/3 of its lifetime from the CA holder's enrollment server, while its HTTPS API
// keeps serving: an open connection survives the swap and new connections get the new
// certificate. Real processes, real TLS 1.3 on loopback.
#include "crypto/TlsConfiguration.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// Reads a process's stderr until `pattern` matches or the timeout passes.
QString waitForLine(QProcess &p, const QRegularExpression &pattern, QString &buffer, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!pattern.match(buffer).hasMatch() && t.elapsed() < timeoutMs) {
        if (!p.waitForReadyRead(int(timeoutMs - t.elapsed())))
            break;
        buffer += QString::fromUtf8(p.readAllStandardError()) + QString::fromUtf8(p.readAllStandardOutput());
    }
    const auto m = pattern.match(buffer);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class TestEdgeRenewal : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    Run edge(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(SIGNIQ_EDGE_BIN), args);
        p.waitForFinished(120000);
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    bool healthOk(QSslSocket &socket)
    {
        socket.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray response;
        while (!response.contains("\r\n\r\n") && socket.waitForReadyRead(10000))
            response += socket.readAll();
        return response.startsWith("HTTP/1.1 200");
    }

private slots:
    void renewsWhileServing()
    {
        if (!QFile::exists(QStringLiteral(SIGNIQ_SAMPLE_VIDEO)))
            QFAIL("fixture missing: sample video missing");
        QVERIFY(m_dir.isValid());
        const QString ca = path(QStringLiteral("ca"));
        QCOMPARE(edge({QStringLiteral("ca"), QStringLiteral("init"), QStringLiteral("--dir"), ca}).exitCode, 0);

        // The CA holder's enrollment server issues 12-second device certificates.
        QProcess caServer;
        caServer.start(QStringLiteral(SIGNIQ_EDGE_BIN), {QStringLiteral("ca"), QStringLiteral("serve"), QStringLiteral("--dir"), ca,
                                                        QStringLiteral("--port"), QStringLiteral("0"),
                                                        QStringLiteral("--cert-seconds"), QStringLiteral("12")});
        QString caOut;
        const QString caPort = waitForLine(caServer, QRegularExpression(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)")), caOut, 30000);
        QVERIFY2(!caPort.isEmpty(), qPrintable(caOut));

        const Run token = edge({QStringLiteral("ca"), QStringLiteral("token"), QStringLiteral("--dir"), ca, QStringLiteral("--device"),
                                QStringLiteral("edge-renew"), QStringLiteral("--dns"), QStringLiteral("localhost")});
        QCOMPARE(token.exitCode, 0);
        const Run enrolled = edge({QStringLiteral("enroll"), QStringLiteral("--server"), QStringLiteral("localhost:") + caPort,
                                   QStringLiteral("--token"), token.out.trimmed(), QStringLiteral("--ca-cert"), ca + QStringLiteral("/ca.crt"),
                                   QStringLiteral("--dir"), path(QStringLiteral("identity"))});
        QVERIFY2(enrolled.exitCode == 0, qPrintable(enrolled.err));
        QCOMPARE(edge({QStringLiteral("init-key"), path(QStringLiteral("db.key"))}).exitCode, 0);
        QCOMPARE(edge({QStringLiteral("models"), QStringLiteral("install"), QStringLiteral("--from"), QStringLiteral(SIGNIQ_TEST_MODELS_DIR),
                       QStringLiteral("--dir"), path(QStringLiteral("models")), QStringLiteral("yolo-fastest-1.1-body")})
                     .exitCode,
                 0);

        // The device runs with its enrolled identity and renews from the enrollment server.
        QProcess device;
        device.setProcessChannelMode(QProcess::MergedChannels);
        device.start(QStringLiteral(SIGNIQ_EDGE_BIN),
                     {QStringLiteral("run"), QStringLiteral("--realtime"), QStringLiteral("--no-faces"), QStringLiteral("--source"),
                      QStringLiteral(SIGNIQ_SAMPLE_VIDEO), QStringLiteral("--config"),
                      QStringLiteral(SIGNIQ_SOURCE_DIR "/resources/zones/vtest.json"), QStringLiteral("--db"), path(QStringLiteral("a.db")),
                      QStringLiteral("--key-file"), path(QStringLiteral("db.key")), QStringLiteral("--models-dir"),
                      path(QStringLiteral("models")), QStringLiteral("--api-port"), QStringLiteral("0"), QStringLiteral("--identity-dir"),
                      path(QStringLiteral("identity")), QStringLiteral("--renew-from"), QStringLiteral("localhost:") + caPort,
                      QStringLiteral("--renew-check-s"), QStringLiteral("1")});
        QString log;
        const QString apiPort = waitForLine(device, QRegularExpression(QStringLiteral("API on https://127\\.0\\.0\\.1:(\\d+)/")), log, 30000);
        QVERIFY2(!apiPort.isEmpty(), qPrintable(log));

        QFile caFile(ca + QStringLiteral("/ca.crt"));
        QVERIFY(caFile.open(QIODevice::ReadOnly));
        const QSslCertificate caCert(caFile.readAll());
        const auto clientConfig = crypto::TlsConfigurationFactory::client({caCert});
        QVERIFY(clientConfig.ok());

        QSslSocket early;
        early.setSslConfiguration(*clientConfig);
        early.connectToHostEncrypted(QStringLiteral("localhost"), quint16(apiPort.toUInt()));
        QVERIFY(early.waitForEncrypted(10000));
        QCOMPARE(early.sessionProtocol(), QSsl::TlsV1_3);
        const QByteArray firstSerial = early.peerCertificate().serialNumber();
        QVERIFY(healthOk(early));

        // 2/3 of 12 s after issue the device renews (checks every second).
        const QString renewed = waitForLine(device, QRegularExpression(QStringLiteral("certificate renewed \\(serial ([0-9a-f:]+)\\)")), log, 60000);
        QVERIFY2(!renewed.isEmpty(), qPrintable(log));

        // The open connection still works; a new one gets the new certificate.
        QVERIFY(healthOk(early));
        QSslSocket late;
        late.setSslConfiguration(*clientConfig);
        late.connectToHostEncrypted(QStringLiteral("localhost"), quint16(apiPort.toUInt()));
        QVERIFY(late.waitForEncrypted(10000));
        QVERIFY(late.peerCertificate().serialNumber() != firstSerial);
        QVERIFY(late.peerCertificate().expiryDate() > early.peerCertificate().expiryDate());
        QVERIFY(healthOk(late));

        device.terminate();
        QVERIFY(device.waitForFinished(60000));
        QCOMPARE(device.exitCode(), 0);
        caServer.terminate();
        QVERIFY(caServer.waitForFinished(30000));
    }
};

QTEST_GUILESS_MAIN(TestEdgeRenewal)
#include "TestEdgeRenewal.moc"
