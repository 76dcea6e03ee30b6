#include "vision/models/ModelStore.h"

#include "vision/VisionLog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <optional>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr qint64 kChunkSize = 1 << 20;

QString shortSha(const QString &sha)
{
    return sha.left(12) + QStringLiteral("…");
}

struct Job {
    const ModelInfo *model = nullptr;
    const ModelFile *file = nullptr;
};

// Receives the bytes of one file, hashes them on the way and renames the temporary file into
// place only if size and sha256 match the catalogue.
class VerifiedWriter {
public:
    VerifiedWriter(const QString &destPath, const ModelFile &file)
        : m_out(destPath), m_file(file), m_hash(QCryptographicHash::Sha256)
    {
    }

    core::Status open()
    {
        if (!m_out.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_out.fileName(), m_out.errorString()));
        return {};
    }

    core::Status write(const QByteArray &data)
    {
        m_written += data.size();
        if (m_written > m_file.size)
            return makeError(ErrorCode::Corrupt, QStringLiteral("%1 is larger than the %2 bytes in the catalogue")
                                                     .arg(m_file.fileName)
                                                     .arg(m_file.size));
        m_hash.addData(data);
        if (m_out.write(data) != data.size())
            return makeError(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(m_out.fileName(), m_out.errorString()));
        return {};
    }

    qint64 written() const { return m_written; }

    // Verifies and renames into place. Any failure discards the temporary file.
    core::Status commit(const QString &sourceName)
    {
        if (m_written != m_file.size) {
            m_out.cancelWriting();
            return makeError(ErrorCode::Corrupt, QStringLiteral("refused %1: size %2 bytes, the catalogue expects %3")
                                                     .arg(sourceName)
                                                     .arg(m_written)
                                                     .arg(m_file.size));
        }
        const QString sha = QString::fromLatin1(m_hash.result().toHex());
        if (sha != m_file.sha256) {
            m_out.cancelWriting();
            return makeError(ErrorCode::Corrupt, QStringLiteral("refused %1: sha256 %2, the catalogue expects %3")
                                                     .arg(sourceName, sha, m_file.sha256));
        }
        if (!m_out.commit())
            return makeError(ErrorCode::Io, QStringLiteral("cannot rename into place %1: %2").arg(m_out.fileName(), m_out.errorString()));
        return {};
    }

    void cancel() { m_out.cancelWriting(); }

private:
    QSaveFile m_out; // temporary file next to the destination; discarded unless committed
    const ModelFile &m_file;
    QCryptographicHash m_hash;
    qint64 m_written = 0;
};

} // namespace

QString describeInstallProgress(const InstallProgress &p)
{
    const QString prefix = QStringLiteral("[%1/%2] %3: %4 ").arg(p.fileIndex).arg(p.fileCount).arg(p.model, p.fileName);
    switch (p.stage) {
    case InstallProgress::Stage::Checking:
        return prefix + QStringLiteral("checking");
    case InstallProgress::Stage::Skipped:
        return prefix + QStringLiteral("already installed and valid, skipped");
    case InstallProgress::Stage::Transferring:
        return prefix + QStringLiteral("%1 / %2 bytes").arg(p.bytesDone).arg(p.bytesTotal);
    case InstallProgress::Stage::Installed:
        return prefix + QStringLiteral("installed (%1 bytes, sha256 verified)").arg(p.bytesTotal);
    }
    return prefix;
}

QString LocatedModel::path(const QString &role) const
{
    for (qsizetype i = 0; i < info.files.size() && i < paths.size(); ++i) {
        if (info.files.at(i).role == role)
            return paths.at(i);
    }
    return {};
}

core::Result<QString> sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return QString::fromLatin1(hash.result().toHex());
}

ModelStore::ModelStore(QString directory, ModelCatalog catalog)
    : m_dir(QDir::cleanPath(std::move(directory))), m_catalog(std::move(catalog))
{
}

QString ModelStore::defaultDirectory()
{
    const QString env = qEnvironmentVariable("SIGNIQ_MODELS_DIR");
    if (!env.isEmpty())
        return QDir::cleanPath(env);
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/signiq/models");
}

core::Result<ModelStore> ModelStore::openDefault()
{
    return open(QString());
}

core::Result<ModelStore> ModelStore::open(const QString &directory)
{
    auto catalog = ModelCatalog::embedded();
    if (!catalog)
        return catalog.error();
    return ModelStore(directory.isEmpty() ? defaultDirectory() : directory, std::move(catalog).value());
}

QString ModelStore::installHint()
{
    return QStringLiteral("signiq-edge models install --from <mirror dir> (or scripts/install-models.sh --from <mirror dir>)");
}

core::Result<QList<const ModelInfo *>> ModelStore::select(const QStringList &names) const
{
    QList<const ModelInfo *> out;
    if (names.isEmpty()) {
        for (const ModelInfo &m : m_catalog.models())
            out.append(&m);
        return out;
    }
    for (const QString &name : names) {
        const ModelInfo *m = m_catalog.find(name);
        if (!m)
            return m_catalog.get(name).error(); // InvalidArgument listing the valid names
        if (!out.contains(m))
            out.append(m);
    }
    return out;
}

