#include "pipeline/WindowPublisher.h"

#include "analytics/AudienceAggregator.h"

#include <chrono>

namespace signiq::pipeline {

void WindowPublisher::publish(analytics::AudienceAggregator &aggregator, PipelineReport &report)
{
    const QList<core::AudienceWindow> windows = aggregator.takeClosedWindows();
    const QList<core::DemographicWindow> demographics = aggregator.takeClosedDemographicWindows();
    const auto start = std::chrono::steady_clock::now();
    if (!windows.isEmpty() && m_status.ok()) {
        if (m_sink)
            m_status = m_sink(windows);
        if (m_keepWindows)
            report.windows += windows;
    }
    if (!demographics.isEmpty() && m_status.ok()) {
        if (m_demographicSink)
            m_status = m_demographicSink(demographics);
        report.demographicWindows += demographics;
    }
    if (!windows.isEmpty() || !demographics.isEmpty())
        report.store.add(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
}

core::Error WindowPublisher::error() const
{
    if (m_status.ok())
        return {};
    return core::Error{m_status.error().code, QStringLiteral("cannot store audience windows: %1").arg(m_status.error().message)};
}

} // namespace signiq::pipeline
