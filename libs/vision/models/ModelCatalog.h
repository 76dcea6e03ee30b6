#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace signiq::vision {

// One file that belongs to a model, as listed in models/models.json.
struct ModelFile {
    QString role;     // "model" (single ONNX file), "weights" or "config" (darknet)
    QString fileName; // relative to the model directory (and to a mirror directory)
    QString sha256;   // lower-case hex
    qint64 size = 0;  // bytes
    QString url;      // upstream raw URL at a fixed commit; empty for files converted by the manifest author
};

// One logical model: what it does, where it came from, and the files it needs.
struct ModelInfo {
    QString name;        // logical name, e.g. "yolo-fastest-1.1-body"
    QString task;        // "person-detection", "face-detection", "age-gender", "head-pose"
    bool isDefault = false; // the recommended model for its task
    QString licence;
    QString upstream;    // human-readable upstream location
    bool converted = false; // converted to ONNX by the manifest author (see sourceFiles)
    int inputWidth = 0;
    int inputHeight = 0;
    QString inputFormat;
    QString output;
    QString notes;
    QList<ModelFile> files;       // what the runtime loads (installed into the model directory)
    QString convertedFrom;        // description of the conversion, if converted
    QList<ModelFile> sourceFiles; // the original weights behind a converted file (audit only; not installed)

    // The file whose checksum identifies this model version: the "model" or "weights" file.
    const ModelFile &primaryFile() const;
    // "<name>@<first 12 hex of the primary file's sha256>"
    QString version() const;
    const ModelFile *file(const QString &role) const;
};

// The catalogue of every model the runtime may use. The copy compiled into signiq_vision
// (a Qt resource made from models/models.json) is the one the runtime trusts.
class ModelCatalog {
public:
    ModelCatalog() = default;

    // The catalogue embedded in the binary.
    static core::Result<ModelCatalog> embedded();
    // Qt resource path of the embedded models.json.
    static QString embeddedPath();

    static core::Result<ModelCatalog> fromJson(const QByteArray &json, const QString &origin);
    static core::Result<ModelCatalog> fromFile(const QString &path);

    const QList<ModelInfo> &models() const { return m_models; }
    QStringList names() const;
    QStringList names(const QString &task) const;
    const ModelInfo *find(const QString &name) const;
    // Like find(), but an unknown name is an InvalidArgument error that lists the valid names.
    core::Result<ModelInfo> get(const QString &name) const;

private:
    QList<ModelInfo> m_models;
};

} // namespace signiq::vision
