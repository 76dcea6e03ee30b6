#include "crypto/Certificate.h"

#include "crypto/Hash.h"
#include "crypto/OpenSslSupport.h"
#include "crypto/PrivateKey.h"

#include <QFile>
#include <QHostAddress>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>

namespace signiq::crypto {

using namespace detail;
using core::ErrorCode;
using core::makeError;

namespace detail {

qint64 asn1TimeToMs(const ASN1_TIME *time)
{
    struct tm tm = {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return 0;
    return qint64(timegm(&tm)) * 1000;
}

QString serialToHex(const ASN1_INTEGER *serial)
{
    std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!bn)
        return {};
    char *hex = BN_bn2hex(bn.get());
    QString out = QString::fromLatin1(hex).toLower();
    OPENSSL_free(hex);
    return out;
}

QString commonNameOf(const X509_NAME *name)
{
    if (!name)
        return {};
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0)
        return {};
    const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char *utf8 = nullptr;
    const int size = ASN1_STRING_to_UTF8(&utf8, data);
    if (size < 0)
        return {};
    QString out = QString::fromUtf8(reinterpret_cast<const char *>(utf8), size);
    OPENSSL_free(utf8);
    return out;
}

} // namespace detail

namespace {

QByteArray publicKeyOf(EVP_PKEY *key)
{
    if (!key)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_PUBKEY(key, &der);
    if (size <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return out;
}

template <typename Writer>
QByteArray pemOf(Writer write)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        return {};
    return bioContents(bio.get());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Certificate

Certificate::Certificate(x509_st *owned) : m_cert(owned, X509_free) {}

core::Result<Certificate> Certificate::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert)
        return makeError(ErrorCode::Parse, QStringLiteral("not a PEM certificate (%1)").arg(openSslError()));
    return Certificate(cert);
}

core::Result<QList<Certificate>> Certificate::listFromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    QList<Certificate> out;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        out.append(Certificate(cert));
    ERR_clear_error(); // the end of the data is reported as an error
    if (out.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("no PEM certificate found"));
    return out;
}

core::Result<Certificate> Certificate::fromDer(const QByteArray &der)
{
    const unsigned char *p = bytes(der);
    X509 *cert = d2i_X509(nullptr, &p, long(der.size()));
    if (!cert)
        return makeError(ErrorCode::Parse, QStringLiteral("not a DER certificate (%1)").arg(openSslError()));
    return Certificate(cert);
}

core::Result<Certificate> Certificate::fromQSslCertificate(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("null certificate"));
    return fromDer(certificate.toDer());
}

core::Result<Certificate> Certificate::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(file.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("cannot read certificate %1: %2").arg(path, file.errorString()));
    auto cert = fromPem(file.read(1024 * 1024));
    if (!cert)
        return makeError(cert.error().code, QStringLiteral("certificate %1: %2").arg(path, cert.error().message));
    return cert;
}

core::Status Certificate::save(const QString &path, securefile::Replace replace) const
{
    return securefile::writeFile(path, toPem(), 0644, replace);
}

QByteArray Certificate::toPem() const
{
    if (!m_cert)
        return {};
    return pemOf([&](BIO *bio) { return PEM_write_bio_X509(bio, m_cert.get()); });
}

QByteArray Certificate::toDer() const
{
    if (!m_cert)
        return {};
    unsigned char *der = nullptr;
    const int size = i2d_X509(m_cert.get(), &der);
    if (size <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), size);
    OPENSSL_free(der);
    return out;
}

QSslCertificate Certificate::toQSslCertificate() const
{
    return QSslCertificate(toDer(), QSsl::Der);
}

core::Result<QString> canonicalSerialHex(const QString &text)
{
    QString hex = text.trimmed().toLower();
    hex.remove(QLatin1Char(':'));
    const bool allHex = !hex.isEmpty() && std::all_of(hex.begin(), hex.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
    if (!allHex)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a certificate serial number (hex digits, optionally "
                                                                    "separated by colons)").arg(text.left(80)));
    while (hex.size() > 1 && hex.startsWith(QLatin1Char('0')))
        hex.remove(0, 1);
    if (hex.size() > 40)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("'%1' is longer than a certificate serial number (at most 20 bytes)").arg(text.left(80)));
    if (hex.size() % 2 == 1)
        hex.prepend(QLatin1Char('0')); // whole bytes, as BN_bn2hex prints them
    return hex;
}

QString Certificate::serialHex() const
{
    return m_cert ? serialToHex(X509_get0_serialNumber(m_cert.get())) : QString();
}

QString Certificate::subjectCommonName() const
{
    return m_cert ? commonNameOf(X509_get_subject_name(m_cert.get())) : QString();
}

QString Certificate::issuerCommonName() const
{
    return m_cert ? commonNameOf(X509_get_issuer_name(m_cert.get())) : QString();
}

