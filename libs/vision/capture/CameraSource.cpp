#include "vision/capture/CameraSource.h"
#include "vision/capture/PixelScrub.h"

#include "core/Clock.h"
#include "vision/VisionLog.h"

#include <QCamera>
#include <QCameraDevice>
#include <QCameraFormat>
#include <QImage>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QScopeGuard>
#include <QThread>
#include <QVideoFrame>
#include <QVideoSink>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>

namespace signiq::vision {

QList<CameraInfo> listCameras()
{
    QList<CameraInfo> cameras;
    const auto inputs = QMediaDevices::videoInputs();
    for (const QCameraDevice &device : inputs)
        cameras.push_back({QString::fromUtf8(device.id()), device.description(), device.isDefault()});
    return cameras;
}

namespace {

QCameraDevice findCamera(const QString &selector)
{
    if (selector.isEmpty())
        return QMediaDevices::defaultVideoInput();
    const auto inputs = QMediaDevices::videoInputs();
    bool isIndex = false;
    const int index = selector.toInt(&isIndex);
    if (isIndex)
        return (index >= 0 && index < inputs.size()) ? inputs.at(index) : QCameraDevice();
    for (const QCameraDevice &device : inputs) {
        if (QString::fromUtf8(device.id()) == selector || device.description() == selector)
            return device;
    }
    return QCameraDevice();
}

QCameraFormat chooseFormat(const QCameraDevice &device, QSize resolution, double fps)
{
    QCameraFormat best;
    double bestScore = std::numeric_limits<double>::max();
    const auto formats = device.videoFormats();
    for (const QCameraFormat &format : formats) {
        double score = 0.0;
        if (resolution.isValid()) {
            score += 1000.0 * (std::abs(format.resolution().width() - resolution.width())
                               + std::abs(format.resolution().height() - resolution.height()));
        }
        if (fps > 0.0)
            score += std::abs(static_cast<double>(format.maxFrameRate()) - fps);
        if (format.pixelFormat() == QVideoFrameFormat::Format_Jpeg)
            score += 0.5; // prefer raw formats when otherwise equal: no decode cost
        if (score < bestScore) {
            bestScore = score;
            best = format;
        }
    }
    return best;
}

cv::Mat planeMat(QVideoFrame &frame, int plane, int rows, int cols, int type)
{
    return cv::Mat(rows, cols, type, frame.bits(plane), static_cast<size_t>(frame.bytesPerLine(plane)));
}

// Converts a camera frame to BGR into `dst` (the pooled buffer). `scratch` is reused and scrubbed.
core::Status convertToBgr(QVideoFrame &frame, cv::Mat &dst, cv::Mat &scratch)
{
    using PF = QVideoFrameFormat;
    const int w = frame.width();
    const int h = frame.height();
    const auto format = frame.pixelFormat();
    try {
        switch (format) {
        case PF::Format_BGRA8888:
        case PF::Format_BGRA8888_Premultiplied:
        case PF::Format_BGRX8888:
        case PF::Format_RGBA8888:
        case PF::Format_RGBX8888:
        case PF::Format_Y8:
        case PF::Format_YUYV:
        case PF::Format_UYVY:
        case PF::Format_NV12:
        case PF::Format_NV21:
        case PF::Format_YUV420P:
        case PF::Format_YV12:
        case PF::Format_Jpeg: {
            if (!frame.map(QVideoFrame::ReadOnly))
                return core::makeError(core::ErrorCode::Io, QStringLiteral("cannot map a camera frame"));
            const auto unmap = qScopeGuard([&frame] { frame.unmap(); });
            switch (format) {
            case PF::Format_BGRA8888:
            case PF::Format_BGRA8888_Premultiplied:
            case PF::Format_BGRX8888:
                cv::cvtColor(planeMat(frame, 0, h, w, CV_8UC4), dst, cv::COLOR_BGRA2BGR);
                break;
            case PF::Format_RGBA8888:
            case PF::Format_RGBX8888:
                cv::cvtColor(planeMat(frame, 0, h, w, CV_8UC4), dst, cv::COLOR_RGBA2BGR);
                break;
            case PF::Format_Y8:
                cv::cvtColor(planeMat(frame, 0, h, w, CV_8UC1), dst, cv::COLOR_GRAY2BGR);
                break;
            case PF::Format_YUYV:
                cv::cvtColor(planeMat(frame, 0, h, w, CV_8UC2), dst, cv::COLOR_YUV2BGR_YUYV);
                break;
            case PF::Format_UYVY:
                cv::cvtColor(planeMat(frame, 0, h, w, CV_8UC2), dst, cv::COLOR_YUV2BGR_UYVY);
                break;
            case PF::Format_NV12:
            case PF::Format_NV21:
                cv::cvtColorTwoPlane(planeMat(frame, 0, h, w, CV_8UC1), planeMat(frame, 1, h / 2, w / 2, CV_8UC2), dst,
                                     format == PF::Format_NV12 ? cv::COLOR_YUV2BGR_NV12 : cv::COLOR_YUV2BGR_NV21);
                break;
            case PF::Format_YUV420P:
            case PF::Format_YV12: {
                // Pack the three planes contiguously (OpenCV's I420/YV12 layout), then convert.
                scratch.create(h * 3 / 2, w, CV_8UC1);
                planeMat(frame, 0, h, w, CV_8UC1).copyTo(scratch.rowRange(0, h));
                uchar *chroma = scratch.ptr<uchar>(h);
                const size_t chromaBytes = static_cast<size_t>(w / 2) * static_cast<size_t>(h / 2);
                for (int p = 1; p <= 2; ++p) {
                    cv::Mat packed(h / 2, w / 2, CV_8UC1, chroma + (p - 1) * chromaBytes);
                    planeMat(frame, p, h / 2, w / 2, CV_8UC1).copyTo(packed);
                }
                cv::cvtColor(scratch, dst, format == PF::Format_YUV420P ? cv::COLOR_YUV2BGR_I420 : cv::COLOR_YUV2BGR_YV12);
                scrubPixels(scratch);
                break;
            }
            case PF::Format_Jpeg: {
                const cv::Mat encoded(1, frame.mappedBytes(0), CV_8U, frame.bits(0));
                cv::imdecode(encoded, cv::IMREAD_COLOR, &dst);
                break;
            }
            default:
                break;
            }
            break;
        }
        default: {
            // Anything else: let Qt convert (slower); scrub the temporary image afterwards.
            QImage image = frame.toImage().convertToFormat(QImage::Format_RGB888);
            if (image.isNull())
                return core::makeError(core::ErrorCode::Unsupported,
                                       QStringLiteral("unsupported camera pixel format %1").arg(static_cast<int>(format)));
            cv::cvtColor(cv::Mat(image.height(), image.width(), CV_8UC3, image.bits(), static_cast<size_t>(image.bytesPerLine())),
                         dst, cv::COLOR_RGB2BGR);
            scrubBytes(image.bits(), static_cast<size_t>(image.sizeInBytes()));
            break;
        }
        }
    } catch (const cv::Exception &e) {
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("converting a camera frame failed: ") + QString::fromUtf8(e.what()));
    }
    if (dst.empty())
        return core::makeError(core::ErrorCode::Io, QStringLiteral("camera delivered an empty frame"));
    return {};
}

} // namespace

