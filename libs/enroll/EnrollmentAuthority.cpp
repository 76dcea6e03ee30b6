#include "enroll/EnrollmentAuthority.h"

#include "crypto/SecureFile.h"
#include "enroll/EnrollLog.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace signiq::enroll {

using core::ErrorCode;
using core::makeError;

EnrollmentAuthority::EnrollmentAuthority(crypto::CertificateAuthority ca, EnrollmentTokens &tokens, const core::Clock &clock,
                                         Settings settings)
    : m_ca(std::move(ca)), m_tokens(tokens), m_clock(clock), m_settings(std::move(settings))
{
    loadRevocations();
}

void EnrollmentAuthority::loadRevocations() const
{
    if (m_settings.revocationStorePath.isEmpty() || !QFileInfo::exists(m_settings.revocationStorePath))
        return;
    auto content = crypto::securefile::readSecret(m_settings.revocationStorePath);
    if (!content) {
        qCWarning(lcEnroll) << content.error().message;
        return;
    }
    m_revoked.clear();
    for (const auto &v : QJsonDocument::fromJson(*content).array()) {
        const QJsonObject o = v.toObject();
        // An entry an older version stored unchecked is skipped (and said), not fatal.
        auto serial = crypto::canonicalSerialHex(o.value(QStringLiteral("serial")).toString());
        if (!serial) {
            qCWarning(lcEnroll) << "revocation store" << m_settings.revocationStorePath << "entry skipped:" << serial.error().message;
            continue;
        }
        m_revoked.append({*serial, o.value(QStringLiteral("revoked_ms")).toInteger()});
    }
}

core::Result<EnrollmentReply> EnrollmentAuthority::reply(const crypto::Certificate &issued) const
{
    auto crl = revocationList();
    if (!crl)
        return crl.error();
    return EnrollmentReply{issued.toPem(), m_ca.certificate().toPem(), crl->toPem()};
}

core::Result<EnrollmentReply> EnrollmentAuthority::enroll(const QString &token, const QByteArray &csrPem)
{
    auto csr = crypto::CertificateRequest::fromPem(csrPem);
    if (!csr)
        return csr.error();
    if (auto ok = csr->verifySignature(); !ok)
        return ok.error();
    // The revocation list goes into the reply: make sure it can be built before the one-time
    // token is spent.
    if (auto crl = revocationList(); !crl)
        return crl.error();
    auto grant = m_tokens.redeem(token);
    if (!grant)
        return grant.error();
    crypto::IssueOptions options;
    options.commonName = grant->deviceName;
    options.dnsNames = grant->dnsNames;
    options.ipAddresses = grant->ipAddresses;
    options.lifetimeMs = m_settings.certificateLifetimeMs;
    auto issued = m_ca.issue(*csr, options, m_clock);
    if (!issued)
        return issued.error();
    qCInfo(lcEnroll) << "enrolled" << grant->deviceName << "serial" << issued->serialHex();
    return reply(*issued);
}

core::Result<EnrollmentReply> EnrollmentAuthority::renew(const QSslCertificate &current, const QByteArray &csrPem)
{
    auto cert = crypto::Certificate::fromQSslCertificate(current);
    if (!cert)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("renewal needs the current device certificate (mutual TLS)"));
    auto crl = revocationList();
    if (!crl)
        return crl.error();
    crypto::VerifyOptions verify(m_clock.nowMs(), &*crl);
    if (auto ok = crypto::verifyChain(*cert, {m_ca.certificate()}, verify); !ok)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("renewal refused: %1").arg(ok.error().message));
    auto csr = crypto::CertificateRequest::fromPem(csrPem);
    if (!csr)
        return csr.error();
    crypto::IssueOptions options;
    options.commonName = cert->subjectCommonName();
    options.dnsNames = cert->dnsNames();
    options.ipAddresses = cert->ipAddresses();
    options.lifetimeMs = m_settings.certificateLifetimeMs;
    auto issued = m_ca.issue(*csr, options, m_clock);
    if (!issued)
        return issued.error();
    qCInfo(lcEnroll) << "renewed" << options.commonName << "serial" << cert->serialHex() << "->" << issued->serialHex();
    return reply(*issued);
}

core::Status EnrollmentAuthority::revoke(const QString &serialHex)
{
    // Checked before anything is stored: a bad entry would break every later revocation list
    // (and with it every enrollment), and a prefix parse would revoke another certificate.
    auto canonical = crypto::canonicalSerialHex(serialHex);
    if (!canonical)
        return canonical.error();
    loadRevocations();
    const QString serial = *canonical;
    for (const auto &r : m_revoked) {
        if (r.serialHex == serial)
            return {};
    }
    m_revoked.append({serial, m_clock.nowMs()});
    if (!m_settings.revocationStorePath.isEmpty()) {
        QJsonArray array;
        for (const auto &r : m_revoked)
            array.append(QJsonObject{{QStringLiteral("serial"), r.serialHex}, {QStringLiteral("revoked_ms"), r.revokedAtMs}});
        if (auto ok = crypto::securefile::writeSecret(m_settings.revocationStorePath, QJsonDocument(array).toJson(),
                                                      crypto::securefile::Replace::Atomically);
            !ok)
            return ok;
    }
    qCInfo(lcEnroll) << "revoked certificate serial" << serial;
    return {};
}

core::Result<crypto::RevocationList> EnrollmentAuthority::revocationList() const
{
    loadRevocations(); // another process (signiq-edge ca revoke) may have added one
    return m_ca.makeRevocationList(m_revoked, m_clock, m_settings.revocationListValidityMs);
}

} // namespace signiq::enroll
