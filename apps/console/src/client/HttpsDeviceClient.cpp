#include "client/HttpsDeviceClient.h"

#include "ConsoleLog.h"
#include "audit/AuditFilter.h"
#include "client/DeviceJson.h"
#include "crypto/TlsConfiguration.h"

#include <QCryptographicHash>
#include <QImage>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QPromise>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr char CertificateProblem[] = "signiqCertificateProblem";

template <typename T>
using PromisePtr = std::shared_ptr<QPromise<core::Result<T>>>;

template <typename T>
PromisePtr<T> makePromise()
{
    auto promise = std::make_shared<QPromise<core::Result<T>>>();
    promise->start();
    return promise;
}

template <typename T>
void settle(const PromisePtr<T> &promise, core::Result<T> result)
{
    promise->addResult(std::move(result));
    promise->finish();
}

QString leafFingerprint(const QSslCertificate &certificate)
{
    return certificate.isNull() ? QString() : QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString shortFingerprint(const QString &hex)
{
    return hex.isEmpty() ? QStringLiteral("none") : hex.left(16) + QStringLiteral("…");
}

// A JSON object answer.
core::Result<QJsonObject> jsonObject(const HttpAnswer &answer)
{
    return devicejson::object(answer.body);
}

} // namespace

// ---- overlay -------------------------------------------------------------------------------

// GET /v1/overlay: multipart/x-mixed-replace JPEG parts, decoded on the thread pool.
class HttpsOverlayStream final : public OverlayStream {
public:
    HttpsOverlayStream(QNetworkReply *reply, DeviceAddress address, int timeoutMs)
        : m_reply(reply), m_address(std::move(address)), m_timeoutMs(timeoutMs)
    {
        connect(reply, &QIODevice::readyRead, this, &HttpsOverlayStream::onReadyRead);
        connect(reply, &QNetworkReply::finished, this, &HttpsOverlayStream::onFinished);
    }

    ~HttpsOverlayStream() override
    {
        if (m_reply) {
            m_reply->disconnect(this);
            m_reply->abort(); // closes the connection: the device ends and audits the session
            m_reply->deleteLater();
        }
    }

private:
    int status() const { return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); }

    void onReadyRead()
    {
        if (m_closed || status() != 200)
            return; // an error body: read by onFinished()
        if (!m_started) {
            m_started = true;
            const QByteArray type = m_reply->rawHeader("Content-Type");
            const QByteArray boundary = devicejson::MultipartReader::boundaryOf(type);
            if (!type.toLower().startsWith("multipart/") || boundary.isEmpty()) {
                close(QStringLiteral("the overlay is not a multipart stream (Content-Type: %1)").arg(QString::fromLatin1(type)));
                return;
            }
            m_reader.setBoundary(boundary);
        }
        if (const core::Status fed = m_reader.feed(m_reply->readAll()); !fed) {
            close(fed.error().message);
            return;
        }
        for (devicejson::MultipartReader::Part &part : m_reader.takeParts()) {
            if (!part.contentType.toLower().startsWith("image/"))
                continue;
            const quint64 sequence = ++m_received;
            const qint64 timestampMs = part.timestampMs;
            QtConcurrent::run([body = std::move(part.body)] { return QImage::fromData(body); })
                .then(this, [this, sequence, timestampMs](QImage image) {
                    if (m_closed || sequence <= m_shown || image.isNull())
                        return; // a newer frame was shown already (or the part was no image)
                    m_shown = sequence;
                    OverlayFrame frame;
                    frame.image = std::move(image);
                    frame.timestampMs = timestampMs;
                    emit frameReceived(frame);
                });
        }
        if (m_reader.isFinished())
            close(QStringLiteral("the device ended the overlay session"));
    }

    void onFinished()
    {
        if (m_closed)
            return;
        HttpAnswer answer;
        answer.status = status();
        answer.networkError = m_reply->error();
        answer.networkErrorText = m_reply->errorString();
        answer.certificateProblem = m_reply->property(CertificateProblem).toString();
        answer.body = m_reply->readAll();
        if (answer.status == 200 && answer.certificateProblem.isEmpty() &&
            (answer.networkError == QNetworkReply::NoError || answer.networkError == QNetworkReply::RemoteHostClosedError))
            close(QStringLiteral("the device ended the overlay session"));
        else
            close(HttpsDeviceClient::failure(answer, m_address, m_timeoutMs).message);
    }

    void close(const QString &message)
    {
        if (m_closed)
            return;
        m_closed = true;
        qCInfo(lcConsole) << "overlay closed:" << message;
        emit closed(message);
    }

    QPointer<QNetworkReply> m_reply;
    DeviceAddress m_address;
    int m_timeoutMs = 0;
    devicejson::MultipartReader m_reader;
    bool m_started = false;
    bool m_closed = false;
    quint64 m_received = 0;
    quint64 m_shown = 0;
};

