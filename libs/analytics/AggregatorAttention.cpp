// Attention: head-pose judgements per frame, glances, attention events and time per window.
#include "AggregatorSupport.h"

#include "analytics/AnalyticsLog.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

using namespace detail;

Judgement AudienceAggregator::judge(const core::FrameObservations &frame, const TrackState &track,
                                    const core::TrackObservation *observation)
{
    if (!frame.facesRan)
        return Judgement::Unknown;
    if (!observation || !observation->face)
        return Judgement::Away; // faces were analysed and none belongs to this person
    const std::optional<core::HeadPose> &pose = observation->face->pose;
    if (!pose)
        return Judgement::Unknown;
    const std::optional<double> angle = m_geometry.angleToScreenDeg(*pose, track.floorM);
    if (!angle)
        return Judgement::Unknown; // calibrated, but the floor position is not known yet
    WindowSlot &current = m_windows.back();
    for (size_t z = 0; z < track.zones.size(); ++z) {
        if (!track.zones[z].inside)
            continue;
        ++current.zones[z].poseJudgements;
        if (pose->lowConfidence)
            ++current.zones[z].lowConfidencePoses;
    }
    return *angle <= m_attentionRules.coneDeg ? Judgement::Looking : Judgement::Away;
}

void AudienceAggregator::updateAttention(core::TrackId id, TrackState &track, qint64 tMs, Judgement judgement)
{
    const bool wasOpen = track.glance.open();
    const quint64 serial = track.glanceSerial;
    const std::optional<Glance> ended = track.glance.observe(tMs, judgement);
    if (track.glance.open() && (!wasOpen || ended))
        track.glanceSerial = ++m_glanceSerial;
    if (ended && track.glance.counts(*ended))
        addGlance(id, serial, *ended);
}

void AudienceAggregator::addGlance(core::TrackId id, quint64 serial, const Glance &glance)
{
    for (WindowSlot &window : m_windows) {
        const qint64 from = std::max(glance.startMs, window.startMs);
        const qint64 to = std::min(glance.endMs, window.endMs);
        if (to > from)
            window.tracks[id].glances.push_back({from, to, serial, glance.endMs <= window.endMs});
    }
}

void AudienceAggregator::addAttention(const WindowSlot &window, qsizetype zone, core::AudienceWindow &w)
{
    const ZoneTally &tally = window.zones[size_t(zone)];
    const bool calibrated = m_calibration.has_value();
    const size_t bandCount = calibrated ? size_t(m_calibration->distanceBandCount()) : 0;
    std::vector<qint64> presenceMs(bandCount, 0);
    std::vector<qint64> bandAttentionMs(bandCount, 0);
    std::vector<int> bandEvents(bandCount, 0);

    // Attention in Z = counted glances ∩ the track's visits to Z ∩ the window, per track.
    m_spanScratch.assign(tally.spans.begin(), tally.spans.end());
    std::sort(m_spanScratch.begin(), m_spanScratch.end(), [](const Span &a, const Span &b) {
        return a.track != b.track ? a.track < b.track : a.startMs < b.startMs;
    });
    qint64 attentionMs = 0;
    for (size_t i = 0; i < m_spanScratch.size();) {
        size_t j = i;
        while (j < m_spanScratch.size() && m_spanScratch[j].track == m_spanScratch[i].track)
            ++j;
        const auto found = window.tracks.find(m_spanScratch[i].track);
        const TrackRecord *record = found != window.tracks.end() ? &found->second : nullptr;
        qint64 trackMs = 0;
        for (size_t k = i; record && k < j; ++k) {
            const Span &span = m_spanScratch[k];
            if (calibrated) {
                forEachBand(record->bands, span.startMs, span.endMs, [&](qint64 from, qint64 to, int band) {
                    if (band >= 0)
                        presenceMs[size_t(band)] += to - from;
                });
            }
            for (const GlancePiece &piece : record->glances) {
                const qint64 from = std::max(span.startMs, piece.startMs);
                const qint64 to = std::min(span.endMs, piece.endMs);
                if (to <= from)
                    continue;
                trackMs += to - from;
                if (calibrated) {
                    forEachBand(record->bands, from, to, [&](qint64 a, qint64 b, int band) {
                        if (band >= 0)
                            bandAttentionMs[size_t(band)] += b - a;
                    });
                }
                std::vector<bool> &counted = m_countedGlances[piece.serial];
                if (counted.empty())
                    counted.assign(m_zoneBounds.size(), false);
                if (!counted[size_t(zone)]) {
                    counted[size_t(zone)] = true; // the event counts where its time in Z begins
                    ++w.attentionEvents;
                    if (calibrated) {
                        if (const int band = bandAt(record->bands, from); band >= 0)
                            ++bandEvents[size_t(band)];
                    }
                }
            }
        }
        if (trackMs > 0) {
            ++w.viewers;
            attentionMs += trackMs;
        }
        i = j;
    }
    w.attentionTimeS = double(attentionMs) / 1000.0;
    w.meanAttentionS = w.viewers > 0 ? w.attentionTimeS / w.viewers : 0.0;
    for (size_t b = 0; b < bandCount; ++b) {
        w.distanceBands.append(core::DistanceBandMetrics{m_calibration->distanceBandName(int(b)),
                                                         double(presenceMs[b]) / 1000.0, bandEvents[b],
                                                         double(bandAttentionMs[b]) / 1000.0});
    }
}

} // namespace signiq::analytics