QStringList Certificate::dnsNames() const
{
    QStringList out;
    if (!m_cert)
        return out;
    auto *names = static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(m_cert.get(), NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type == GEN_DNS)
            out << QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(name->d.dNSName)),
                                       ASN1_STRING_length(name->d.dNSName));
    }
    GENERAL_NAMES_free(names);
    return out;
}

QStringList Certificate::ipAddresses() const
{
    QStringList out;
    if (!m_cert)
        return out;
    auto *names = static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(m_cert.get(), NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_IPADD)
            continue;
        const unsigned char *p = ASN1_STRING_get0_data(name->d.iPAddress);
        const int len = ASN1_STRING_length(name->d.iPAddress);
        if (len == 4) {
            out << QHostAddress(quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3])).toString();
        } else if (len == 16) {
            out << QHostAddress(p).toString();
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

qint64 Certificate::notBeforeMs() const
{
    return m_cert ? asn1TimeToMs(X509_get0_notBefore(m_cert.get())) : 0;
}

qint64 Certificate::notAfterMs() const
{
    return m_cert ? asn1TimeToMs(X509_get0_notAfter(m_cert.get())) : 0;
}

bool Certificate::isCa() const
{
    return m_cert && X509_check_ca(m_cert.get()) != 0;
}

QByteArray Certificate::publicKeyDer() const
{
    return m_cert ? publicKeyOf(X509_get0_pubkey(m_cert.get())) : QByteArray();
}

QByteArray Certificate::sha256Fingerprint() const
{
    return sha256(toDer());
}

// ---------------------------------------------------------------------------------------------
// CertificateRequest

CertificateRequest::CertificateRequest(X509_req_st *owned) : m_req(owned, X509_REQ_free) {}

core::Result<CertificateRequest> CertificateRequest::create(const PrivateKey &key, const QString &commonName)
{
    if (key.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("certificate request: no key"));
    if (commonName.isEmpty() || commonName.size() > 64)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("certificate request: the common name must have 1..64 characters"));
    X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1)
        return openSslFailure(QStringLiteral("X509_REQ_new"));
    X509_NAME *name = X509_REQ_get_subject_name(req.get());
    const QByteArray cn = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes(cn), int(cn.size()), -1, 0) != 1
        || X509_REQ_set_pubkey(req.get(), key.handle()) != 1 || X509_REQ_sign(req.get(), key.handle(), EVP_sha256()) <= 0)
        return openSslFailure(QStringLiteral("cannot build the certificate request"));
    return CertificateRequest(req.release());
}

core::Result<CertificateRequest> CertificateRequest::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    X509_REQ *req = PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr);
    if (!req)
        return makeError(ErrorCode::Parse, QStringLiteral("not a PEM certificate request (%1)").arg(openSslError()));
    return CertificateRequest(req);
}

QByteArray CertificateRequest::toPem() const
{
    if (!m_req)
        return {};
    return pemOf([&](BIO *bio) { return PEM_write_bio_X509_REQ(bio, m_req.get()); });
}

QString CertificateRequest::commonName() const
{
    return m_req ? commonNameOf(X509_REQ_get_subject_name(m_req.get())) : QString();
}

QByteArray CertificateRequest::publicKeyDer() const
{
    return m_req ? publicKeyOf(X509_REQ_get0_pubkey(m_req.get())) : QByteArray();
}

core::Status CertificateRequest::verifySignature() const
{
    if (!m_req)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("empty certificate request"));
    EVP_PKEY *key = X509_REQ_get0_pubkey(m_req.get());
    if (!key || X509_REQ_verify(m_req.get(), key) != 1) {
        ERR_clear_error();
        return makeError(ErrorCode::Corrupt, QStringLiteral("the certificate request's signature does not verify"));
    }
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
        return makeError(ErrorCode::Unsupported, QStringLiteral("the certificate request must be for an EC P-256 key"));
    return {};
}

// ---------------------------------------------------------------------------------------------
// RevocationList

RevocationList::RevocationList(X509_crl_st *owned) : m_crl(owned, X509_CRL_free) {}

core::Result<RevocationList> RevocationList::fromPem(const QByteArray &pem)
{
    BioPtr bio = memoryBio(pem);
    X509_CRL *crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
    if (!crl)
        return makeError(ErrorCode::Parse, QStringLiteral("not a PEM revocation list (%1)").arg(openSslError()));
    return RevocationList(crl);
}

core::Result<RevocationList> RevocationList::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(file.exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         QStringLiteral("cannot read revocation list %1: %2").arg(path, file.errorString()));
    auto crl = fromPem(file.read(16 * 1024 * 1024));
    if (!crl)
        return makeError(crl.error().code, QStringLiteral("revocation list %1: %2").arg(path, crl.error().message));
    return crl;
}