// ---- client ----------------------------------------------------------------------------------

HttpsDeviceClient::HttpsDeviceClient(DeviceAddress address, DeviceTrust trust, QString apiKey, QObject *parent)
    : HttpsDeviceClient(std::move(address), std::move(trust), std::move(apiKey), Options(), parent)
{
}

HttpsDeviceClient::HttpsDeviceClient(DeviceAddress address, DeviceTrust trust, QString apiKey, Options options, QObject *parent)
    : QObject(parent), m_address(std::move(address)), m_trust(std::move(trust)), m_apiKey(std::move(apiKey)),
      m_options(options), m_network(new QNetworkAccessManager(this))
{
    // LAN devices are reached directly, never through a proxy of the environment.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    auto tls = crypto::TlsConfigurationFactory::client(m_trust.deploymentCa);
    if (tls)
        m_tls = tls.value();
    else
        m_tlsProblem = tls.error().message;
}

HttpsDeviceClient::~HttpsDeviceClient() = default;

core::Error HttpsDeviceClient::notConfigured() const
{
    return makeError(ErrorCode::Unsupported, QStringLiteral("no TLS 1.3 client configuration: %1").arg(m_tlsProblem));
}

QNetworkRequest HttpsDeviceClient::makeRequest(const QString &path, const QUrlQuery &query, int timeoutMs) const
{
    QUrl url = m_address.baseUrl();
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    request.setSslConfiguration(*m_tls);
    request.setRawHeader("Authorization", "Bearer " + m_apiKey.toLatin1());
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false); // the device speaks HTTP/1.1
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(timeoutMs);
    return request;
}

void HttpsDeviceClient::guard(QNetworkReply *reply)
{
    // Qt's verification against the trust anchors failed (no CA configured, or a chain that
    // does not verify): only the pinned leaf may continue.
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        QSslCertificate leaf = reply->sslConfiguration().peerCertificate();
        if (leaf.isNull() && !errors.isEmpty())
            leaf = errors.constFirst().certificate();
        const QString presented = leafFingerprint(leaf);
        if (!m_trust.pinnedSha256.isEmpty() && presented.compare(m_trust.pinnedSha256, Qt::CaseInsensitive) == 0) {
            reply->ignoreSslErrors(errors);
            return;
        }
        QStringList reasons;
        for (const QSslError &error : errors)
            reasons.append(error.errorString());
        reply->setProperty(CertificateProblem,
                           QStringLiteral("certificate sha256 %1 is not the pinned one (%2)%3: %4")
                               .arg(shortFingerprint(presented), shortFingerprint(m_trust.pinnedSha256),
                                    m_trust.deploymentCa.isEmpty() ? QString() : QStringLiteral(" nor verified by the deployment CA"),
                                    reasons.join(QStringLiteral("; "))));
    });
    // The handshake completed and nothing has been sent yet. Without a deployment CA, Qt
    // verified against the system store: that alone never makes a device trusted.
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        if (!m_trust.deploymentCa.isEmpty())
            return; // the chain verified to exactly the deployment CA, or sslErrors accepted the pin
        const QString presented = leafFingerprint(reply->sslConfiguration().peerCertificate());
        if (!m_trust.pinnedSha256.isEmpty() && presented.compare(m_trust.pinnedSha256, Qt::CaseInsensitive) == 0)
            return;
        reply->setProperty(CertificateProblem, QStringLiteral("certificate sha256 %1 is not the pinned one (%2)")
                                                   .arg(shortFingerprint(presented), shortFingerprint(m_trust.pinnedSha256)));
        reply->abort();
    });
}

