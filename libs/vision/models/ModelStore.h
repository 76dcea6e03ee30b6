#pragma once

#include "core/Result.h"
#include "vision/models/ModelCatalog.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace signiq::vision {

// One progress event of an install run, for a command-line or GUI front end.
struct InstallProgress {
    enum class Stage {
        Checking,    // verifying a file already in the model directory
        Skipped,     // file already present with the right size and sha256
        Transferring,// copying from the mirror or downloading (bytesDone/bytesTotal move)
        Installed,   // verified and renamed into place
    };
    Stage stage = Stage::Checking;
    QString model;
    QString fileName;
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    int fileIndex = 0; // 1-based over all files of the run
    int fileCount = 0;
};
using InstallProgressCallback = std::function<void(const InstallProgress &)>;

// One line of text for an event, e.g. "[2/3] yolox-nano: yolox_nano_416.onnx installed (3659407 bytes)".
// Transferring events are only worth printing now and then; the line says how far it got.
QString describeInstallProgress(const InstallProgress &progress);

struct InstallReport {
    QStringList installed; // file names written by this run
    QStringList skipped;   // file names that were already present and valid
    QStringList unavailable; // installFromUpstream() with no names: models without a download URL
                             // (converted by hand); install them from a mirror
};

// A located, verified model: absolute paths in the catalogue's file order.
struct LocatedModel {
    ModelInfo info;
    QStringList paths;
    QString path(const QString &role) const; // empty if the model has no file with that role
    QString version() const { return info.version(); }
};

// State of one catalogue model in a directory (for "models list").
struct ModelStatus {
    enum class State { Installed, Missing, Corrupt };
    ModelInfo info;
    State state = State::Missing;
    QString detail; // what is missing or corrupt
};

// A directory holding verified model files (flat, named as in the catalogue).
//
// install() copies from a local mirror directory (a copy of shared/models), verifying size and
// sha256 while copying into a temporary file that is renamed into place only when it matches.
// locate() verifies the checksums again every time a model is loaded.
class ModelStore {
public:
    ModelStore(QString directory, ModelCatalog catalog);

    // $SIGNIQ_MODELS_DIR, else <GenericDataLocation>/signiq/models (~/.local/share/signiq/models).
    static QString defaultDirectory();
    // A store on defaultDirectory() with the embedded catalogue.
    static core::Result<ModelStore> openDefault();
    // A store on the given directory (defaultDirectory() if empty) with the embedded catalogue.
    static core::Result<ModelStore> open(const QString &directory);

    // The command that fixes a missing or corrupt model, for error messages.
    static QString installHint();

    const QString &directory() const { return m_dir; }
    const ModelCatalog &catalog() const { return m_catalog; }

    // Installs the named models (all catalogue models if names is empty) from mirrorDir.
    // Files already present and valid are skipped; invalid ones are replaced. A mirror file with
    // the wrong size or checksum is refused (Corrupt) and nothing is left behind for it.
    core::Result<InstallReport> install(const QStringList &names, const QString &mirrorDir,
                                        const InstallProgressCallback &progress = {}) const;

    // Same, but downloads every file from its upstream URL (or baseUrl + fileName if baseUrl is
    // set, e.g. an HTTP mirror). Blocks in a local event loop: needs a QCoreApplication. Models
    // without an upstream URL (converted ones) cannot be downloaded: naming one is an Unsupported
    // error; with no names they are skipped and listed in InstallReport::unavailable.
    // A network failure is an Io error that names the file, the URL and the mirror install command.
    core::Result<InstallReport> installFromUpstream(const QStringList &names,
                                                    const InstallProgressCallback &progress = {},
                                                    const QUrl &baseUrl = {},
                                                    int transferTimeoutMs = 60000) const;

    // Verifies every file of the model (size and sha256) and returns their paths.
    // Missing file: NotFound; wrong size or checksum: Corrupt. The message names the file, the
    // directory and the install command.
    core::Result<LocatedModel> locate(const QString &name) const;

    // Installed/missing/corrupt for every catalogue model (verifies checksums).
    QList<ModelStatus> status() const;

private:
    core::Result<QList<const ModelInfo *>> select(const QStringList &names) const;
    core::Status verifyInstalled(const ModelFile &file) const;

    QString m_dir;
    ModelCatalog m_catalog;
};

// The front end for "signiq-edge models install --from DIR [--dir MODELDIR] [name...]":
// opens the store (modelsDir or the default), installs from mirrorDir, reports progress.
core::Result<InstallReport> installModels(const QString &mirrorDir, const QString &modelsDir = {},
                                          const QStringList &names = {},
                                          const InstallProgressCallback &progress = {});

// Streams a file through SHA-256. Returns lower-case hex.
core::Result<QString> sha256OfFile(const QString &path);

} // namespace signiq::vision
