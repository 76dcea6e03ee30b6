#include "vision/models/ModelStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::vision;

namespace {

const QString kMirror = QStringLiteral(SIGNIQ_TEST_MODELS_DIR);
const QString kYolox = QStringLiteral("yolox-nano");
const QString kYoloxFile = QStringLiteral("yolox_nano_416.onnx");
const QString kYoloFastest = QStringLiteral("yolo-fastest-1.1-body");

// Every entry of a directory, hidden ones included (QSaveFile temporaries must not survive).
QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

void flipByte(const QString &path, qint64 offset)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(offset));
    char c = 0;
    QVERIFY(f.getChar(&c));
    QVERIFY(f.seek(offset));
    QVERIFY(f.putChar(char(c ^ 0x5a)));
}

} // namespace

// Installs from the real mirror into a temporary model directory; never modifies the mirror.
class TestModelStore : public QObject {
    Q_OBJECT

private slots:
    void init();
    void installVerifiesAndSecondRunSkips();
    void installAllCopiesEveryRuntimeFile();
    void corruptMirrorFileIsRefused();
    void truncatedMirrorFileIsRefused();
    void missingMirrorFileIsNotFound();
    void unknownModelName();
    void invalidInstalledFileIsReplaced();
    void locateMissingNamesFileAndFix();
    void locateCorruptNamesFile();
    void statusReportsEachModel();
    void defaultDirectory();
    void installModelsFrontEnd();
    void upstreamNetworkFailureIsClearError();
    void upstreamNeedsUrl();
    void upstreamAllSkipsConvertedModels();

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dir;
    ModelStore store() const { return ModelStore(m_dir, ModelCatalog::embedded().value()); }
};

void TestModelStore::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_dir = m_tmp->filePath(QStringLiteral("models"));
}

void TestModelStore::installVerifiesAndSecondRunSkips()
{
    const ModelStore s = store();
    QList<InstallProgress> events;
    auto first = s.install({kYoloFastest, kYolox}, kMirror, [&](const InstallProgress &p) { events.append(p); });
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QCOMPARE(first->installed.size(), 3);
    QVERIFY(first->skipped.isEmpty());
    QCOMPARE(entries(m_dir).size(), 3);

    int installedEvents = 0;
    for (const InstallProgress &p : events) {
        QCOMPARE(p.fileCount, 3);
        QVERIFY(p.bytesDone <= p.bytesTotal);
        if (p.stage == InstallProgress::Stage::Installed) {
            ++installedEvents;
            QVERIFY(describeInstallProgress(p).contains(p.fileName));
        }
    }
    QCOMPARE(installedEvents, 3);

    auto located = s.locate(kYoloFastest);
    QVERIFY(located.ok());
    QCOMPARE(located->paths.size(), 2);
    QVERIFY(located->path(QStringLiteral("config")).endsWith(QStringLiteral(".cfg")));
    QVERIFY(located->path(QStringLiteral("weights")).endsWith(QStringLiteral(".weights")));
    QVERIFY(QFile::exists(located->path(QStringLiteral("weights"))));
    QCOMPARE(located->version(), QStringLiteral("yolo-fastest-1.1-body@5bbb6d878f6e"));

    auto second = s.install({kYoloFastest, kYolox}, kMirror);
    QVERIFY(second.ok());
    QVERIFY(second->installed.isEmpty());
    QCOMPARE(second->skipped.size(), 3);
}

void TestModelStore::installAllCopiesEveryRuntimeFile()
{
    auto report = store().install({}, kMirror);
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(report->installed.size(), 9);
    QCOMPARE(entries(m_dir).size(), 9); // no source/ files, no temporaries
    for (const ModelStatus &st : store().status())
        QVERIFY2(st.state == ModelStatus::State::Installed, qPrintable(st.info.name));
}

void TestModelStore::corruptMirrorFileIsRefused()
{
    QTemporaryDir mirror;
    QVERIFY(QFile::copy(kMirror + u'/' + kYoloxFile, mirror.filePath(kYoloxFile)));
    QFile::setPermissions(mirror.filePath(kYoloxFile), QFile::ReadOwner | QFile::WriteOwner);
    flipByte(mirror.filePath(kYoloxFile), 123456); // same size, different checksum

    auto report = store().install({kYolox}, mirror.path());
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::Corrupt);
    QVERIFY(report.error().message.contains(kYoloxFile));
    QVERIFY(report.error().message.contains(QStringLiteral("sha256")));
    QVERIFY2(entries(m_dir).isEmpty(), qPrintable(entries(m_dir).join(u',')));
}

void TestModelStore::truncatedMirrorFileIsRefused()
{
    QTemporaryDir mirror;
    QFile in(kMirror + u'/' + kYoloxFile);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QFile out(mirror.filePath(kYoloxFile));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(in.read(1000));
    out.close();

    auto report = store().install({kYolox}, mirror.path());
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::Corrupt);
    QVERIFY(report.error().message.contains(QStringLiteral("size")));
    QVERIFY(entries(m_dir).isEmpty());
}

void TestModelStore::missingMirrorFileIsNotFound()
{
    QTemporaryDir mirror;
    auto report = store().install({kYolox}, mirror.path());
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::NotFound);
    QVERIFY(report.error().message.contains(kYoloxFile));

    auto noDir = store().install({kYolox}, m_tmp->filePath(QStringLiteral("does-not-exist")));
    QVERIFY(!noDir.ok());
    QCOMPARE(noDir.error().code, core::ErrorCode::NotFound);
}

