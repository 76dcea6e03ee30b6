#pragma once

#include "vision/capture/FrameSource.h"

#include <QStringList>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace signiq::vision {

// The .png/.jpg/.jpeg images of a directory in name order, as a finite stream at
// SourceOptions::imageDirectoryFps (frame i is stamped start + i * 1000 / fps). For tests and demos.
class ImageDirectorySource final : public FrameSource {
public:
    explicit ImageDirectorySource(QString directory, SourceOptions options = {});

    core::Status open() override;
    core::Result<bool> read(PooledFrame &into) override;
    double nominalFps() const override { return m_fps; }
    qint64 frameCount() const override { return m_files.size(); }
    bool isLive() const override { return false; }
    QString description() const override { return m_directory; }
    void interrupt() override;

    QStringList files() const { return m_files; }

private:
    QString m_directory;
    SourceOptions m_options;
    double m_fps = 10.0;
    QStringList m_files;
    qint64 m_next = 0;
    qint64 m_startTimeMs = 0;
    std::chrono::steady_clock::time_point m_playStart{};
    std::atomic<bool> m_interrupted{false};
    std::mutex m_sleepMutex;
    std::condition_variable m_sleepWake;
};

} // namespace signiq::vision
