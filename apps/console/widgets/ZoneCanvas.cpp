#include "ZoneCanvas.h"

#include <QFont>
#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsPixmapItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>

#include <cmath>

namespace signiq::console {

namespace {
const QList<QColor> &zoneColours()
{
    static const QList<QColor> colours = {QColor(0, 184, 148), QColor(9, 132, 227), QColor(253, 203, 110),
                                          QColor(225, 112, 85), QColor(162, 155, 254), QColor(232, 67, 147)};
    return colours;
}
constexpr double HandleRadius = 6.0;
} // namespace

ZoneCanvas::ZoneCanvas(QWidget *parent) : QGraphicsView(parent)
{
    auto *scene = new QGraphicsScene(0, 0, SceneWidth, m_sceneHeight, this);
    setScene(scene);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(480, 270);
    setBackgroundBrush(QColor(30, 30, 34));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_background = scene->addPixmap(QPixmap());
    m_background->setZValue(-10);
    m_draft = scene->addPath(QPainterPath(), QPen(Qt::white, 2, Qt::DashLine));
    m_draft->setZValue(10);
    setFocusPolicy(Qt::StrongFocus);
}

QPointF ZoneCanvas::toScene(QPointF n) const
{
    return QPointF(n.x() * SceneWidth, n.y() * m_sceneHeight);
}

QPointF ZoneCanvas::toNormalised(QPointF s) const
{
    return QPointF(std::clamp(s.x() / SceneWidth, 0.0, 1.0), std::clamp(s.y() / m_sceneHeight, 0.0, 1.0));
}

QPoint ZoneCanvas::viewportPoint(QPointF normalised) const
{
    return mapFromScene(toScene(normalised));
}

QPointF ZoneCanvas::normalisedAt(QPoint viewportPos) const
{
    return toNormalised(mapToScene(viewportPos));
}

void ZoneCanvas::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    fitInView(sceneRect(), Qt::KeepAspectRatio);
}

void ZoneCanvas::setConfig(const core::ZoneConfig &config)
{
    m_config = config;
    if (m_selectedZone >= m_config.zones.size())
        m_selectedZone = -1;
    rebuild();
}

void ZoneCanvas::setBackground(const QImage &image)
{
    clearEndedMark();
    if (image.width() > 0 && image.height() > 0) {
        // The scene takes the image's aspect ratio: a 4:3 camera is shown 4:3, not stretched.
        const double height = SceneWidth * double(image.height()) / double(image.width());
        if (std::abs(height - m_sceneHeight) > 0.5) {
            m_sceneHeight = height;
            scene()->setSceneRect(0, 0, SceneWidth, m_sceneHeight);
            fitInView(sceneRect(), Qt::KeepAspectRatio);
            rebuild();
        }
    }
    m_background->setPixmap(QPixmap::fromImage(image.scaled(int(SceneWidth), qRound(m_sceneHeight), Qt::IgnoreAspectRatio,
                                                            Qt::SmoothTransformation)));
    ++m_backgroundFrames;
}

void ZoneCanvas::markEnded(const QString &text)
{
    clearEndedMark();
    m_background->setOpacity(0.35);
    auto *label = new QGraphicsSimpleTextItem(text);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    label->setFont(font);
    label->setBrush(Qt::white);
    const QRectF bounds = label->boundingRect();
    auto *banner = scene()->addRect(QRectF(0, 0, bounds.width() + 24, bounds.height() + 16), Qt::NoPen, QColor(0, 0, 0, 190));
    label->setParentItem(banner);
    label->setPos(12, 8);
    banner->setPos((SceneWidth - banner->rect().width()) / 2, (m_sceneHeight - banner->rect().height()) / 2);
    banner->setZValue(20);
    m_endedBanner = banner;
}

void ZoneCanvas::clearEndedMark()
{
    m_background->setOpacity(1.0);
    delete m_endedBanner;
    m_endedBanner = nullptr;
}

void ZoneCanvas::setLiveCounts(const QMap<QString, int> &counts)
{
    if (counts == m_counts)
        return;
    m_counts = counts;
    rebuild();
}

void ZoneCanvas::setTool(Tool tool)
{
    m_tool = tool;
    m_draftPoints.clear();
    updateDraft();
    setCursor(tool == Tool::Select ? Qt::ArrowCursor : Qt::CrossCursor);
}

void ZoneCanvas::setSelectedZone(int zone)
{
    m_selectedZone = zone;
    rebuild();
}

