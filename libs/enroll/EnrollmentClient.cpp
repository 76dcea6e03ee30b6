#include "enroll/EnrollmentClient.h"

#include "enroll/EnrollLog.h"

#include <QJsonDocument>
#include <QSslSocket>
#include <QTimer>

namespace signiq::enroll {

using core::ErrorCode;
using core::makeError;

namespace {
ErrorCode codeFromName(const QString &name)
{
    for (ErrorCode c : {ErrorCode::InvalidArgument, ErrorCode::NotFound, ErrorCode::PermissionDenied, ErrorCode::Io, ErrorCode::Parse,
                        ErrorCode::Corrupt, ErrorCode::WrongKey, ErrorCode::Unsupported, ErrorCode::Internal}) {
        if (core::errorCodeName(c) == name)
            return c;
    }
    return ErrorCode::Internal;
}
} // namespace

EnrollmentClient::EnrollmentClient(EnrollmentEndpoint endpoint, QObject *parent)
    : QObject(parent), m_endpoint(std::move(endpoint)), m_result(makeError(ErrorCode::Internal, QStringLiteral("no request yet")))
{
}

void EnrollmentClient::enroll(const QString &token, const QByteArray &csrPem)
{
    send({{QStringLiteral("op"), QStringLiteral("enroll")}, {QStringLiteral("token"), token}, {QStringLiteral("csr"), QString::fromLatin1(csrPem)}},
         crypto::TlsIdentity());
}

void EnrollmentClient::renew(const crypto::TlsIdentity &current, const QByteArray &csrPem)
{
    send({{QStringLiteral("op"), QStringLiteral("renew")}, {QStringLiteral("csr"), QString::fromLatin1(csrPem)}}, current);
}

void EnrollmentClient::fetchRevocationList()
{
    send({{QStringLiteral("op"), QStringLiteral("crl")}}, crypto::TlsIdentity());
}

void EnrollmentClient::complete(core::Result<EnrollmentReply> result)
{
    if (m_socket.isNull())
        return;
    QSslSocket *socket = m_socket;
    m_socket.clear();
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    m_result = std::move(result);
    emit finished();
}

void EnrollmentClient::send(const QJsonObject &request, const crypto::TlsIdentity &identity)
{
    if (isBusy()) {
        qCWarning(lcEnroll) << "enrollment client busy; request dropped";
        return;
    }
    auto config = crypto::TlsConfigurationFactory::client({m_endpoint.caCertificate}, identity);
    if (!config) {
        m_result = config.error();
        QMetaObject::invokeMethod(this, &EnrollmentClient::finished, Qt::QueuedConnection);
        return;
    }
    auto *socket = new QSslSocket(this);
    m_socket = socket;
    socket->setSslConfiguration(*config);
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this] {
        complete(makeError(ErrorCode::Io, QStringLiteral("the enrollment server %1:%2 did not answer in time").arg(m_endpoint.host).arg(m_endpoint.port)));
    });
    const QByteArray line = QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n';
    connect(socket, &QSslSocket::encrypted, this, [socket, line] { socket->write(line); });
    connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        complete(makeError(ErrorCode::PermissionDenied,
                           QStringLiteral("the enrollment server's certificate is not trusted: %1").arg(errors.first().errorString())));
    });
    connect(socket, &QIODevice::readyRead, this, [this, socket] {
        if (!socket->canReadLine())
            return;
        const QJsonObject reply = QJsonDocument::fromJson(socket->readLine()).object();
        if (!reply.value(QStringLiteral("ok")).toBool()) {
            complete(makeError(codeFromName(reply.value(QStringLiteral("code")).toString()),
                               QStringLiteral("refused by the CA holder: %1").arg(reply.value(QStringLiteral("error")).toString())));
            return;
        }
        complete(EnrollmentReply{reply.value(QStringLiteral("certificate")).toString().toLatin1(),
                                 reply.value(QStringLiteral("ca")).toString().toLatin1(),
                                 reply.value(QStringLiteral("crl")).toString().toLatin1()});
    });
    connect(socket, &QSslSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError) {
        if (socket->canReadLine())
            return; // the answer arrived before the close; readyRead handles it
        complete(makeError(ErrorCode::PermissionDenied,
                           QStringLiteral("the connection to the enrollment server ended without an answer "
                                          "(a revoked or invalid device certificate is refused): %1")
                               .arg(socket->errorString())));
    });
    timer->start(m_timeoutMs);
    socket->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
}

} // namespace signiq::enroll