QFuture<HttpAnswer> HttpsDeviceClient::send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                                            const std::optional<QJsonObject> &body)
{
    auto promise = std::make_shared<QPromise<HttpAnswer>>();
    promise->start();
    QFuture<HttpAnswer> future = promise->future();
    QNetworkRequest request = makeRequest(path, query, m_options.timeoutMs);
    QByteArray data;
    if (body) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        data = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    }
    QNetworkReply *reply = nullptr;
    if (verb == "GET")
        reply = m_network->get(request);
    else if (verb == "DELETE")
        reply = m_network->deleteResource(request);
    else
        reply = m_network->sendCustomRequest(request, verb, data);
    guard(reply);
    connect(reply, &QNetworkReply::finished, this, [reply, promise] {
        HttpAnswer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.contentType = reply->rawHeader("Content-Type");
        answer.retryAfter = reply->rawHeader("Retry-After");
        answer.networkError = reply->error();
        answer.networkErrorText = reply->errorString();
        answer.certificateProblem = reply->property(CertificateProblem).toString();
        answer.tlsProtocol = devicejson::tlsProtocolName(reply->sslConfiguration().sessionProtocol());
        reply->deleteLater();
        promise->addResult(std::move(answer));
        promise->finish();
    });
    return future;
}

core::Error HttpsDeviceClient::failure(const HttpAnswer &answer, const DeviceAddress &address, int timeoutMs)
{
    const QString where = address.toString();
    if (!answer.certificateProblem.isEmpty())
        return makeError(ErrorCode::Corrupt, QStringLiteral("%1: %2").arg(where, answer.certificateProblem));
    if (answer.status > 0)
        return devicejson::httpError(answer.status, answer.body, answer.retryAfter);
    switch (answer.networkError) {
    case QNetworkReply::SslHandshakeFailedError:
        return makeError(ErrorCode::Io, QStringLiteral("%1: TLS 1.3 handshake failed: %2").arg(where, answer.networkErrorText));
    case QNetworkReply::OperationCanceledError: // setTransferTimeout() aborts the reply
    case QNetworkReply::TimeoutError:
        return makeError(ErrorCode::Io, QStringLiteral("%1 did not answer within %2 s").arg(where).arg(timeoutMs / 1000));
    default:
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(where, answer.networkErrorText));
    }
}

template <typename T, typename Parse>
DeviceClient::Reply<T> HttpsDeviceClient::call(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                                               const std::optional<QJsonObject> &body, Parse parse)
{
    if (!m_tls)
        return QtFuture::makeReadyFuture(core::Result<T>(notConfigured()));
    return send(verb, path, query, body)
        .then(QThreadPool::globalInstance(),
              [address = m_address, timeoutMs = m_options.timeoutMs, parse](const HttpAnswer &answer) -> core::Result<T> {
                  if (answer.status < 200 || answer.status >= 300 || !answer.certificateProblem.isEmpty())
                      return failure(answer, address, timeoutMs);
                  return parse(answer);
              });
}

DeviceClient::Reply<DeviceHealth> HttpsDeviceClient::health()
{
    return call<DeviceHealth>("GET", QStringLiteral("/v1/health"), {}, std::nullopt,
                              [](const HttpAnswer &answer) -> core::Result<DeviceHealth> {
                                  auto o = jsonObject(answer);
                                  if (!o)
                                      return o.error();
                                  auto h = devicejson::health(*o);
                                  if (h)
                                      h->tlsProtocol = answer.tlsProtocol;
                                  return h;
                              });
}