void ZoneCanvas::rebuild()
{
    for (QGraphicsItem *item : std::as_const(m_items)) {
        scene()->removeItem(item);
        delete item;
    }
    m_items.clear();
    for (int z = 0; z < m_config.zones.size(); ++z) {
        const core::Zone &zone = m_config.zones.at(z);
        QPolygonF polygon;
        for (int v = 0; v < zone.polygon.size(); ++v) {
            QPointF p = zone.polygon.at(v);
            if (z == m_dragZone && m_dragVertex == v)
                p = m_dragNow;
            else if (z == m_dragZone && m_dragVertex < 0)
                p += m_dragNow - m_dragStart;
            polygon.append(toScene(p));
        }
        QColor colour = zoneColours().at(z % zoneColours().size());
        QColor fill = colour;
        fill.setAlpha(z == m_selectedZone ? 110 : 60);
        auto *item = scene()->addPolygon(polygon, QPen(colour, z == m_selectedZone ? 3 : 2), fill);
        m_items.append(item);
        QString label = zone.name;
        if (m_counts.contains(zone.name))
            label += QStringLiteral(" · %1").arg(m_counts.value(zone.name));
        auto *text = scene()->addSimpleText(label);
        text->setBrush(Qt::white);
        text->setPos(polygon.boundingRect().topLeft() + QPointF(6, 4));
        m_items.append(text);
        if (z == m_selectedZone || m_tool == Tool::Select) {
            for (const QPointF &p : polygon) {
                auto *handle = scene()->addEllipse(QRectF(p - QPointF(HandleRadius, HandleRadius), QSizeF(2 * HandleRadius, 2 * HandleRadius)),
                                                   QPen(Qt::white), colour);
                m_items.append(handle);
            }
        }
    }
    for (const core::CountingLine &line : m_config.lines) {
        auto *item = scene()->addLine(QLineF(toScene(line.a), toScene(line.b)), QPen(QColor(255, 255, 255), 3));
        m_items.append(item);
        auto *text = scene()->addSimpleText(line.name);
        text->setBrush(Qt::white);
        text->setPos(toScene(line.b) + QPointF(4, -16));
        m_items.append(text);
    }
    if (m_config.calibration) {
        int i = 1;
        for (const core::FloorCorrespondence &point : m_config.calibration->floorPoints) {
            const QPointF s = toScene(point.image);
            auto *cross = scene()->addPath(QPainterPath(), QPen(QColor(255, 80, 80), 2));
            QPainterPath path;
            path.moveTo(s + QPointF(-7, -7));
            path.lineTo(s + QPointF(7, 7));
            path.moveTo(s + QPointF(-7, 7));
            path.lineTo(s + QPointF(7, -7));
            cross->setPath(path);
            m_items.append(cross);
            auto *text = scene()->addSimpleText(QStringLiteral("F%1").arg(i++));
            text->setBrush(QColor(255, 120, 120));
            text->setPos(s + QPointF(8, 2));
            m_items.append(text);
        }
    }
}

void ZoneCanvas::updateDraft(QPointF cursor)
{
    QPainterPath path;
    if (!m_draftPoints.isEmpty()) {
        path.moveTo(toScene(m_draftPoints.first()));
        for (qsizetype i = 1; i < m_draftPoints.size(); ++i)
            path.lineTo(toScene(m_draftPoints.at(i)));
        if (cursor.x() >= 0)
            path.lineTo(toScene(cursor));
    }
    m_draft->setPath(path);
}

int ZoneCanvas::vertexAt(QPointF normalised, int *zone) const
{
    const QPointF s = toScene(normalised);
    for (int z = int(m_config.zones.size()) - 1; z >= 0; --z)
        for (int v = 0; v < m_config.zones.at(z).polygon.size(); ++v)
            if (QLineF(s, toScene(m_config.zones.at(z).polygon.at(v))).length() <= HandleRadius * 1.5) {
                *zone = z;
                return v;
            }
    return -1;
}

void ZoneCanvas::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QGraphicsView::mousePressEvent(event);
    const QPointF n = normalisedAt(event->position().toPoint());
    switch (m_tool) {
    case Tool::DrawZone:
        m_draftPoints.append(n);
        updateDraft();
        break;
    case Tool::DrawLine:
        m_draftPoints.append(n);
        if (m_draftPoints.size() == 2) {
            const QPointF a = m_draftPoints.at(0);
            m_draftPoints.clear();
            updateDraft();
            emit lineDrawn(a, n);
        } else {
            updateDraft();
        }
        break;
    case Tool::PlaceFloorPoint:
        emit floorPointPlaced(n);
        break;
    case Tool::Select: {
        int zone = -1;
        const int vertex = vertexAt(n, &zone);
        if (vertex >= 0) {
            m_dragZone = zone;
            m_dragVertex = vertex;
        } else {
            m_dragZone = -1;
            for (int z = int(m_config.zones.size()) - 1; z >= 0; --z)
                if (m_config.zones.at(z).contains(n)) {
                    m_dragZone = z;
                    break;
                }
            m_dragVertex = -1;
        }
        m_dragStart = n;
        m_dragNow = n;
        if (m_dragZone != m_selectedZone) {
            m_selectedZone = m_dragZone;
            emit zoneSelected(m_selectedZone);
        }
        rebuild();
        break;
    }
    }
}

void ZoneCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF n = normalisedAt(event->position().toPoint());
    if (m_tool == Tool::Select && m_dragZone >= 0 && (event->buttons() & Qt::LeftButton)) {
        m_dragNow = n;
        rebuild();
    } else if (m_tool == Tool::DrawZone || m_tool == Tool::DrawLine) {
        updateDraft(n);
    }
    QGraphicsView::mouseMoveEvent(event);
}

void ZoneCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_tool == Tool::Select && m_dragZone >= 0 && event->button() == Qt::LeftButton) {
        const QPointF end = normalisedAt(event->position().toPoint());
        const int zone = m_dragZone;
        const int vertex = m_dragVertex;
        const QPointF start = m_dragStart;
        m_dragZone = -1;
        m_dragVertex = -1;
        if (QLineF(toScene(start), toScene(end)).length() >= 1.0) {
            if (vertex >= 0)
                emit vertexMoved(zone, vertex, end);
            else
                emit zoneMoved(zone, end - start);
        }
        rebuild();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void ZoneCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_tool == Tool::DrawZone) {
        finishZone();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void ZoneCanvas::keyPressEvent(QKeyEvent *event)
{
    if (m_tool == Tool::DrawZone && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)) {
        finishZone();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        m_draftPoints.clear();
        updateDraft();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void ZoneCanvas::finishZone()
{
    // A double click also delivered a press: drop the duplicate last point.
    QList<QPointF> points;
    for (const QPointF &p : std::as_const(m_draftPoints))
        if (points.isEmpty() || QLineF(toScene(points.last()), toScene(p)).length() > 2.0)
            points.append(p);
    m_draftPoints.clear();
    updateDraft();
    if (points.size() >= 3)
        emit zoneDrawn(points);
}

} // namespace signiq::console
