#include "zones/ZoneEditorModel.h"

#include "client/DeviceClient.h"
#include "client/ErrorText.h"
#include "devices/DeviceSession.h"

#include <QUndoCommand>

namespace signiq::console {

// One edit: the document before and after (documents are small).
class ZoneSnapshotCommand final : public QUndoCommand {
public:
    ZoneSnapshotCommand(ZoneEditorModel &model, core::ZoneConfig before, core::ZoneConfig after, const QString &text, int mergeId)
        : QUndoCommand(text), m_model(model), m_before(std::move(before)), m_after(std::move(after)), m_mergeId(mergeId)
    {
    }
    void undo() override { m_model.setConfig(m_before); }
    void redo() override { m_model.setConfig(m_after); }
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand *other) override
    {
        m_after = static_cast<const ZoneSnapshotCommand *>(other)->m_after;
        return true;
    }

private:
    ZoneEditorModel &m_model;
    core::ZoneConfig m_before;
    core::ZoneConfig m_after;
    int m_mergeId;
};

namespace {
QPointF clamp01(QPointF p)
{
    return QPointF(std::clamp(p.x(), 0.0, 1.0), std::clamp(p.y(), 0.0, 1.0));
}
} // namespace

ZoneEditorModel::ZoneEditorModel(DeviceSession &session, QObject *parent) : QObject(parent), m_session(session)
{
    connect(&m_session, &DeviceSession::clientChanged, this, [this] {
        ++m_generation;
        setBusy(false);
        reset(core::ZoneConfig(), QString());
    });
}

void ZoneEditorModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void ZoneEditorModel::setConfig(const core::ZoneConfig &config)
{
    m_config = config;
    emit configChanged();
}

void ZoneEditorModel::reset(const core::ZoneConfig &config, const QString &deviceVersion)
{
    m_undo.clear();
    m_deviceVersion = deviceVersion;
    setConfig(config);
    m_undo.setClean();
}

std::optional<QString> ZoneEditorModel::apply(const core::ZoneConfig &next, const QString &text, int mergeId)
{
    // An empty document cannot be valid (at least one zone); allow editing towards one.
    if (!next.zones.isEmpty()) {
        const core::Status valid = next.validate();
        if (!valid)
            return tr("This change would make the zones invalid: %1").arg(valid.error().message);
    }
    m_undo.push(new ZoneSnapshotCommand(*this, m_config, next, text, mergeId));
    return std::nullopt;
}

std::optional<QString> ZoneEditorModel::addZone(const QString &name, const QList<QPointF> &polygon)
{
    if (polygon.size() < 3)
        return tr("A zone needs at least three points.");
    core::ZoneConfig next = m_config;
    core::Zone zone{name.trimmed(), {}};
    for (QPointF p : polygon)
        zone.polygon.append(clamp01(p));
    next.zones.append(zone);
    return apply(next, tr("Add zone “%1”").arg(zone.name));
}

std::optional<QString> ZoneEditorModel::removeZone(int index)
{
    if (index < 0 || index >= m_config.zones.size())
        return tr("No such zone.");
    core::ZoneConfig next = m_config;
    const QString name = next.zones.at(index).name;
    next.zones.removeAt(index);
    next.lines.removeIf([&name](const core::CountingLine &line) { return line.zone == name; });
    if (next.zones.isEmpty())
        next.calibration.reset(); // nothing left to calibrate against is fine; keeps the document simple
    return apply(next, tr("Delete zone “%1”").arg(name));
}

std::optional<QString> ZoneEditorModel::renameZone(int index, const QString &name)
{
    if (index < 0 || index >= m_config.zones.size())
        return tr("No such zone.");
    core::ZoneConfig next = m_config;
    const QString old = next.zones.at(index).name;
    next.zones[index].name = name.trimmed();
    for (core::CountingLine &line : next.lines)
        if (line.zone == old)
            line.zone = name.trimmed();
    return apply(next, tr("Rename zone “%1” to “%2”").arg(old, name.trimmed()));
}

std::optional<QString> ZoneEditorModel::moveVertex(int zone, int vertex, QPointF to)
{
    if (zone < 0 || zone >= m_config.zones.size() || vertex < 0 || vertex >= m_config.zones.at(zone).polygon.size())
        return tr("No such point.");
    core::ZoneConfig next = m_config;
    next.zones[zone].polygon[vertex] = clamp01(to);
    return apply(next, tr("Move a point of “%1”").arg(next.zones.at(zone).name));
}

std::optional<QString> ZoneEditorModel::translateZone(int zone, QPointF delta)
{
    if (zone < 0 || zone >= m_config.zones.size())
        return tr("No such zone.");
    core::ZoneConfig next = m_config;
    for (QPointF &p : next.zones[zone].polygon)
        p = clamp01(p + delta);
    return apply(next, tr("Move zone “%1”").arg(next.zones.at(zone).name));
}