class CameraSource::Private {
public:
    QString selector;
    SourceOptions options;
    QString description;
    double fps = 0.0;
    qint64 nextIndex = 0;
    cv::Mat scratch;

    // Owned by the camera thread once started.
    std::unique_ptr<QThread> thread;
    QObject *context = nullptr; // lives in `thread`; the camera objects' signals are delivered there
    QCamera *camera = nullptr;
    QMediaCaptureSession *session = nullptr;
    QVideoSink *sink = nullptr;

    // Hand-over between the camera thread and the reader.
    mutable std::mutex mutex;
    std::condition_variable frameArrived;
    QVideoFrame latest;
    bool fresh = false;
    qint64 latestWallMs = 0;
    std::chrono::steady_clock::time_point latestArrivedAt{};
    QString error;
    bool interrupted = false;
    qint64 superseded = 0;

    qint64 wallNowMs() const { return options.clock ? options.clock->nowMs() : core::SystemClock().nowMs(); }

    // Runs in the camera thread.
    core::Status start()
    {
        const QCameraDevice device = findCamera(selector);
        if (device.isNull()) {
            return core::makeError(core::ErrorCode::NotFound,
                                   QStringLiteral("no camera matches \"camera:%1\" (%2 camera(s) available; see `signiq-edge cameras`)")
                                       .arg(selector)
                                       .arg(QMediaDevices::videoInputs().size()));
        }
        description = QStringLiteral("camera %1 (%2)").arg(device.description(), QString::fromUtf8(device.id()));

        camera = new QCamera(device, context);
        session = new QMediaCaptureSession(context);
        sink = new QVideoSink(context);
        if (options.cameraResolution.isValid() || options.cameraFps > 0.0) {
            const QCameraFormat format = chooseFormat(device, options.cameraResolution, options.cameraFps);
            if (!format.isNull())
                camera->setCameraFormat(format);
        }
        const QCameraFormat active = camera->cameraFormat();
        fps = (!active.isNull() && active.maxFrameRate() > 0.f) ? static_cast<double>(active.maxFrameRate()) : options.cameraFps;

        QObject::connect(sink, &QVideoSink::videoFrameChanged, context, [this](const QVideoFrame &frame) {
            if (!frame.isValid())
                return;
            {
                std::lock_guard lock(mutex);
                if (fresh)
                    ++superseded;
                latest = frame;
                fresh = true;
                latestWallMs = wallNowMs();
                latestArrivedAt = std::chrono::steady_clock::now();
            }
            frameArrived.notify_all();
        });
        QObject::connect(camera, &QCamera::errorOccurred, context, [this](QCamera::Error code, const QString &message) {
            if (code == QCamera::NoError)
                return;
            qCWarning(lcVision, "%s: %s", qUtf8Printable(description), qUtf8Printable(message));
            {
                std::lock_guard lock(mutex);
                error = message.isEmpty() ? QStringLiteral("camera error") : message;
            }
            frameArrived.notify_all();
        });

        session->setCamera(camera);
        session->setVideoSink(sink);
        camera->start();
        if (camera->error() != QCamera::NoError) {
            return core::makeError(core::ErrorCode::Io,
                                   QStringLiteral("cannot start %1: %2").arg(description, camera->errorString()));
        }
        return {};
    }

