#include "FakeFaceAnalyzer.h"

#include <opencv2/core.hpp>

namespace signiq::test {

core::Result<QList<core::DemographicSample>> FakeFaceAnalyzer::analyze(const cv::Mat &bgr, QList<core::TrackObservation> &tracks,
                                                                       const vision::DemographicsWanted &)
{
    const qint64 call = m_counters->calls.fetch_add(1);
    if (!bgr.empty() && cv::countNonZero(bgr.reshape(1)) > 0)
        m_counters->framesWithPixels.fetch_add(1);
    if (call == m_failAt)
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("fake face analyser failure at call %1").arg(call));
    for (auto &t : tracks)
        t.face.reset();
    return QList<core::DemographicSample>();
}

} // namespace signiq::test
