#include "vision/capture/FrameSource.h"

#include "vision/capture/CameraSource.h"
#include "vision/capture/ImageDirectorySource.h"
#include "vision/capture/VideoFileSource.h"

#include <QFileInfo>
#include <QUrl>

namespace signiq::vision {

core::Result<std::unique_ptr<FrameSource>> openFrameSource(const QString &spec, const SourceOptions &options)
{
    const QString trimmed = spec.trimmed();
    if (trimmed.isEmpty())
        return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("no video source given"));

    std::unique_ptr<FrameSource> source;
    const QLatin1String cameraPrefix("camera:");
    if (trimmed.startsWith(cameraPrefix, Qt::CaseInsensitive)) {
        source = std::make_unique<CameraSource>(trimmed.mid(cameraPrefix.size()), options);
    } else if (VideoFileSource::isStreamUrl(trimmed)) {
        source = std::make_unique<VideoFileSource>(trimmed, options);
    } else {
        QString path = trimmed;
        if (path.startsWith(QLatin1String("file://"), Qt::CaseInsensitive))
            path = QUrl(path).toLocalFile();
        const QFileInfo info(path);
        if (!info.exists())
            return core::makeError(core::ErrorCode::NotFound, QStringLiteral("video source not found: ") + path);
        if (!info.isReadable())
            return core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("video source not readable: ") + path);
        if (info.isDir())
            source = std::make_unique<ImageDirectorySource>(path, options);
        else
            source = std::make_unique<VideoFileSource>(path, options);
    }

    if (const core::Status opened = source->open(); !opened.ok())
        return opened.error();
    return source;
}

} // namespace signiq::vision
