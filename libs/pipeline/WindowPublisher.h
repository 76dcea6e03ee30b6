#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"
#include "pipeline/PipelineReport.h"

#include <functional>

namespace signiq::analytics {
class AudienceAggregator;
}

namespace signiq::pipeline {

using WindowSink = std::function<core::Status(const QList<core::AudienceWindow> &)>;
using DemographicSink = std::function<core::Status(const QList<core::DemographicWindow> &)>;

// Hands whatever the aggregator has closed to the sinks (the encrypted store): audience
// windows, then demographic windows, and records them in the report. After a sink failure
// nothing more is stored (status() keeps the first error).
class WindowPublisher {
public:
    void setWindowSink(WindowSink sink) { m_sink = std::move(sink); }
    void setDemographicSink(DemographicSink sink) { m_demographicSink = std::move(sink); }
    void setKeepWindowsInReport(bool keep) { m_keepWindows = keep; }

    void publish(analytics::AudienceAggregator &aggregator, PipelineReport &report);

    bool ok() const { return m_status.ok(); }
    // The first sink failure, worded for the operator ("cannot store audience windows: ...").
    core::Error error() const;

private:
    WindowSink m_sink;
    DemographicSink m_demographicSink;
    bool m_keepWindows = true;
    core::Status m_status;
};

} // namespace signiq::pipeline
