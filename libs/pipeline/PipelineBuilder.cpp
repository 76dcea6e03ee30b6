#include "pipeline/PipelineBuilder.h"

#include "pipeline/EdgePipeline.h"
#include "vision/capture/FrameSource.h"
#include "vision/detection/PersonDetector.h"
#include "vision/faces/FaceAnalyzer.h"
#include "vision/models/ModelStore.h"

namespace signiq::pipeline {

using core::ErrorCode;
using core::makeError;

core::Result<BuiltPipeline> buildPipeline(const core::ZoneConfig &zones, const PipelineSettings &settings)
{
    auto store = settings.modelsDir.isEmpty() ? vision::ModelStore::openDefault() : vision::ModelStore::open(settings.modelsDir);
    if (!store)
        return store.error();

    // The detector choice is part of the zone configuration; the command line may override it.
    const vision::PersonDetectorConfig detectorConfig = PipelineConfigurator::detectorConfig(zones, settings.detector, store->directory());
    auto detector = vision::createPersonDetector(detectorConfig);
    if (!detector)
        return detector.error();

    vision::SourceOptions sourceOptions;
    sourceOptions.realtime = settings.realtime;
    sourceOptions.startTimeMs = settings.startTimeMs;
    auto source = vision::openFrameSource(settings.source, sourceOptions);
    if (!source)
        return source.error();
    if (settings.requireFileSource && (*source)->isLive())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--once needs a file or image directory source, but %1 is live").arg(settings.source));

    // Faces: head pose for attention always; the age/gender model only when the configuration
    // switches demographics on (otherwise it is not even loaded).
    std::unique_ptr<vision::FaceAnalyzer> faces;
    if (settings.faces) {
        vision::FaceAnalyzerConfig faceConfig;
        faceConfig.modelsDir = store->directory();
        faceConfig.demographicsEnabled = zones.audience.demographics;
        auto analyzer = vision::createFaceAnalyzer(faceConfig);
        if (!analyzer)
            return analyzer.error();
        faces = std::move(analyzer).value();
    } else if (zones.audience.demographics) {
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the zone configuration enables demographics, which need face analysis: drop --no-faces"));
    }

    analytics::AggregatorOptions base;
    base.modelVersion = (*detector)->modelVersion();
    base.targetFps = (*source)->nominalFps() > 0 ? (*source)->nominalFps() : 10.0;
    if (faces) {
        const QStringList versions = faces->modelVersions();
        base.modelVersion += QLatin1Char('+') + versions.join(QLatin1Char('+'));
        for (const QString &v : versions) {
            if (v.startsWith(QLatin1String("age-gender")))
                base.demographicModelVersion = v;
        }
    }
    // Ground plane from the installer's floor points (distance bands, walking speed): the same
    // rules as a live switch.
    auto setup = PipelineConfigurator(base).configure(zones);
    if (!setup)
        return setup.error();

    EdgePipelineOptions options;
    options.detectEvery = settings.detectEvery;
    options.countScoreThreshold = detectorConfig.scoreThreshold;

    BuiltPipeline built;
    built.modelVersion = base.modelVersion;
    built.calibrationVersion = zones.version();
    built.pipeline = std::make_unique<EdgePipeline>(std::move(source).value(), std::move(detector).value(), std::move(setup).value(),
                                                    options);
    if (faces)
        built.pipeline->setFaceAnalyzer(std::move(faces));
    return built;
}

} // namespace signiq::pipeline
