#include "vision/models/ModelCatalog.h"
#include "vision/models/ModelStore.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace signiq;
using namespace signiq::vision;

// The catalogue compiled into signiq_vision (a static library) must load without the source tree,
// be complete, equal models/models.json, and agree with the files in the model mirror.
class TestModelCatalog : public QObject {
    Q_OBJECT

private slots:
    void embeddedCatalogueLoadsFromStaticLibrary();
    void embeddedMatchesSourceTree();
    void everyEntryIsComplete();
    void expectedModelsArePresent();
    void checksumsMatchMirror();
    void versionUsesPrimaryFile();
    void unknownNameListsValidNames();
    void rejectsMalformedJson_data();
    void rejectsMalformedJson();
};

void TestModelCatalog::embeddedCatalogueLoadsFromStaticLibrary()
{
    QVERIFY2(QFile::exists(ModelCatalog::embeddedPath()), "models.json resource not linked into the test");
    auto catalog = ModelCatalog::embedded();
    QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
    QVERIFY(catalog->models().size() >= 8);
}

void TestModelCatalog::embeddedMatchesSourceTree()
{
    QFile embedded(ModelCatalog::embeddedPath());
    QVERIFY(embedded.open(QIODevice::ReadOnly));
    QFile source(QStringLiteral(SIGNIQ_SOURCE_DIR "/models/models.json"));
    QVERIFY2(source.open(QIODevice::ReadOnly), qPrintable(source.fileName()));
    QCOMPARE(embedded.readAll(), source.readAll());
}

void TestModelCatalog::everyEntryIsComplete()
{
    auto catalog = ModelCatalog::embedded();
    QVERIFY(catalog.ok());
    for (const ModelInfo &m : catalog->models()) {
        const QByteArray n = m.name.toUtf8();
        QVERIFY2(!m.task.isEmpty(), n.constData());
        QVERIFY2(!m.licence.isEmpty(), n.constData());
        QVERIFY2(m.upstream.startsWith(QStringLiteral("https://")), n.constData());
        QVERIFY2(m.inputWidth > 0 && m.inputHeight > 0, n.constData());
        QVERIFY2(!m.inputFormat.isEmpty(), n.constData());
        QVERIFY2(!m.output.isEmpty(), n.constData());
        QVERIFY2(!m.notes.isEmpty(), n.constData());
        QVERIFY2(!m.files.isEmpty(), n.constData());
        for (const ModelFile &f : m.files) {
            QVERIFY2(!f.fileName.isEmpty() && f.size > 0 && f.sha256.size() == 64, n.constData());
            // Downloadable unless converted by hand; then the source weights are listed instead.
            if (!m.converted)
                QVERIFY2(f.url.startsWith(QStringLiteral("https://")), qPrintable(f.fileName));
        }
        if (m.converted) {
            QVERIFY2(!m.convertedFrom.isEmpty(), n.constData());
            QVERIFY2(!m.sourceFiles.isEmpty(), n.constData());
            for (const ModelFile &f : m.sourceFiles)
                QVERIFY2(f.url.startsWith(QStringLiteral("https://")), qPrintable(f.fileName));
        }
    }
}

void TestModelCatalog::expectedModelsArePresent()
{
    auto catalog = ModelCatalog::embedded();
    QVERIFY(catalog.ok());
    const QStringList expected{QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yolox-nano"),
                               QStringLiteral("nanodet-m-320"),        QStringLiteral("yunet-2022mar"),
                               QStringLiteral("ultraface-rfb-320"),    QStringLiteral("age-gender-faceapi"),
                               QStringLiteral("age-gender-retail-0013"), QStringLiteral("head-pose-adas-0001")};
    for (const QString &name : expected)
        QVERIFY2(catalog->find(name), qPrintable(name));
    QCOMPARE(catalog->names(QStringLiteral("person-detection")).size(), 3);
    // exactly one default per task
    QHash<QString, int> defaults;
    for (const ModelInfo &m : catalog->models())
        defaults[m.task] += m.isDefault ? 1 : 0;
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        QVERIFY2(it.value() == 1, qPrintable(it.key()));
    const ModelInfo *yolo = catalog->find(QStringLiteral("yolo-fastest-1.1-body"));
    QVERIFY(yolo->file(QStringLiteral("config")) && yolo->file(QStringLiteral("weights")));
}

