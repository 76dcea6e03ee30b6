#pragma once

#include "api/OverlayFeed.h"

namespace signiq::pipeline {
class EdgePipeline;
}

namespace signiq::edge {

// /v1/overlay from the running pipeline itself: while an installer session is open the pipeline
// renders each frame anonymised (vision::OverlayRenderer: pixelated background, solid
// silhouettes, zones, counts; ≤ 5 fps, ≤ 640 px) and JPEG-encodes it before the frame buffer is
// scrubbed. No second capture of the camera, no work at all while no session is open.
class PipelineOverlayFeed final : public api::OverlayFeed {
    Q_OBJECT
public:
    explicit PipelineOverlayFeed(pipeline::EdgePipeline &pipeline, QObject *parent = nullptr);
    ~PipelineOverlayFeed() override;

    void start() override;
    void stop() override;

private:
    pipeline::EdgePipeline &m_pipeline;
};

} // namespace signiq::edge
