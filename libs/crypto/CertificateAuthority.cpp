#include "crypto/CertificateAuthority.h"

#include "crypto/CryptoLog.h"
#include "crypto/OpenSslSupport.h"
#include "crypto/Random.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace signiq::crypto {

using namespace detail;
using core::ErrorCode;
using core::makeError;

namespace {

using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;

core::Result<Asn1IntegerPtr> randomSerial()
{
    auto random = randomBytes(16);
    if (!random)
        return random.error();
    (*random)[0] = char(quint8((*random)[0]) & 0x7f); // positive
    if ((*random)[0] == 0)
        (*random)[0] = 1; // keep 16 significant bytes
    std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(BN_bin2bn(bytes(*random), int(random->size()), nullptr));
    Asn1IntegerPtr serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
    if (!serial)
        return openSslFailure(QStringLiteral("serial number"));
    return serial;
}

bool setTime(ASN1_TIME *field, qint64 ms)
{
    return ASN1_TIME_set(field, time_t(ms / 1000)) != nullptr;
}

core::Status addExtension(X509 *cert, X509V3_CTX *ctx, int nid, const QByteArray &value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.constData());
    if (!ext)
        return openSslFailure(QStringLiteral("certificate extension %1 = %2").arg(QString::fromLatin1(OBJ_nid2sn(nid)), QString::fromLatin1(value)));
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (ok != 1)
        return openSslFailure(QStringLiteral("X509_add_ext"));
    return {};
}

core::Status setSubject(X509 *cert, const QString &commonName)
{
    X509_NAME *name = X509_get_subject_name(cert);
    const QByteArray cn = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes(cn), int(cn.size()), -1, 0) != 1)
        return openSslFailure(QStringLiteral("subject name"));
    return {};
}

core::Result<QByteArray> subjectAltNames(const IssueOptions &options)
{
    static const QRegularExpression dnsName(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$"));
    QStringList entries;
    for (const QString &dns : options.dnsNames) {
        if (!dnsName.match(dns).hasMatch())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a valid DNS name for a certificate").arg(dns));
        entries << QStringLiteral("DNS:") + dns;
    }
    for (const QString &ip : options.ipAddresses) {
        QHostAddress address;
        if (!address.setAddress(ip))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not an IP address").arg(ip));
        entries << QStringLiteral("IP:") + address.toString();
    }
    return entries.join(QStringLiteral(", ")).toLatin1();
}

} // namespace

CertificateAuthority::CertificateAuthority(Certificate certificate, PrivateKey key)
    : m_certificate(std::move(certificate)), m_key(std::move(key))
{
}

core::Result<CertificateAuthority> CertificateAuthority::create(const QString &name, qint64 lifetimeMs, const core::Clock &clock)
{
    if (name.isEmpty() || name.size() > 64)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the CA name must have 1..64 characters"));
    if (lifetimeMs <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the CA lifetime must be positive"));
    auto key = PrivateKey::generateEcP256();
    if (!key)
        return key.error();
    auto serial = randomSerial();
    if (!serial)
        return serial.error();
    X509Ptr cert(X509_new());
    const qint64 now = clock.nowMs();
    if (!cert || X509_set_version(cert.get(), 2) != 1 || X509_set_serialNumber(cert.get(), serial->get()) != 1
        || !setTime(X509_getm_notBefore(cert.get()), now - BackdateMs) || !setTime(X509_getm_notAfter(cert.get()), now + lifetimeMs))
        return openSslFailure(QStringLiteral("cannot build the CA certificate"));
    if (auto ok = setSubject(cert.get(), name); !ok)
        return ok.error();
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 || X509_set_pubkey(cert.get(), key->handle()) != 1)
        return openSslFailure(QStringLiteral("cannot build the CA certificate"));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto &[nid, value] : {std::pair{NID_basic_constraints, QByteArrayLiteral("critical,CA:TRUE,pathlen:0")},
                                     std::pair{NID_key_usage, QByteArrayLiteral("critical,keyCertSign,cRLSign")},
                                     std::pair{NID_subject_key_identifier, QByteArrayLiteral("hash")}}) {
        if (auto ok = addExtension(cert.get(), &ctx, nid, value); !ok)
            return ok.error();
    }
    if (X509_sign(cert.get(), key->handle(), EVP_sha256()) <= 0)
        return openSslFailure(QStringLiteral("cannot sign the CA certificate"));
    qCInfo(lcCrypto) << "created deployment CA" << name;
    return CertificateAuthority(Certificate(cert.release()), std::move(*key));
}

core::Result<CertificateAuthority> CertificateAuthority::load(const QString &certificatePath, const QString &keyPath)
{
    auto cert = Certificate::load(certificatePath);
    if (!cert)
        return cert.error();
    auto key = PrivateKey::load(keyPath);
    if (!key)
        return key.error();
    if (!cert->isCa())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a CA certificate").arg(certificatePath));
    if (cert->publicKeyDer() != key->publicKeyDer())
        return makeError(ErrorCode::WrongKey, QStringLiteral("the key %1 does not belong to the CA certificate %2").arg(keyPath, certificatePath));
    return CertificateAuthority(std::move(*cert), std::move(*key));
}

core::Status CertificateAuthority::save(const QString &certificatePath, const QString &keyPath) const
{
    if (auto ok = m_key.save(keyPath, securefile::Replace::Never); !ok)
        return ok;
    return m_certificate.save(certificatePath, securefile::Replace::Never);
}