void TestModelCatalog::checksumsMatchMirror()
{
    auto catalog = ModelCatalog::embedded();
    QVERIFY(catalog.ok());
    int checked = 0;
    for (const ModelInfo &m : catalog->models()) {
        QList<ModelFile> all = m.files;
        all.append(m.sourceFiles);
        for (const ModelFile &f : all) {
            const QString path = QStringLiteral(SIGNIQ_TEST_MODELS_DIR "/") + f.fileName;
            QVERIFY2(QFileInfo::exists(path), qPrintable(path));
            QCOMPARE(QFileInfo(path).size(), f.size);
            auto sha = sha256OfFile(path);
            QVERIFY(sha.ok());
            QCOMPARE(*sha, f.sha256);
            ++checked;
        }
    }
    QCOMPARE(checked, 15); // 9 runtime files + 6 source files
}

void TestModelCatalog::versionUsesPrimaryFile()
{
    auto catalog = ModelCatalog::embedded();
    QVERIFY(catalog.ok());
    QCOMPARE(catalog->find(QStringLiteral("yolo-fastest-1.1-body"))->version(),
             QStringLiteral("yolo-fastest-1.1-body@5bbb6d878f6e")); // the weights, not the cfg
    QCOMPARE(catalog->find(QStringLiteral("yolox-nano"))->version(), QStringLiteral("yolox-nano@c789161ed43c"));
}

void TestModelCatalog::unknownNameListsValidNames()
{
    auto catalog = ModelCatalog::embedded();
    QVERIFY(catalog.ok());
    auto m = catalog->get(QStringLiteral("yolov99"));
    QVERIFY(!m.ok());
    QCOMPARE(m.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(m.error().message.contains(QStringLiteral("yolov99")));
    QVERIFY(m.error().message.contains(QStringLiteral("yolox-nano")));
}

void TestModelCatalog::rejectsMalformedJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("code");
    const QByteArray file = R"({"role":"model","fileName":"a.onnx","sha256":"%1","size":%2,"url":""})";
    auto doc = [&](const QByteArray &f) -> QByteArray {
        return QByteArray(R"({"schemaVersion":1,"models":[{"name":"a","task":"t","licence":"l","upstream":"u","files":[)")
               + f + "]}]}";
    };
    const QByteArray goodSha(64, 'a');
    QTest::newRow("not json") << QByteArray("{nope") << int(core::ErrorCode::Parse);
    QTest::newRow("schema") << QByteArray(R"({"schemaVersion":2,"models":[]})") << int(core::ErrorCode::Unsupported);
    QTest::newRow("no models") << QByteArray(R"({"schemaVersion":1,"models":[]})") << int(core::ErrorCode::Parse);
    QTest::newRow("no files") << doc("") << int(core::ErrorCode::Parse);
    QTest::newRow("bad sha") << doc(QByteArray(file).replace("%1", "xyz").replace("%2", "5")) << int(core::ErrorCode::Parse);
    QTest::newRow("bad size") << doc(QByteArray(file).replace("%1", goodSha).replace("%2", "0")) << int(core::ErrorCode::Parse);
    QTest::newRow("unsafe name")
        << doc(QByteArray(file).replace("a.onnx", "../x").replace("%1", goodSha).replace("%2", "5"))
        << int(core::ErrorCode::Parse);
    QTest::newRow("valid") << doc(QByteArray(file).replace("%1", goodSha).replace("%2", "5")) << -1;
}

void TestModelCatalog::rejectsMalformedJson()
{
    QFETCH(QByteArray, json);
    QFETCH(int, code);
    auto catalog = ModelCatalog::fromJson(json, QStringLiteral("test"));
    if (code < 0) {
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error().toString()));
        return;
    }
    QVERIFY(!catalog.ok());
    QCOMPARE(int(catalog.error().code), code);
    QVERIFY(catalog.error().message.contains(QStringLiteral("test")));
}

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "TestModelCatalog.moc"
