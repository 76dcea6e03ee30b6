#pragma once

#include "core/Result.h"
#include "crypto/SecureFile.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <memory>
#include <utility>

struct x509_st;
struct X509_req_st;
struct X509_crl_st;

namespace signiq::crypto {

class PrivateKey;

// An X.509 certificate (OpenSSL X509). Cheap to copy (shared, immutable).
class Certificate {
public:
    Certificate() = default;

    [[nodiscard]] static core::Result<Certificate> fromPem(const QByteArray &pem); // the first certificate
    [[nodiscard]] static core::Result<QList<Certificate>> listFromPem(const QByteArray &pem);
    [[nodiscard]] static core::Result<Certificate> fromDer(const QByteArray &der);
    [[nodiscard]] static core::Result<Certificate> fromQSslCertificate(const QSslCertificate &certificate);
    [[nodiscard]] static core::Result<Certificate> load(const QString &path);
    // PEM, mode 0644 (a certificate is public), crash-safely.
    [[nodiscard]] core::Status save(const QString &path, securefile::Replace replace = securefile::Replace::Atomically) const;

    bool isNull() const { return !m_cert; }
    QByteArray toPem() const;
    QByteArray toDer() const;
    QSslCertificate toQSslCertificate() const;

    QString serialHex() const;          // lower-case hex, no separators
    QString subjectCommonName() const;
    QString issuerCommonName() const;
    QStringList dnsNames() const;       // subjectAltName DNS entries
    QStringList ipAddresses() const;    // subjectAltName IP entries, textual
    qint64 notBeforeMs() const;
    qint64 notAfterMs() const;          // expiry
    bool isCa() const;
    QByteArray publicKeyDer() const;    // DER SubjectPublicKeyInfo
    QByteArray sha256Fingerprint() const;
    bool operator==(const Certificate &other) const { return toDer() == other.toDer(); }

    x509_st *handle() const { return m_cert.get(); }
    explicit Certificate(x509_st *owned); // takes ownership

private:
    std::shared_ptr<x509_st> m_cert;
};

// A PKCS#10 certificate signing request.
class CertificateRequest {
public:
    CertificateRequest() = default;

    // A request for `key`'s public key with subject CN = commonName, signed with `key`.
    [[nodiscard]] static core::Result<CertificateRequest> create(const PrivateKey &key, const QString &commonName);
    [[nodiscard]] static core::Result<CertificateRequest> fromPem(const QByteArray &pem);

    bool isNull() const { return !m_req; }
    QByteArray toPem() const;
    QString commonName() const;
    QByteArray publicKeyDer() const;
    // Corrupt when the request's self-signature does not verify (proof of key possession).
    [[nodiscard]] core::Status verifySignature() const;

    X509_req_st *handle() const { return m_req.get(); }

private:
    explicit CertificateRequest(X509_req_st *owned);
    std::shared_ptr<X509_req_st> m_req;
};

// A certificate serial number as the operator types it ("0A:1b:...", "0a1b...") in the form
// Certificate::serialHex() prints (lower-case hex, whole bytes). InvalidArgument, naming the
// input, when it holds anything but hex digits and colons, is empty, or is longer than the
// 20 bytes RFC 5280 allows: never a prefix of it.
core::Result<QString> canonicalSerialHex(const QString &text);

struct Revocation {
    QString serialHex;
    qint64 revokedAtMs = 0;
    bool operator==(const Revocation &) const = default;
};

// An X.509 v2 CRL signed by the deployment CA.
class RevocationList {
public:
    RevocationList() = default;

    [[nodiscard]] static core::Result<RevocationList> fromPem(const QByteArray &pem);
    [[nodiscard]] static core::Result<RevocationList> load(const QString &path);
    [[nodiscard]] core::Status save(const QString &path) const; // 0644, atomically replaced

    bool isNull() const { return !m_crl; }
    QByteArray toPem() const;
    QList<Revocation> revoked() const;
    bool isRevoked(const QString &serialHex) const;
    bool isRevoked(const Certificate &certificate) const { return isRevoked(certificate.serialHex()); }
    qint64 thisUpdateMs() const;
    qint64 nextUpdateMs() const;
    // Corrupt when the list is not signed by `issuer` (never trust an unverified list).
    [[nodiscard]] core::Status verifySignature(const Certificate &issuer) const;

    X509_crl_st *handle() const { return m_crl.get(); }
    explicit RevocationList(X509_crl_st *owned);

private:
    std::shared_ptr<X509_crl_st> m_crl;
};

struct VerifyOptions {
    VerifyOptions() = default;
    VerifyOptions(qint64 at, const RevocationList *crl = nullptr, QString host = QString())
        : atMs(at), revocations(crl), hostname(std::move(host))
    {
    }
    qint64 atMs = 0;                          // validity is checked at this time (an injected clock)
    const RevocationList *revocations = nullptr; // also check revocation (the CRL must be current at atMs)
    QString hostname;                         // non-empty: the leaf must match it (DNS or IP SAN)
};

// Verifies `leaf` up to one of `trustAnchors` (the deployment CA) through `intermediates`:
// signatures, validity periods at options.atMs, CA constraints, optionally the CRL and the
// host name. Corrupt with OpenSSL's reason ("certificate has expired", "certificate revoked",
// "unable to get local issuer certificate", "hostname mismatch", ...) on failure.
[[nodiscard]] core::Status verifyChain(const Certificate &leaf, const QList<Certificate> &trustAnchors,
                                       const VerifyOptions &options, const QList<Certificate> &intermediates = {});

} // namespace signiq::crypto