core::Result<Certificate> CertificateAuthority::issue(const CertificateRequest &request, const IssueOptions &options,
                                                      const core::Clock &clock) const
{
    if (auto ok = request.verifySignature(); !ok)
        return ok.error();
    if (options.lifetimeMs <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the certificate lifetime must be positive"));
    const QString cn = options.commonName.isEmpty() ? request.commonName() : options.commonName;
    if (cn.isEmpty() || cn.size() > 64)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the certificate common name must have 1..64 characters"));
    auto sans = subjectAltNames(options);
    if (!sans)
        return sans.error();
    const qint64 now = clock.nowMs();
    const qint64 notAfter = qMin(now + options.lifetimeMs, m_certificate.notAfterMs());
    auto serial = randomSerial();
    if (!serial)
        return serial.error();
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1 || X509_set_serialNumber(cert.get(), serial->get()) != 1
        || !setTime(X509_getm_notBefore(cert.get()), now - BackdateMs) || !setTime(X509_getm_notAfter(cert.get()), notAfter))
        return openSslFailure(QStringLiteral("cannot build the certificate"));
    if (auto ok = setSubject(cert.get(), cn); !ok)
        return ok.error();
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(m_certificate.handle())) != 1
        || X509_set_pubkey(cert.get(), X509_REQ_get0_pubkey(request.handle())) != 1)
        return openSslFailure(QStringLiteral("cannot build the certificate"));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, m_certificate.handle(), cert.get(), nullptr, nullptr, 0);
    QByteArrayList usages;
    if (options.serverAuth)
        usages << "serverAuth";
    if (options.clientAuth)
        usages << "clientAuth";
    QList<std::pair<int, QByteArray>> extensions{{NID_basic_constraints, QByteArrayLiteral("critical,CA:FALSE")},
                                                  {NID_key_usage, QByteArrayLiteral("critical,digitalSignature")},
                                                  {NID_subject_key_identifier, QByteArrayLiteral("hash")},
                                                  {NID_authority_key_identifier, QByteArrayLiteral("keyid:always")}};
    if (!usages.isEmpty())
        extensions.append({NID_ext_key_usage, usages.join(',')});
    if (!sans->isEmpty())
        extensions.append({NID_subject_alt_name, *sans});
    for (const auto &[nid, value] : extensions) {
        if (auto ok = addExtension(cert.get(), &ctx, nid, value); !ok)
            return ok.error();
    }
    if (X509_sign(cert.get(), m_key.handle(), EVP_sha256()) <= 0)
        return openSslFailure(QStringLiteral("cannot sign the certificate"));
    Certificate issued(cert.release());
    qCInfo(lcCrypto) << "issued certificate" << cn << "serial" << issued.serialHex() << "until" << issued.notAfterMs();
    return issued;
}

core::Result<RevocationList> CertificateAuthority::makeRevocationList(const QList<Revocation> &revoked, const core::Clock &clock,
                                                                      qint64 validityMs) const
{
    if (validityMs <= 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the revocation list validity must be positive"));
    X509CrlPtr crl(X509_CRL_new());
    const qint64 now = clock.nowMs();
    Asn1TimePtr thisUpdate(ASN1_TIME_set(nullptr, time_t((now - BackdateMs) / 1000)));
    Asn1TimePtr nextUpdate(ASN1_TIME_set(nullptr, time_t((now + validityMs) / 1000)));
    if (!crl || !thisUpdate || !nextUpdate || X509_CRL_set_version(crl.get(), 1) != 1
        || X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(m_certificate.handle())) != 1
        || X509_CRL_set1_lastUpdate(crl.get(), thisUpdate.get()) != 1 || X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()) != 1)
        return openSslFailure(QStringLiteral("cannot build the revocation list"));
    for (const Revocation &r : revoked) {
        std::unique_ptr<BIGNUM, Deleter<BN_free>> bn;
        BIGNUM *raw = nullptr;
        const QByteArray hex = r.serialHex.toLatin1();
        if (BN_hex2bn(&raw, hex.constData()) == 0 || hex.isEmpty())
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a hex serial number").arg(r.serialHex));
        bn.reset(raw);
        Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
        Asn1TimePtr when(ASN1_TIME_set(nullptr, time_t(r.revokedAtMs / 1000)));
        X509_REVOKED *entry = X509_REVOKED_new();
        if (!serial || !when || !entry || X509_REVOKED_set_serialNumber(entry, serial.get()) != 1
            || X509_REVOKED_set_revocationDate(entry, when.get()) != 1 || X509_CRL_add0_revoked(crl.get(), entry) != 1) {
            X509_REVOKED_free(entry);
            return openSslFailure(QStringLiteral("cannot add a revocation"));
        }
    }
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, m_certificate.handle(), nullptr, nullptr, crl.get(), 0);
    if (X509_EXTENSION *akid = X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always")) {
        X509_CRL_add_ext(crl.get(), akid, -1);
        X509_EXTENSION_free(akid);
    }
    // CRL number: the issue time in seconds, so later lists have larger numbers.
    Asn1IntegerPtr number(ASN1_INTEGER_new());
    if (!number || ASN1_INTEGER_set_int64(number.get(), now / 1000) != 1
        || X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1)
        return openSslFailure(QStringLiteral("CRL number"));
    X509_CRL_sort(crl.get());
    if (X509_CRL_sign(crl.get(), m_key.handle(), EVP_sha256()) <= 0)
        return openSslFailure(QStringLiteral("cannot sign the revocation list"));
    return RevocationList(crl.release());
}

} // namespace signiq::crypto
