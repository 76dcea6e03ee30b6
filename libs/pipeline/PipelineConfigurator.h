#pragma once

#include "analytics/AudienceAggregator.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "vision/detection/PersonDetector.h"
#include "vision/geometry/GroundPlane.h"

#include <optional>

namespace signiq::pipeline {

// What the command line (or, later, the hub) may override in a zone configuration's detector
// section.
struct DetectorOverrides {
    QString model;              // empty: the configuration's detector.model
    float scoreThreshold = 0.f; // 0: the configuration's detector.score_threshold
};

// What one zone configuration means for the running pipeline.
struct ZoneSetup {
    core::ZoneConfig zones;
    std::optional<vision::GroundPlane> groundPlane; // from calibration.floor_points, if calibrated
    analytics::AggregatorOptions aggregator;        // calibrationVersion = zones.version()
};

// Turns a zone configuration into detector settings, ground plane and aggregator options —
// with the same rules at start-up and on a live switch: a calibration whose floor points give
// no usable ground plane is refused in both cases (before it is stored, when the API asks
// check()), never silently run uncalibrated.
class PipelineConfigurator {
public:
    // `base` carries what does not depend on the zones (model versions, target fps).
    explicit PipelineConfigurator(analytics::AggregatorOptions base = {});

    static vision::PersonDetectorConfig detectorConfig(const core::ZoneConfig &zones, const DetectorOverrides &overrides,
                                                       const QString &modelsDir);
    // The ground plane of the calibration; nullopt when the configuration has no calibration.
    static core::Result<std::optional<vision::GroundPlane>> groundPlane(const core::ZoneConfig &zones);
    // Whether the pipeline can count with this configuration (the API calls this before storing).
    static core::Status check(const core::ZoneConfig &zones);

    core::Result<ZoneSetup> configure(core::ZoneConfig zones) const;

    const analytics::AggregatorOptions &baseOptions() const { return m_base; }

private:
    analytics::AggregatorOptions m_base;
};

} // namespace signiq::pipeline