core::Status ModelStore::verifyInstalled(const ModelFile &file) const
{
    const QString path = m_dir + u'/' + file.fileName;
    const QFileInfo info(path);
    if (!info.isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("model file %1 is missing in %2; install it with: %3")
                                                  .arg(file.fileName, m_dir, installHint()));
    if (info.size() != file.size)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("model file %1 in %2 is corrupt: %3 bytes, expected %4; reinstall it with: %5")
                             .arg(file.fileName, m_dir)
                             .arg(info.size())
                             .arg(file.size)
                             .arg(installHint()));
    auto sha = sha256OfFile(path);
    if (!sha)
        return sha.error();
    if (*sha != file.sha256)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("model file %1 in %2 is corrupt: sha256 %3, expected %4; reinstall it with: %5")
                             .arg(file.fileName, m_dir, shortSha(*sha), shortSha(file.sha256), installHint()));
    return {};
}

core::Result<LocatedModel> ModelStore::locate(const QString &name) const
{
    auto model = m_catalog.get(name);
    if (!model)
        return model.error();
    LocatedModel located{std::move(model).value(), {}};
    for (const ModelFile &file : located.info.files) {
        if (auto ok = verifyInstalled(file); !ok)
            return makeError(ok.error().code, QStringLiteral("model %1: %2").arg(name, ok.error().message));
        located.paths.append(QDir(m_dir).absoluteFilePath(file.fileName));
    }
    return located;
}

QList<ModelStatus> ModelStore::status() const
{
    QList<ModelStatus> out;
    for (const ModelInfo &m : m_catalog.models()) {
        ModelStatus s{m, ModelStatus::State::Installed, {}};
        for (const ModelFile &f : m.files) {
            if (auto ok = verifyInstalled(f); !ok) {
                s.state = ok.error().code == ErrorCode::NotFound ? ModelStatus::State::Missing : ModelStatus::State::Corrupt;
                s.detail = ok.error().message;
                break;
            }
        }
        out.append(std::move(s));
    }
    return out;
}

core::Result<InstallReport> ModelStore::install(const QStringList &names, const QString &mirrorDir,
                                                const InstallProgressCallback &progress) const
{
    auto selected = select(names);
    if (!selected)
        return selected.error();
    if (!QFileInfo(mirrorDir).isDir())
        return makeError(ErrorCode::NotFound, QStringLiteral("model mirror directory %1 does not exist").arg(mirrorDir));
    if (QFileInfo(mirrorDir).canonicalFilePath() == QFileInfo(m_dir).canonicalFilePath())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the mirror %1 is the model directory itself").arg(mirrorDir));
    if (!QDir().mkpath(m_dir))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create model directory %1").arg(m_dir));

    QList<Job> jobs;
    for (const ModelInfo *m : *selected) {
        for (const ModelFile &f : m->files)
            jobs.append({m, &f});
    }

    InstallReport report;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const Job &job = jobs.at(i);
        InstallProgress p{InstallProgress::Stage::Checking, job.model->name, job.file->fileName,
                          0, job.file->size, int(i + 1), int(jobs.size())};
        auto emitProgress = [&](InstallProgress::Stage stage, qint64 done) {
            p.stage = stage;
            p.bytesDone = done;
            if (progress)
                progress(p);
        };

        emitProgress(InstallProgress::Stage::Checking, 0);
        if (QFileInfo::exists(m_dir + u'/' + job.file->fileName)) {
            if (verifyInstalled(*job.file)) {
                emitProgress(InstallProgress::Stage::Skipped, job.file->size);
                report.skipped.append(job.file->fileName);
                continue;
            }
            qCWarning(lcVision) << "replacing invalid model file" << job.file->fileName << "in" << m_dir;
        }

        const QString sourcePath = QDir(mirrorDir).filePath(job.file->fileName);
        QFile source(sourcePath);
        if (!source.exists())
            return makeError(ErrorCode::NotFound, QStringLiteral("model %1: file %2 is not in the mirror %3")
                                                      .arg(job.model->name, job.file->fileName, mirrorDir));
        if (source.size() != job.file->size)
            return makeError(ErrorCode::Corrupt, QStringLiteral("model %1: refused %2: size %3 bytes, the catalogue expects %4")
                                                     .arg(job.model->name, sourcePath)
                                                     .arg(source.size())
                                                     .arg(job.file->size));
        if (!source.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sourcePath, source.errorString()));

        VerifiedWriter writer(m_dir + u'/' + job.file->fileName, *job.file);
        if (auto ok = writer.open(); !ok)
            return ok.error();
        emitProgress(InstallProgress::Stage::Transferring, 0);
        while (!source.atEnd()) {
            const QByteArray chunk = source.read(kChunkSize);
            if (chunk.isEmpty() && source.error() != QFileDevice::NoError) {
                writer.cancel();
                return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(sourcePath, source.errorString()));
            }
            if (auto ok = writer.write(chunk); !ok) {
                writer.cancel();
                return makeError(ok.error().code, QStringLiteral("model %1: %2").arg(job.model->name, ok.error().message));
            }
            emitProgress(InstallProgress::Stage::Transferring, writer.written());
        }
        if (auto ok = writer.commit(sourcePath); !ok)
            return makeError(ok.error().code, QStringLiteral("model %1: %2").arg(job.model->name, ok.error().message));
        emitProgress(InstallProgress::Stage::Installed, job.file->size);
        qCInfo(lcVision) << "installed model file" << job.file->fileName << "into" << m_dir;
        report.installed.append(job.file->fileName);
    }
    return report;
}