template <typename Item, typename ParsePage>
DeviceClient::Reply<QList<Item>> HttpsDeviceClient::pagedGet(const QString &path, const WindowQuery &query, ParsePage parsePage)
{
    using List = QList<Item>;
    using Page = devicejson::Page<Item>;
    auto promise = makePromise<List>();
    auto collected = std::make_shared<List>();
    auto fetch = std::make_shared<std::function<void(qint64)>>();
    // The pages are fetched one after the other; the lambda holds itself only weakly.
    *fetch = [this, path, query, parsePage, promise, collected, weak = std::weak_ptr(fetch)](qint64 offset) {
        QUrlQuery q;
        if (!query.zone.isEmpty())
            q.addQueryItem(QStringLiteral("zone"), QString::fromLatin1(QUrl::toPercentEncoding(query.zone)));
        if (query.fromMs > 0)
            q.addQueryItem(QStringLiteral("from"), QString::number(query.fromMs));
        if (query.toMs > 0)
            q.addQueryItem(QStringLiteral("to"), QString::number(query.toMs));
        q.addQueryItem(QStringLiteral("limit"), QString::number(m_options.pageSize));
        q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
        call<Page>("GET", path, q, std::nullopt,
                   [parsePage](const HttpAnswer &answer) -> core::Result<Page> {
                       auto o = jsonObject(answer);
                       return o ? parsePage(*o) : core::Result<Page>(o.error());
                   })
            .then(this, [promise, collected, offset, next = weak.lock()](core::Result<Page> page) {
                if (!page)
                    return settle<List>(promise, page.error());
                collected->append(std::move(page->items));
                if (!page->nextOffset)
                    return settle<List>(promise, std::move(*collected));
                if (*page->nextOffset <= offset)
                    return settle<List>(promise, makeError(ErrorCode::Parse, QStringLiteral("next_offset does not advance")));
                (*next)(*page->nextOffset);
            });
    };
    (*fetch)(0);
    // `fetch` lives as long as a continuation holds it.
    return promise->future();
}

DeviceClient::Reply<QList<core::AudienceWindow>> HttpsDeviceClient::windows(const WindowQuery &query)
{
    return pagedGet<core::AudienceWindow>(QStringLiteral("/v1/windows"), query, &devicejson::windowsPage);
}

DeviceClient::Reply<QList<core::DemographicWindow>> HttpsDeviceClient::demographicWindows(const WindowQuery &query)
{
    // k-suppressed histograms; a device that predates /v1/demographics answers 404, which the
    // dashboard shows as "not available on this device".
    return pagedGet<core::DemographicWindow>(QStringLiteral("/v1/demographics"), query, &devicejson::demographicWindowsPage);
}

DeviceClient::Reply<ZonesDocument> HttpsDeviceClient::zones()
{
    auto promise = makePromise<ZonesDocument>();
    auto parseObject = [](const HttpAnswer &answer) { return jsonObject(answer); };
    auto zonesReply = call<QJsonObject>("GET", QStringLiteral("/v1/zones"), {}, std::nullopt, parseObject);
    auto calibrationReply = call<QJsonObject>("GET", QStringLiteral("/v1/calibration"), {}, std::nullopt, parseObject);
    zonesReply.then(this, [this, promise, calibrationReply](core::Result<QJsonObject> zones) mutable {
        calibrationReply.then(this, [this, promise, zones](core::Result<QJsonObject> calibration) {
            if (!zones)
                return settle<ZonesDocument>(promise, zones.error());
            if (!calibration)
                return settle<ZonesDocument>(promise, calibration.error());
            const QString key = QStringLiteral("calibration_version");
            if (zones->value(key) != calibration->value(key))
                return settle<ZonesDocument>(promise, makeError(ErrorCode::Io, QStringLiteral("the configuration changed while it "
                                                                                             "was read; try again")));
            auto document = devicejson::zonesDocument(*zones, *calibration);
            if (document)
                m_deviceCalibration = calibration->value(QStringLiteral("calibration"));
            settle<ZonesDocument>(promise, std::move(document));
        });
    });
    return promise->future();
}

