// TlsServer on real loopback TLS: client certificates (required / optional), revocation seen
// by the server and by a client, and swapping the certificate while connections stay open.
#include "TlsTestSupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace signiq;
using namespace signiq::crypto;
using namespace signiq::crypto::test;

class TestTlsServer : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    std::optional<CertificateAuthority> m_ca;
    std::optional<CertificateAuthority> m_otherCa;

    QSslCertificate caCert() const { return m_ca->certificate().toQSslCertificate(); }
    QSslConfiguration clientConfig(const TlsIdentity &identity = TlsIdentity()) const
    {
        return *TlsConfigurationFactory::client({caCert()}, identity);
    }

private slots:
    void initTestCase()
    {
        m_ca.emplace(*CertificateAuthority::create(QStringLiteral("Signiq test CA"), 24 * kHourMs, m_clock));
        m_otherCa.emplace(*CertificateAuthority::create(QStringLiteral("Other CA"), 24 * kHourMs, m_clock));
    }

    void requiredClientCertificate()
    {
        EchoServer echo;
        QVERIFY(echo.server.configure(issue(*m_ca, m_clock, QStringLiteral("server")).identity(), {caCert()},
                                      ClientCertificates::Required));
        const quint16 port = echo.listen();
        QSignalSpy refused(&echo.server, &TlsServer::handshakeFailed);

        Client anonymous;
        // TLS 1.3: the client learns about the refusal only when it reads.
        const bool connected = anonymous.connect(clientConfig(), port);
        QVERIFY(!connected || anonymous.ping().isEmpty());
        QVERIFY(refused.count() > 0 || refused.wait(5000));

        Client foreign;
        const bool foreignConnected = foreign.connect(clientConfig(issue(*m_otherCa, m_clock, QStringLiteral("intruder")).identity()), port);
        QVERIFY(!foreignConnected || foreign.ping().isEmpty());

        Client device;
        QVERIFY2(device.connect(clientConfig(issue(*m_ca, m_clock, QStringLiteral("edge-1")).identity()), port), qPrintable(device.error));
        QVERIFY(device.ping().startsWith("pong "));
        QCOMPARE(echo.accepted.size(), 1);
        QCOMPARE(echo.accepted.first()->peerCertificate().subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("edge-1")});
    }

    // Qt 6.4 sets SSL_OP_NO_TICKET but gives no access to SSL_CTX_set_num_tickets, so OpenSSL
    // still sends TLS 1.3 (stateful) session tickets. What matters is that none can be used:
    // each accepted socket has its own SSL context and session cache, so a second connection
    // presenting the saved session is a full handshake. Checked with the openssl client, which
    // says "Reused" when it resumes.
    void sessionTicketsNeverResume()
    {
        EchoServer echo;
        QVERIFY(echo.server.configure(issue(*m_ca, m_clock, QStringLiteral("server")).identity(), {caCert()}, ClientCertificates::None));
        const quint16 port = echo.listen();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile ca(dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(ca.open(QIODevice::WriteOnly));
        ca.write(m_ca->certificate().toPem());
        ca.close();
        const QString session = dir.filePath(QStringLiteral("session.pem"));
        auto connectOnce = [&](const QString &sessionOption) {
            QProcess client;
            client.setProcessChannelMode(QProcess::MergedChannels);
            client.start(QStringLiteral("openssl"), {QStringLiteral("s_client"), QStringLiteral("-connect"),
                                                      QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-tls1_3"),
                                                      QStringLiteral("-CAfile"), ca.fileName(), sessionOption, session});
            if (!client.waitForStarted(5000))
                return QStringLiteral("fixture missing: the openssl command (Debian package openssl)");
            // Ping; once the answer is back, end the input, which ends s_client.
            QString output;
            QObject::connect(&client, &QProcess::readyRead, &client, [&] {
                output += QString::fromUtf8(client.readAll());
                if (output.contains(QStringLiteral("pong ")))
                    client.closeWriteChannel();
            });
            client.write("ping\n");
            QSignalSpy finished(&client, &QProcess::finished);
            if (!finished.wait(15000))
                client.kill();
            output += QString::fromUtf8(client.readAll());
            return output;
        };
        const QString first = connectOnce(QStringLiteral("-sess_out"));
        QVERIFY2(first.contains(QStringLiteral("New, TLSv1.3")), qPrintable(first));
        QVERIFY2(QFileInfo(session).size() > 0, "the client saved no session");
        const QString second = connectOnce(QStringLiteral("-sess_in"));
        QVERIFY2(second.contains(QStringLiteral("New, TLSv1.3")), qPrintable(second));
        QVERIFY2(!second.contains(QStringLiteral("Reused")), qPrintable(second));
    }

    void optionalClientCertificateIsVerifiedWhenPresent()
    {
        EchoServer echo;
        QVERIFY(echo.server.configure(issue(*m_ca, m_clock, QStringLiteral("server")).identity(), {caCert()},
                                      ClientCertificates::Optional));
        echo.server.setClock(&m_clock);
        const quint16 port = echo.listen();
        QSignalSpy refused(&echo.server, &TlsServer::peerRefused);

        Client anonymous;
        QVERIFY(anonymous.connect(clientConfig(), port));
        QVERIFY(anonymous.ping().startsWith("pong "));

        Client device;
        QVERIFY(device.connect(clientConfig(issue(*m_ca, m_clock, QStringLiteral("edge-2")).identity()), port));
        QVERIFY(device.ping().startsWith("pong "));

        Client foreign;
        foreign.connect(clientConfig(issue(*m_otherCa, m_clock, QStringLiteral("intruder")).identity()), port);
        QVERIFY(foreign.ping().isEmpty());
        QVERIFY(refused.count() > 0 || refused.wait(5000));
        QVERIFY(refused.last().first().toString().contains(QStringLiteral("unable to get local issuer")));

        // Expired by the injected clock although the real clock still accepts it.
        const Issued shortLived = issue(*m_ca, m_clock, QStringLiteral("edge-short"), {}, {}, 60 * 1000);
        m_clock.advanceMs(2 * 60 * 1000);
        Client expired;
        expired.connect(clientConfig(shortLived.identity()), port);
        QVERIFY(expired.ping().isEmpty());
        QVERIFY(refused.count() > 1 || refused.wait(5000));
        QVERIFY(refused.last().first().toString().contains(QStringLiteral("expired")));
        m_clock.advanceMs(-2 * 60 * 1000);
    }

    void revokedClientIsRefusedByServerWithTheList()
    {
        const Issued revokedDevice = issue(*m_ca, m_clock, QStringLiteral("edge-stolen"));
        const Issued goodDevice = issue(*m_ca, m_clock, QStringLiteral("edge-good"));
        auto crl = m_ca->makeRevocationList({{revokedDevice.certificate.serialHex(), m_clock.nowMs()}}, m_clock, kHourMs);
        QVERIFY(crl);
        QVERIFY(crl->verifySignature(m_ca->certificate()));

        EchoServer echo;
        QVERIFY(echo.server.configure(issue(*m_ca, m_clock, QStringLiteral("server")).identity(), {caCert()},
                                      ClientCertificates::Required));
        const quint16 port = echo.listen();

        // Before the list is fetched the certificate is still valid.
        Client before;
        QVERIFY(before.connect(clientConfig(revokedDevice.identity()), port));
        QVERIFY(before.ping().startsWith("pong "));

        echo.server.setRevocationList(*crl);
        QSignalSpy refused(&echo.server, &TlsServer::peerRefused);
        Client after;
        after.connect(clientConfig(revokedDevice.identity()), port);
        QVERIFY(after.ping().isEmpty());
        QVERIFY(refused.count() > 0 || refused.wait(5000));
        QVERIFY(refused.last().first().toString().contains(QStringLiteral("revoked")));

        Client good;
        QVERIFY(good.connect(clientConfig(goodDevice.identity()), port));
        QVERIFY(good.ping().startsWith("pong "));
    }

    void revokedServerIsRefusedByClientWithTheList()
    {
        const Issued server = issue(*m_ca, m_clock, QStringLiteral("edge-server"));
        EchoServer echo;
        QVERIFY(echo.server.configure(server.identity(), {caCert()}, ClientCertificates::None));
        const quint16 port = echo.listen();
        auto crl = m_ca->makeRevocationList({{server.certificate.serialHex(), m_clock.nowMs()}}, m_clock, kHourMs);
        QVERIFY(crl);

        Client client;
        QVERIFY(client.connect(clientConfig(), port)); // TLS itself has no CRL
        PeerCheck check;
        check.trustAnchors = {caCert()};
        check.revocations = *crl;
        check.clock = &m_clock;
        auto verdict = verifyPeer(*client.socket, check, true);
        QVERIFY(!verdict);
        QCOMPARE(verdict.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY(verdict.error().message.contains(QStringLiteral("revoked")));
        PeerCheck noList;
        noList.trustAnchors = {caCert()};
        noList.clock = &m_clock;
        QVERIFY(verifyPeer(*client.socket, noList, true));
    }

    void swapIdentityKeepsOpenConnections()
    {
        const Issued first = issue(*m_ca, m_clock, QStringLiteral("edge-a"));
        const Issued second = issue(*m_ca, m_clock, QStringLiteral("edge-a"));
        EchoServer echo;
        QVERIFY(echo.server.configure(first.identity(), {caCert()}, ClientCertificates::None));
        const quint16 port = echo.listen();

        Client old;
        QVERIFY(old.connect(clientConfig(), port));
        QCOMPARE(old.socket->peerCertificate(), first.identity().certificate);
        QCOMPARE(old.ping(), "pong " + first.identity().certificate.serialNumber());

        QVERIFY(echo.server.setIdentity(second.identity()));
        QVERIFY(echo.server.isListening());

        // The open connection keeps working with the old certificate ...
        QCOMPARE(old.ping(), "pong " + first.identity().certificate.serialNumber());
        // ... and new connections get the new one.
        Client fresh;
        QVERIFY(fresh.connect(clientConfig(), port));
        QCOMPARE(fresh.socket->peerCertificate(), second.identity().certificate);
        QCOMPARE(fresh.ping(), "pong " + second.identity().certificate.serialNumber());
        QCOMPARE(old.ping(), "pong " + first.identity().certificate.serialNumber());
    }
};

QTEST_GUILESS_MAIN(TestTlsServer)
#include "TestTlsServer.moc"
