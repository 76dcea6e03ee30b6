// Certificates, CSRs and CRLs (crypto::Certificate, CertificateRequest, RevocationList): what
// an enrolling device sends (a CSR), what a device receives (its certificate chain, the CRL),
// and serial numbers typed by the operator (canonicalSerialHex).
//
// Input: [kind: 1 byte][bytes]
//   0 certificate PEM (fromPem and listFromPem)   1 certificate DER
//   2 CSR PEM        3 CSR DER (wrapped in PEM: the DER decoder behind fromPem)
//   4 CRL PEM        5 CRL DER (wrapped in PEM)
//   6 a serial number as text
// Invariants: whatever parses can be read out (names, SANs, dates, revocations), serialised,
// and parsed back to the same thing; a canonical serial is lower-case hex of whole bytes and
// canonical again.
#include "FuzzSupport.h"

#include "crypto/Certificate.h"

using namespace signiq;
using crypto::Certificate;
using crypto::CertificateRequest;
using crypto::RevocationList;

namespace {

QByteArray pem(const char *label, const QByteArray &der)
{
    QByteArray out = QByteArray("-----BEGIN ") + label + "-----\n";
    const QByteArray b64 = der.toBase64();
    for (qsizetype i = 0; i < b64.size(); i += 64)
        out += b64.mid(i, 64) + '\n';
    return out + "-----END " + label + "-----\n";
}

void readOut(const Certificate &cert)
{
    SIGNIQ_FUZZ_CHECK(!cert.isNull());
    (void)cert.serialHex();
    (void)cert.subjectCommonName();
    (void)cert.issuerCommonName();
    (void)cert.dnsNames();
    (void)cert.ipAddresses();
    (void)cert.notBeforeMs();
    (void)cert.notAfterMs();
    (void)cert.isCa();
    (void)cert.publicKeyDer();
    (void)cert.toQSslCertificate();
    SIGNIQ_FUZZ_CHECK(cert.sha256Fingerprint().size() == 32);
    const QByteArray der = cert.toDer();
    SIGNIQ_FUZZ_CHECK(!der.isEmpty());
    auto again = Certificate::fromDer(der);
    SIGNIQ_FUZZ_CHECK(again.ok());
    SIGNIQ_FUZZ_CHECK(again->toDer() == der);
    (void)crypto::verifyChain(cert, {cert}, crypto::VerifyOptions(0));
}

void certificatePem(const QByteArray &text)
{
    if (auto cert = Certificate::fromPem(text))
        readOut(*cert);
    if (auto list = Certificate::listFromPem(text)) {
        for (const Certificate &c : *list)
            readOut(c);
    }
}

void requestPem(const QByteArray &text)
{
    auto req = CertificateRequest::fromPem(text);
    if (!req)
        return;
    (void)req->commonName();
    (void)req->publicKeyDer();
    (void)req->verifySignature();
    const QByteArray out = req->toPem();
    auto again = CertificateRequest::fromPem(out);
    SIGNIQ_FUZZ_CHECK(again.ok());
    SIGNIQ_FUZZ_CHECK(again->toPem() == out);
}

void crlPem(const QByteArray &text)
{
    auto crl = RevocationList::fromPem(text);
    if (!crl)
        return;
    const auto revoked = crl->revoked();
    for (const auto &r : revoked)
        SIGNIQ_FUZZ_CHECK(crl->isRevoked(r.serialHex));
    (void)crl->thisUpdateMs();
    (void)crl->nextUpdateMs();
    const QByteArray out = crl->toPem();
    auto again = RevocationList::fromPem(out);
    SIGNIQ_FUZZ_CHECK(again.ok());
    SIGNIQ_FUZZ_CHECK(again->revoked() == revoked);
}

void serial(const QByteArray &text)
{
    auto hex = crypto::canonicalSerialHex(QString::fromUtf8(text));
    if (!hex) {
        SIGNIQ_FUZZ_CHECK(!hex.error().message.isEmpty());
        return;
    }
    SIGNIQ_FUZZ_CHECK(!hex->isEmpty() && hex->size() % 2 == 0 && hex->size() <= 40);
    for (const QChar c : *hex)
        SIGNIQ_FUZZ_CHECK((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'));
    auto again = crypto::canonicalSerialHex(*hex);
    SIGNIQ_FUZZ_CHECK(again.ok() && *again == *hex);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    const std::size_t kind = in.below(7);
    const QByteArray bytes = in.rest();
    switch (kind) {
    case 0: certificatePem(bytes); break;
    case 1:
        if (auto cert = Certificate::fromDer(bytes))
            readOut(*cert);
        break;
    case 2: requestPem(bytes); break;
    case 3: requestPem(pem("CERTIFICATE REQUEST", bytes)); break;
    case 4: crlPem(bytes); break;
    case 5: crlPem(pem("X509 CRL", bytes)); break;
    default: serial(bytes); break;
    }
    return 0;
}
