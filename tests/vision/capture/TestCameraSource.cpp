#include "vision/capture/CameraSource.h"

#include <QTest>

using namespace signiq;
using namespace signiq::vision;

// There is no camera on the build machines: this checks listing and the error paths. Capture
// itself is exercised on hardware (signiq-edge cameras / --source camera:0).
class TestCameraSource : public QObject {
    Q_OBJECT

private slots:
    void listCamerasDoesNotCrash();
    void noSuchCameraIsAnError();
    void noSuchCameraIdIsAnError();
    void readBeforeOpenIsAnError();
};

void TestCameraSource::listCamerasDoesNotCrash()
{
    const auto cameras = listCameras();
    int defaults = 0;
    for (const CameraInfo &camera : cameras) {
        QVERIFY(!camera.id.isEmpty());
        defaults += camera.isDefault ? 1 : 0;
    }
    QVERIFY(defaults <= 1);
    qInfo("%lld camera(s) found", static_cast<long long>(cameras.size()));
}

void TestCameraSource::noSuchCameraIsAnError()
{
    const int index = static_cast<int>(listCameras().size()) + 7;
    CameraSource source(QString::number(index));
    QVERIFY(source.isLive());
    QCOMPARE(source.frameCount(), qint64(-1));
    const auto status = source.open();
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::NotFound);
    QVERIFY2(status.error().message.contains(QStringLiteral("camera:%1").arg(index)), qPrintable(status.error().message));
}

void TestCameraSource::noSuchCameraIdIsAnError()
{
    CameraSource source(QStringLiteral("/dev/video-does-not-exist"));
    const auto status = source.open();
    QVERIFY(!status.ok());
    QVERIFY(status.error().message.contains(QLatin1String("/dev/video-does-not-exist")));
}

void TestCameraSource::readBeforeOpenIsAnError()
{
    CameraSource source(QStringLiteral("0"));
    FramePool pool(1);
    auto frame = pool.acquire();
    const auto result = source.read(*frame);
    QVERIFY(!result.ok());
}

QTEST_GUILESS_MAIN(TestCameraSource)
#include "TestCameraSource.moc"
