#pragma once

#include "api/OverlayFeed.h"
#include "core/ZoneConfig.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace signiq::vision {
class FrameSource;
}

namespace signiq::edge {

// The installer overlay for /v1/overlay: frames from `sourceSpec`, anonymised by
// vision::OverlayRenderer (pixelation + zones; at most maxFps per second of frame time) and
// JPEG-encoded here — the only place Signiq encodes an image, and only while an installer
// session is open (start() .. stop()). A file or image directory is looped.
//
// It reads its own FrameSource: vision::EdgePipeline has no frame tap yet, so a camera that the
// pipeline already holds cannot be shared (see docs/api.md, "overlay").
class VisionOverlayFeed final : public api::OverlayFeed {
    Q_OBJECT
public:
    VisionOverlayFeed(QString sourceSpec, core::ZoneConfig zones, double maxFps = 5.0, QObject *parent = nullptr);
    ~VisionOverlayFeed() override;

    void start() override;
    void stop() override;
    QString lastError() const;

private:
    void run();

    QString m_spec;
    core::ZoneConfig m_zones;
    double m_maxFps;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
    std::mutex m_sourceMutex;
    vision::FrameSource *m_source = nullptr; // for interrupt() from stop()
    mutable std::mutex m_errorMutex;
    QString m_lastError;
};

} // namespace signiq::edge