core::Status RevocationList::save(const QString &path) const
{
    return securefile::writeFile(path, toPem(), 0644, securefile::Replace::Atomically);
}

QByteArray RevocationList::toPem() const
{
    if (!m_crl)
        return {};
    return pemOf([&](BIO *bio) { return PEM_write_bio_X509_CRL(bio, m_crl.get()); });
}

QList<Revocation> RevocationList::revoked() const
{
    QList<Revocation> out;
    if (!m_crl)
        return out;
    STACK_OF(X509_REVOKED) *list = X509_CRL_get_REVOKED(m_crl.get());
    for (int i = 0; list && i < sk_X509_REVOKED_num(list); ++i) {
        const X509_REVOKED *r = sk_X509_REVOKED_value(list, i);
        out.append({serialToHex(X509_REVOKED_get0_serialNumber(r)), asn1TimeToMs(X509_REVOKED_get0_revocationDate(r))});
    }
    return out;
}

bool RevocationList::isRevoked(const QString &serialHex) const
{
    const QString wanted = serialHex.toLower();
    const auto list = revoked();
    return std::any_of(list.begin(), list.end(), [&](const Revocation &r) { return r.serialHex == wanted; });
}

qint64 RevocationList::thisUpdateMs() const
{
    return m_crl ? asn1TimeToMs(X509_CRL_get0_lastUpdate(m_crl.get())) : 0;
}

qint64 RevocationList::nextUpdateMs() const
{
    return m_crl ? asn1TimeToMs(X509_CRL_get0_nextUpdate(m_crl.get())) : 0;
}

core::Status RevocationList::verifySignature(const Certificate &issuer) const
{
    if (!m_crl || issuer.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("revocation list check: missing list or issuer"));
    if (X509_NAME_cmp(X509_CRL_get_issuer(m_crl.get()), X509_get_subject_name(issuer.handle())) != 0
        || X509_CRL_verify(m_crl.get(), X509_get0_pubkey(issuer.handle())) != 1) {
        ERR_clear_error();
        return makeError(ErrorCode::Corrupt, QStringLiteral("the revocation list is not signed by %1").arg(issuer.subjectCommonName()));
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Chain verification

core::Status verifyChain(const Certificate &leaf, const QList<Certificate> &trustAnchors, const VerifyOptions &options,
                         const QList<Certificate> &intermediates)
{
    if (leaf.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no certificate to verify"));
    if (trustAnchors.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no trust anchor to verify %1 against").arg(leaf.subjectCommonName()));
    X509StorePtr store(X509_STORE_new());
    for (const Certificate &anchor : trustAnchors)
        X509_STORE_add_cert(store.get(), anchor.handle());
    struct X509StackFree {
        void operator()(STACK_OF(X509) *s) const { sk_X509_free(s); }
    };
    struct CrlStackFree {
        void operator()(STACK_OF(X509_CRL) *s) const { sk_X509_CRL_free(s); }
    };
    std::unique_ptr<STACK_OF(X509), X509StackFree> untrusted(sk_X509_new_null());
    std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> crls(sk_X509_CRL_new_null());
    for (const Certificate &c : intermediates)
        sk_X509_push(untrusted.get(), c.handle());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.handle(), untrusted.get()) != 1)
        return openSslFailure(QStringLiteral("X509_STORE_CTX_init"));
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, time_t(options.atMs / 1000));
    unsigned long flags = X509_V_FLAG_X509_STRICT;
    if (options.revocations && !options.revocations->isNull()) {
        sk_X509_CRL_push(crls.get(), options.revocations->handle());
        X509_STORE_CTX_set0_crls(ctx.get(), crls.get());
        flags |= X509_V_FLAG_CRL_CHECK;
    }
    X509_VERIFY_PARAM_set_flags(param, flags);
    if (!options.hostname.isEmpty()) {
        const QByteArray host = options.hostname.toLatin1();
        QHostAddress ip;
        if (ip.setAddress(options.hostname))
            X509_VERIFY_PARAM_set1_ip_asc(param, host.constData());
        else
            X509_VERIFY_PARAM_set1_host(param, host.constData(), size_t(host.size()));
    }
    if (X509_verify_cert(ctx.get()) == 1)
        return {};
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    const QString reason = QString::fromLatin1(X509_verify_cert_error_string(error));
    const bool denied = error == X509_V_ERR_CERT_REVOKED || error == X509_V_ERR_CERT_HAS_EXPIRED
                        || error == X509_V_ERR_CERT_NOT_YET_VALID;
    return makeError(denied ? ErrorCode::PermissionDenied : ErrorCode::Corrupt,
                     QStringLiteral("certificate '%1' (serial %2) does not verify: %3")
                         .arg(leaf.subjectCommonName(), leaf.serialHex(), reason));
}

} // namespace signiq::crypto
