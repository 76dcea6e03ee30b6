#pragma once

// Synthetic frames and tracks for the analytics tests: timestamps are data, nothing sleeps.

#include "analytics/AudienceAggregator.h"
#include "core/Track.h"
#include "core/ZoneConfig.h"

#include <QList>

#include <functional>
#include <optional>

namespace signiq::analytics::synthetic {

inline constexpr qint64 T0 = 1'700'000'040'000; // a whole minute since the epoch
inline constexpr qint64 StepMs = 100;           // 10 frames per second

// Foot points in the standard scene (see standardConfig()).
inline const QPointF InA(0.2, 0.8);
inline const QPointF InB(0.8, 0.8);
inline const QPointF Corridor(0.5, 0.8);

// A person whose box has its bottom centre at `foot` (box size in exact binary fractions).
inline core::TrackObservation person(core::TrackId id, QPointF foot, float score = 0.9f, bool confirmed = true,
                                     bool predicted = false)
{
    core::TrackObservation o;
    o.id = id;
    o.box = QRectF(foot.x() - 0.0625, foot.y() - 0.25, 0.125, 0.25);
    o.score = predicted ? 0.f : score;
    o.confirmed = confirmed;
    o.predicted = predicted;
    return o;
}

inline core::FrameObservations frame(qint64 tMs, QList<core::TrackObservation> tracks = {}, double fps = 15.0,
                                     core::FrameStats stats = {})
{
    core::FrameObservations f;
    f.timestampMs = tMs;
    f.tracks = std::move(tracks);
    f.processingFps = fps;
    f.stats = stats;
    return f;
}

// Two side-by-side zones, "a" (x 0..0.4) and "b" (x 0.6..1), a corridor between them and a
// horizontal counting line "door" of zone a at y = 0.5 drawn left to right.
inline core::ZoneConfig standardConfig()
{
    core::ZoneConfig c;
    c.zones = {
        core::Zone{QStringLiteral("a"), {QPointF(0, 0), QPointF(0.4, 0), QPointF(0.4, 1), QPointF(0, 1)}},
        core::Zone{QStringLiteral("b"), {QPointF(0.6, 0), QPointF(1, 0), QPointF(1, 1), QPointF(0.6, 1)}},
    };
    c.lines = {core::CountingLine{QStringLiteral("door"), QStringLiteral("a"), QPointF(0.0, 0.5), QPointF(0.4, 0.5)}};
    return c;
}

// A calibration with the screen centre 1.6 m above the floor origin, the camera on top of it at
// 2.2 m, and the default distance bands (2, 4, 6 m). The floor points are only validated here.
inline core::Calibration standardCalibration()
{
    core::Calibration c;
    c.floorPoints = {{QPointF(0.1, 0.9), QPointF(-2, 1)}, {QPointF(0.9, 0.9), QPointF(2, 1)},
                     {QPointF(0.7, 0.5), QPointF(2, 6)}, {QPointF(0.3, 0.5), QPointF(-2, 6)}};
    c.screen.centreM = QPointF(0, 0);
    c.screen.centreHeightM = 1.6;
    c.screen.widthM = 1.2;
    c.screen.heightM = 0.7;
    c.camera.positionM = QPointF(0, 0);
    c.camera.heightM = 2.2;
    return c;
}

inline core::ZoneConfig calibratedConfig()
{
    core::ZoneConfig c = standardConfig();
    c.calibration = standardCalibration();
    return c;
}

// Feeds frames at fromMs, fromMs + stepMs, ... up to and including toMs; `tracks` says who is
// where at each time.
inline void run(AudienceAggregator &aggregator, qint64 fromMs, qint64 toMs,
                const std::function<QList<core::TrackObservation>(qint64)> &tracks, qint64 stepMs = StepMs,
                double fps = 15.0, const std::function<core::FrameStats(qint64)> &stats = {})
{
    for (qint64 t = fromMs; t <= toMs; t += stepMs)
        aggregator.observe(frame(t, tracks ? tracks(t) : QList<core::TrackObservation>{}, fps,
                                 stats ? stats(t) : core::FrameStats{}));
}

// One track at `where` while fromMs <= t <= toMs, absent otherwise.
inline std::function<QList<core::TrackObservation>(qint64)> presence(core::TrackId id, QPointF where, qint64 fromMs,
                                                                     qint64 toMs)
{
    return [=](qint64 t) {
        return (t >= fromMs && t <= toMs) ? QList<core::TrackObservation>{person(id, where)}
                                          : QList<core::TrackObservation>{};
    };
}

// The closed windows of one zone, in time order.
inline QList<core::AudienceWindow> ofZone(const QList<core::AudienceWindow> &windows, const QString &zone)
{
    QList<core::AudienceWindow> result;
    for (const core::AudienceWindow &w : windows) {
        if (w.zone == zone)
            result.append(w);
    }
    return result;
}

inline int totalDwellVisits(const core::AudienceWindow &w)
{
    int n = 0;
    for (int count : w.dwellBands)
        n += count;
    return n;
}

} // namespace signiq::analytics::synthetic
