// Attention on real photos: the face analyser's head poses judged by the analytics attention
// geometry. An audience facing the camera mostly looks at a screen mounted at the camera; an
// audience with heads turned away does not.
#include "analytics/Attention.h"
#include "vision/faces/FaceAnalyzer.h"

#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace signiq;

class TestAttentionOnImages : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vision::FaceAnalyzer> m_faces;

    // Share of faces (with a pose) looking at a screen at the camera, default 20 degree cone.
    double lookingShare(const QString &image, int *facesOut = nullptr)
    {
        const cv::Mat bgr = cv::imread(QStringLiteral(SIGNIQ_TESTDATA_DIR "/%1").arg(image).toStdString());
        if (bgr.empty())
            return -1;
        auto faces = m_faces->detectFaces(bgr);
        if (!faces)
            return -1;
        const analytics::AttentionGeometry screenAtCamera;
        const analytics::AttentionRules rules;
        int judged = 0, looking = 0;
        for (const auto &face : *faces) {
            if (!face.pose)
                continue;
            const auto angle = screenAtCamera.angleToScreenDeg(*face.pose, std::nullopt);
            if (!angle)
                continue;
            ++judged;
            looking += *angle <= rules.coneDeg ? 1 : 0;
        }
        if (facesOut)
            *facesOut = judged;
        return judged ? double(looking) / judged : -1;
    }

private slots:
    void initTestCase()
    {
        vision::FaceAnalyzerConfig config;
        config.modelsDir = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
        auto analyzer = vision::createFaceAnalyzer(config);
        QVERIFY2(analyzer.ok(), qPrintable(analyzer.ok() ? QString() : analyzer.error().message));
        m_faces = std::move(analyzer).value();
    }

    void audienceFacingTheCameraLooks_data()
    {
        QTest::addColumn<QString>("image");
        QTest::newRow("ulfd_imgs_6 (14 adults)") << QStringLiteral("ulfd_imgs_6.jpg");
        QTest::newRow("ulfd_imgs_11 (26 faces)") << QStringLiteral("ulfd_imgs_11.jpg");
    }

    void audienceFacingTheCameraLooks()
    {
        QFETCH(QString, image);
        int faces = 0;
        const double share = lookingShare(image, &faces);
        QVERIFY(faces >= 10);
        QVERIFY2(share >= 0.6, qPrintable(QStringLiteral("%1 of %2 faces looking").arg(share).arg(faces)));
    }

    void turnedHeadsDoNotLook()
    {
        int faces = 0;
        const double share = lookingShare(QStringLiteral("ulfd_imgs_24.jpg"), &faces);
        QVERIFY(faces >= 5);
        QVERIFY2(share <= 0.2, qPrintable(QStringLiteral("%1 of %2 faces looking").arg(share).arg(faces)));
    }

    void screenBesideTheCameraChangesTheAnswer()
    {
        // The frontal audience of ulfd_imgs_6 looks into the lens; with the screen 3 m to the
        // side of the camera (people about 3 m away), the same poses are not attention.
        core::Calibration calibration;
        calibration.camera.positionM = QPointF(0.0, 0.0);
        calibration.camera.heightM = 1.6;
        calibration.screen.centreM = QPointF(3.0, 0.0);
        calibration.screen.centreHeightM = 1.6;
        const analytics::AttentionGeometry beside(calibration);
        const cv::Mat bgr = cv::imread(SIGNIQ_TESTDATA_DIR "/ulfd_imgs_6.jpg");
        auto faces = m_faces->detectFaces(bgr);
        QVERIFY(faces.ok());
        int judged = 0, looking = 0;
        for (const auto &face : *faces) {
            if (!face.pose)
                continue;
            const auto angle = beside.angleToScreenDeg(*face.pose, QPointF(0.0, 3.0));
            QVERIFY(angle.has_value());
            ++judged;
            looking += *angle <= 20.0 ? 1 : 0;
        }
        QVERIFY(judged >= 10);
        QCOMPARE(looking, 0);
    }
};

QTEST_GUILESS_MAIN(TestAttentionOnImages)
#include "TestAttentionOnImages.moc"
