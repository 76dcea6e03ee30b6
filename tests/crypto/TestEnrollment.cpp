// Device certificates over real TLS on loopback: enrollment with a one-time token (replay and
// expiry refused), renewal at 2/3 of the lifetime with the service kept up, revocation seen by
// the CA holder and by a peer that fetched the list. Injected clock; no sleeps.
#include "TlsTestSupport.h"

#include "enroll/CertificateRenewer.h"
#include "enroll/DeviceIdentityStore.h"
#include "enroll/EnrollmentClient.h"
#include "enroll/EnrollmentServer.h"

#include <QTemporaryDir>

using namespace signiq;
using namespace signiq::crypto;
using namespace signiq::crypto::test;
using namespace signiq::enroll;
using core::ErrorCode;

namespace {
constexpr qint64 kMinute = 60 * 1000;
} // namespace

class TestEnrollment : public QObject {
    Q_OBJECT

private:
    // The injected clock starts 50 minutes before the real time, so that certificates issued
    // after advancing it by up to 55 minutes are also valid for Qt's handshake (real time).
    const qint64 m_start = QDateTime::currentSecsSinceEpoch() * 1000 - 50 * kMinute; // X.509 times have whole seconds
    core::ManualClock m_clock{m_start};
    QTemporaryDir m_dir;
    std::optional<EnrollmentTokens> m_tokens;
    std::optional<EnrollmentAuthority> m_authority;
    std::unique_ptr<EnrollmentServer> m_server;
    QSslCertificate m_ca;

    EnrollmentEndpoint endpoint() const { return {QStringLiteral("localhost"), m_server->port(), m_ca}; }

    core::Result<EnrollmentReply> call(EnrollmentClient &client, const std::function<void()> &request)
    {
        QSignalSpy finished(&client, &EnrollmentClient::finished);
        request();
        if (!finished.wait(20000))
            return core::makeError(ErrorCode::Io, QStringLiteral("timeout"));
        return client.result();
    }

    QString token(const QString &device, qint64 ttlMs = 10 * kMinute)
    {
        auto t = m_tokens->issue({device, {QStringLiteral("localhost")}, {QStringLiteral("127.0.0.1")}, 0}, ttlMs);
        if (!t)
            qFatal("%s", qPrintable(t.error().toString()));
        return *t;
    }

    // Enrolls `device` into its own store directory; returns the store.
    DeviceIdentityStore enrollDevice(const QString &device)
    {
        DeviceIdentityStore store(m_dir.filePath(device));
        auto key = *PrivateKey::generateEcP256();
        EnrollmentClient client(endpoint());
        auto reply = call(client, [&] { client.enroll(token(device), CertificateRequest::create(key, device)->toPem()); });
        if (!reply)
            qFatal("enroll: %s", qPrintable(reply.error().toString()));
        if (auto ok = store.save(key, *reply, m_clock, m_ca); !ok)
            qFatal("save: %s", qPrintable(ok.error().toString()));
        return store;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ca = CertificateAuthority::create(QStringLiteral("Signiq test deployment"), 365LL * 24 * 60 * kMinute, m_clock);
        QVERIFY(ca);
        m_ca = ca->certificate().toQSslCertificate();
        const Issued holder = issue(*ca, m_clock, QStringLiteral("ca-holder"), {QStringLiteral("localhost")}, {QStringLiteral("127.0.0.1")},
                                    24 * 60 * kMinute);
        m_tokens.emplace(m_clock);
        EnrollmentAuthority::Settings settings;
        settings.certificateLifetimeMs = 60 * kMinute;
        settings.revocationListValidityMs = 24 * 60 * kMinute;
        m_authority.emplace(std::move(*ca), *m_tokens, m_clock, settings);
        m_server = std::make_unique<EnrollmentServer>(*m_authority, holder.identity());
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void init() { m_clock.setMs(m_start); }

    void enrollmentAndTokenReplay()
    {
        auto key = *PrivateKey::generateEcP256();
        const QString t = token(QStringLiteral("edge-1"));
        EnrollmentClient client(endpoint());
        auto reply = call(client, [&] { client.enroll(t, CertificateRequest::create(key, QStringLiteral("whatever-the-device-says"))->toPem()); });
        QVERIFY2(reply, qPrintable(reply ? QString() : reply.error().toString()));
        DeviceIdentityStore store(m_dir.filePath(QStringLiteral("edge-1")));
        QVERIFY(store.save(key, *reply, m_clock, m_ca));
        QCOMPARE(securefile::mode(store.identityPath()), 0600);
        auto cert = store.certificate();
        QVERIFY(cert);
        QCOMPARE(cert->subjectCommonName(), QStringLiteral("edge-1")); // the token decides, not the CSR
        QCOMPARE(cert->dnsNames(), QStringList{QStringLiteral("localhost")});
        QCOMPARE(cert->ipAddresses(), QStringList{QStringLiteral("127.0.0.1")});
        QCOMPARE(cert->notAfterMs(), m_clock.nowMs() + 60 * kMinute);
        QVERIFY(store.identity());
        QVERIFY(store.revocationList());

        // Replaying the token fails, even with another key.
        auto other = *PrivateKey::generateEcP256();
        auto replay = call(client, [&] { client.enroll(t, CertificateRequest::create(other, QStringLiteral("edge-1"))->toPem()); });
        QVERIFY(!replay);
        QCOMPARE(replay.error().code, ErrorCode::PermissionDenied);
        QVERIFY2(replay.error().message.contains(QStringLiteral("already used")), qPrintable(replay.error().message));
    }

    void expiredAndUnknownTokensRefused()
    {
        auto key = *PrivateKey::generateEcP256();
        const QByteArray csr = CertificateRequest::create(key, QStringLiteral("edge-x"))->toPem();
        const QString shortLived = token(QStringLiteral("edge-x"), 5 * kMinute);
        m_clock.advanceMs(5 * kMinute);
        EnrollmentClient client(endpoint());
        auto expired = call(client, [&] { client.enroll(shortLived, csr); });
        QVERIFY(!expired);
        QCOMPARE(expired.error().code, ErrorCode::PermissionDenied);
        QVERIFY(expired.error().message.contains(QStringLiteral("expired")));

        QString forged = token(QStringLiteral("edge-y"));
        forged[forged.size() - 1] = forged.back() == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        auto unknown = call(client, [&] { client.enroll(forged, csr); });
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message.contains(QStringLiteral("unknown enrollment token")));
        auto garbage = call(client, [&] { client.enroll(QStringLiteral("letmein"), csr); });
        QCOMPARE(garbage.error().code, ErrorCode::PermissionDenied);
    }

