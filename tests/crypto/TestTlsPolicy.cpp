// The TLS policy on real loopback connections: TLS 1.3 only (Qt, openssl s_client and curl
// clients limited to TLS 1.2 are refused), the deployment CA as the only trust anchor, host
// name verification.
#include "TlsTestSupport.h"

#include <QFile>
#include <QProcess>
#include <QSslCipher>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace signiq;
using namespace signiq::crypto;
using namespace signiq::crypto::test;

class TestTlsPolicy : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    std::optional<CertificateAuthority> m_ca;
    std::optional<CertificateAuthority> m_otherCa;
    std::optional<Issued> m_server;
    std::unique_ptr<EchoServer> m_echo;
    quint16 m_port = 0;
    QTemporaryDir m_dir;
    QString m_caFile;

    struct Run {
        int exitCode = -1;
        QString output;
    };
    // Runs a command-line TLS client while the server keeps serving (no blocking waits).
    Run run(const QString &program, const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QSignalSpy finished(&p, &QProcess::finished);
        p.start(program, args);
        if (!p.waitForStarted(10000))
            return {};
        p.write(input);
        p.closeWriteChannel();
        for (int i = 0; i < 300 && finished.isEmpty(); ++i)
            finished.wait(100);
        if (finished.isEmpty()) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
    }

    QSslConfiguration clientConfig(const CertificateAuthority &ca)
    {
        return *TlsConfigurationFactory::client({ca.certificate().toQSslCertificate()});
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(TlsConfigurationFactory::checkBackend(), qPrintable(TlsConfigurationFactory::checkBackend().error().message));
        QVERIFY(m_dir.isValid());
        m_ca.emplace(*CertificateAuthority::create(QStringLiteral("Signiq test deployment CA"), 24 * kHourMs, m_clock));
        m_otherCa.emplace(*CertificateAuthority::create(QStringLiteral("Some other CA"), 24 * kHourMs, m_clock));
        m_server.emplace(issue(*m_ca, m_clock, QStringLiteral("edge-test")));
        m_echo = std::make_unique<EchoServer>();
        QVERIFY(m_echo->server.configure(m_server->identity(), {m_ca->certificate().toQSslCertificate()}, ClientCertificates::None));
        m_port = m_echo->listen();
        QVERIFY(m_port != 0);
        m_caFile = m_dir.filePath(QStringLiteral("ca.pem"));
        QVERIFY(m_ca->certificate().save(m_caFile));
    }

    void factoryConfiguration()
    {
        const QSslCertificate ca = m_ca->certificate().toQSslCertificate();
        auto client = TlsConfigurationFactory::client({ca});
        QVERIFY(client);
        QCOMPARE(client->protocol(), QSsl::TlsV1_3OrLater);
        QCOMPARE(client->peerVerifyMode(), QSslSocket::VerifyPeer);
        QCOMPARE(client->caCertificates(), QList<QSslCertificate>{ca}); // the only trust anchor
        QVERIFY(TlsConfigurationFactory::isCompliant(*client));
        auto server = TlsConfigurationFactory::server(m_server->identity(), {ca}, ClientCertificates::Required);
        QVERIFY(server);
        QCOMPARE(server->protocol(), QSsl::TlsV1_3OrLater);
        QCOMPARE(server->peerVerifyMode(), QSslSocket::VerifyPeer);
        QCOMPARE(server->localCertificate(), m_server->identity().certificate);
        QVERIFY(TlsConfigurationFactory::isCompliant(*server));
        QVERIFY(!TlsConfigurationFactory::server(TlsIdentity(), QList<QSslCertificate>()).ok());
        QVERIFY(!TlsConfigurationFactory::server(m_server->identity(), {}, ClientCertificates::Required).ok());
        QVERIFY(!TlsConfigurationFactory::isCompliant(QSslConfiguration::defaultConfiguration()));
    }

    void negotiatesTls13()
    {
        Client client;
        QVERIFY2(client.connect(clientConfig(*m_ca), m_port), qPrintable(client.error));
        QCOMPARE(client.socket->sessionProtocol(), QSsl::TlsV1_3);
        QCOMPARE(client.socket->sessionCipher().protocolString(), QStringLiteral("TLSv1.3"));
        QCOMPARE(client.socket->peerCertificate(), m_server->identity().certificate);
        QVERIFY(client.ping().startsWith("pong "));
    }

    void qtClientLimitedToTls12IsRefused()
    {
        QSslConfiguration config = clientConfig(*m_ca);
        config.setProtocol(QSsl::TlsV1_2);
        QSignalSpy serverFailed(&m_echo->server, &TlsServer::handshakeFailed);
        Client client;
        QVERIFY(!client.connect(config, m_port));
        QVERIFY(!client.socket->isEncrypted());
        QVERIFY2(client.error.contains(QStringLiteral("protocol version"), Qt::CaseInsensitive)
                     || client.error.contains(QStringLiteral("handshake"), Qt::CaseInsensitive),
                 qPrintable(client.error));
        QVERIFY(serverFailed.count() > 0 || serverFailed.wait(5000));
    }

    void opensslClientLimitedToTls12IsRefused()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QFAIL("fixture missing: openssl command-line tool not installed");
        const QStringList common{QStringLiteral("s_client"), QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(m_port),
                                 QStringLiteral("-CAfile"), m_caFile, QStringLiteral("-verify_return_error"),
                                 QStringLiteral("-servername"), QStringLiteral("localhost")};
        const Run tls12 = run(openssl, common + QStringList{QStringLiteral("-tls1_2")});
        QVERIFY2(tls12.exitCode != 0, qPrintable(tls12.output));
        QVERIFY2(tls12.output.contains(QStringLiteral("alert protocol version")) || tls12.output.contains(QStringLiteral("no protocols available"))
                     || tls12.output.contains(QStringLiteral("unsupported protocol")),
                 qPrintable(tls12.output));
        // Control: the same client allowed TLS 1.3 connects and verifies the chain.
        const Run tls13 = run(openssl, common + QStringList{QStringLiteral("-tls1_3")}, "ping\n");
        QVERIFY2(tls13.output.contains(QStringLiteral("TLSv1.3")), qPrintable(tls13.output));
        QVERIFY2(tls13.output.contains(QStringLiteral("Verify return code: 0 (ok)")), qPrintable(tls13.output));
    }

    void curlLimitedToTls12IsRefused()
    {
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        if (curl.isEmpty())
            QFAIL("fixture missing: curl not installed");
        const QString url = QStringLiteral("https://localhost:%1/").arg(m_port);
        const Run tls12 = run(curl, {QStringLiteral("-sS"), QStringLiteral("--tls-max"), QStringLiteral("1.2"),
                                     QStringLiteral("--cacert"), m_caFile, url});
        QCOMPARE(tls12.exitCode, 35); // CURLE_SSL_CONNECT_ERROR
        const Run tls13 = run(curl, {QStringLiteral("-sS"), QStringLiteral("--tlsv1.3"), QStringLiteral("--cacert"), m_caFile, url});
        QCOMPARE(tls13.exitCode, 0);
        QCOMPARE(tls13.output, QStringLiteral("ok"));
        // And a curl that does not trust the deployment CA (system store only) fails verification.
        const Run untrusted = run(curl, {QStringLiteral("-sS"), url});
        QCOMPARE(untrusted.exitCode, 60); // CURLE_PEER_FAILED_VERIFICATION
    }

    void clientThatDoesNotTrustTheCaFails()
    {
        Client client;
        QVERIFY(!client.connect(clientConfig(*m_otherCa), m_port));
        QVERIFY(!client.sslErrors.isEmpty());
        // The server sends its chain including the deployment CA, which this client does not trust.
        const auto error = client.sslErrors.first().error();
        QVERIFY2(error == QSslError::UnableToGetLocalIssuerCertificate || error == QSslError::SelfSignedCertificateInChain,
                 qPrintable(client.sslErrors.first().errorString()));

        // The system trust store does not contain the deployment CA either.
        Client system;
        QVERIFY(!system.connect(*TlsConfigurationFactory::client({}), m_port));
        QVERIFY(!system.sslErrors.isEmpty());
    }

    void hostnameMismatchFails()
    {
        Client wrongName;
        QVERIFY(!wrongName.connect(clientConfig(*m_ca), m_port, QStringLiteral("127.0.0.1"), QStringLiteral("other-host.example")));
        QVERIFY(!wrongName.sslErrors.isEmpty());
        QCOMPARE(wrongName.sslErrors.first().error(), QSslError::HostNameMismatch);
        // The IP SAN matches when connecting by address.
        Client byIp;
        QVERIFY2(byIp.connect(clientConfig(*m_ca), m_port, QStringLiteral("127.0.0.1")), qPrintable(byIp.error));
    }

    void cleanupTestCase()
    {
        m_echo.reset();
    }
};

QTEST_GUILESS_MAIN(TestTlsPolicy)
#include "TestTlsPolicy.moc"
