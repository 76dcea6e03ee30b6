#include "analytics/DemographicHistograms.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

} // namespace

DemographicHistograms::DemographicHistograms(const core::ZoneConfig &config, QString modelVersion, QString calibrationVersion)
    : m_enabled(config.audience.demographics)
    , m_k(config.audience.k)
    , m_windowMs(std::max<qint64>(1000, std::llround(config.audience.demographicWindowS * 1000.0)))
    , m_modelVersion(std::move(modelVersion))
    , m_calibrationVersion(std::move(calibrationVersion))
{
    for (const core::Zone &zone : config.zones)
        m_zoneNames.append(zone.name);
}

void DemographicHistograms::observe(qint64 tMs, const QList<core::DemographicSample> &samples, const ZonesOfTrack &zonesOf)
{
    if (!m_enabled)
        return; // nothing is accumulated, not even the "sampled" flags
    if (m_slot && tMs >= m_slot->endMs)
        close();
    if (!m_slot) {
        const qint64 aligned = floorDiv(tMs, m_windowMs) * m_windowMs;
        Slot slot;
        slot.startMs = m_started ? aligned : tMs; // a run's first window starts with it
        slot.endMs = aligned + m_windowMs;
        slot.zones.assign(size_t(m_zoneNames.size()), Histogram{});
        m_slot = std::move(slot);
        m_started = true;
    }
    for (const core::DemographicSample &sample : samples) {
        if (m_sampled.contains(sample.trackId))
            continue; // at most once per track per demographic window
        m_scratch.clear();
        if (!zonesOf(sample.trackId, m_scratch))
            continue; // not a confirmed track of this frame: no zone to put it in
        const std::optional<core::AgeBand> band = core::ageBandFor(double(sample.ageYears));
        if (!band)
            continue;
        const size_t gender = sample.gender == core::Gender::Male ? 1 : 0;
        for (size_t z : m_scratch)
            ++m_slot->zones[z][size_t(*band)][gender];
        if (!m_scratch.empty())
            m_sampled.insert(sample.trackId);
    }
}

void DemographicHistograms::finish(qint64 endMs, qint64 lastFrameMs)
{
    if (!m_slot)
        return;
    m_slot->endMs = std::clamp(endMs, lastFrameMs + 1, m_slot->endMs);
    close();
}

void DemographicHistograms::reset()
{
    m_slot.reset();
    m_sampled.clear();
    m_started = false;
}

void DemographicHistograms::close()
{
    const Slot &slot = *m_slot;
    const qint64 minMs = std::llround(core::AudienceSettings::MinDemographicWindowS * 1000.0);
    if (slot.endMs - slot.startMs >= minMs) {
        for (size_t z = 0; z < slot.zones.size(); ++z) {
            core::DemographicWindow w;
            w.zone = m_zoneNames[qsizetype(z)];
            w.startMs = slot.startMs;
            w.endMs = slot.endMs;
            w.k = m_k;
            for (size_t a = 0; a < size_t(core::AgeBandCount); ++a) {
                for (size_t g = 0; g < size_t(core::GenderCount); ++g) {
                    const int n = slot.zones[z][a][g];
                    w.suppressed[a][g] = n < m_k;
                    w.counts[a][g] = n < m_k ? 0 : n; // the hidden value never leaves
                }
            }
            w.modelVersion = m_modelVersion;
            w.calibrationVersion = m_calibrationVersion;
            m_closed.append(std::move(w));
        }
    }
    m_slot.reset();
    m_sampled.clear();
}

} // namespace signiq::analytics
