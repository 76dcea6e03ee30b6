#pragma once

#include <QWidget>

#include <memory>

class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace signiq::console {

class DeviceSession;
class OverlayStream;
class ZoneCanvas;
class ZoneEditorModel;

// Installers: draw zones and counting lines over the live overlay, enter floor points and the
// screen/camera geometry, undo/redo, save to the device.
class ZonesPage : public QWidget {
    Q_OBJECT

public:
    ZonesPage(ZoneEditorModel &model, DeviceSession &session, QWidget *parent = nullptr);
    ~ZonesPage() override;

    ZoneCanvas *canvas() const { return m_canvas; }
    QListWidget *zoneList() const { return m_zones; }
    QString statusText() const;
    QString versionText() const;
    bool isOverlayRunning() const { return m_overlay != nullptr; }

public slots:
    void startOverlay();
    void stopOverlay();

private:
    void syncFromModel();
    void report(const std::optional<QString> &problem);
    void applyScreen();

    ZoneEditorModel &m_model;
    DeviceSession &m_session;
    ZoneCanvas *m_canvas = nullptr;
    QListWidget *m_zones = nullptr;
    QListWidget *m_lines = nullptr;
    QTableWidget *m_floor = nullptr;
    QDoubleSpinBox *m_floorX = nullptr;
    QDoubleSpinBox *m_floorY = nullptr;
    QDoubleSpinBox *m_screenX = nullptr;
    QDoubleSpinBox *m_screenHeight = nullptr;
    QDoubleSpinBox *m_screenWidth = nullptr;
    QDoubleSpinBox *m_screenH = nullptr;
    QDoubleSpinBox *m_cameraX = nullptr;
    QDoubleSpinBox *m_cameraHeight = nullptr;
    QPushButton *m_overlayButton = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_version = nullptr;
    std::unique_ptr<OverlayStream> m_overlay;
    bool m_syncing = false;
};

} // namespace signiq::console
