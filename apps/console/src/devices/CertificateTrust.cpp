#include "devices/CertificateTrust.h"

#include "crypto/Certificate.h"

#include <QCryptographicHash>
#include <QFile>

namespace signiq::console {

CertificateTrust::CertificateTrust(const core::Clock &clock) : m_clock(clock) {}

core::Status CertificateTrust::loadDeploymentCa(const QString &path)
{
    if (path.isEmpty()) {
        m_anchors.clear();
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::makeError(file.exists() ? core::ErrorCode::Io : core::ErrorCode::NotFound,
                               QStringLiteral("%1: %2").arg(path, file.errorString()));
    const QList<QSslCertificate> anchors = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (anchors.isEmpty())
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("%1: no PEM certificate found").arg(path));
    m_anchors = anchors;
    return {};
}

QString CertificateTrust::fingerprint(const QSslCertificate &certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString CertificateTrust::formatFingerprint(const QString &hex)
{
    QString out;
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        if (i > 0)
            out += u':';
        out += hex.mid(i, 2).toUpper();
    }
    return out;
}

CertificateDetails CertificateTrust::details(const QSslCertificate &certificate)
{
    CertificateDetails d;
    d.sha256 = fingerprint(certificate);
    const QStringList cn = certificate.subjectInfo(QSslCertificate::CommonName);
    d.subject = cn.isEmpty() ? certificate.subjectDisplayName() : cn.join(QStringLiteral(", "));
    const QStringList issuer = certificate.issuerInfo(QSslCertificate::CommonName);
    d.issuer = issuer.isEmpty() ? certificate.issuerDisplayName() : issuer.join(QStringLiteral(", "));
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        d.names.append(it.value());
    d.notBeforeMs = certificate.effectiveDate().toMSecsSinceEpoch();
    d.notAfterMs = certificate.expiryDate().toMSecsSinceEpoch();
    d.selfSigned = certificate.isSelfSigned();
    return d;
}

TrustAssessment CertificateTrust::assess(const DeviceAddress &address, const QList<QSslCertificate> &chain,
                                         const QString &pinnedSha256) const
{
    TrustAssessment a;
    for (const QSslCertificate &certificate : chain)
        if (!certificate.isNull())
            a.chain.append(details(certificate));
    if (a.chain.isEmpty() || chain.constFirst().isNull()) {
        a.verdict = TrustVerdict::NoCertificate;
        return a;
    }
    const qint64 now = m_clock.nowMs();
    const CertificateDetails &leaf = a.chain.constFirst();
    a.expired = now < leaf.notBeforeMs || now >= leaf.notAfterMs;

    if (!pinnedSha256.isEmpty() && pinnedSha256.compare(leaf.sha256, Qt::CaseInsensitive) == 0) {
        a.verdict = TrustVerdict::Pinned;
        return a;
    }
    if (!m_anchors.isEmpty()) {
        auto leafCert = crypto::Certificate::fromQSslCertificate(chain.constFirst());
        QList<crypto::Certificate> anchors;
        QList<crypto::Certificate> intermediates;
        for (const QSslCertificate &anchor : m_anchors)
            if (auto c = crypto::Certificate::fromQSslCertificate(anchor))
                anchors.append(c.value());
        for (qsizetype i = 1; i < chain.size(); ++i)
            if (auto c = crypto::Certificate::fromQSslCertificate(chain.at(i)))
                intermediates.append(c.value());
        if (leafCert) {
            const core::Status verified = crypto::verifyChain(leafCert.value(), anchors,
                                                              crypto::VerifyOptions(now, nullptr, address.host), intermediates);
            if (verified) {
                a.verdict = TrustVerdict::DeploymentCa;
                return a;
            }
            a.caProblem = verified.error().message;
        } else {
            a.caProblem = leafCert.error().message;
        }
    }
    a.verdict = pinnedSha256.isEmpty() ? TrustVerdict::FirstContact : TrustVerdict::Changed;
    return a;
}

} // namespace signiq::console
