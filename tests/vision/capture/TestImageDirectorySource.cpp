#include "vision/capture/ImageDirectorySource.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>

using namespace signiq;
using namespace signiq::vision;

namespace {

const QString kTestData = QStringLiteral(SIGNIQ_TESTDATA_DIR);
constexpr qint64 kStart = 1'700'000'000'000;

bool copyIn(const QString &name, const QString &dir, const QString &as)
{
    const QString target = dir + QLatin1Char('/') + as;
    return QFile::copy(kTestData + QLatin1Char('/') + name, target)
        && QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
}

} // namespace

class TestImageDirectorySource : public QObject {
    Q_OBJECT

private slots:
    void readsImagesInNameOrder();
    void emptyDirectoryIsAnError();
    void missingDirectoryErrorNamesIt();
    void corruptImageErrorNamesIt();
};

void TestImageDirectorySource::readsImagesInNameOrder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(copyIn(QStringLiteral("vtest_frame0300.png"), dir.path(), QStringLiteral("b.png")));
    QVERIFY(copyIn(QStringLiteral("messi5.jpg"), dir.path(), QStringLiteral("c.jpg")));
    QVERIFY(copyIn(QStringLiteral("vtest_frame0000.png"), dir.path(), QStringLiteral("a.png")));
    QFile notes(dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not an image");
    notes.close();

    SourceOptions options;
    options.startTimeMs = kStart;
    options.imageDirectoryFps = 5.0;
    ImageDirectorySource source(dir.path(), options);
    const auto status = source.open();
    QVERIFY2(status.ok(), qPrintable(status.error().toString()));
    QCOMPARE(source.frameCount(), qint64(3));
    QCOMPARE(source.nominalFps(), 5.0);
    QVERIFY(!source.isLive());
    QVERIFY(source.files().at(0).endsWith(QLatin1String("a.png")));

    FramePool pool(2);
    const cv::Size expected[] = {{768, 576}, {768, 576}, {-1, -1}};
    for (qint64 i = 0; i < 3; ++i) {
        auto frame = pool.acquire();
        const auto result = source.read(*frame);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QVERIFY(result.value());
        QCOMPARE(frame->image().type(), CV_8UC3);
        if (expected[i].width > 0)
            QCOMPARE(frame->image().size(), expected[i]);
        QCOMPARE(frame->info().index, i);
        QCOMPARE(frame->info().timestampMs, kStart + i * 200);
    }
    auto frame = pool.acquire();
    const auto end = source.read(*frame);
    QVERIFY(end.ok());
    QVERIFY(!end.value());
}

void TestImageDirectorySource::emptyDirectoryIsAnError()
{
    QTemporaryDir dir;
    ImageDirectorySource source(dir.path());
    const auto status = source.open();
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, core::ErrorCode::NotFound);
    QVERIFY(status.error().message.contains(dir.path()));
}

void TestImageDirectorySource::missingDirectoryErrorNamesIt()
{
    const QString missing = QStringLiteral("/nonexistent/signiq-images");
    const auto status = ImageDirectorySource(missing).open();
    QVERIFY(!status.ok());
    QVERIFY(status.error().message.contains(missing));
}

void TestImageDirectorySource::corruptImageErrorNamesIt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.png"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG garbage garbage garbage");
    file.close();
    ImageDirectorySource source(dir.path());
    QVERIFY(source.open().ok());
    FramePool pool(1);
    auto frame = pool.acquire();
    const auto result = source.read(*frame);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, core::ErrorCode::Parse);
    QVERIFY2(result.error().message.contains(path), qPrintable(result.error().message));
}

QTEST_GUILESS_MAIN(TestImageDirectorySource)
#include "TestImageDirectorySource.moc"
