#include "vision/capture/ImageDirectorySource.h"
#include "vision/capture/PixelScrub.h"

#include "core/Clock.h"
#include "vision/VisionLog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstring>

namespace signiq::vision {

ImageDirectorySource::ImageDirectorySource(QString directory, SourceOptions options)
    : m_directory(std::move(directory))
    , m_options(std::move(options))
{
    m_fps = m_options.imageDirectoryFps > 0.0 ? m_options.imageDirectoryFps : 10.0;
}

core::Status ImageDirectorySource::open()
{
    const QFileInfo info(m_directory);
    if (!info.exists())
        return core::makeError(core::ErrorCode::NotFound, QStringLiteral("image directory not found: ") + m_directory);
    if (!info.isDir() || !info.isReadable())
        return core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("cannot read image directory: ") + m_directory);

    const QDir dir(m_directory);
    const QStringList filters{QStringLiteral("*.png"), QStringLiteral("*.jpg"), QStringLiteral("*.jpeg")};
    m_files.clear();
    const auto entries = dir.entryInfoList(filters, QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase);
    for (const QFileInfo &entry : entries)
        m_files.push_back(entry.absoluteFilePath());
    if (m_files.isEmpty())
        return core::makeError(core::ErrorCode::NotFound, QStringLiteral("no .png/.jpg images in directory: ") + m_directory);

    m_next = 0;
    m_playStart = {};
    m_startTimeMs = m_options.startTimeMs.value_or(m_options.clock ? m_options.clock->nowMs() : core::SystemClock().nowMs());
    qCInfo(lcVision, "opened image directory %s (%lld images, %.2f fps)", qUtf8Printable(m_directory),
           static_cast<long long>(m_files.size()), m_fps);
    return {};
}

void ImageDirectorySource::interrupt()
{
    {
        std::lock_guard lock(m_sleepMutex);
        m_interrupted.store(true);
    }
    m_sleepWake.notify_all();
}

core::Result<bool> ImageDirectorySource::read(PooledFrame &into)
{
    if (into.isNull())
        return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("read() needs a pooled frame"));
    if (m_interrupted.load() || m_next >= m_files.size())
        return false;

    if (m_options.realtime) {
        if (m_playStart == std::chrono::steady_clock::time_point{})
            m_playStart = std::chrono::steady_clock::now();
        const auto due = m_playStart + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                           std::chrono::duration<double>(static_cast<double>(m_next) / m_fps));
        std::unique_lock lock(m_sleepMutex);
        m_sleepWake.wait_until(lock, due, [this] { return m_interrupted.load(); });
        if (m_interrupted.load())
            return false;
    }

    const QString path = m_files.at(m_next);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::makeError(core::ErrorCode::Io, QStringLiteral("cannot read image %1: %2").arg(path, file.errorString()));
    QByteArray bytes = file.readAll();
    file.close();

    bool decoded = false;
    QString failure;
    if (!bytes.isEmpty()) {
        try {
            const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
            cv::imdecode(encoded, cv::IMREAD_COLOR, &into.image()); // decodes into the pooled buffer
            decoded = !into.image().empty();
        } catch (const cv::Exception &e) {
            failure = QString::fromUtf8(e.what());
        }
    }
    scrubBytes(bytes.data(), static_cast<size_t>(bytes.size())); // the encoded pixels too
    if (!decoded) {
        return core::makeError(core::ErrorCode::Parse, QStringLiteral("cannot decode image %1%2")
                                                           .arg(path, failure.isEmpty() ? QString() : QStringLiteral(": ") + failure));
    }

    FrameInfo &info = into.info();
    info.index = m_next++;
    info.timestampMs = m_startTimeMs + std::llround(static_cast<double>(info.index) * 1000.0 / m_fps);
    info.capturedAt = std::chrono::steady_clock::now();
    return true;
}

} // namespace signiq::vision
