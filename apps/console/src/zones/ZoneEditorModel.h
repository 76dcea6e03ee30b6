#pragma once

#include "core/Clock.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"

#include <QObject>
#include <QUndoStack>

namespace signiq::console {

class DeviceSession;

// The zones/lines/calibration document being edited, with undo/redo. Every edit is validated
// first (core::ZoneConfig rules, docs/analytics.md) and refused with a translated message if it
// would make the document invalid; saving sends it to the device, which validates again and
// answers with the new calibration_version.
class ZoneEditorModel : public QObject {
    Q_OBJECT

public:
    explicit ZoneEditorModel(DeviceSession &session, QObject *parent = nullptr);

    const core::ZoneConfig &config() const { return m_config; }
    QString deviceCalibrationVersion() const { return m_deviceVersion; }
    QUndoStack *undoStack() { return &m_undo; }
    bool isDirty() const { return !m_undo.isClean(); }
    bool isBusy() const { return m_busy; }
    // The device keeps counting with the old zones until its next window boundary (1-minute
    // windows): the boundary after the last save, by `clock` (0 without a clock or a save).
    void setClock(const core::Clock *clock) { m_clock = clock; }
    qint64 appliesAtMs() const;
    static constexpr qint64 WindowMs = 60'000;

    // Edits. Each returns a translated message when refused (nothing changes then).
    std::optional<QString> addZone(const QString &name, const QList<QPointF> &polygon);
    std::optional<QString> removeZone(int index);
    std::optional<QString> renameZone(int index, const QString &name);
    std::optional<QString> moveVertex(int zone, int vertex, QPointF to);
    std::optional<QString> translateZone(int zone, QPointF delta);
    std::optional<QString> addLine(const QString &name, const QString &zone, QPointF from, QPointF to);
    std::optional<QString> removeLine(int index);
    std::optional<QString> setFloorPoints(const QList<core::FloorCorrespondence> &points);
    std::optional<QString> setScreen(const core::ScreenGeometry &screen, const core::CameraPlacement &camera);
    std::optional<QString> clearCalibration();

    QString suggestZoneName() const; // "zone 1", "zone 2", ...
    QString suggestLineName() const;

    // Replaces the document (after loading) and clears the undo history.
    void reset(const core::ZoneConfig &config, const QString &deviceVersion);

public slots:
    void load();
    void save();

signals:
    void configChanged();
    void busyChanged(bool busy);
    void loaded();
    void saved(const QString &calibrationVersion);
    void failed(const QString &message); // translated

private:
    friend class ZoneSnapshotCommand;
    std::optional<QString> apply(const core::ZoneConfig &next, const QString &text, int mergeId = -1);
    void setConfig(const core::ZoneConfig &config);
    void setBusy(bool busy);

    DeviceSession &m_session;
    core::ZoneConfig m_config;
    QString m_deviceVersion;
    QUndoStack m_undo;
    quint64 m_generation = 0;
    bool m_busy = false;
    const core::Clock *m_clock = nullptr;
    qint64 m_savedAtMs = 0;
};

} // namespace signiq::console
