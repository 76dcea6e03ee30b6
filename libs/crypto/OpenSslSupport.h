#pragma once

// Private to libs/crypto: RAII for OpenSSL objects and error text. Never include this header
// outside libs/crypto (OpenSSL stays behind the library's Qt-friendly API).

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace signiq::crypto::detail {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T *p) const { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

// The oldest queued OpenSSL error as text (and clears the queue); `fallback` if there is none.
QString openSslError(const QString &fallback = QStringLiteral("unknown OpenSSL error"));

// An Internal error "<what>: <OpenSSL error>".
core::Error openSslFailure(const QString &what);

// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr memoryBio(const QByteArray &data);
// Everything written to a memory BIO.
QByteArray bioContents(BIO *bio);

inline const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }
inline unsigned char *bytes(QByteArray &b) { return reinterpret_cast<unsigned char *>(b.data()); }

} // namespace signiq::crypto::detail

namespace signiq::crypto::detail {
qint64 asn1TimeToMs(const ASN1_TIME *time);
QString serialToHex(const ASN1_INTEGER *serial);
QString commonNameOf(const X509_NAME *name);
} // namespace signiq::crypto::detail
