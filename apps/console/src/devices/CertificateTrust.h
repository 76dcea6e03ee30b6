#pragma once

#include "client/DeviceTypes.h"
#include "core/Clock.h"
#include "core/Result.h"

#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

namespace signiq::console {

// What the console decides about the certificate chain a device presents.
enum class TrustVerdict {
    Pinned,        // the leaf is the one the admin accepted before
    DeploymentCa,  // the chain verifies up to the configured deployment CA (with host name)
    FirstContact,  // never seen and not CA-trusted: the admin must compare the fingerprint
    Changed,       // a pin exists and the leaf differs: possible interception, explicit re-accept only
    NoCertificate, // the device presented nothing usable
};

struct CertificateDetails {
    QString sha256;      // hex, lower case, no separators
    QString subject;     // common name (or the whole subject)
    QString issuer;
    QStringList names;   // subjectAltName DNS and IP entries
    qint64 notBeforeMs = 0;
    qint64 notAfterMs = 0;
    bool selfSigned = false;
};

struct TrustAssessment {
    TrustVerdict verdict = TrustVerdict::NoCertificate;
    QList<CertificateDetails> chain; // leaf first
    bool expired = false;            // the leaf is outside its validity period now
    QString caProblem;               // why the deployment CA check failed (English), if configured

    bool isTrusted() const { return verdict == TrustVerdict::Pinned || verdict == TrustVerdict::DeploymentCa; }
    bool needsDecision() const { return verdict == TrustVerdict::FirstContact || verdict == TrustVerdict::Changed; }
    QString leafSha256() const { return chain.isEmpty() ? QString() : chain.constFirst().sha256; }
};

// The trust decision for device certificates: pin on first use after the admin compared the
// fingerprint (like SSH), or trust the deployment CA when one is configured.
class CertificateTrust {
public:
    explicit CertificateTrust(const core::Clock &clock);

    void setDeploymentCa(const QList<QSslCertificate> &anchors) { m_anchors = anchors; }
    // PEM file with one or more CA certificates; an empty path clears the CA.
    [[nodiscard]] core::Status loadDeploymentCa(const QString &path);
    bool hasDeploymentCa() const { return !m_anchors.isEmpty(); }
    const QList<QSslCertificate> &deploymentCa() const { return m_anchors; }

    TrustAssessment assess(const DeviceAddress &address, const QList<QSslCertificate> &chain,
                           const QString &pinnedSha256) const;

    static QString fingerprint(const QSslCertificate &certificate);
    // "AB:CD:..." in groups, for reading aloud/comparing with `signiq-edge ca show`.
    static QString formatFingerprint(const QString &hex);
    static CertificateDetails details(const QSslCertificate &certificate);

private:
    const core::Clock &m_clock;
    QList<QSslCertificate> m_anchors;
};

} // namespace signiq::console