DeviceClient::Reply<QString> HttpsDeviceClient::putZones(const core::ZoneConfig &config)
{
    // PUT /v1/zones carries everything but the calibration, which has its own endpoint.
    QJsonObject document = QJsonDocument::fromJson(config.toJson()).object();
    const QJsonValue calibration = document.take(QStringLiteral("calibration"));
    auto promise = makePromise<QString>();
    auto parseVersion = [](const HttpAnswer &answer) -> core::Result<QString> {
        auto o = jsonObject(answer);
        return o ? devicejson::calibrationVersion(*o) : core::Result<QString>(o.error());
    };
    call<QString>("PUT", QStringLiteral("/v1/zones"), {}, document, parseVersion)
        .then(this, [this, promise, calibration, parseVersion](core::Result<QString> zonesVersion) {
            if (!zonesVersion)
                return settle<QString>(promise, zonesVersion.error());
            if (!calibration.isObject() || calibration == m_deviceCalibration)
                return settle<QString>(promise, std::move(zonesVersion));
            call<QString>("PUT", QStringLiteral("/v1/calibration"), {}, calibration.toObject(), parseVersion)
                .then(this, [this, promise, calibration, saved = *zonesVersion](core::Result<QString> version) {
                    if (!version) {
                        core::Error error = version.error();
                        error.message = QStringLiteral("zones saved (version %1), calibration refused: %2").arg(saved, error.message);
                        return settle<QString>(promise, error);
                    }
                    m_deviceCalibration = calibration;
                    settle<QString>(promise, std::move(version));
                });
        });
    return promise->future();
}

DeviceClient::Reply<QList<ApiKeyInfo>> HttpsDeviceClient::keys()
{
    return call<QList<ApiKeyInfo>>("GET", QStringLiteral("/v1/keys"), {}, std::nullopt,
                                   [](const HttpAnswer &answer) -> core::Result<QList<ApiKeyInfo>> {
                                       auto o = jsonObject(answer);
                                       return o ? devicejson::keyList(*o) : core::Result<QList<ApiKeyInfo>>(o.error());
                                   });
}

namespace {
core::Result<IssuedKey> parseIssued(const HttpAnswer &answer)
{
    auto o = jsonObject(answer);
    return o ? devicejson::issuedKey(*o) : core::Result<IssuedKey>(o.error());
}

QString keyPath(const QString &keyId, const QString &suffix = QString())
{
    return QStringLiteral("/v1/keys/") + QString::fromLatin1(QUrl::toPercentEncoding(keyId)) + suffix;
}
} // namespace

DeviceClient::Reply<IssuedKey> HttpsDeviceClient::createKey(const NewKeyRequest &request)
{
    return call<IssuedKey>("POST", QStringLiteral("/v1/keys"), {}, devicejson::newKeyBody(request), &parseIssued);
}

DeviceClient::Reply<IssuedKey> HttpsDeviceClient::rotateKey(const QString &keyId, int overlapDays)
{
    const QJsonObject body{{QStringLiteral("overlap_s"), qint64(overlapDays) * 24 * 3600}};
    return call<IssuedKey>("POST", keyPath(keyId, QStringLiteral("/rotate")), {}, body, &parseIssued);
}

DeviceClient::Reply<bool> HttpsDeviceClient::revokeKey(const QString &keyId)
{
    return call<bool>("DELETE", keyPath(keyId), {}, std::nullopt, [](const HttpAnswer &answer) -> core::Result<bool> {
        auto o = jsonObject(answer);
        if (!o)
            return o.error();
        if (o->value(QStringLiteral("revoked_at")).toString().isEmpty())
            return makeError(ErrorCode::Parse, QStringLiteral("revoked_at: missing in the answer"));
        return true;
    });
}

