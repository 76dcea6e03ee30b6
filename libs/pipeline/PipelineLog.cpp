#include "pipeline/PipelineLog.h"

Q_LOGGING_CATEGORY(lcPipeline, "signiq.pipeline")
