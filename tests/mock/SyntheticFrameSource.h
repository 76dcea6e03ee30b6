#pragma once

#include "vision/capture/FrameSource.h"

#include <QSize>

#include <atomic>
#include <functional>

namespace signiq::test {

// A frame source without video: `frames` BGR frames of `size`, each filled with a non-zero
// pattern (so that a scrubbed buffer is distinguishable), stamped startMs + i * 1000 / fps.
// Optionally live (no frame count, the pipeline drops the oldest frame when behind) and
// failing at a given frame. It checks every buffer the pool hands it: a buffer that still holds
// non-zero bytes from an earlier frame counts as dirty (the pool must have zeroed it).
class SyntheticFrameSource final : public vision::FrameSource {
public:
    struct Options {
        int frames = 100;
        QSize size{160, 120};
        double fps = 10.0;
        qint64 startMs = 1'700'000'000'000;
        bool live = false;
        int failAt = -1;                           // read() of this frame index returns an error
        std::function<void(qint64 index)> onRead;  // called before each frame is produced
    };

    explicit SyntheticFrameSource(Options options);

    core::Status open() override { return {}; }
    core::Result<bool> read(vision::PooledFrame &into) override;
    double nominalFps() const override { return m_options.fps; }
    qint64 frameCount() const override { return m_options.live ? -1 : m_options.frames; }
    bool isLive() const override { return m_options.live; }
    QString description() const override { return QStringLiteral("synthetic"); }
    void interrupt() override { m_interrupted.store(true); }

    // Shared counters, readable after the source was handed to a pipeline.
    struct Counters {
        std::atomic<qint64> framesProduced{0};
        std::atomic<qint64> dirtyBuffers{0};   // reused buffers that were not zeroed
        std::atomic<qint64> reusedBuffers{0};  // buffers that had held a frame before
        std::atomic<bool> interrupted{false};
    };
    std::shared_ptr<Counters> counters() const { return m_counters; }

    static constexpr uchar kPattern = 0x5a;

private:
    Options m_options;
    qint64 m_next = 0;
    std::atomic<bool> m_interrupted{false};
    std::shared_ptr<Counters> m_counters = std::make_shared<Counters>();
};

} // namespace signiq::test
