#pragma once

// Real TLS on loopback for the API tests: a test deployment CA (libs/crypto), a server identity
// for localhost/127.0.0.1, and a blocking HTTPS client (QNetworkAccessManager) that trusts only
// that CA.

#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/TlsConfiguration.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTimer>
#include <QUrl>

namespace signiq::api::test {

struct TestPki {
    crypto::CertificateAuthority ca;
    crypto::TlsIdentity server;

    static TestPki create()
    {
        const core::SystemClock clock;
        auto ca = crypto::CertificateAuthority::create(QStringLiteral("Signiq test CA"), 24LL * 3600 * 1000, clock);
        if (!ca)
            qFatal("CA: %s", qPrintable(ca.error().toString()));
        auto key = crypto::PrivateKey::generateEcP256();
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("edge-test"));
        crypto::IssueOptions options;
        options.commonName = QStringLiteral("edge-test");
        options.dnsNames = {QStringLiteral("localhost")};
        options.ipAddresses = {QStringLiteral("127.0.0.1")};
        options.lifetimeMs = 3600 * 1000;
        auto cert = ca->issue(*csr, options, clock);
        if (!cert)
            qFatal("issue: %s", qPrintable(cert.error().toString()));
        return TestPki{std::move(ca).value(), crypto::TlsIdentity{cert->toQSslCertificate(), {}, key->toQSslKey()}};
    }
    QSslConfiguration clientConfig() const
    {
        auto config = crypto::TlsConfigurationFactory::client({ca.certificate().toQSslCertificate()});
        if (!config)
            qFatal("client config: %s", qPrintable(config.error().toString()));
        return *config;
    }
};

struct HttpResult {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(); }
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

class HttpsClient {
public:
    HttpsClient(QSslConfiguration config, quint16 port) : m_config(std::move(config)), m_port(port) {}

    HttpResult request(const QByteArray &method, const QString &pathAndQuery, const QString &key = {},
                       const QByteArray &body = {}, const QByteArray &contentType = QByteArrayLiteral("application/json"),
                       int timeoutMs = 20000)
    {
        QNetworkRequest req(QUrl(QStringLiteral("https://localhost:%1%2").arg(m_port).arg(pathAndQuery)));
        req.setSslConfiguration(m_config);
        if (!key.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + key.toLatin1());
        if (!body.isEmpty() && !contentType.isEmpty())
            req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = body.isEmpty() && method != "POST" && method != "PUT"
            ? m_nam.sendCustomRequest(req, method)
            : m_nam.sendCustomRequest(req, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(timeoutMs);
        HttpResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        r.error = reply->error();
        r.errorString = reply->errorString();
        r.protocol = reply->sslConfiguration().sessionProtocol();
        reply->deleteLater();
        return r;
    }
    HttpResult get(const QString &path, const QString &key = {}) { return request("GET", path, key); }
    HttpResult put(const QString &path, const QString &key, const QByteArray &body) { return request("PUT", path, key, body); }
    HttpResult post(const QString &path, const QString &key, const QByteArray &body) { return request("POST", path, key, body); }
    HttpResult del(const QString &path, const QString &key) { return request("DELETE", path, key); }

    QNetworkAccessManager &manager() { return m_nam; }

private:
    QSslConfiguration m_config;
    quint16 m_port;
    QNetworkAccessManager m_nam;
};

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace signiq::api::test
