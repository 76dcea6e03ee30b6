#include "api/endpoints/OverlayEndpoint.h"

#include "api/OverlayFeed.h"
#include "api/RequestDecoding.h"

#include "http/HttpServer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

namespace signiq::api {

namespace {
const QByteArray kBoundary = QByteArrayLiteral("signiq-overlay-frame");
}

struct OverlayEndpoint::Session {
    QPointer<http::ResponseStream> stream;
    QString keyId;
    QString ip;
    int frames = 0;
    QElapsedTimer sinceLastFrame;
    std::unique_ptr<QTimer> timeout;
};

OverlayEndpoint::OverlayEndpoint(ApiServices &services, QObject *parent)
    : QObject(parent)
    , m_s(services)
{
    if (m_s.context.overlay)
        connect(m_s.context.overlay, &OverlayFeed::frameEncoded, this, &OverlayEndpoint::onFrame, Qt::QueuedConnection);
}

OverlayEndpoint::~OverlayEndpoint()
{
    closeAll(QStringLiteral("server stopped"));
}

void OverlayEndpoint::addRoutes(RouteTable &routes)
{
    routes.add({QStringLiteral("GET"), QStringLiteral("/v1/overlay"), {Scope::Calibrate}, false, {},
                [this](const ApiRequest &r, const Caller &c, StreamTarget &t) { return open(r, c, t); }});
}

void OverlayEndpoint::closeSessionsOf(const QString &keyId, const QString &reason)
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        Session *s = it->get();
        ++it; // close() erases s
        if (s->keyId == keyId)
            close(s, reason);
    }
}

void OverlayEndpoint::closeAll(const QString &reason)
{
    while (!m_sessions.empty())
        close(m_sessions.front().get(), reason);
}

std::optional<ApiResponse> OverlayEndpoint::open(const ApiRequest &request, const Caller &caller, StreamTarget &target)
{
    if (auto bad = checkQuery(request.query, {}))
        return *bad;
    if (!m_s.context.overlay) {
        m_s.audit(caller, QStringLiteral("overlay.open"), QString(), QStringLiteral("error: no overlay source"));
        return ApiResponse::error(503, QStringLiteral("unavailable"), QStringLiteral("no overlay source on this device"));
    }
    const ApiServerOptions &o = m_s.options;
    if (int(m_sessions.size()) >= o.overlayMaxSessions) {
        m_s.audit(caller, QStringLiteral("overlay.open"), QString(), QStringLiteral("error: too many sessions"));
        return ApiResponse::error(409, QStringLiteral("conflict"), QStringLiteral("at most %1 overlay sessions at a time").arg(o.overlayMaxSessions));
    }
    m_s.audit(caller, QStringLiteral("overlay.open"), QString(),
              QStringLiteral("ok: max %1 fps, closes after %2 s").arg(o.overlayMaxFps).arg(o.overlayMaxSessionMs / 1000));
    http::Response head;
    head.status = 200;
    head.contentType = QByteArrayLiteral("multipart/x-mixed-replace; boundary=") + kBoundary;
    head.headers = {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store")},
                    {QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff")},
                    {QByteArrayLiteral("RateLimit-Policy"), caller.policy.headerValue().toLatin1()},
                    {QByteArrayLiteral("RateLimit"), caller.rate.headerValue().toLatin1()},
                    {QByteArrayLiteral("X-Overlay-Max-Fps"), QByteArray::number(o.overlayMaxFps)},
                    {QByteArrayLiteral("X-Overlay-Max-Seconds"), QByteArray::number(o.overlayMaxSessionMs / 1000)}};
    auto session = std::make_unique<Session>();
    session->stream = target.opener->open(head);
    session->keyId = caller.key->keyId;
    session->ip = caller.ip;
    session->stream->write(QByteArrayLiteral("\r\n"));
    Session *raw = session.get();
    session->timeout = std::make_unique<QTimer>();
    session->timeout->setSingleShot(true);
    connect(session->timeout.get(), &QTimer::timeout, this, [this, raw] { close(raw, QStringLiteral("time limit")); });
    session->timeout->start(int(o.overlayMaxSessionMs));
    connect(session->stream, &http::ResponseStream::closed, session->timeout.get(), [this, raw] { close(raw, QStringLiteral("client disconnected")); });
    const bool first = m_sessions.empty();
    m_sessions.push_back(std::move(session));
    if (first)
        m_s.context.overlay->start();
    emit sessionOpened(caller.key->keyId);
    return std::nullopt;
}

void OverlayEndpoint::onFrame(const QByteArray &image, qint64 timestampMs)
{
    const qint64 minIntervalMs = qint64(1000.0 / m_s.options.overlayMaxFps);
    const QByteArray mime = m_s.context.overlay ? m_s.context.overlay->mimeType() : QByteArrayLiteral("image/jpeg");
    for (auto &s : m_sessions) {
        if (!s->stream || !s->stream->isOpen())
            continue;
        if (s->frames > 0 && s->sinceLastFrame.isValid() && s->sinceLastFrame.elapsed() < minIntervalMs)
            continue; // at most overlayMaxFps per session
        if (s->stream->bytesToWrite() > m_s.options.overlayMaxBufferedBytes)
            continue; // a slow client skips frames
        QByteArray part = QByteArrayLiteral("--") + kBoundary + QByteArrayLiteral("\r\nContent-Type: ") + mime
            + QByteArrayLiteral("\r\nContent-Length: ") + QByteArray::number(image.size())
            + QByteArrayLiteral("\r\nX-Timestamp-Ms: ") + QByteArray::number(timestampMs) + QByteArrayLiteral("\r\n\r\n");
        part += image;
        part += QByteArrayLiteral("\r\n");
        s->stream->write(part);
        s->sinceLastFrame.start();
        ++s->frames;
    }
}

void OverlayEndpoint::close(Session *session, const QString &reason)
{
    auto it = std::find_if(m_sessions.begin(), m_sessions.end(), [session](const auto &s) { return s.get() == session; });
    if (it == m_sessions.end())
        return;
    std::unique_ptr<Session> s = std::move(*it);
    m_sessions.erase(it);
    s->timeout->stop();
    if (s->stream && s->stream->isOpen()) {
        s->stream->write(QByteArrayLiteral("--") + kBoundary + QByteArrayLiteral("--\r\n"));
        s->stream->close();
    }
    Caller caller;
    caller.ip = s->ip;
    ApiKeyInfo who;
    who.keyId = s->keyId;
    caller.key = who;
    m_s.audit(caller, QStringLiteral("overlay.close"), QString(), QStringLiteral("ok: %1 after %2 frames").arg(reason).arg(s->frames));
    if (m_sessions.empty() && m_s.context.overlay)
        m_s.context.overlay->stop();
    emit sessionClosed(s->keyId, reason, s->frames);
    // The timer may be the sender of this call: delete it later, but cut its connections now —
    // a socket torn down after this endpoint must not call back.
    if (s->stream)
        QObject::disconnect(s->stream, nullptr, s->timeout.get(), nullptr);
    s->timeout->disconnect();
    s->timeout.release()->deleteLater();
}

} // namespace signiq::api
