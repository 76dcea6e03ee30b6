#include "DashboardPage.h"

#include "ChartCard.h"
#include "MatrixView.h"
#include "dashboard/ChartTable.h"
#include "dashboard/DashboardViewModel.h"
#include "devices/DeviceSession.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace signiq::console {

namespace {
QChartView *viewFor(QChart *chart)
{
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

QString weekdayName(int day) // 0 = Monday
{
    return QLocale().dayName(day + 1, QLocale::ShortFormat);
}
} // namespace

DashboardPage::DashboardPage(DashboardViewModel &model, DeviceSession &session, QWidget *parent)
    : QWidget(parent), m_model(model), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("demoBanner"));
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 6px; border-radius: 4px; }"));
    m_banner->setWordWrap(true);
    layout->addWidget(m_banner);

    auto *controls = new QHBoxLayout;
    m_range = new QComboBox(this);
    m_range->addItem(tr("Today"), int(RangePreset::Today));
    m_range->addItem(tr("Last 7 days"), int(RangePreset::Last7Days));
    m_range->addItem(tr("Last 30 days"), int(RangePreset::Last30Days));
    m_range->addItem(tr("Custom range"), int(RangePreset::Custom));
    m_range->setCurrentIndex(m_range->findData(int(m_model.rangePreset())));
    m_from = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this);
    m_to = new QDateTimeEdit(QDateTime::currentDateTime(), this);
    m_from->setCalendarPopup(true);
    m_to->setCalendarPopup(true);
    m_zone = new QComboBox(this);
    m_zone->addItem(tr("All zones"), QString());
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_status = new QLabel(this);
    controls->addWidget(new QLabel(tr("Range:"), this));
    controls->addWidget(m_range);
    controls->addWidget(m_from);
    controls->addWidget(new QLabel(tr("to"), this));
    controls->addWidget(m_to);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Zone:"), this));
    controls->addWidget(m_zone);
    controls->addWidget(m_refresh);
    controls->addWidget(m_status, 1);
    layout->addLayout(controls);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    layout->addWidget(m_summary);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("chartsScroll"));
    scroll->setWidgetResizable(true);
    auto *grid = new QWidget(scroll);
    auto *gridLayout = new QGridLayout(grid);
    scroll->setWidget(grid);
    layout->addWidget(scroll, 1);

    // OTS and viewers.
    {
        QChart *chart = makeChart();
        m_ots = new QLineSeries(chart);
        m_ots->setName(tr("Opportunities to see (OTS)"));
        m_viewers = new QLineSeries(chart);
        m_viewers->setName(tr("Viewers"));
        chart->addSeries(m_ots);
        chart->addSeries(m_viewers);
        m_otsX = new QDateTimeAxis(chart);
        m_otsY = new QValueAxis(chart);
        setTimeAxis(m_otsX, m_otsY, {m_ots, m_viewers});
        m_cards.append(new ChartCard(tr("OTS and viewers over time"), QStringLiteral("ots-viewers"), viewFor(chart),
                                     [this] { return ChartTables::otsAndViewers(m_model.data()); }));
    }
    // Dwell bands.
    {
        QChart *chart = makeChart();
        auto *series = new QBarSeries(chart);
        m_dwell = new QBarSet(tr("Visits"), series);
        series->append(m_dwell);
        chart->addSeries(series);
        auto *x = new QBarCategoryAxis(chart);
        for (int band = 0; band < core::DwellBandCount; ++band)
            x->append(tr("%1 s").arg(core::dwellBandName(core::DwellBand(band))));
        m_dwellY = new QValueAxis(chart);
        m_dwellY->setLabelFormat(QStringLiteral("%d"));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(m_dwellY, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(m_dwellY);
        chart->legend()->hide();
        m_cards.append(new ChartCard(tr("Dwell time distribution"), QStringLiteral("dwell-bands"), viewFor(chart),
                                     [this] { return ChartTables::dwellBands(m_model.data()); }));
    }
    // Attention rate.
    {
        QChart *chart = makeChart();
        m_attention = new QLineSeries(chart);
        m_attention->setName(tr("Attention rate (%)"));
        chart->addSeries(m_attention);
        m_attentionX = new QDateTimeAxis(chart);
        m_attentionY = new QValueAxis(chart);
        setTimeAxis(m_attentionX, m_attentionY, {m_attention});
        m_cards.append(new ChartCard(tr("Attention rate"), QStringLiteral("attention-rate"), viewFor(chart),
                                     [this] { return ChartTables::attentionRate(m_model.data()); }));
    }
    // Occupancy.
    {
        QChart *chart = makeChart();
        m_occupancyMean = new QLineSeries(chart);
        m_occupancyMean->setName(tr("Mean occupancy"));
        m_occupancyPeak = new QLineSeries(chart);
        m_occupancyPeak->setName(tr("Peak occupancy"));
        chart->addSeries(m_occupancyMean);
        chart->addSeries(m_occupancyPeak);
        m_occupancyX = new QDateTimeAxis(chart);
        m_occupancyY = new QValueAxis(chart);
        setTimeAxis(m_occupancyX, m_occupancyY, {m_occupancyMean, m_occupancyPeak});
        m_cards.append(new ChartCard(tr("Occupancy"), QStringLiteral("occupancy"), viewFor(chart),
                                     [this] { return ChartTables::occupancy(m_model.data()); }));
    }
    // Entries and exits.
    {
        QChart *chart = makeChart();
        m_entries = new QLineSeries(chart);
        m_entries->setName(tr("Entries"));
        m_exits = new QLineSeries(chart);
        m_exits->setName(tr("Exits"));
        chart->addSeries(m_entries);
        chart->addSeries(m_exits);
        m_flowX = new QDateTimeAxis(chart);
        m_flowY = new QValueAxis(chart);
        setTimeAxis(m_flowX, m_flowY, {m_entries, m_exits});
        m_cards.append(new ChartCard(tr("Entries and exits"), QStringLiteral("entries-exits"), viewFor(chart),
                                     [this] { return ChartTables::entriesExits(m_model.data()); }));
    }
    m_heatmap = new MatrixView;
    m_heatmap->setColumnLabelStep(3);
    m_cards.append(new ChartCard(tr("Mean OTS per hour by weekday and time of day"), QStringLiteral("heatmap"), m_heatmap,
                                 [this] { return ChartTables::heatmap(m_model.data()); }));
    m_flow = new MatrixView;
    m_cards.append(new ChartCard(tr("Zone-to-zone flow (rows: from, columns: to)"), QStringLiteral("zone-flow"), m_flow,
                                 [this] { return ChartTables::flow(m_model.data()); }));
    m_demographics = new MatrixView;
    m_cards.append(new ChartCard(tr("Demographics (age band × gender; cells under k are suppressed)"), QStringLiteral("demographics"),
                                 m_demographics, [this] { return ChartTables::demographics(m_model.data()); }));

    for (int i = 0; i < m_cards.size(); ++i) {
        ChartCard *card = m_cards.at(i);
        card->setParent(grid);
        card->setMinimumHeight(300);
        gridLayout->addWidget(card, i / 2, i % 2);
        connect(card, &ChartCard::exportFailed, this, [this](const QString &message) {
            QMessageBox::warning(this, tr("Export failed"), message);
        });
    }

    auto updateCustom = [this] {
        const bool custom = RangePreset(m_range->currentData().toInt()) == RangePreset::Custom;
        m_from->setEnabled(custom);
        m_to->setEnabled(custom);
    };
    updateCustom();
    connect(m_range, &QComboBox::currentIndexChanged, this, [this, updateCustom] {
        updateCustom();
        applyControls();
    });
    connect(m_zone, &QComboBox::currentIndexChanged, this, &DashboardPage::applyControls);
    connect(m_refresh, &QPushButton::clicked, this, &DashboardPage::applyControls);
    connect(&m_model, &DashboardViewModel::dataChanged, this, &DashboardPage::rebuild);
    connect(&m_model, &DashboardViewModel::zonesChanged, this, &DashboardPage::updateZones);
    connect(&m_model, &DashboardViewModel::busyChanged, this, [this](bool busy) {
        m_status->setText(busy ? tr("Loading and aggregating…") : QString());
    });
    connect(&m_model, &DashboardViewModel::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(&m_session, &DeviceSession::clientChanged, this, &DashboardPage::updateBanner);
    updateBanner();
    rebuild();
}

QChart *DashboardPage::makeChart()
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

void DashboardPage::setTimeAxis(QDateTimeAxis *axis, QValueAxis *values, const QList<QLineSeries *> &series)
{
    QChart *chart = series.first()->chart();
    chart->addAxis(axis, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    for (QLineSeries *s : series) {
        s->attachAxis(axis);
        s->attachAxis(values);
    }
    axis->setTickCount(8);
    values->setLabelFormat(QStringLiteral("%.0f"));
}

void DashboardPage::updateBanner()
{
    if (m_session.isDemo()) {
        m_banner->setText(tr("DEMO DATA — synthetic windows generated by the console, not measured by any device."));
        m_banner->show();
    } else {
        m_banner->hide();
    }
}

void DashboardPage::updateZones()
{
    const QString current = m_zone->currentData().toString();
    QSignalBlocker block(m_zone);
    m_zone->clear();
    m_zone->addItem(tr("All zones"), QString());
    for (const QString &zone : m_model.knownZones())
        m_zone->addItem(zone, zone);
    const int index = m_zone->findData(current);
    m_zone->setCurrentIndex(index >= 0 ? index : 0);
}

void DashboardPage::applyControls()
{
    const auto preset = RangePreset(m_range->currentData().toInt());
    m_model.setRange(preset, TimeRange{m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()});
    m_model.setZone(m_zone->currentData().toString());
    m_model.refresh();
}

QString DashboardPage::summaryText() const
{
    return m_summary->text();
}

void DashboardPage::rebuild()
{
    const DashboardData &data = m_model.data();
    QList<QPointF> ots, viewers, attention, mean, peak, entries, exits;
    ots.reserve(data.buckets.size());
    double maxCount = 1.0, maxOccupancy = 1.0, maxFlow = 1.0;
    for (const TimeBucket &b : data.buckets) {
        const double x = double(b.startMs);
        ots.append({x, double(b.ots)});
        viewers.append({x, double(b.viewers)});
        attention.append({x, b.attentionRate() * 100.0});
        mean.append({x, b.meanOccupancy});
        peak.append({x, double(b.peakOccupancy)});
        entries.append({x, double(b.entries)});
        exits.append({x, double(b.exits)});
        maxCount = std::max(maxCount, double(b.ots));
        maxOccupancy = std::max(maxOccupancy, double(b.peakOccupancy));
        maxFlow = std::max({maxFlow, double(b.entries), double(b.exits)});
    }
    m_ots->replace(ots);
    m_viewers->replace(viewers);
    m_attention->replace(attention);
    m_occupancyMean->replace(mean);
    m_occupancyPeak->replace(peak);
    m_entries->replace(entries);
    m_exits->replace(exits);

    const qint64 from = data.options.fromMs;
    const qint64 to = std::max(data.options.toMs, from + 1);
    const bool short_ = to - from <= 26LL * 3600 * 1000;
    const QString format = short_ ? QStringLiteral("HH:mm") : QStringLiteral("dd.MM.");
    for (QDateTimeAxis *axis : {m_otsX, m_attentionX, m_occupancyX, m_flowX}) {
        axis->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
        axis->setFormat(format);
    }
    m_otsY->setRange(0, maxCount * 1.1);
    double maxRate = 5.0;
    for (const QPointF &p : std::as_const(attention))
        maxRate = std::max(maxRate, p.y());
    m_attentionY->setRange(0, std::min(100.0, std::ceil(maxRate * 1.2 / 5.0) * 5.0));
    m_occupancyY->setRange(0, maxOccupancy * 1.1);
    m_flowY->setRange(0, maxFlow * 1.1);

    double maxDwell = 1.0;
    QList<qreal> dwell;
    for (qint64 v : data.dwellBands) {
        dwell.append(double(v));
        maxDwell = std::max(maxDwell, double(v));
    }
    m_dwell->remove(0, m_dwell->count());
    m_dwell->append(dwell);
    m_dwellY->setRange(0, maxDwell * 1.1);

    const QString noData = tr("No data for this range.");
    // Heatmap.
    {
        QStringList rows, columns;
        QList<QList<MatrixView::Cell>> cells;
        for (int h = 0; h < 24; ++h)
            columns.append(QString::number(h));
        for (int d = 0; d < 7; ++d) {
            rows.append(weekdayName(d));
            QList<MatrixView::Cell> row;
            for (int h = 0; h < 24; ++h) {
                MatrixView::Cell cell;
                const int hours = data.heatmapHours[std::size_t(d)][std::size_t(h)];
                cell.empty = hours == 0;
                cell.value = data.heatmap[std::size_t(d)][std::size_t(h)];
                cell.toolTip = cell.empty ? tr("no data") : tr("mean OTS per hour: %1 (over %n hour(s))", nullptr, hours).arg(cell.value, 0, 'f', 1);
                row.append(cell);
            }
            cells.append(row);
        }
        m_heatmap->setEmptyText(noData);
        if (data.windowCount == 0)
            m_heatmap->setMatrix({}, {}, {}, 0);
        else
            m_heatmap->setMatrix(rows, columns, cells, data.heatmapMax());
    }
    // Flow.
    {
        QList<QList<MatrixView::Cell>> cells;
        for (qsizetype i = 0; i < data.flowZones.size(); ++i) {
            QList<MatrixView::Cell> row;
            for (qsizetype j = 0; j < data.flowZones.size(); ++j) {
                MatrixView::Cell cell;
                cell.value = double(data.flow[i][j]);
                cell.text = QString::number(data.flow[i][j]);
                row.append(cell);
            }
            cells.append(row);
        }
        m_flow->setEmptyText(noData);
        if (data.flowMax() == 0)
            m_flow->setMatrix({}, {}, {}, 0);
        else
            m_flow->setMatrix(data.flowZones, data.flowZones, cells, double(data.flowMax()));
    }
    // Demographics.
    {
        QStringList rows, columns{tr("female"), tr("male")};
        QList<QList<MatrixView::Cell>> cells;
        double max = 0.0;
        for (int a = 0; a < core::AgeBandCount; ++a) {
            rows.append(core::ageBandName(core::AgeBand(a)));
            QList<MatrixView::Cell> row;
            for (int g = 0; g < core::GenderCount; ++g) {
                const DemographicCell &dc = data.demographics[std::size_t(a)][std::size_t(g)];
                MatrixView::Cell cell;
                cell.value = double(dc.shown);
                max = std::max(max, cell.value);
                if (dc.isEmpty()) {
                    cell.empty = true;
                } else if (dc.isSuppressed()) {
                    cell.suppressed = true;
                    cell.text = tr("suppressed");
                    cell.toolTip = tr("Fewer than k people in every window: hidden for privacy.");
                } else if (dc.isPartlySuppressed()) {
                    cell.text = tr("≥ %1").arg(dc.shown);
                    cell.toolTip = tr("%1 of %2 windows hid this cell (fewer than k people); the sum of the others is shown.")
                                       .arg(dc.suppressedWindows)
                                       .arg(dc.windows);
                } else {
                    cell.text = QString::number(dc.shown);
                }
                row.append(cell);
            }
            cells.append(row);
        }
        m_demographics->setEmptyText(m_model.demographicsNote().isEmpty()
                                         ? tr("No demographic windows for this range (demographics may be off on the device).")
                                         : m_model.demographicsNote());
        if (data.demographicWindowCount == 0)
            m_demographics->setMatrix({}, {}, {}, 0);
        else
            m_demographics->setMatrix(rows, columns, cells, max);
    }

    if (data.windowCount == 0) {
        m_summary->setText(m_session.client() ? tr("No audience windows in this range.") : tr("No device selected."));
    } else {
        m_summary->setText(tr("%1 windows · OTS %2 · viewers %3 · attention rate %4 % · entries %5 · exits %6 · one point = %7 min")
                               .arg(QLocale().toString(data.windowCount), QLocale().toString(data.totalOts()),
                                    QLocale().toString(data.totalViewers()),
                                    QLocale().toString(data.attentionRate() * 100.0, 'f', 1), QLocale().toString(data.totalEntries()),
                                    QLocale().toString(data.totalExits()), QLocale().toString(data.bucketMs / 60000)));
    }
}

} // namespace signiq::console
