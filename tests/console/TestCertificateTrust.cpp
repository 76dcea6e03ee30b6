#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/PrivateKey.h"
#include "devices/CertificateTrust.h"

#include <QTest>

using namespace signiq;
using namespace signiq::console;

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;
}

class TestCertificateTrust : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    std::optional<crypto::CertificateAuthority> m_ca;

    QList<QSslCertificate> issue(const QString &host)
    {
        auto key = crypto::PrivateKey::generateEcP256();
        auto request = crypto::CertificateRequest::create(key.value(), host);
        crypto::IssueOptions options;
        options.commonName = host;
        options.dnsNames = {host};
        options.lifetimeMs = 30 * DayMs;
        auto leaf = m_ca->issue(request.value(), options, m_clock);
        return {leaf->toQSslCertificate(), m_ca->certificate().toQSslCertificate()};
    }

private slots:
    void initTestCase()
    {
        auto ca = crypto::CertificateAuthority::create(QStringLiteral("Test deployment CA"), 365 * DayMs, m_clock);
        QVERIFY(ca.ok());
        m_ca = std::move(ca).value();
    }

    void firstContactNeedsADecision()
    {
        CertificateTrust trust(m_clock);
        const auto chain = issue(QStringLiteral("player.local"));
        const TrustAssessment a = trust.assess({QStringLiteral("player.local"), 8443}, chain, QString());
        QCOMPARE(a.verdict, TrustVerdict::FirstContact);
        QVERIFY(a.needsDecision());
        QCOMPARE(a.chain.size(), 2);
        QCOMPARE(a.leafSha256(), CertificateTrust::fingerprint(chain.first()));
        QCOMPARE(a.chain.first().subject, QStringLiteral("player.local"));
        QCOMPARE(a.chain.first().issuer, QStringLiteral("Test deployment CA"));
        QVERIFY(!a.expired);
    }

    void pinnedLeafIsTrusted()
    {
        CertificateTrust trust(m_clock);
        const auto chain = issue(QStringLiteral("player.local"));
        const QString pin = CertificateTrust::fingerprint(chain.first());
        QCOMPARE(trust.assess({QStringLiteral("player.local"), 8443}, chain, pin).verdict, TrustVerdict::Pinned);
        QCOMPARE(trust.assess({QStringLiteral("player.local"), 8443}, chain, pin.toUpper()).verdict, TrustVerdict::Pinned);
    }

    void changedLeafIsFlagged()
    {
        CertificateTrust trust(m_clock);
        const auto before = issue(QStringLiteral("player.local"));
        const auto after = issue(QStringLiteral("player.local"));
        const TrustAssessment a =
            trust.assess({QStringLiteral("player.local"), 8443}, after, CertificateTrust::fingerprint(before.first()));
        QCOMPARE(a.verdict, TrustVerdict::Changed);
        QVERIFY(a.needsDecision());
    }

    void deploymentCaTrustsItsDevices()
    {
        CertificateTrust trust(m_clock);
        trust.setDeploymentCa({m_ca->certificate().toQSslCertificate()});
        const auto chain = issue(QStringLiteral("player.local"));
        QCOMPARE(trust.assess({QStringLiteral("player.local"), 8443}, chain, QString()).verdict, TrustVerdict::DeploymentCa);
        // The wrong host name is not vouched for: the admin must decide.
        const TrustAssessment wrongHost = trust.assess({QStringLiteral("other.local"), 8443}, chain, QString());
        QCOMPARE(wrongHost.verdict, TrustVerdict::FirstContact);
        QVERIFY(!wrongHost.caProblem.isEmpty());
    }

    void expiredLeafIsReported()
    {
        CertificateTrust trust(m_clock);
        const auto chain = issue(QStringLiteral("player.local"));
        core::ManualClock later(m_clock.nowMs() + 60 * DayMs);
        CertificateTrust laterTrust(later);
        QVERIFY(laterTrust.assess({QStringLiteral("player.local"), 8443}, chain, QString()).expired);
    }

    void nothingPresented()
    {
        CertificateTrust trust(m_clock);
        QCOMPARE(trust.assess({QStringLiteral("x"), 1}, {}, QString()).verdict, TrustVerdict::NoCertificate);
    }

    void fingerprintFormatting()
    {
        QCOMPARE(CertificateTrust::formatFingerprint(QStringLiteral("0a1bff")), QStringLiteral("0A:1B:FF"));
    }
};

QTEST_GUILESS_MAIN(TestCertificateTrust)
#include "TestCertificateTrust.moc"