    void clientThatDoesNotTrustTheCaRefusesTheServer()
    {
        auto otherCa = *CertificateAuthority::create(QStringLiteral("Impostor"), 24 * 60 * kMinute, m_clock);
        EnrollmentClient client({QStringLiteral("localhost"), m_server->port(), otherCa.certificate().toQSslCertificate()});
        auto key = *PrivateKey::generateEcP256();
        const QString t = token(QStringLiteral("edge-z"));
        auto refused = call(client, [&] { client.enroll(t, CertificateRequest::create(key, QStringLiteral("edge-z"))->toPem()); });
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("not trusted")));
        // The token was never sent, so it is still usable.
        EnrollmentClient good(endpoint());
        QVERIFY(call(good, [&] { good.enroll(t, CertificateRequest::create(key, QStringLiteral("edge-z"))->toPem()); }));
    }

    void renewalWithOverlap()
    {
        DeviceIdentityStore store = enrollDevice(QStringLiteral("edge-renew"));
        const Certificate first = *store.certificate();
        // The device serves its API with this identity.
        EchoServer api;
        QVERIFY(api.server.configure(*store.identity(), {m_ca}, ClientCertificates::None));
        const quint16 apiPort = api.listen();
        const QSslConfiguration clientConfig = *TlsConfigurationFactory::client({m_ca});
        Client early;
        QVERIFY(early.connect(clientConfig, apiPort));
        QCOMPARE(early.socket->peerCertificate(), first.toQSslCertificate());

        const qint64 due = CertificateRenewer::renewalDueMs(first);
        // 2/3 of the lifetime from the moment of issue (the CA backdates notBefore against skew).
        const qint64 issued = first.notBeforeMs() + CertificateAuthority::BackdateMs;
        QCOMPARE(due, issued + (first.notAfterMs() - issued) * 2 / 3);

        // Not yet due.
        CertificateRenewer renewer(store, endpoint(), m_clock);
        QSignalSpy renewed(&renewer, &CertificateRenewer::renewed);
        QSignalSpy failed(&renewer, &CertificateRenewer::renewalFailed);
        connect(&renewer, &CertificateRenewer::renewed, &api.server, [&](const TlsIdentity &identity) { QVERIFY(api.server.setIdentity(identity)); });
        m_clock.setMs(due - 1000);
        QVERIFY(!renewer.checkNow());

        // Due, but the CA holder is unreachable: the old certificate keeps serving.
        m_clock.setMs(due + 1000);
        {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
            const quint16 deadPort = closed.serverPort();
            closed.close();
            CertificateRenewer offline(store, {QStringLiteral("localhost"), deadPort, m_ca}, m_clock);
            QSignalSpy offlineFailed(&offline, &CertificateRenewer::renewalFailed);
            QVERIFY(offline.checkNow());
            QVERIFY(offlineFailed.wait(20000));
        }
        QCOMPARE(*store.certificate(), first);
        Client during;
        QVERIFY(during.connect(clientConfig, apiPort));
        QCOMPARE(during.socket->peerCertificate(), first.toQSslCertificate());

        // Due and reachable: renewed and swapped without dropping anything.
        QVERIFY(renewer.checkNow());
        QVERIFY(!renewer.checkNow()); // one at a time
        QVERIFY(renewed.wait(20000));
        QCOMPARE(failed.count(), 0);
        const Certificate second = *store.certificate();
        QVERIFY(second.serialHex() != first.serialHex());
        QVERIFY(second.publicKeyDer() != first.publicKeyDer()); // a new key as well
        QCOMPARE(second.subjectCommonName(), first.subjectCommonName());
        QCOMPARE(second.dnsNames(), first.dnsNames());
        QCOMPARE(second.notAfterMs(), m_clock.nowMs() + 60 * kMinute);
        QVERIFY(CertificateRenewer::renewalDueMs(second) > m_clock.nowMs());
        QVERIFY(!renewer.checkNow());

        // Connections opened before the swap still work; new ones get the new certificate.
        QCOMPARE(early.ping(), "pong " + first.toQSslCertificate().serialNumber());
        QCOMPARE(during.ping(), "pong " + first.toQSslCertificate().serialNumber());
        Client after;
        QVERIFY(after.connect(clientConfig, apiPort));
        QCOMPARE(after.socket->peerCertificate(), second.toQSslCertificate());
        QCOMPARE(after.ping(), "pong " + second.toQSslCertificate().serialNumber());
    }

    void revocation()
    {
        DeviceIdentityStore good = enrollDevice(QStringLiteral("edge-good"));
        DeviceIdentityStore stolen = enrollDevice(QStringLiteral("edge-stolen"));
        const Certificate stolenCert = *stolen.certificate();

        QVERIFY(m_server->revoke(stolenCert.serialHex()));

        // 1. The CA holder refuses the revoked device (renewal).
        EnrollmentClient client(endpoint());
        auto key = *PrivateKey::generateEcP256();
        auto refused = call(client, [&] { client.renew(*stolen.identity(), CertificateRequest::create(key, QStringLiteral("edge-stolen"))->toPem()); });
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
        // ... while a good device still renews.
        auto ok = call(client, [&] { client.renew(*good.identity(), CertificateRequest::create(key, QStringLiteral("edge-good"))->toPem()); });
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().toString()));
        // The authority alone refuses it too (in case the TLS layer did not have the list yet).
        auto direct = m_authority->renew(stolenCert.toQSslCertificate(), CertificateRequest::create(key, QStringLiteral("x"))->toPem());
        QVERIFY(!direct);
        QVERIFY(direct.error().message.contains(QStringLiteral("revoked")));

        // 2. A peer that fetched the revocation list refuses it; before fetching it did not.
        EchoServer peer;
        QVERIFY(peer.server.configure(*good.identity(), {m_ca}, ClientCertificates::Required));
        const quint16 port = peer.listen();
        const QSslConfiguration stolenClient = *TlsConfigurationFactory::client({m_ca}, *stolen.identity());
        Client before;
        QVERIFY(before.connect(stolenClient, port));
        QVERIFY(before.ping().startsWith("pong "));

        auto fetched = call(client, [&] { client.fetchRevocationList(); });
        QVERIFY(fetched);
        QVERIFY(good.saveRevocationList(fetched->revocationListPem));
        auto crl = good.revocationList();
        QVERIFY(crl);
        QVERIFY(crl->isRevoked(stolenCert));
        peer.server.setRevocationList(*crl);

        QSignalSpy peerRefused(&peer.server, &TlsServer::peerRefused);
        Client afterList;
        afterList.connect(stolenClient, port);
        QVERIFY(afterList.ping().isEmpty());
        QVERIFY(peerRefused.count() > 0 || peerRefused.wait(5000));
        QVERIFY(peerRefused.last().first().toString().contains(QStringLiteral("revoked")));

        // A forged list (not signed by the CA) is not accepted by the device.
        auto impostor = *CertificateAuthority::create(QStringLiteral("Signiq test deployment"), kMinute * 60, m_clock);
        QCOMPARE(good.saveRevocationList(impostor.makeRevocationList({}, m_clock, kMinute * 60)->toPem()).error().code, ErrorCode::Corrupt);
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TestEnrollment)
#include "TestEnrollment.moc"
