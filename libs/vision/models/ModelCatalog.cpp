#include "vision/models/ModelCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

const QRegularExpression &sha256Pattern()
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re;
}

core::Result<ModelFile> parseFile(const QJsonObject &o, const QString &where, bool needRole)
{
    ModelFile f;
    f.role = o.value(QStringLiteral("role")).toString();
    f.fileName = o.value(QStringLiteral("fileName")).toString();
    f.sha256 = o.value(QStringLiteral("sha256")).toString();
    f.size = o.value(QStringLiteral("size")).toInteger(-1);
    f.url = o.value(QStringLiteral("url")).toString();
    if (f.fileName.isEmpty() || f.fileName.contains(QStringLiteral("..")) || f.fileName.startsWith(u'/'))
        return makeError(ErrorCode::Parse, where + QStringLiteral(": missing or unsafe \"fileName\""));
    if (needRole && f.role != QStringLiteral("model") && f.role != QStringLiteral("weights")
        && f.role != QStringLiteral("config"))
        return makeError(ErrorCode::Parse,
                         where + QStringLiteral(": \"role\" of %1 must be model, weights or config").arg(f.fileName));
    if (!sha256Pattern().match(f.sha256).hasMatch())
        return makeError(ErrorCode::Parse, where + QStringLiteral(": \"sha256\" of %1 is not 64 lower-case hex digits").arg(f.fileName));
    if (f.size <= 0)
        return makeError(ErrorCode::Parse, where + QStringLiteral(": \"size\" of %1 must be a positive integer").arg(f.fileName));
    return f;
}

} // namespace

const ModelFile &ModelInfo::primaryFile() const
{
    for (const ModelFile &f : files) {
        if (f.role == QStringLiteral("model") || f.role == QStringLiteral("weights"))
            return f;
    }
    return files.first(); // fromJson() guarantees at least one file
}

QString ModelInfo::version() const
{
    return name + u'@' + primaryFile().sha256.left(12);
}

const ModelFile *ModelInfo::file(const QString &role) const
{
    for (const ModelFile &f : files) {
        if (f.role == role)
            return &f;
    }
    return nullptr;
}

QString ModelCatalog::embeddedPath()
{
    return QStringLiteral(":/signiq/models/models.json");
}

core::Result<ModelCatalog> ModelCatalog::embedded()
{
    return fromFile(embeddedPath());
}

core::Result<ModelCatalog> ModelCatalog::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("cannot read model catalogue %1: %2").arg(path, file.errorString()));
    return fromJson(file.readAll(), path);
}

core::Result<ModelCatalog> ModelCatalog::fromJson(const QByteArray &json, const QString &origin)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return makeError(ErrorCode::Parse, QStringLiteral("model catalogue %1: %2 at offset %3")
                                               .arg(origin, parseError.errorString())
                                               .arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("schemaVersion")).toInt() != 1)
        return makeError(ErrorCode::Unsupported,
                         QStringLiteral("model catalogue %1: unsupported \"schemaVersion\" (expected 1)").arg(origin));

    ModelCatalog catalog;
    const QJsonArray models = root.value(QStringLiteral("models")).toArray();
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QJsonObject o = models.at(i).toObject();
        ModelInfo m;
        m.name = o.value(QStringLiteral("name")).toString();
        const QString where = QStringLiteral("model catalogue %1, models[%2] (%3)").arg(origin).arg(i).arg(m.name);
        if (m.name.isEmpty())
            return makeError(ErrorCode::Parse, where + QStringLiteral(": missing \"name\""));
        if (catalog.find(m.name))
            return makeError(ErrorCode::Parse, where + QStringLiteral(": duplicate name"));
        m.task = o.value(QStringLiteral("task")).toString();
        m.isDefault = o.value(QStringLiteral("default")).toBool();
        m.licence = o.value(QStringLiteral("licence")).toString();
        m.upstream = o.value(QStringLiteral("upstream")).toString();
        m.converted = o.value(QStringLiteral("converted")).toBool();
        const QJsonObject input = o.value(QStringLiteral("input")).toObject();
        m.inputWidth = input.value(QStringLiteral("width")).toInt();
        m.inputHeight = input.value(QStringLiteral("height")).toInt();
        m.inputFormat = input.value(QStringLiteral("format")).toString();
        m.output = o.value(QStringLiteral("output")).toString();
        m.notes = o.value(QStringLiteral("notes")).toString();
        if (m.task.isEmpty() || m.licence.isEmpty() || m.upstream.isEmpty())
            return makeError(ErrorCode::Parse, where + QStringLiteral(": \"task\", \"licence\" and \"upstream\" are required"));

        const QJsonArray files = o.value(QStringLiteral("files")).toArray();
        if (files.isEmpty())
            return makeError(ErrorCode::Parse, where + QStringLiteral(": \"files\" is empty"));
        for (const QJsonValue &v : files) {
            auto f = parseFile(v.toObject(), where, true);
            if (!f)
                return f.error();
            m.files.append(std::move(f).value());
        }
        const QJsonObject conv = o.value(QStringLiteral("convertedFrom")).toObject();
        m.convertedFrom = conv.value(QStringLiteral("description")).toString();
        for (const QJsonValue &v : conv.value(QStringLiteral("files")).toArray()) {
            auto f = parseFile(v.toObject(), where, false);
            if (!f)
                return f.error();
            m.sourceFiles.append(std::move(f).value());
        }
        if (m.converted && (m.convertedFrom.isEmpty() || m.sourceFiles.isEmpty()))
            return makeError(ErrorCode::Parse, where + QStringLiteral(": a converted model needs \"convertedFrom\" with its source files"));
        catalog.m_models.append(std::move(m));
    }
    if (catalog.m_models.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("model catalogue %1 lists no models").arg(origin));
    return catalog;
}

QStringList ModelCatalog::names() const
{
    QStringList out;
    for (const ModelInfo &m : m_models)
        out.append(m.name);
    return out;
}

QStringList ModelCatalog::names(const QString &task) const
{
    QStringList out;
    for (const ModelInfo &m : m_models) {
        if (m.task == task)
            out.append(m.name);
    }
    return out;
}

const ModelInfo *ModelCatalog::find(const QString &name) const
{
    for (const ModelInfo &m : m_models) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

core::Result<ModelInfo> ModelCatalog::get(const QString &name) const
{
    if (const ModelInfo *m = find(name))
        return *m;
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown model \"%1\"; valid names: %2")
                                                     .arg(name, names().join(QStringLiteral(", "))));
}

} // namespace signiq::vision
