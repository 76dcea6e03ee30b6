#pragma once

#include <QByteArray>
#include <QObject>

namespace signiq::api {

// Where the anonymised installer overlay comes from. libs/api never sees pixels: a feed hands
// over frames that the vision side already anonymised (vision::OverlayRenderer) and encoded
// (JPEG). The server starts the feed when the first overlay session opens and stops it when
// the last one closes; a stopped feed renders nothing and keeps no image.
class OverlayFeed : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    virtual void stop() = 0;
    // "image/jpeg" or "image/png".
    virtual QByteArray mimeType() const { return QByteArrayLiteral("image/jpeg"); }

signals:
    // An encoded anonymised overlay frame. Emitted in the feed's thread; the server receives it
    // queued in its own thread and drops frames beyond its rate limit.
    void frameEncoded(const QByteArray &image, qint64 timestampMs);
};

} // namespace signiq::api
