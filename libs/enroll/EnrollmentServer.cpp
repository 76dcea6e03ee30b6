#include "enroll/EnrollmentServer.h"

#include "enroll/EnrollLog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTimer>

namespace signiq::enroll {

using core::ErrorCode;
using core::makeError;

namespace {
constexpr qint64 kMaxRequestBytes = 64 * 1024;
constexpr int kIdleTimeoutMs = 30 * 1000;

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray errorLine(const core::Error &e)
{
    return line({{QStringLiteral("ok"), false}, {QStringLiteral("code"), core::errorCodeName(e.code)}, {QStringLiteral("error"), e.message}});
}
} // namespace

EnrollmentServer::EnrollmentServer(EnrollmentAuthority &authority, const crypto::TlsIdentity &identity, QObject *parent)
    : QObject(parent), m_authority(authority)
{
    if (auto ok = m_server.configure(identity, {authority.ca().certificate().toQSslCertificate()}, crypto::ClientCertificates::Optional); !ok)
        qCWarning(lcEnroll) << "enrollment server:" << ok.error().message;
    m_server.setClock(&authority.clock());
    refreshRevocationList();
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *s = m_server.nextPendingConnection())
            handle(qobject_cast<QSslSocket *>(s));
    });
}

core::Status EnrollmentServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port))
        return makeError(ErrorCode::Io, QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_server.errorString()));
    return {};
}

void EnrollmentServer::refreshRevocationList()
{
    if (auto crl = m_authority.revocationList())
        m_server.setRevocationList(*crl);
}

core::Status EnrollmentServer::revoke(const QString &serialHex)
{
    if (auto ok = m_authority.revoke(serialHex); !ok)
        return ok;
    refreshRevocationList();
    return {};
}

void EnrollmentServer::handle(QSslSocket *socket)
{
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    // A client that connects and never asks is dropped.
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    connect(idle, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    idle->start(kIdleTimeoutMs);
    connect(socket, &QIODevice::readyRead, this, [this, socket] {
        if (!socket->canReadLine()) {
            if (socket->bytesAvailable() > kMaxRequestBytes) {
                socket->write(errorLine(makeError(ErrorCode::InvalidArgument, QStringLiteral("request too large"))));
                socket->disconnectFromHost();
            }
            return;
        }
        const QJsonObject request = QJsonDocument::fromJson(socket->readLine(kMaxRequestBytes)).object();
        const QString op = request.value(QStringLiteral("op")).toString();
        const QByteArray csr = request.value(QStringLiteral("csr")).toString().toLatin1();
        core::Result<EnrollmentReply> result = makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown op '%1'").arg(op));
        if (op == QLatin1StringView("enroll"))
            result = m_authority.enroll(request.value(QStringLiteral("token")).toString(), csr);
        else if (op == QLatin1StringView("renew"))
            result = m_authority.renew(socket->peerCertificate(), csr);
        else if (op == QLatin1StringView("crl")) {
            auto crl = m_authority.revocationList();
            result = crl ? core::Result<EnrollmentReply>(EnrollmentReply{{}, m_authority.ca().certificate().toPem(), crl->toPem()})
                         : core::Result<EnrollmentReply>(crl.error());
        }
        if (result) {
            QJsonObject reply{{QStringLiteral("ok"), true},
                              {QStringLiteral("ca"), QString::fromLatin1(result->caCertificatePem)},
                              {QStringLiteral("crl"), QString::fromLatin1(result->revocationListPem)}};
            if (!result->certificatePem.isEmpty())
                reply.insert(QStringLiteral("certificate"), QString::fromLatin1(result->certificatePem));
            socket->write(line(reply));
        } else {
            qCWarning(lcEnroll) << "refused" << op << "from" << socket->peerAddress().toString() << result.error().message;
            socket->write(errorLine(result.error()));
        }
        socket->disconnectFromHost();
        refreshRevocationList();
        emit requestHandled(op, result.ok());
    });
}

} // namespace signiq::enroll