void TestModelStore::unknownModelName()
{
    auto report = store().install({QStringLiteral("no-such-model")}, kMirror);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(report.error().message.contains(kYoloFastest));
    auto located = store().locate(QStringLiteral("no-such-model"));
    QVERIFY(!located.ok());
    QCOMPARE(located.error().code, core::ErrorCode::InvalidArgument);
}

void TestModelStore::invalidInstalledFileIsReplaced()
{
    QVERIFY(store().install({kYolox}, kMirror).ok());
    flipByte(m_dir + u'/' + kYoloxFile, 10);
    auto report = store().install({kYolox}, kMirror);
    QVERIFY(report.ok());
    QCOMPARE(report->installed, QStringList{kYoloxFile});
    QVERIFY(store().locate(kYolox).ok());
    QCOMPARE(entries(m_dir).size(), 1);
}

void TestModelStore::locateMissingNamesFileAndFix()
{
    auto located = store().locate(kYolox);
    QVERIFY(!located.ok());
    QCOMPARE(located.error().code, core::ErrorCode::NotFound);
    const QString msg = located.error().message;
    QVERIFY2(msg.contains(kYoloxFile), qPrintable(msg));
    QVERIFY2(msg.contains(m_dir), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("signiq-edge models install --from")), qPrintable(msg));
}

void TestModelStore::locateCorruptNamesFile()
{
    QVERIFY(store().install({kYoloFastest}, kMirror).ok());
    const QString weights = QStringLiteral("yolo-fastest-1.1_body.weights");
    flipByte(m_dir + u'/' + weights, 5000); // same size: only the sha256 check can catch it
    auto located = store().locate(kYoloFastest);
    QVERIFY(!located.ok());
    QCOMPARE(located.error().code, core::ErrorCode::Corrupt);
    QVERIFY2(located.error().message.contains(weights), qPrintable(located.error().message));
    QVERIFY(located.error().message.contains(QStringLiteral("signiq-edge models install --from")));

    QFile::resize(m_dir + u'/' + weights, 100);
    located = store().locate(kYoloFastest);
    QCOMPARE(located.error().code, core::ErrorCode::Corrupt);
}

void TestModelStore::statusReportsEachModel()
{
    QVERIFY(store().install({kYolox}, kMirror).ok());
    const QList<ModelStatus> status = store().status();
    QCOMPARE(status.size(), store().catalog().models().size());
    for (const ModelStatus &st : status) {
        if (st.info.name == kYolox)
            QCOMPARE(st.state, ModelStatus::State::Installed);
        else
            QCOMPARE(st.state, ModelStatus::State::Missing);
    }
}

void TestModelStore::defaultDirectory()
{
    const QByteArray saved = qgetenv("SIGNIQ_MODELS_DIR");
    qputenv("SIGNIQ_MODELS_DIR", m_dir.toLocal8Bit());
    QCOMPARE(ModelStore::defaultDirectory(), m_dir);
    auto s = ModelStore::openDefault();
    QVERIFY(s.ok());
    QCOMPARE(s->directory(), m_dir);
    qunsetenv("SIGNIQ_MODELS_DIR");
    QVERIFY(ModelStore::defaultDirectory().endsWith(QStringLiteral("/signiq/models")));
    if (!saved.isEmpty())
        qputenv("SIGNIQ_MODELS_DIR", saved);
}

void TestModelStore::installModelsFrontEnd()
{
    QStringList lines;
    auto report = installModels(kMirror, m_dir, {kYolox},
                                [&](const InstallProgress &p) { lines.append(describeInstallProgress(p)); });
    QVERIFY(report.ok());
    QCOMPARE(report->installed, QStringList{kYoloxFile});
    QVERIFY(!lines.isEmpty());
    QVERIFY2(lines.last().startsWith(QStringLiteral("[1/1] yolox-nano: yolox_nano_416.onnx installed")),
             qPrintable(lines.last()));
}

void TestModelStore::upstreamNetworkFailureIsClearError()
{
    // Nothing listens on port 1: a deterministic network failure without internet access.
    auto report = store().installFromUpstream({kYolox}, {}, QUrl(QStringLiteral("http://127.0.0.1:1/models/")), 5000);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::Io);
    const QString msg = report.error().message;
    QVERIFY2(msg.contains(kYoloxFile), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("--from")), qPrintable(msg));
    QVERIFY(entries(m_dir).isEmpty());
}

void TestModelStore::upstreamNeedsUrl()
{
    auto report = store().installFromUpstream({QStringLiteral("head-pose-adas-0001")});
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, core::ErrorCode::Unsupported);
    QVERIFY(report.error().message.contains(QStringLiteral("--from")));
}

void TestModelStore::upstreamAllSkipsConvertedModels()
{
    // Every downloadable file is already installed, so no network is touched; the converted
    // models are reported as unavailable instead of failing the whole run.
    QVERIFY(store().install({}, kMirror).ok());
    auto report = store().installFromUpstream({});
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QVERIFY(report->installed.isEmpty());
    QCOMPARE(report->skipped.size(), 6);
    QCOMPARE(report->unavailable,
             (QStringList{QStringLiteral("age-gender-faceapi"), QStringLiteral("age-gender-retail-0013"),
                          QStringLiteral("head-pose-adas-0001")}));
}

QTEST_GUILESS_MAIN(TestModelStore)
#include "TestModelStore.moc"
