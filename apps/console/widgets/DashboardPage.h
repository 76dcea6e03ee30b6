#pragma once

#include <QList>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;

class QChart;
class QLineSeries;
class QBarSet;
class QBarCategoryAxis;
class QDateTimeAxis;
class QValueAxis;

namespace signiq::console {

class ChartCard;
class DashboardViewModel;
class DeviceSession;
class MatrixView;

// Operators' dashboards. Draws DashboardViewModel::data(); all loading and aggregation happen in
// the view model, off the GUI thread.
class DashboardPage : public QWidget {
    Q_OBJECT

public:
    DashboardPage(DashboardViewModel &model, DeviceSession &session, QWidget *parent = nullptr);

    QList<ChartCard *> cards() const { return m_cards; }
    QLineSeries *otsSeries() const { return m_ots; }
    MatrixView *demographicsView() const { return m_demographics; }
    MatrixView *heatmapView() const { return m_heatmap; }
    MatrixView *flowView() const { return m_flow; }
    QString summaryText() const;

private:
    void applyControls();
    void rebuild();
    void updateZones();
    void updateBanner();
    QChart *makeChart();
    void setTimeAxis(QDateTimeAxis *axis, QValueAxis *values, const QList<QLineSeries *> &series);

    DashboardViewModel &m_model;
    DeviceSession &m_session;
    QComboBox *m_range = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QComboBox *m_zone = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_summary = nullptr;
    QList<ChartCard *> m_cards;

    QLineSeries *m_ots = nullptr;
    QLineSeries *m_viewers = nullptr;
    QDateTimeAxis *m_otsX = nullptr;
    QValueAxis *m_otsY = nullptr;
    QBarSet *m_dwell = nullptr;
    QValueAxis *m_dwellY = nullptr;
    QLineSeries *m_attention = nullptr;
    QDateTimeAxis *m_attentionX = nullptr;
    QValueAxis *m_attentionY = nullptr;
    QLineSeries *m_occupancyMean = nullptr;
    QLineSeries *m_occupancyPeak = nullptr;
    QDateTimeAxis *m_occupancyX = nullptr;
    QValueAxis *m_occupancyY = nullptr;
    QLineSeries *m_entries = nullptr;
    QLineSeries *m_exits = nullptr;
    QDateTimeAxis *m_flowX = nullptr;
    QValueAxis *m_flowY = nullptr;
    MatrixView *m_heatmap = nullptr;
    MatrixView *m_flow = nullptr;
    MatrixView *m_demographics = nullptr;
};

} // namespace signiq::console
