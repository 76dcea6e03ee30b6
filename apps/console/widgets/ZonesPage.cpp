#include "ZonesPage.h"

#include "SpinBoxWheelGuard.h"
#include "ZoneCanvas.h"
#include "client/DeviceClient.h"
#include "devices/DeviceSession.h"
#include "zones/ZoneEditorModel.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QLocale>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace signiq::console {

namespace {
QDoubleSpinBox *metres(double min, double max, double value, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    box->setValue(value);
    box->setSuffix(QStringLiteral(" m"));
    return box;
}
} // namespace

ZonesPage::ZonesPage(ZoneEditorModel &model, DeviceSession &session, QWidget *parent)
    : QWidget(parent), m_model(model), m_session(session)
{
    auto *layout = new QHBoxLayout(this);
    auto *left = new QVBoxLayout;
    auto *tools = new QHBoxLayout;
    auto *group = new QButtonGroup(this);
    const struct {
        ZoneCanvas::Tool tool;
        QString text;
    } toolButtons[] = {
        {ZoneCanvas::Tool::Select, tr("Select / move")},
        {ZoneCanvas::Tool::DrawZone, tr("Draw zone")},
        {ZoneCanvas::Tool::DrawLine, tr("Draw counting line")},
        {ZoneCanvas::Tool::PlaceFloorPoint, tr("Place floor point")},
    };
    m_canvas = new ZoneCanvas(this);
    for (const auto &t : toolButtons) {
        auto *button = new QToolButton(this);
        button->setText(t.text);
        button->setCheckable(true);
        button->setChecked(t.tool == ZoneCanvas::Tool::Select);
        group->addButton(button);
        tools->addWidget(button);
        connect(button, &QToolButton::toggled, this, [this, tool = t.tool](bool on) {
            if (on)
                m_canvas->setTool(tool);
        });
    }
    group->setExclusive(true);
    tools->addStretch(1);
    auto *undo = new QToolButton(this);
    undo->setDefaultAction(m_model.undoStack()->createUndoAction(this, tr("Undo")));
    undo->defaultAction()->setShortcut(QKeySequence::Undo);
    auto *redo = new QToolButton(this);
    redo->setDefaultAction(m_model.undoStack()->createRedoAction(this, tr("Redo")));
    redo->defaultAction()->setShortcut(QKeySequence::Redo);
    tools->addWidget(undo);
    tools->addWidget(redo);
    left->addLayout(tools);
    left->addWidget(m_canvas, 1);
    auto *hint = new QLabel(tr("Draw zone: click the corners, double-click or press Enter to close. Draw counting line: click "
                               "start and end (crossing right-to-left of the arrow counts as “in”). Select: drag a corner or a "
                               "whole zone."),
                            this);
    hint->setWordWrap(true);
    left->addWidget(hint);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    left->addWidget(m_status);
    layout->addLayout(left, 3);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("panelScroll"));
    scroll->setWidgetResizable(true);
    auto *panel = new QWidget(scroll);
    auto *right = new QVBoxLayout(panel);
    scroll->setWidget(panel);
    scroll->setMinimumWidth(340);
    layout->addWidget(scroll, 1);

    auto *deviceRow = new QHBoxLayout;
    auto *load = new QPushButton(tr("Load from device"), panel);
    auto *save = new QPushButton(tr("Save to device"), panel);
    save->setObjectName(QStringLiteral("save"));
    deviceRow->addWidget(load);
    deviceRow->addWidget(save);
    right->addLayout(deviceRow);
    m_version = new QLabel(panel);
    m_version->setWordWrap(true);
    right->addWidget(m_version);
    m_overlayButton = new QPushButton(tr("Start live overlay"), panel);
    right->addWidget(m_overlayButton);

    auto *zonesBox = new QGroupBox(tr("Zones (double-click to rename) and live counts"), panel);
    auto *zonesLayout = new QVBoxLayout(zonesBox);
    m_zones = new QListWidget(zonesBox);
    zonesLayout->addWidget(m_zones);
    auto *deleteZone = new QPushButton(tr("Delete selected zone"), zonesBox);
    zonesLayout->addWidget(deleteZone);
    right->addWidget(zonesBox);

    auto *linesBox = new QGroupBox(tr("Counting lines (reported in the selected zone)"), panel);
    auto *linesLayout = new QVBoxLayout(linesBox);
    m_lines = new QListWidget(linesBox);
    m_lines->setMaximumHeight(90);
    linesLayout->addWidget(m_lines);
    auto *deleteLine = new QPushButton(tr("Delete selected line"), linesBox);
    linesLayout->addWidget(deleteLine);
    right->addWidget(linesBox);

    auto *floorBox = new QGroupBox(tr("Floor points (ground-plane calibration)"), panel);
    auto *floorLayout = new QVBoxLayout(floorBox);
    auto *floorHint = new QLabel(tr("Enter the measured floor position, then click the same spot in the image. At least 4 "
                                    "points, no three in a line."),
                                 floorBox);
    floorHint->setWordWrap(true);
    floorLayout->addWidget(floorHint);
    auto *floorForm = new QFormLayout;
    m_floorX = metres(-1000, 1000, 0, floorBox);
    m_floorY = metres(-1000, 1000, 1, floorBox);
    floorForm->addRow(tr("Floor x (along the screen):"), m_floorX);
    floorForm->addRow(tr("Floor y (into the room):"), m_floorY);
    floorLayout->addLayout(floorForm);
    m_floor = new QTableWidget(0, 4, floorBox);
    m_floor->setHorizontalHeaderLabels({tr("Image x"), tr("Image y"), tr("Floor x (m)"), tr("Floor y (m)")});
    m_floor->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_floor->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_floor->verticalHeader()->hide();
    m_floor->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_floor->setMaximumHeight(150);
    floorLayout->addWidget(m_floor);
    auto *removeFloor = new QPushButton(tr("Remove selected floor point"), floorBox);
    floorLayout->addWidget(removeFloor);
    right->addWidget(floorBox);

    auto *screenBox = new QGroupBox(tr("Screen and camera (floor coordinates)"), panel);
    auto *screenForm = new QFormLayout(screenBox);
    m_screenX = metres(-1000, 1000, 0, screenBox);
    m_screenHeight = metres(0.01, 20, 1.5, screenBox);
    m_screenWidth = metres(0.01, 50, 1.0, screenBox);
    m_screenH = metres(0.01, 50, 0.6, screenBox);
    m_cameraX = metres(-1000, 1000, 0, screenBox);
    m_cameraHeight = metres(0.01, 20, 2.0, screenBox);
    screenForm->addRow(tr("Screen centre x:"), m_screenX);
    screenForm->addRow(tr("Screen centre height:"), m_screenHeight);
    screenForm->addRow(tr("Screen width:"), m_screenWidth);
    screenForm->addRow(tr("Screen height:"), m_screenH);
    screenForm->addRow(tr("Camera position x:"), m_cameraX);
    screenForm->addRow(tr("Camera height:"), m_cameraHeight);
    auto *applyScreen = new QPushButton(tr("Apply screen and camera"), screenBox);
    screenForm->addRow(QString(), applyScreen);
    right->addWidget(screenBox);
    right->addStretch(1);
    SpinBoxWheelGuard::guardChildren(panel); // scrolling the panel never changes a value

    connect(load, &QPushButton::clicked, &m_model, &ZoneEditorModel::load);
    connect(save, &QPushButton::clicked, &m_model, &ZoneEditorModel::save);
    connect(m_overlayButton, &QPushButton::clicked, this, [this] {
        if (m_overlay)
            stopOverlay();
        else
            startOverlay();
    });
    connect(&m_model, &ZoneEditorModel::configChanged, this, &ZonesPage::syncFromModel);
    connect(&m_model, &ZoneEditorModel::saved, this, [this](const QString &version) {
        m_status->setStyleSheet(QStringLiteral("color: #0f5132;"));
        QString text = tr("Saved. The device validated the zones; new calibration version %1.").arg(version);
        if (const qint64 at = m_model.appliesAtMs(); at > 0)
            text += u' ' + tr("They apply at the next window boundary at %1; until then the device counts with the old zones.")
                               .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(at).time(), QLocale::ShortFormat));
        else
            text += u' ' + tr("They apply at the device's next window boundary; until then it counts with the old zones.");
        m_status->setText(text);
        syncFromModel();
    });
    connect(&m_model, &ZoneEditorModel::loaded, this, [this] {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Loaded from the device."));
    });
    connect(&m_model, &ZoneEditorModel::failed, this, [this](const QString &message) { report(message); });
    connect(&m_model, &ZoneEditorModel::busyChanged, save, &QPushButton::setDisabled);
    connect(m_model.undoStack(), &QUndoStack::cleanChanged, this, &ZonesPage::syncFromModel);

    connect(m_canvas, &ZoneCanvas::zoneDrawn, this, [this](const QList<QPointF> &polygon) {
        report(m_model.addZone(m_model.suggestZoneName(), polygon));
    });
    connect(m_canvas, &ZoneCanvas::lineDrawn, this, [this](QPointF a, QPointF b) {
        const int zone = m_canvas->selectedZone() >= 0 ? m_canvas->selectedZone() : 0;
        if (m_model.config().zones.isEmpty()) {
            report(tr("Draw a zone first: a counting line reports in a zone."));
            return;
        }
        report(m_model.addLine(m_model.suggestLineName(), m_model.config().zones.at(zone).name, a, b));
    });
    connect(m_canvas, &ZoneCanvas::vertexMoved, this,
            [this](int zone, int vertex, QPointF to) { report(m_model.moveVertex(zone, vertex, to)); });
    connect(m_canvas, &ZoneCanvas::zoneMoved, this, [this](int zone, QPointF delta) { report(m_model.translateZone(zone, delta)); });
    connect(m_canvas, &ZoneCanvas::zoneSelected, this, [this](int zone) {
        QSignalBlocker block(m_zones);
        m_zones->setCurrentRow(zone);
    });
    connect(m_canvas, &ZoneCanvas::floorPointPlaced, this, [this](QPointF image) {
        QList<core::FloorCorrespondence> points;
        if (m_model.config().calibration)
            points = m_model.config().calibration->floorPoints;
        points.append({image, QPointF(m_floorX->value(), m_floorY->value())});
        report(m_model.setFloorPoints(points));
    });
    connect(m_zones, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_syncing)
            m_canvas->setSelectedZone(row);
    });
    connect(m_zones, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_syncing)
            return;
        const int row = m_zones->row(item);
        report(m_model.renameZone(row, item->text()));
        syncFromModel();
    });
    connect(deleteZone, &QPushButton::clicked, this, [this] {
        if (m_zones->currentRow() >= 0)
            report(m_model.removeZone(m_zones->currentRow()));
    });
    connect(deleteLine, &QPushButton::clicked, this, [this] {
        if (m_lines->currentRow() >= 0)
            report(m_model.removeLine(m_lines->currentRow()));
    });
    connect(removeFloor, &QPushButton::clicked, this, [this] {
        const int row = m_floor->currentRow();
        if (row < 0 || !m_model.config().calibration)
            return;
        QList<core::FloorCorrespondence> points = m_model.config().calibration->floorPoints;
        points.removeAt(row);
        report(m_model.setFloorPoints(points));
    });
    connect(applyScreen, &QPushButton::clicked, this, &ZonesPage::applyScreen);
    connect(&m_session, &DeviceSession::clientChanged, this, [this] { stopOverlay(); });
    syncFromModel();
}

