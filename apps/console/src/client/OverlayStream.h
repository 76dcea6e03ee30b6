#pragma once

#include "client/DeviceTypes.h"

#include <QObject>

namespace signiq::console {

// A live overlay session (/v1/overlay: at most 5 fps, closed by the device after 10 minutes).
// Destroying the object closes the session.
class OverlayStream : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~OverlayStream() override = default;

signals:
    void frameReceived(const signiq::console::OverlayFrame &frame);
    // The session ended: the device closed it (time limit), the connection failed, or the key
    // lacks the calibrate scope. `message` is English detail for the log; the UI shows its own.
    void closed(const QString &message);
};

} // namespace signiq::console
