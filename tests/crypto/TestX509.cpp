// The deployment CA: key + CSR, issuing with SANs and a lifetime, chain verification at an
// injected time, expiry, revocation lists, and private key files (0600, refused when readable
// by group/others).
#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/SecureFile.h"
#include "crypto/TlsConfiguration.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace signiq;
using namespace signiq::crypto;
using core::ErrorCode;

namespace {
constexpr qint64 kHour = 3600 * 1000;
constexpr qint64 kDay = 24 * kHour;
} // namespace

class TestX509 : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'700'000'000'000};
    std::optional<CertificateAuthority> m_ca;
    QTemporaryDir m_dir;

    Certificate issueFor(const PrivateKey &key, const QString &cn, qint64 lifetime, const QStringList &dns = {}, const QStringList &ips = {})
    {
        auto csr = CertificateRequest::create(key, cn);
        IssueOptions o;
        o.dnsNames = dns;
        o.ipAddresses = ips;
        o.lifetimeMs = lifetime;
        auto cert = m_ca->issue(*csr, o, m_clock);
        if (!cert)
            qFatal("%s", qPrintable(cert.error().toString()));
        return *cert;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ca = CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), 365 * kDay, m_clock);
        QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().toString()));
        m_ca.emplace(std::move(*ca));
    }

    void caCertificate()
    {
        const Certificate &ca = m_ca->certificate();
        QVERIFY(ca.isCa());
        QCOMPARE(ca.subjectCommonName(), QStringLiteral("Signiq deployment CA"));
        QCOMPARE(ca.issuerCommonName(), ca.subjectCommonName());
        QCOMPARE(ca.notAfterMs(), m_clock.nowMs() + 365 * kDay);
        QCOMPARE(ca.notBeforeMs(), m_clock.nowMs() - CertificateAuthority::BackdateMs);
        QCOMPARE(ca.serialHex().size(), 32);
        QVERIFY(verifyChain(ca, {ca}, {m_clock.nowMs()}));
        // Qt reads it too, as EC P-256.
        const QSslCertificate q = ca.toQSslCertificate();
        QVERIFY(!q.isNull());
        QCOMPARE(q.publicKey().algorithm(), QSsl::Ec);
        QCOMPARE(q.publicKey().length(), 256);
    }

    void csrAndIssue()
    {
        auto key = PrivateKey::generateEcP256();
        QVERIFY(key);
        auto csr = CertificateRequest::create(*key, QStringLiteral("edge-42"));
        QVERIFY(csr);
        QVERIFY(csr->verifySignature());
        auto parsed = CertificateRequest::fromPem(csr->toPem());
        QVERIFY(parsed);
        QCOMPARE(parsed->commonName(), QStringLiteral("edge-42"));
        QCOMPARE(parsed->publicKeyDer(), key->publicKeyDer());

        const Certificate cert = issueFor(*key, QStringLiteral("edge-42"), 30 * kDay,
                                          {QStringLiteral("edge-42.local"), QStringLiteral("localhost")},
                                          {QStringLiteral("127.0.0.1"), QStringLiteral("::1")});
        QVERIFY(!cert.isCa());
        QCOMPARE(cert.subjectCommonName(), QStringLiteral("edge-42"));
        QCOMPARE(cert.issuerCommonName(), QStringLiteral("Signiq deployment CA"));
        QCOMPARE(cert.dnsNames(), (QStringList{QStringLiteral("edge-42.local"), QStringLiteral("localhost")}));
        QCOMPARE(cert.ipAddresses(), (QStringList{QStringLiteral("127.0.0.1"), QStringLiteral("::1")}));
        QCOMPARE(cert.notAfterMs(), m_clock.nowMs() + 30 * kDay);
        QCOMPARE(cert.publicKeyDer(), key->publicKeyDer());
        QVERIFY(cert.serialHex() != m_ca->certificate().serialHex());
        // Qt sees the same expiry.
        QCOMPARE(cert.toQSslCertificate().expiryDate().toMSecsSinceEpoch(), cert.notAfterMs());
        // PEM round trip.
        QCOMPARE(*Certificate::fromPem(cert.toPem()), cert);
    }

    void tamperedCsrRefused()
    {
        auto key = *PrivateKey::generateEcP256();
        auto other = *PrivateKey::generateEcP256();
        QByteArray der = CertificateRequest::create(key, QStringLiteral("edge")).value().toPem();
        // A CSR whose signature was made with another key than the one it names: swap the
        // public key by signing a request for `other` and grafting names is hard in PEM, so
        // flip a byte inside the base64 body instead.
        const int pos = der.indexOf('\n') + 40;
        der[pos] = der[pos] == 'A' ? 'B' : 'A';
        auto parsed = CertificateRequest::fromPem(der);
        if (parsed) {
            QVERIFY(!parsed->verifySignature());
            IssueOptions o;
            o.lifetimeMs = kDay;
            QVERIFY(!m_ca->issue(*parsed, o, m_clock));
        }
        Q_UNUSED(other);
    }

    void invalidSansRefused()
    {
        auto key = *PrivateKey::generateEcP256();
        auto csr = *CertificateRequest::create(key, QStringLiteral("edge"));
        IssueOptions o;
        o.lifetimeMs = kDay;
        o.dnsNames = {QStringLiteral("evil, DNS:bank.example")};
        QCOMPARE(m_ca->issue(csr, o, m_clock).error().code, ErrorCode::InvalidArgument);
        o.dnsNames = {};
        o.ipAddresses = {QStringLiteral("300.1.1.1")};
        QCOMPARE(m_ca->issue(csr, o, m_clock).error().code, ErrorCode::InvalidArgument);
    }

    void verifyChainAtTime()
    {
        auto key = *PrivateKey::generateEcP256();
        const Certificate cert = issueFor(key, QStringLiteral("edge-7"), kDay, {QStringLiteral("edge-7.local")}, {QStringLiteral("10.0.0.7")});
        const Certificate ca = m_ca->certificate();
        QVERIFY(verifyChain(cert, {ca}, {m_clock.nowMs()}));
        VerifyOptions byName{m_clock.nowMs(), nullptr, QStringLiteral("edge-7.local")};
        QVERIFY(verifyChain(cert, {ca}, byName));
        VerifyOptions byIp{m_clock.nowMs(), nullptr, QStringLiteral("10.0.0.7")};
        QVERIFY(verifyChain(cert, {ca}, byIp));
        VerifyOptions wrongName{m_clock.nowMs(), nullptr, QStringLiteral("edge-8.local")};
        auto mismatch = verifyChain(cert, {ca}, wrongName);
        QVERIFY(!mismatch);
        QVERIFY(mismatch.error().message.contains(QStringLiteral("hostname mismatch")));

        auto expired = verifyChain(cert, {ca}, {m_clock.nowMs() + kDay + 1000});
        QVERIFY(!expired);
        QCOMPARE(expired.error().code, ErrorCode::PermissionDenied);
        QVERIFY(expired.error().message.contains(QStringLiteral("expired")));
        auto early = verifyChain(cert, {ca}, {m_clock.nowMs() - kHour});
        QVERIFY(!early);
        QVERIFY(early.error().message.contains(QStringLiteral("not yet valid")));

        auto otherCa = *CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), kDay, m_clock); // same name, other key
        auto foreign = verifyChain(cert, {otherCa.certificate()}, {m_clock.nowMs()});
        QVERIFY(!foreign);
        QCOMPARE(foreign.error().code, ErrorCode::Corrupt);
    }

    void lifetimeCappedByCa()
    {
        auto key = *PrivateKey::generateEcP256();
        const Certificate cert = issueFor(key, QStringLiteral("edge-long"), 10 * 365 * kDay);
        QCOMPARE(cert.notAfterMs(), m_ca->certificate().notAfterMs());
    }

    void revocationList()
    {
        auto k1 = *PrivateKey::generateEcP256();
        auto k2 = *PrivateKey::generateEcP256();
        const Certificate revoked = issueFor(k1, QStringLiteral("edge-stolen"), kDay);
        const Certificate fine = issueFor(k2, QStringLiteral("edge-fine"), kDay);
        auto crl = m_ca->makeRevocationList({{revoked.serialHex(), m_clock.nowMs()}}, m_clock, 7 * kDay);
        QVERIFY(crl);
        QVERIFY(crl->verifySignature(m_ca->certificate()));
        QVERIFY(crl->isRevoked(revoked));
        QVERIFY(!crl->isRevoked(fine));
        QCOMPARE(crl->revoked().size(), 1);
        QCOMPARE(crl->revoked().first().revokedAtMs, m_clock.nowMs());
        QCOMPARE(crl->nextUpdateMs(), m_clock.nowMs() + 7 * kDay);

        auto parsed = RevocationList::fromPem(crl->toPem());
        QVERIFY(parsed);
        QVERIFY(parsed->isRevoked(revoked.serialHex().toUpper()));

        VerifyOptions withCrl{m_clock.nowMs(), &*parsed, {}};
        auto refused = verifyChain(revoked, {m_ca->certificate()}, withCrl);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
        QVERIFY(refused.error().message.contains(QStringLiteral("revoked")));
        QVERIFY(verifyChain(fine, {m_ca->certificate()}, withCrl));

        // A list signed by someone else is not accepted.
        auto otherCa = *CertificateAuthority::create(QStringLiteral("Signiq deployment CA"), kDay, m_clock);
        auto forged = otherCa.makeRevocationList({}, m_clock, kDay);
        QVERIFY(forged);
        QCOMPARE(forged->verifySignature(m_ca->certificate()).error().code, ErrorCode::Corrupt);
    }

    void privateKeyFiles()
    {
        auto key = *PrivateKey::generateEcP256();
        const QString path = m_dir.filePath(QStringLiteral("device.key"));
        QVERIFY(key.save(path));
        QCOMPARE(securefile::mode(path), 0600);
        auto loaded = PrivateKey::load(path);
        QVERIFY(loaded);
        QCOMPARE(loaded->publicKeyDer(), key.publicKeyDer());
        QVERIFY(!loaded->toQSslKey().isNull());
        // Never overwritten by default.
        QCOMPARE(key.save(path).error().code, ErrorCode::InvalidArgument);

        for (const int mode : {0640, 0604, 0660, 0644}) {
            QVERIFY(::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0);
            auto refused = PrivateKey::load(path);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
            QVERIFY(refused.error().message.contains(QStringLiteral("chmod 600")));
        }
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
        QVERIFY(PrivateKey::load(path));
        QCOMPARE(PrivateKey::load(m_dir.filePath(QStringLiteral("missing.key"))).error().code, ErrorCode::NotFound);
    }

    void caSaveAndLoad()
    {
        const QString crt = m_dir.filePath(QStringLiteral("ca.crt"));
        const QString key = m_dir.filePath(QStringLiteral("ca.key"));
        QVERIFY(m_ca->save(crt, key));
        QCOMPARE(securefile::mode(key), 0600);
        QCOMPARE(securefile::mode(crt), 0644);
        auto loaded = CertificateAuthority::load(crt, key);
        QVERIFY(loaded);
        QCOMPARE(loaded->certificate(), m_ca->certificate());
        QCOMPARE(m_ca->save(crt, key).error().code, ErrorCode::InvalidArgument); // never overwrites the key
        // TLS identity from files.
        auto device = *PrivateKey::generateEcP256();
        const Certificate cert = issueFor(device, QStringLiteral("edge-files"), kDay);
        QVERIFY(device.save(m_dir.filePath(QStringLiteral("edge.key"))));
        QVERIFY(cert.save(m_dir.filePath(QStringLiteral("edge.crt"))));
        auto identity = TlsIdentity::load(m_dir.filePath(QStringLiteral("edge.crt")), m_dir.filePath(QStringLiteral("edge.key")));
        QVERIFY2(identity, qPrintable(identity ? QString() : identity.error().message));
        QCOMPARE(identity->certificate, cert.toQSslCertificate());
        auto mismatched = TlsIdentity::load(m_dir.filePath(QStringLiteral("edge.crt")), key);
        QCOMPARE(mismatched.error().code, ErrorCode::WrongKey);
    }
};

QTEST_GUILESS_MAIN(TestX509)
#include "TestX509.moc"
