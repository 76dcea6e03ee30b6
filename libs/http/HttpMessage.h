#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QString>
#include <QUrlQuery>

namespace signiq::http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One parsed request. Header names are lower case; values as received (trimmed).
struct Request {
    QByteArray method;     // as sent: "GET", "POST", ... (HTTP methods are case-sensitive)
    QByteArray target;     // the request-target, origin form: "/v1/windows?from=..."
    QString path;          // the decoded path of the target
    QUrlQuery query;
    int version = 11;      // 10 or 11
    HeaderList headers;
    QByteArray body;
    QHostAddress remoteAddress;   // IPv4-mapped IPv6 addresses are given as IPv4
    QSslCertificate peerCertificate; // mutual TLS: the client's verified certificate, else null
    bool keepAlive = true;           // the client's wish (HTTP/1.1 default; HTTP/1.0 only if asked)

    // The first value of a header (name in any case), or empty.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
};

// One answer. Content-Length, Connection and the status line are added by the server.
struct Response {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json; charset=utf-8");
    QByteArray body;
    HeaderList headers;

    // {"error": {"code": code, "message": message}} — the shape of every API error.
    static Response error(int status, const QString &code, const QString &message);
};

// "Not Found" for 404 and so on; "Unknown" for codes the server never sends.
QByteArray reasonPhrase(int status);

// The status line and header block (ending in the empty line) of an answer. `keepAlive` says
// whether the connection stays open; `withLength` adds Content-Length (streams go without).
QByteArray serializeHead(const Response &response, bool keepAlive, bool withLength);

} // namespace signiq::http