ZonesPage::~ZonesPage() = default;

QString ZonesPage::statusText() const
{
    return m_status->text();
}

QString ZonesPage::versionText() const
{
    return m_version->text();
}

void ZonesPage::report(const std::optional<QString> &problem)
{
    if (!problem) {
        m_status->setStyleSheet(QString());
        m_status->clear();
        return;
    }
    m_status->setStyleSheet(QStringLiteral("color: #b02a37;"));
    m_status->setText(*problem);
}

void ZonesPage::applyScreen()
{
    core::ScreenGeometry screen{QPointF(m_screenX->value(), 0.0), m_screenHeight->value(), m_screenWidth->value(), m_screenH->value()};
    core::CameraPlacement camera{QPointF(m_cameraX->value(), 0.0), m_cameraHeight->value()};
    report(m_model.setScreen(screen, camera));
}

void ZonesPage::syncFromModel()
{
    m_syncing = true;
    const core::ZoneConfig &config = m_model.config();
    m_canvas->setConfig(config);
    const int selected = m_zones->currentRow();
    m_zones->clear();
    for (const core::Zone &zone : config.zones) {
        auto *item = new QListWidgetItem(zone.name, m_zones);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    if (selected >= 0 && selected < m_zones->count())
        m_zones->setCurrentRow(selected);
    m_lines->clear();
    for (const core::CountingLine &line : config.lines)
        m_lines->addItem(tr("%1 → zone “%2”").arg(line.name, line.zone));
    m_floor->setRowCount(0);
    if (config.calibration) {
        const auto &points = config.calibration->floorPoints;
        m_floor->setRowCount(int(points.size()));
        for (int i = 0; i < points.size(); ++i) {
            const auto &p = points.at(i);
            const double values[] = {p.image.x(), p.image.y(), p.floorM.x(), p.floorM.y()};
            for (int c = 0; c < 4; ++c)
                m_floor->setItem(i, c, new QTableWidgetItem(QString::number(values[c], 'f', c < 2 ? 3 : 2)));
        }
        const auto &screen = config.calibration->screen;
        m_screenX->setValue(screen.centreM.x());
        m_screenHeight->setValue(screen.centreHeightM);
        m_screenWidth->setValue(screen.widthM);
        m_screenH->setValue(screen.heightM);
        m_cameraX->setValue(config.calibration->camera.positionM.x());
        m_cameraHeight->setValue(config.calibration->camera.heightM);
    }
    const QString local = config.zones.isEmpty() ? QString() : config.version();
    QString text = tr("Device calibration version: %1").arg(m_model.deviceCalibrationVersion().isEmpty() ? tr("unknown")
                                                                                                        : m_model.deviceCalibrationVersion());
    if (m_model.isDirty())
        text += u'\n' + tr("Unsaved changes (would become version %1).").arg(local);
    m_version->setText(text);
    m_syncing = false;
}

void ZonesPage::startOverlay()
{
    DeviceClient *client = m_session.client();
    if (!client) {
        report(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    m_overlay = client->openOverlay();
    connect(m_overlay.get(), &OverlayStream::frameReceived, this, [this](const OverlayFrame &frame) {
        m_canvas->setBackground(frame.image);
        m_canvas->setLiveCounts(frame.occupancyByZone);
        if (frame.occupancyByZone.isEmpty())
            return; // a device that draws its live counts into the overlay image itself
        m_syncing = true;
        for (int i = 0; i < m_zones->count() && i < m_model.config().zones.size(); ++i) {
            const QString name = m_model.config().zones.at(i).name;
            m_zones->item(i)->setToolTip(tr("%n person(s) in the zone now", nullptr, frame.occupancyByZone.value(name)));
        }
        m_syncing = false;
    });
    connect(m_overlay.get(), &OverlayStream::closed, this, [this](const QString &reason) {
        // The device's own reason (its 10-minute limit, a refused key or scope, the network), and
        // the last frame marked as such: never a stale picture that looks live.
        report(tr("The live overlay ended: %1. Start it again if needed.").arg(reason));
        m_canvas->markEnded(tr("Live overlay ended — last frame"));
        QMetaObject::invokeMethod(this, &ZonesPage::stopOverlay, Qt::QueuedConnection);
    });
    m_overlayButton->setText(tr("Stop live overlay"));
}

void ZonesPage::stopOverlay()
{
    m_overlay.reset();
    m_overlayButton->setText(tr("Start live overlay"));
}

} // namespace signiq::console
