#pragma once

#include "api/ApiServices.h"
#include "api/RouteTable.h"

#include <QObject>

#include <list>
#include <memory>

namespace signiq::api {

// GET /v1/overlay: the installer's live anonymised view as a multipart JPEG stream
// (calibrate scope). At most overlayMaxSessions at a time, overlayMaxFps per session, closed
// after overlayMaxSessionMs, when the client goes, when the server stops, or when its key is
// revoked; a slow client skips frames instead of growing memory. Every open and close is
// audited. The feed renders only while a session is open.
class OverlayEndpoint : public QObject {
    Q_OBJECT
public:
    explicit OverlayEndpoint(ApiServices &services, QObject *parent = nullptr);
    ~OverlayEndpoint() override;

    void addRoutes(RouteTable &routes);
    int openSessions() const { return int(m_sessions.size()); }
    // Ends every open session of this key (e.g. it was revoked).
    void closeSessionsOf(const QString &keyId, const QString &reason);
    void closeAll(const QString &reason);

signals:
    void sessionOpened(const QString &keyId);
    void sessionClosed(const QString &keyId, const QString &reason, int frames);

private:
    struct Session;
    std::optional<ApiResponse> open(const ApiRequest &request, const Caller &caller, StreamTarget &target);
    void onFrame(const QByteArray &image, qint64 timestampMs);
    void close(Session *session, const QString &reason);

    ApiServices &m_s;
    std::list<std::unique_ptr<Session>> m_sessions;
};

} // namespace signiq::api
