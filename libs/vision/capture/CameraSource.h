#pragma once

#include "vision/capture/FrameSource.h"

#include <QList>
#include <QString>

#include <memory>

namespace signiq::vision {

struct CameraInfo {
    QString id;          // stable platform id (e.g. /dev/video0 path or a backend id)
    QString description; // human-readable name
    bool isDefault = false;
};

// The video inputs Qt Multimedia sees (QMediaDevices::videoInputs()); empty when there are none.
// Needs a QCoreApplication.
QList<CameraInfo> listCameras();

// A camera through Qt Multimedia: QCamera -> QMediaCaptureSession -> QVideoSink, living in a
// thread of its own with an event loop. The newest QVideoFrame is handed over under a mutex (an
// unread older frame is superseded, never queued) and converted to BGR straight into the pooled
// buffer on the reader's thread. No audio input is ever created.
//
// selector: "" = the default camera, a number = index into listCameras(), otherwise a camera id
// (or exact description). Needs a QCoreApplication.
class CameraSource final : public FrameSource {
public:
    explicit CameraSource(QString selector, SourceOptions options = {});
    ~CameraSource() override;

    core::Status open() override;
    core::Result<bool> read(PooledFrame &into) override;
    double nominalFps() const override;
    qint64 frameCount() const override { return -1; }
    bool isLive() const override { return true; }
    QString description() const override;
    void interrupt() override;

    qint64 supersededFrames() const; // camera frames replaced before read() took them

private:
    void close();

    class Private;
    std::unique_ptr<Private> d;
};

} // namespace signiq::vision