    // Runs in the camera thread.
    void stop()
    {
        if (camera)
            camera->stop();
        {
            std::lock_guard lock(mutex);
            latest = QVideoFrame(); // give the buffer back to the camera
            fresh = false;
        }
        delete session; // detaches camera and sink
        delete sink;
        delete camera;
        session = nullptr;
        sink = nullptr;
        camera = nullptr;
    }
};

CameraSource::CameraSource(QString selector, SourceOptions options)
    : d(std::make_unique<Private>())
{
    d->selector = std::move(selector);
    d->options = std::move(options);
    d->description = QStringLiteral("camera:") + d->selector;
}

CameraSource::~CameraSource()
{
    close();
}

void CameraSource::close()
{
    if (!d->thread)
        return;
    QMetaObject::invokeMethod(d->context, [this] { d->stop(); }, Qt::BlockingQueuedConnection);
    d->thread->quit();
    d->thread->wait();
    delete d->context; // its thread has finished
    d->context = nullptr;
    d->thread.reset();
}

core::Status CameraSource::open()
{
    close();
    {
        std::lock_guard lock(d->mutex);
        d->error.clear();
        d->fresh = false;
    }
    d->thread = std::make_unique<QThread>();
    d->thread->setObjectName(QStringLiteral("signiq-camera"));
    d->context = new QObject;
    d->context->moveToThread(d->thread.get());
    d->thread->start();

    core::Status status;
    QMetaObject::invokeMethod(d->context, [this, &status] { status = d->start(); }, Qt::BlockingQueuedConnection);
    if (!status.ok()) {
        close();
        return status;
    }
    d->nextIndex = 0;
    qCInfo(lcVision, "opened %s (%.2f fps)", qUtf8Printable(d->description), d->fps);
    return {};
}

core::Result<bool> CameraSource::read(PooledFrame &into)
{
    if (into.isNull())
        return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("read() needs a pooled frame"));
    if (!d->thread)
        return core::makeError(core::ErrorCode::Io, QStringLiteral("camera is not open: ") + d->description);

    QVideoFrame frame;
    qint64 wallMs = 0;
    std::chrono::steady_clock::time_point arrivedAt;
    {
        std::unique_lock lock(d->mutex);
        d->frameArrived.wait_for(lock, d->options.cameraFrameTimeout,
                                 [this] { return d->fresh || d->interrupted || !d->error.isEmpty(); });
        if (d->interrupted)
            return false;
        if (!d->error.isEmpty())
            return core::makeError(core::ErrorCode::Io, QStringLiteral("%1: %2").arg(d->description, d->error));
        if (!d->fresh) {
            return core::makeError(core::ErrorCode::Io, QStringLiteral("%1 delivered no frame for %2 ms")
                                                            .arg(d->description)
                                                            .arg(d->options.cameraFrameTimeout.count()));
        }
        frame = std::move(d->latest);
        d->latest = QVideoFrame();
        d->fresh = false;
        wallMs = d->latestWallMs;
        arrivedAt = d->latestArrivedAt;
    }

    const core::Status converted = convertToBgr(frame, into.image(), d->scratch);
    frame = QVideoFrame();
    if (!converted.ok())
        return converted.error();

    FrameInfo &info = into.info();
    info.index = d->nextIndex++;
    info.timestampMs = wallMs;
    info.capturedAt = arrivedAt;
    return true;
}

double CameraSource::nominalFps() const
{
    return d->fps;
}

QString CameraSource::description() const
{
    return d->description;
}

void CameraSource::interrupt()
{
    {
        std::lock_guard lock(d->mutex);
        d->interrupted = true;
    }
    d->frameArrived.notify_all();
}

qint64 CameraSource::supersededFrames() const
{
    std::lock_guard lock(d->mutex);
    return d->superseded;
}

} // namespace signiq::vision
