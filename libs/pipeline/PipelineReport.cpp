#include "pipeline/PipelineReport.h"

#include <QJsonArray>

#include <algorithm>

namespace signiq::pipeline {

void StageTiming::add(double ms)
{
    ++count;
    totalMs += ms;
    maxMs = std::max(maxMs, ms);
}

QJsonObject StageTiming::toJson() const
{
    return QJsonObject{{QStringLiteral("frames"), count},
                       {QStringLiteral("mean_ms"), meanMs()},
                       {QStringLiteral("max_ms"), maxMs},
                       {QStringLiteral("total_ms"), totalMs}};
}

QJsonObject PipelineReport::toJson() const
{
    QJsonArray windowArray;
    for (const auto &w : windows)
        windowArray.append(w.toJson());
    QJsonArray demographicArray;
    for (const auto &w : demographicWindows)
        demographicArray.append(w.toJson());
    QJsonArray occupancyArray;
    for (const auto &s : occupancy) {
        QJsonObject zones;
        for (auto it = s.zones.cbegin(); it != s.zones.cend(); ++it)
            zones.insert(it.key(), it.value());
        occupancyArray.append(QJsonObject{{QStringLiteral("t_ms"), s.timestampMs},
                                          {QStringLiteral("people"), s.people},
                                          {QStringLiteral("zones"), zones}});
    }
    return QJsonObject{
        {QStringLiteral("source"), source},
        {QStringLiteral("model_version"), modelVersion},
        {QStringLiteral("calibration_version"), calibrationVersion},
        {QStringLiteral("frames"),
         QJsonObject{{QStringLiteral("read"), framesRead},
                     {QStringLiteral("processed"), framesProcessed},
                     {QStringLiteral("detected"), framesDetected},
                     {QStringLiteral("faces"), framesWithFaces},
                     {QStringLiteral("dropped"), framesDropped}}},
        {QStringLiteral("wall_seconds"), wallSeconds},
        {QStringLiteral("video_seconds"), videoSeconds},
        {QStringLiteral("pipeline_fps"), pipelineFps},
        {QStringLiteral("capture_to_release_ms"),
         QJsonObject{{QStringLiteral("p50"), captureToReleaseP50Ms}, {QStringLiteral("p99"), captureToReleaseP99Ms}}},
        {QStringLiteral("stages"),
         QJsonObject{{QStringLiteral("decode"), decode.toJson()},
                     {QStringLiteral("detect"), detect.toJson()},
                     {QStringLiteral("track"), track.toJson()},
                     {QStringLiteral("faces"), faces.toJson()},
                     {QStringLiteral("analytics"), analytics.toJson()},
                     {QStringLiteral("store"), store.toJson()}}},
        {QStringLiteral("windows"), windowArray},
        {QStringLiteral("demographic_windows"), demographicArray},
        {QStringLiteral("occupancy"), occupancyArray},
        {QStringLiteral("stopped_by_signal"), stoppedBySignal},
    };
}

} // namespace signiq::pipeline
