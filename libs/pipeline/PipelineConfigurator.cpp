#include "pipeline/PipelineConfigurator.h"

namespace signiq::pipeline {

PipelineConfigurator::PipelineConfigurator(analytics::AggregatorOptions base)
    : m_base(std::move(base))
{
}

vision::PersonDetectorConfig PipelineConfigurator::detectorConfig(const core::ZoneConfig &zones, const DetectorOverrides &overrides,
                                                                  const QString &modelsDir)
{
    vision::PersonDetectorConfig config;
    config.model = overrides.model.isEmpty() ? zones.detector.model : overrides.model;
    config.modelsDir = modelsDir;
    config.scoreThreshold = overrides.scoreThreshold > 0.f ? overrides.scoreThreshold : float(zones.detector.scoreThreshold);
    config.ignoreRegions = zones.detector.ignoreRects();
    return config;
}

core::Result<std::optional<vision::GroundPlane>> PipelineConfigurator::groundPlane(const core::ZoneConfig &zones)
{
    if (!zones.calibration)
        return std::optional<vision::GroundPlane>();
    auto plane = vision::GroundPlane::fromCorrespondences(zones.calibration->floorPoints);
    if (!plane)
        return core::makeError(plane.error().code, QStringLiteral("calibration.floor_points: %1").arg(plane.error().message));
    return std::optional<vision::GroundPlane>(std::move(plane).value());
}

core::Status PipelineConfigurator::check(const core::ZoneConfig &zones)
{
    if (auto plane = groundPlane(zones); !plane)
        return plane.error();
    return {};
}

core::Result<ZoneSetup> PipelineConfigurator::configure(core::ZoneConfig zones) const
{
    auto plane = groundPlane(zones);
    if (!plane)
        return plane.error();
    ZoneSetup setup;
    setup.aggregator = m_base;
    setup.aggregator.calibrationVersion = zones.version();
    setup.groundPlane = std::move(plane).value();
    setup.zones = std::move(zones);
    return setup;
}

} // namespace signiq::pipeline
