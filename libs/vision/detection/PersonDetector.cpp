#include "vision/detection/PersonDetector.h"

#include "vision/VisionLog.h"
#include "vision/detection/YoloFastestDetector.h"
#include "vision/detection/YoloxDetector.h"
#include "vision/models/ModelStore.h"

#include <opencv2/core/utility.hpp>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

QStringList personDetectorModels()
{
    return {QStringLiteral("yolo-fastest-1.1-body"), QStringLiteral("yolox-nano")};
}

namespace {

core::Status validate(const PersonDetectorConfig &c)
{
    if (!personDetectorModels().contains(c.model))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown person detector model \"%1\"; valid names: %2")
                                                         .arg(c.model, personDetectorModels().join(QStringLiteral(", "))));
    if (!(c.lowScoreThreshold > 0.f && c.lowScoreThreshold <= c.scoreThreshold && c.scoreThreshold <= 1.f))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("person detector thresholds must satisfy 0 < lowScoreThreshold (%1) <= scoreThreshold (%2) <= 1")
                             .arg(double(c.lowScoreThreshold))
                             .arg(double(c.scoreThreshold)));
    if (!(c.nmsThreshold > 0.f && c.nmsThreshold <= 1.f))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("person detector nmsThreshold must be in (0, 1], got %1").arg(double(c.nmsThreshold)));
    if (c.threads < 1)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("person detector threads must be >= 1, got %1").arg(c.threads));
    for (const QRectF &r : c.ignoreRegions) {
        if (!r.isValid() || r.left() < 0.0 || r.top() < 0.0 || r.right() > 1.0 || r.bottom() > 1.0)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("person detector ignore region (%1, %2, %3 x %4) must be a normalised rectangle inside 0..1")
                                 .arg(r.x())
                                 .arg(r.y())
                                 .arg(r.width())
                                 .arg(r.height()));
    }
    return {};
}

} // namespace

core::Result<std::unique_ptr<PersonDetector>> createPersonDetector(const PersonDetectorConfig &config)
{
    if (auto ok = validate(config); !ok)
        return ok.error();
    auto store = ModelStore::open(config.modelsDir);
    if (!store)
        return store.error();
    auto located = store->locate(config.model); // verifies sha256 again
    if (!located)
        return located.error();

    cv::setNumThreads(config.threads);
    try {
        std::unique_ptr<PersonDetector> detector;
        if (config.model == QStringLiteral("yolox-nano")) {
            detector = std::make_unique<YoloxDetector>(config, located->version(), located->path(QStringLiteral("model")));
        } else {
            detector = std::make_unique<YoloFastestDetector>(config, located->version(),
                                                             located->path(QStringLiteral("config")),
                                                             located->path(QStringLiteral("weights")));
        }
        qCInfo(lcVision) << "person detector" << detector->modelVersion() << "loaded from" << store->directory()
                         << "threads" << config.threads;
        return detector;
    } catch (const cv::Exception &e) {
        return makeError(ErrorCode::Parse, QStringLiteral("cannot load person detector model %1 from %2: %3")
                                               .arg(config.model, store->directory(), QString::fromStdString(e.what())));
    }
}

} // namespace signiq::vision
