#pragma once

#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "pipeline/PipelineConfigurator.h"

#include <QString>

#include <memory>

namespace signiq::pipeline {

class EdgePipeline;

// What a run is asked to count with, on top of the zone configuration.
struct PipelineSettings {
    QString source;             // video file, image directory, rtsp/http(s) URL, camera:<n>
    QString modelsDir;          // the verified model directory (vision::ModelStore)
    bool requireFileSource = false; // --once: refuse a live source
    bool realtime = false;      // pace a file at its nominal rate
    qint64 startTimeMs = 0;     // wall-clock time of a file's first frame
    DetectorOverrides detector;
    int detectEvery = 1;        // 0 = adaptive
    bool faces = true;          // face analysis: attention (and demographics when the config enables them)
};

// The run-time composition of the hot path: model store, person detector, frame source, face
// analyser and zone setup (PipelineConfigurator) put together into an EdgePipeline. The window
// sinks are not set here: the caller decides where windows go (the encrypted store).
struct BuiltPipeline {
    std::unique_ptr<EdgePipeline> pipeline;
    QString modelVersion;       // "<detector>+<face models>", as in every window
    QString calibrationVersion; // of the zones it starts with
};

core::Result<BuiltPipeline> buildPipeline(const core::ZoneConfig &zones, const PipelineSettings &settings);

} // namespace signiq::pipeline
