#pragma once

#include "core/Clock.h"
#include "dashboard/DashboardAggregation.h"
#include "dashboard/DashboardRange.h"

#include <QObject>
#include <QStringList>

namespace signiq::console {

class DeviceClient;
class DeviceSession;

// Loads the windows of the chosen range and zone from the current device and aggregates them
// to chart resolution on a worker thread. The page only draws `data()`.
class DashboardViewModel : public QObject {
    Q_OBJECT

public:
    DashboardViewModel(DeviceSession &session, const core::Clock &clock, QObject *parent = nullptr);

    void setRange(RangePreset preset, TimeRange custom = {});
    void setZone(const QString &zone); // empty = all zones
    void setTimeZone(const QTimeZone &zone) { m_timeZone = zone; }
    RangePreset rangePreset() const { return m_preset; }
    TimeRange range() const;
    QString zone() const { return m_zone; }

    const DashboardData &data() const { return m_data; }
    QStringList knownZones() const { return m_knownZones; }
    bool isBusy() const { return m_busy; }
    QString demographicsNote() const { return m_demographicsNote; }

public slots:
    void refresh();

signals:
    void busyChanged(bool busy);
    void dataChanged();
    void zonesChanged(const QStringList &zones);
    void failed(const QString &message); // translated

private:
    void setBusy(bool busy);
    void onClientChanged();
    void aggregate(quint64 generation, QList<core::AudienceWindow> windows, QList<core::DemographicWindow> demographics,
                   DashboardOptions options);
    void mergeZones(const QStringList &zones);

    DeviceSession &m_session;
    const core::Clock &m_clock;
    RangePreset m_preset = RangePreset::Last7Days;
    TimeRange m_custom;
    QString m_zone;
    QTimeZone m_timeZone = QTimeZone::systemTimeZone();
    DashboardData m_data;
    QStringList m_knownZones;
    QString m_demographicsNote;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace signiq::console
