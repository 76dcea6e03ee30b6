#include "sync/HubClient.h"

#include "sync/SyncLog.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace signiq::sync {

SendOutcome classifyAnswer(int status, const QByteArray &body, const QString &batchId, const QString &transportError)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonObject error = json.value(QStringLiteral("error")).toObject();
    const QString detail = error.isEmpty() ? QString::fromUtf8(body.left(200))
                                           : error.value(QStringLiteral("code")).toString() + QStringLiteral(": ")
            + error.value(QStringLiteral("message")).toString();
    if (status == 0)
        return SendFailed{QStringLiteral("no answer from the hub: %1").arg(transportError)};
    if (status == 200) {
        auto ack = protocol::SyncAck::fromJson(json);
        if (!ack)
            return SendFailed{QStringLiteral("the hub's answer is not an acknowledgement: %1").arg(ack.error().message)};
        if (ack->batchId != batchId)
            return SendFailed{QStringLiteral("the hub acknowledged batch %1, not %2").arg(ack->batchId, batchId)};
        return SendAcked{std::move(*ack)};
    }
    if (status == 400 || status == 413 || status == 422)
        return SendRefused{status, QStringLiteral("%1 %2").arg(status).arg(detail)};
    return SendFailed{QStringLiteral("%1 %2").arg(status).arg(detail)};
}

HttpsHubClient::HttpsHubClient(HubEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

SendOutcome HttpsHubClient::send(const protocol::SyncBatch &batch)
{
    auto config = crypto::TlsConfigurationFactory::client(m_endpoint.hubCas, m_endpoint.device);
    if (!config)
        return SendFailed{QStringLiteral("TLS configuration: %1").arg(config.error().message)};
    QUrl url = m_endpoint.url;
    url.setPath(QStringLiteral("/v1/sync/batches"));
    QNetworkRequest request(url);
    request.setSslConfiguration(*config);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_endpoint.timeoutMs);
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.post(request, batch.toBody());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString transport = reply->error() == QNetworkReply::NoError ? QString() : reply->errorString();
    reply->deleteLater();
    return classifyAnswer(status, body, batch.batchId, transport);
}

} // namespace signiq::sync
