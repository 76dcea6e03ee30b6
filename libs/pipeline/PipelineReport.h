#pragma once

#include "core/AudienceWindow.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <array>

namespace signiq::pipeline {

// Running statistics of one pipeline stage, in milliseconds per frame it ran on.
struct StageTiming {
    qint64 count = 0;
    double totalMs = 0.0;
    double maxMs = 0.0;

    void add(double ms);
    double meanMs() const { return count ? totalMs / double(count) : 0.0; }
    QJsonObject toJson() const;
};

// People present, sampled once per second of video/capture time.
struct OccupancySample {
    qint64 timestampMs = 0;
    int people = 0;            // confirmed tracks in the whole frame
    QMap<QString, int> zones;  // people inside each zone (after hysteresis)
};

// What a pipeline run measured: aggregates only, nothing per person.
struct PipelineReport {
    QString source;
    QString modelVersion;
    QString calibrationVersion;
    qint64 framesRead = 0;
    qint64 framesProcessed = 0;
    qint64 framesDetected = 0; // frames on which the person detector ran
    qint64 framesDropped = 0;  // dropped by the bounded queue (live sources only)
    qint64 framesWithFaces = 0; // frames on which the face analyser ran
    double wallSeconds = 0.0;
    double videoSeconds = 0.0;
    double pipelineFps = 0.0;  // frames processed per wall-clock second
    double captureToReleaseP50Ms = 0.0;
    double captureToReleaseP99Ms = 0.0;
    StageTiming decode, detect, track, faces, analytics, store;
    QList<core::AudienceWindow> windows;
    QList<core::DemographicWindow> demographicWindows;
    QList<OccupancySample> occupancy;
    bool stoppedBySignal = false;

    QJsonObject toJson() const;
};

} // namespace signiq::pipeline
