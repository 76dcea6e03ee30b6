#include "PipelineOverlayFeed.h"

#include "pipeline/EdgePipeline.h"

namespace signiq::edge {

PipelineOverlayFeed::PipelineOverlayFeed(pipeline::EdgePipeline &pipeline, QObject *parent)
    : api::OverlayFeed(parent)
    , m_pipeline(pipeline)
{
    // Called on the pipeline thread; the signal reaches the API server queued in its thread.
    m_pipeline.setOverlayTap([this](const QByteArray &jpeg, qint64 timestampMs) { emit frameEncoded(jpeg, timestampMs); });
}

PipelineOverlayFeed::~PipelineOverlayFeed()
{
    m_pipeline.setOverlayActive(false);
}

void PipelineOverlayFeed::start()
{
    m_pipeline.setOverlayActive(true);
}

void PipelineOverlayFeed::stop()
{
    m_pipeline.setOverlayActive(false);
}

} // namespace signiq::edge
