#pragma once

#include "core/ZoneConfig.h"

#include <QGraphicsView>
#include <QMap>

class QGraphicsPathItem;
class QGraphicsPixmapItem;

namespace signiq::console {

// The live anonymised overlay with the zones, counting lines and floor points drawn on it.
// Normalised image coordinates (0..1) map onto a scene 960 wide whose height follows the aspect
// ratio of the device's image (540 until the first frame; 720 for a 4:3 camera), so the overlay is
// never stretched. The canvas only reports gestures; ZoneEditorModel decides what they change.
class ZoneCanvas : public QGraphicsView {
    Q_OBJECT

public:
    enum class Tool { Select, DrawZone, DrawLine, PlaceFloorPoint };
    static constexpr double SceneWidth = 960.0;
    static constexpr double DefaultSceneHeight = 540.0;

    explicit ZoneCanvas(QWidget *parent = nullptr);

    void setConfig(const core::ZoneConfig &config);
    void setBackground(const QImage &image);
    // Frames shown since the canvas was created (the live overlay).
    int backgroundFrames() const { return m_backgroundFrames; }
    double sceneHeight() const { return m_sceneHeight; }
    // The stream ended: the last frame stays, dimmed, with `text` across it, until the next frame.
    void markEnded(const QString &text);
    bool isMarkedEnded() const { return m_endedBanner != nullptr; }
    void setLiveCounts(const QMap<QString, int> &counts);
    void setTool(Tool tool);
    Tool tool() const { return m_tool; }
    int selectedZone() const { return m_selectedZone; }
    void setSelectedZone(int zone);

    // Where a normalised image point is in viewport coordinates (for tests and hit-testing).
    QPoint viewportPoint(QPointF normalised) const;
    QPointF normalisedAt(QPoint viewportPos) const;

signals:
    void zoneDrawn(const QList<QPointF> &polygon);
    void lineDrawn(QPointF from, QPointF to);
    void floorPointPlaced(QPointF image);
    void vertexMoved(int zone, int vertex, QPointF to);
    void zoneMoved(int zone, QPointF delta);
    void zoneSelected(int zone);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void updateDraft(QPointF cursor = QPointF(-1, -1));
    void finishZone();
    QPointF toScene(QPointF normalised) const;
    QPointF toNormalised(QPointF scenePoint) const;
    void clearEndedMark();
    int vertexAt(QPointF normalised, int *zone) const;

    core::ZoneConfig m_config;
    QMap<QString, int> m_counts;
    Tool m_tool = Tool::Select;
    QGraphicsPixmapItem *m_background = nullptr;
    int m_backgroundFrames = 0;
    double m_sceneHeight = DefaultSceneHeight;
    QGraphicsItem *m_endedBanner = nullptr;
    QGraphicsPathItem *m_draft = nullptr;
    QList<QGraphicsItem *> m_items;
    QList<QPointF> m_draftPoints;
    int m_selectedZone = -1;
    // Drag state (Select tool).
    int m_dragZone = -1;
    int m_dragVertex = -1;
    QPointF m_dragStart;
    QPointF m_dragNow;
};

} // namespace signiq::console