DeviceClient::Reply<QList<protocol::AuditEntry>> HttpsDeviceClient::audit(const AuditQuery &query)
{
    using List = QList<protocol::AuditEntry>;
    auto promise = makePromise<List>();
    auto collected = std::make_shared<List>();
    auto fetch = std::make_shared<std::function<void(qint64)>>();
    *fetch = [this, query, promise, collected, weak = std::weak_ptr(fetch)](qint64 after) {
        QUrlQuery q;
        if (query.fromMs > 0)
            q.addQueryItem(QStringLiteral("from"), QString::number(query.fromMs));
        if (query.toMs > 0)
            q.addQueryItem(QStringLiteral("to"), QString::number(query.toMs));
        q.addQueryItem(QStringLiteral("limit"), QString::number(m_options.pageSize));
        q.addQueryItem(QStringLiteral("after"), QString::number(after));
        call<devicejson::AuditPage>("GET", QStringLiteral("/v1/audit"), q, std::nullopt,
                                    [](const HttpAnswer &answer) -> core::Result<devicejson::AuditPage> {
                                        auto o = jsonObject(answer);
                                        return o ? devicejson::auditPage(*o) : core::Result<devicejson::AuditPage>(o.error());
                                    })
            .then(this, [promise, collected, after, query, next = weak.lock()](core::Result<devicejson::AuditPage> page) {
                if (!page)
                    return settle<List>(promise, page.error());
                collected->append(std::move(page->entries));
                if (!page->nextAfter)
                    return settle<List>(promise, filterAuditEntries(*collected, query)); // actor, action prefix
                if (*page->nextAfter <= after)
                    return settle<List>(promise, makeError(ErrorCode::Parse, QStringLiteral("next_after does not advance")));
                (*next)(*page->nextAfter);
            });
    };
    (*fetch)(0);
    return promise->future();
}

DeviceClient::Reply<QByteArray> HttpsDeviceClient::exportAudit(const AuditQuery &query, AuditExportFormat format)
{
    const bool csv = format == AuditExportFormat::Csv;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("format"), csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    // The device exports the whole chain from entry 1. A time range is cut here into a
    // contiguous slice, which stays verifiable on its own (its first prev_hash).
    return call<QByteArray>("GET", QStringLiteral("/v1/audit/export"), q, std::nullopt,
                            [query, csv](const HttpAnswer &answer) -> core::Result<QByteArray> {
                                if (query.fromMs <= 0 && query.toMs <= 0)
                                    return answer.body;
                                auto entries = protocol::AuditChain::parseExport(answer.body);
                                if (!entries)
                                    return makeError(ErrorCode::Parse, QStringLiteral("audit export: ") + entries.error().message);
                                const QList<protocol::AuditEntry> slice = auditTimeSlice(*entries, query);
                                return csv ? protocol::AuditChain::toCsv(slice) : protocol::AuditChain::toJsonLines(slice);
                            });
}

std::unique_ptr<OverlayStream> HttpsDeviceClient::openOverlay()
{
    if (!m_tls) {
        auto stream = std::make_unique<OverlayStream>();
        QTimer::singleShot(0, stream.get(), [raw = stream.get(), message = notConfigured().message] { emit raw->closed(message); });
        return stream;
    }
    QNetworkRequest request = makeRequest(QStringLiteral("/v1/overlay"), {}, m_options.overlayTimeoutMs);
    request.setRawHeader("Accept", "multipart/x-mixed-replace");
    QNetworkReply *reply = m_network->get(request);
    guard(reply);
    return std::make_unique<HttpsOverlayStream>(reply, m_address, m_options.overlayTimeoutMs);
}

} // namespace signiq::console