std::optional<QString> ZoneEditorModel::addLine(const QString &name, const QString &zone, QPointF from, QPointF to)
{
    core::ZoneConfig next = m_config;
    next.lines.append(core::CountingLine{name.trimmed(), zone, clamp01(from), clamp01(to)});
    return apply(next, tr("Add counting line “%1”").arg(name.trimmed()));
}

std::optional<QString> ZoneEditorModel::removeLine(int index)
{
    if (index < 0 || index >= m_config.lines.size())
        return tr("No such line.");
    core::ZoneConfig next = m_config;
    const QString name = next.lines.at(index).name;
    next.lines.removeAt(index);
    return apply(next, tr("Delete counting line “%1”").arg(name));
}

std::optional<QString> ZoneEditorModel::setFloorPoints(const QList<core::FloorCorrespondence> &points)
{
    core::ZoneConfig next = m_config;
    if (!next.calibration)
        next.calibration = core::Calibration();
    next.calibration->floorPoints = points;
    if (points.size() < 4) {
        // Not yet a calibration the device accepts; keep editing locally without validating it.
        if (next.zones.isEmpty())
            return tr("Draw a zone first.");
        core::ZoneConfig check = next;
        check.calibration.reset();
        if (const core::Status valid = check.validate(); !valid)
            return tr("This change would make the zones invalid: %1").arg(valid.error().message);
        m_undo.push(new ZoneSnapshotCommand(*this, m_config, next, tr("Edit floor points"), -1));
        return std::nullopt;
    }
    return apply(next, tr("Edit floor points"));
}

std::optional<QString> ZoneEditorModel::setScreen(const core::ScreenGeometry &screen, const core::CameraPlacement &camera)
{
    core::ZoneConfig next = m_config;
    if (!next.calibration)
        next.calibration = core::Calibration();
    next.calibration->screen = screen;
    next.calibration->camera = camera;
    if (next.calibration->floorPoints.size() < 4) {
        core::ZoneConfig check = next;
        check.calibration.reset();
        if (const core::Status valid = check.validate(); !valid && !check.zones.isEmpty())
            return tr("This change would make the zones invalid: %1").arg(valid.error().message);
        m_undo.push(new ZoneSnapshotCommand(*this, m_config, next, tr("Edit screen and camera"), 1));
        return std::nullopt;
    }
    return apply(next, tr("Edit screen and camera"), 1);
}

std::optional<QString> ZoneEditorModel::clearCalibration()
{
    core::ZoneConfig next = m_config;
    next.calibration.reset();
    return apply(next, tr("Remove calibration"));
}

QString ZoneEditorModel::suggestZoneName() const
{
    for (int i = 1;; ++i) {
        const QString name = tr("zone %1").arg(i);
        if (m_config.zoneIndex(name) < 0)
            return name;
    }
}

QString ZoneEditorModel::suggestLineName() const
{
    for (int i = 1;; ++i) {
        const QString name = tr("line %1").arg(i);
        bool used = false;
        for (const core::CountingLine &line : m_config.lines)
            used = used || line.name == name;
        if (!used)
            return name;
    }
}

void ZoneEditorModel::load()
{
    DeviceClient *client = m_session.client();
    if (!client) {
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    const quint64 generation = ++m_generation;
    setBusy(true);
    client->zones().then(this, [this, generation](core::Result<ZonesDocument> zones) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!zones) {
            emit failed(ErrorText::forDevice(zones.error()));
            return;
        }
        reset(zones->config, zones->calibrationVersion);
        emit loaded();
    });
}

void ZoneEditorModel::save()
{
    DeviceClient *client = m_session.client();
    if (!client) {
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    if (const core::Status valid = m_config.validate(); !valid) {
        emit failed(tr("The zones cannot be saved yet: %1").arg(valid.error().message));
        return;
    }
    const quint64 generation = m_generation;
    setBusy(true);
    const core::ZoneConfig sent = m_config;
    client->putZones(sent).then(this, [this, generation, sent](core::Result<QString> version) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!version) {
            emit failed(ErrorText::forDevice(version.error()));
            return;
        }
        m_deviceVersion = version.value();
        if (m_config == sent)
            m_undo.setClean();
        m_savedAtMs = m_clock ? m_clock->nowMs() : 0;
        emit saved(version.value());
    });
}

qint64 ZoneEditorModel::appliesAtMs() const
{
    if (m_savedAtMs <= 0)
        return 0;
    return (m_savedAtMs / WindowMs + 1) * WindowMs;
}

} // namespace signiq::console