core::Result<InstallReport> ModelStore::installFromUpstream(const QStringList &names,
                                                            const InstallProgressCallback &progress,
                                                            const QUrl &baseUrl, int transferTimeoutMs) const
{
    auto selected = select(names);
    if (!selected)
        return selected.error();
    if (!QDir().mkpath(m_dir))
        return makeError(ErrorCode::Io, QStringLiteral("cannot create model directory %1").arg(m_dir));

    InstallReport report;
    QList<Job> jobs;
    for (const ModelInfo *m : *selected) {
        const bool downloadable = !baseUrl.isEmpty()
            || std::all_of(m->files.cbegin(), m->files.cend(), [](const ModelFile &f) { return !f.url.isEmpty(); });
        if (!downloadable) {
            if (!names.isEmpty())
                return makeError(ErrorCode::Unsupported,
                                 QStringLiteral("model %1 has no upstream download (it was converted to ONNX by hand); "
                                                "install it from a mirror: %2")
                                     .arg(m->name, installHint()));
            qCWarning(lcVision) << "model" << m->name << "cannot be downloaded; install it from a mirror";
            report.unavailable.append(m->name);
            continue;
        }
        for (const ModelFile &f : m->files)
            jobs.append({m, &f});
    }

    QNetworkAccessManager network;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const Job &job = jobs.at(i);
        InstallProgress p{InstallProgress::Stage::Checking, job.model->name, job.file->fileName,
                          0, job.file->size, int(i + 1), int(jobs.size())};
        auto emitProgress = [&](InstallProgress::Stage stage, qint64 done) {
            p.stage = stage;
            p.bytesDone = done;
            if (progress)
                progress(p);
        };
        emitProgress(InstallProgress::Stage::Checking, 0);
        if (QFileInfo::exists(m_dir + u'/' + job.file->fileName) && verifyInstalled(*job.file)) {
            emitProgress(InstallProgress::Stage::Skipped, job.file->size);
            report.skipped.append(job.file->fileName);
            continue;
        }

        const QUrl url = baseUrl.isEmpty() ? QUrl(job.file->url) : baseUrl.resolved(QUrl(job.file->fileName));
        const QString source = url.toDisplayString();
        VerifiedWriter writer(m_dir + u'/' + job.file->fileName, *job.file);
        if (auto ok = writer.open(); !ok)
            return ok.error();

        QNetworkRequest request(url);
        request.setTransferTimeout(transferTimeoutMs);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        QNetworkReply *reply = network.get(request);
        QEventLoop loop;
        std::optional<core::Error> writeError;
        QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            if (writeError)
                return;
            if (auto ok = writer.write(reply->readAll()); !ok) {
                writeError = ok.error();
                reply->abort();
                return;
            }
            emitProgress(InstallProgress::Stage::Transferring, writer.written());
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const QNetworkReply::NetworkError netError = reply->error();
        const QString netMessage = reply->errorString();
        const int httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!writeError && netError == QNetworkReply::NoError) {
            if (auto ok = writer.write(reply->readAll()); !ok)
                writeError = ok.error();
        }
        reply->deleteLater();

        if (writeError) {
            writer.cancel();
            return makeError(writeError->code, QStringLiteral("model %1: download from %2: %3")
                                                   .arg(job.model->name, source, writeError->message));
        }
        if (netError != QNetworkReply::NoError || (httpStatus != 0 && httpStatus != 200)) {
            writer.cancel();
            return makeError(ErrorCode::Io,
                             QStringLiteral("model %1: download of %2 from %3 failed: %4 (HTTP %5). Without internet "
                                            "access, install from a local mirror: %6")
                                 .arg(job.model->name, job.file->fileName, source, netMessage)
                                 .arg(httpStatus)
                                 .arg(installHint()));
        }
        if (auto ok = writer.commit(source); !ok)
            return makeError(ok.error().code, QStringLiteral("model %1: %2").arg(job.model->name, ok.error().message));
        emitProgress(InstallProgress::Stage::Installed, job.file->size);
        qCInfo(lcVision) << "downloaded model file" << job.file->fileName << "into" << m_dir;
        report.installed.append(job.file->fileName);
    }
    return report;
}

core::Result<InstallReport> installModels(const QString &mirrorDir, const QString &modelsDir,
                                          const QStringList &names, const InstallProgressCallback &progress)
{
    auto store = ModelStore::open(modelsDir);
    if (!store)
        return store.error();
    return store->install(names, mirrorDir, progress);
}

} // namespace signiq::vision
