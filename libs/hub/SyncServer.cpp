#include "hub/SyncServer.h"

#include "crypto/TlsServer.h"
#include "http/HttpServer.h"
#include "hub/HubLog.h"

#include <QJsonDocument>

namespace signiq::hub {

using core::ErrorCode;

namespace {

QList<QSslCertificate> toQt(const QList<crypto::Certificate> &certificates)
{
    QList<QSslCertificate> out;
    for (const crypto::Certificate &c : certificates)
        out.append(c.toQSslCertificate());
    return out;
}

http::Response refuse(int status, const char *code, const QString &message)
{
    qCInfo(lcHub) << "sync: refused with" << status << code << ":" << message;
    return http::Response::error(status, QString::fromLatin1(code), message);
}

} // namespace

http::Limits SyncServer::defaultLimits()
{
    http::Limits limits;
    limits.maxBodyBytes = protocol::SyncBatch::MaxBodyBytes;
    return limits;
}

SyncServer::SyncServer(Database &db, const core::Clock &clock, SyncIngestSettings settings, QObject *parent)
    : QObject(parent), m_ingest(db, clock, settings)
{
    m_http = std::make_unique<http::HttpServer>(defaultLimits(), [this](const http::Request &request, http::StreamOpener &) {
        return std::optional<http::Response>(handle(request));
    });
}

SyncServer::~SyncServer() = default;

core::Result<quint16> SyncServer::listen(const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port)
{
    auto anchors = m_ingest.trustAnchors();
    if (!anchors)
        return anchors.error();
    if (anchors->isEmpty())
        return core::makeError(ErrorCode::Unsupported, QStringLiteral("no deployment CA is registered: devices could not authenticate "
                                                                      "(register one with the organisation's `signiq-edge ca` certificate)"));
    m_anchors = std::move(*anchors);
    m_identity = identity;
    auto listening = m_http->listen(identity, address, port, toQt(m_anchors), crypto::ClientCertificates::Required);
    if (listening)
        qCInfo(lcHub) << "sync listening (mutual TLS 1.3) on" << address.toString() << *listening << "with" << m_anchors.size()
                      << "deployment CAs";
    return listening;
}

core::Status SyncServer::reloadTrustAnchors()
{
    auto anchors = m_ingest.trustAnchors();
    if (!anchors)
        return anchors.error();
    m_anchors = std::move(*anchors);
    return m_http->tlsServer()->configure(m_identity, toQt(m_anchors), crypto::ClientCertificates::Required);
}

http::Response SyncServer::handle(const http::Request &request)
{
    if (request.path != QLatin1String("/v1/sync/batches"))
        return refuse(404, "not_found", QStringLiteral("no such endpoint (the sync listener serves POST /v1/sync/batches)"));
    if (request.method != "POST") {
        http::Response r = refuse(405, "method_not_allowed", QStringLiteral("use POST"));
        r.headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("POST")});
        return r;
    }
    if (request.peerCertificate.isNull())
        return refuse(401, "client_certificate_required", QStringLiteral("present the device certificate from enrollment (mutual TLS)"));
    auto peer = crypto::Certificate::fromQSslCertificate(request.peerCertificate);
    if (!peer)
        return refuse(401, "unknown_device", peer.error().message);
    auto device = m_ingest.identify(*peer, m_anchors);
    if (!device) {
        if (device.error().code == ErrorCode::PermissionDenied)
            return refuse(401, "unknown_device", device.error().message);
        return refuse(503, "retry_later", device.error().message);
    }

    auto batch = protocol::SyncBatch::fromBody(request.body);
    if (!batch) {
        if (batch.error().message.contains(QStringLiteral("at most %1 windows").arg(protocol::SyncBatch::MaxWindows)))
            return refuse(413, "batch_too_large", batch.error().message);
        return refuse(400, "malformed_batch", batch.error().message);
    }
    if (batch->deviceId && *batch->deviceId != device->deviceId)
        return refuse(403, "device_mismatch",
                      QStringLiteral("the batch names device %1, but the client certificate is device %2's")
                          .arg(batch->deviceId->toString(QUuid::WithoutBraces), device->deviceId.toString(QUuid::WithoutBraces)));
    if (auto times = m_ingest.checkTimes(*batch); !times)
        return refuse(422, "batch_in_future", times.error().message);

    auto ack = m_ingest.ingest(*device, *batch);
    if (!ack) {
        if (ack.error().code == ErrorCode::InvalidArgument)
            return refuse(422, "batch_refused", ack.error().message);
        qCWarning(lcHub) << "sync: batch" << batch->batchId << "not stored:" << ack.error().toString();
        return refuse(503, "retry_later", QStringLiteral("the batch was not stored; send it again later"));
    }
    http::Response response;
    response.body = QJsonDocument(ack->toJson()).toJson(QJsonDocument::Compact);
    return response;
}

} // namespace signiq::hub
