#include "dashboard/DashboardViewModel.h"

#include "ConsoleLog.h"
#include "client/DeviceClient.h"
#include "client/ErrorText.h"
#include "devices/DeviceSession.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QtConcurrent>

namespace signiq::console {

DashboardViewModel::DashboardViewModel(DeviceSession &session, const core::Clock &clock, QObject *parent)
    : QObject(parent), m_session(session), m_clock(clock)
{
    connect(&m_session, &DeviceSession::clientChanged, this, &DashboardViewModel::onClientChanged);
}

TimeRange DashboardViewModel::range() const
{
    return resolveRange(m_preset, m_clock.nowMs(), m_timeZone, m_custom);
}

void DashboardViewModel::setRange(RangePreset preset, TimeRange custom)
{
    m_preset = preset;
    m_custom = custom;
}

void DashboardViewModel::setZone(const QString &zone)
{
    m_zone = zone;
}

void DashboardViewModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void DashboardViewModel::onClientChanged()
{
    ++m_generation; // drop whatever is in flight for the previous device
    m_knownZones.clear();
    m_data = DashboardData();
    setBusy(false);
    emit zonesChanged(m_knownZones);
    emit dataChanged();
    DeviceClient *client = m_session.client();
    if (!client)
        return;
    const quint64 generation = m_generation;
    client->zones().then(this, [this, generation](core::Result<ZonesDocument> zones) {
        if (generation != m_generation || !zones)
            return; // the windows request reports errors
        QStringList names;
        for (const core::Zone &zone : zones->config.zones)
            names.append(zone.name);
        mergeZones(names);
    });
}

void DashboardViewModel::mergeZones(const QStringList &zones)
{
    bool changed = false;
    for (const QString &zone : zones)
        if (!m_knownZones.contains(zone)) {
            m_knownZones.append(zone);
            changed = true;
        }
    if (changed)
        emit zonesChanged(m_knownZones);
}

void DashboardViewModel::refresh()
{
    DeviceClient *client = m_session.client();
    if (!client) {
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    const quint64 generation = ++m_generation;
    const TimeRange r = range();
    DashboardOptions options;
    options.fromMs = r.fromMs;
    options.toMs = r.toMs;
    options.zone = m_zone;
    options.timeZone = m_timeZone;
    const WindowQuery query{r.fromMs, r.toMs, m_zone};
    setBusy(true);

    auto demographics = client->demographicWindows(query);
    client->windows(query).then(this, [this, generation, demographics, options](core::Result<QList<core::AudienceWindow>> windows) mutable {
        if (generation != m_generation)
            return;
        if (!windows) {
            setBusy(false);
            emit failed(ErrorText::forDevice(windows.error()));
            return;
        }
        QList<core::AudienceWindow> list = std::move(windows).value();
        demographics.then(this, [this, generation, list, options](core::Result<QList<core::DemographicWindow>> demo) {
            if (generation != m_generation)
                return;
            QList<core::DemographicWindow> demoList;
            if (demo) {
                demoList = demo.value();
                m_demographicsNote.clear();
            } else if (demo.error().code == core::ErrorCode::Unsupported || demo.error().code == core::ErrorCode::NotFound) {
                m_demographicsNote = tr("Demographics are not available on this device.");
            } else {
                m_demographicsNote = ErrorText::forDevice(demo.error());
            }
            aggregate(generation, list, demoList, options);
        });
    });
}

void DashboardViewModel::aggregate(quint64 generation, QList<core::AudienceWindow> windows,
                                   QList<core::DemographicWindow> demographics, DashboardOptions options)
{
    auto *watcher = new QFutureWatcher<DashboardData>(this);
    connect(watcher, &QFutureWatcher<DashboardData>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_data = watcher->result();
        if (m_zone.isEmpty())
            mergeZones(m_data.zones);
        setBusy(false);
        emit dataChanged();
    });
    watcher->setFuture(QtConcurrent::run([windows = std::move(windows), demographics = std::move(demographics), options] {
        QElapsedTimer timer;
        timer.start();
        DashboardData data = aggregateDashboard(windows, demographics, options);
        qCDebug(lcConsole) << "aggregated" << windows.size() << "windows into" << data.buckets.size() << "buckets in"
                           << timer.elapsed() << "ms";
        return data;
    }));
}

} // namespace signiq::console
