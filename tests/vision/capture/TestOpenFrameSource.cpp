#include "vision/capture/FrameSource.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace signiq;
using namespace signiq::vision;

class TestOpenFrameSource : public QObject {
    Q_OBJECT

private slots:
    void emptySpecIsAnError();
    void missingFileErrorNamesPath();
    void unreadableFileErrorNamesPath();
    void videoFile();
    void fileUrl();
    void imageDirectory();
    void streamUrlIsLive();
    void missingCameraIsAnError();
};

void TestOpenFrameSource::emptySpecIsAnError()
{
    const auto source = openFrameSource(QStringLiteral("  "));
    QVERIFY(!source.ok());
    QCOMPARE(source.error().code, core::ErrorCode::InvalidArgument);
}

void TestOpenFrameSource::missingFileErrorNamesPath()
{
    const QString missing = QStringLiteral("/nonexistent/store-42/entrance.mp4");
    const auto source = openFrameSource(missing);
    QVERIFY(!source.ok());
    QCOMPARE(source.error().code, core::ErrorCode::NotFound);
    QVERIFY2(source.error().message.contains(missing), qPrintable(source.error().message));
}

void TestOpenFrameSource::unreadableFileErrorNamesPath()
{
    if (::geteuid() == 0)
        QSKIP("root can read any file");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("locked.mp4"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
    const auto source = openFrameSource(path);
    QVERIFY(!source.ok());
    QCOMPARE(source.error().code, core::ErrorCode::PermissionDenied);
    QVERIFY(source.error().message.contains(path));
}

void TestOpenFrameSource::videoFile()
{
    const auto source = openFrameSource(QStringLiteral(SIGNIQ_SAMPLE_VIDEO));
    QVERIFY2(source.ok(), qPrintable(source.ok() ? QString() : source.error().toString()));
    QVERIFY(!(*source)->isLive());
    QCOMPARE((*source)->frameCount(), qint64(795));
    FramePool pool(1);
    auto frame = pool.acquire();
    QVERIFY((*source)->read(*frame).value());
}

void TestOpenFrameSource::fileUrl()
{
    const auto source = openFrameSource(QStringLiteral("file://" SIGNIQ_SAMPLE_VIDEO));
    QVERIFY(source.ok());
    QCOMPARE((*source)->nominalFps(), 10.0);
}

void TestOpenFrameSource::imageDirectory()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(QStringLiteral(SIGNIQ_TESTDATA_DIR "/vtest_frame0700.png"), dir.filePath(QStringLiteral("0001.png"))));
    const auto source = openFrameSource(dir.path());
    QVERIFY2(source.ok(), qPrintable(source.ok() ? QString() : source.error().toString()));
    QCOMPARE((*source)->frameCount(), qint64(1));
    QVERIFY(!(*source)->isLive());
}

void TestOpenFrameSource::streamUrlIsLive()
{
    // Nothing listens on the discard port: the first connection fails fast, and a live source
    // keeps retrying in read() instead of failing at start-up.
    SourceOptions options;
    options.streamTimeout = std::chrono::milliseconds(2000);
    const auto source = openFrameSource(QStringLiteral("rtsp://127.0.0.1:9/stream"), options);
    QVERIFY2(source.ok(), qPrintable(source.ok() ? QString() : source.error().toString()));
    QVERIFY((*source)->isLive());
    QCOMPARE((*source)->frameCount(), qint64(-1));
}

void TestOpenFrameSource::missingCameraIsAnError()
{
    const auto source = openFrameSource(QStringLiteral("camera:no-such-camera"));
    QVERIFY(!source.ok());
    QCOMPARE(source.error().code, core::ErrorCode::NotFound);
    QVERIFY(source.error().message.contains(QLatin1String("camera:no-such-camera")));
}

QTEST_GUILESS_MAIN(TestOpenFrameSource)
#include "TestOpenFrameSource.moc"
