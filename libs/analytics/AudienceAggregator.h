#pragma once

#include "analytics/Attention.h"
#include "analytics/DemographicHistograms.h"
#include "analytics/LineCrossing.h"
#include "analytics/WindowQuality.h"
#include "analytics/ZoneMembership.h"
#include "core/AudienceWindow.h"
#include "core/Track.h"
#include "core/ZoneConfig.h"

#include <QList>
#include <QRectF>
#include <QString>

#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace signiq::analytics {

// Walking direction (docs/metrics.md §5): a speed segment counts as walking from this speed on;
// slower segments (standing, shuffling, homography jitter) count in no direction.
inline constexpr double WalkingMinSpeedMps = 0.3;

struct AggregatorOptions {
    QString modelVersion;       // copied into every window, "<model name>@<sha256 prefix>"
    QString calibrationVersion; // empty: the zone config's version()
    // Windows are flagged uncalibrated when the zone config has no "calibration". Set this to
    // force it (e.g. the vision side could not build the ground-plane homography): the
    // calibration is then ignored, attention is judged as if the screen were at the camera and
    // no distance or speed metrics are produced.
    bool uncalibrated = false;
    QString demographicModelVersion; // copied into every demographic window
    QualityThresholds quality;
    double targetFps = 15.0;    // processing fps at which the fps factor of confidence is 1
    // The tracker's coasting time (vision::TrackerConfig::coastMs). A predicted observation
    // inside a zone keeps a visit (or entry candidate) alive only this long after the last
    // detection inside it (docs/analytics.md §3); 0: predictions count as absent.
    qint64 coastMs = Hysteresis::DefaultCoastMs;
};

// Turns a time-ordered stream of tracked frames into one core::AudienceWindow per zone per
// window (definitions: docs/analytics.md). Not thread-safe; feed it from one thread.
//
// Windows are aligned to multiples of windowS in epoch time; the first window of a run starts
// at the first frame, the last one ends at finish(). A window is closed once a frame at or
// after its end + settleMs() arrives (settleMs = the longer hysteresis), so that entries and
// exits decided late are still attributed to the window in which they happened.
//
// Walking speed and direction (calibrated only, docs/metrics.md §5) come from floor positions
// in segments of >= 1 s; a segment's direction counts only when both its ends were detected.
//
// Predicted observations (TrackObservation::predicted: the tracker coasting a lost track, or a
// frame without detection) keep a track present where predicted for zone membership, for up to
// AggregatorOptions::coastMs after its last detection inside the zone, so a short occlusion is
// no exit + re-entry. They never start a visit, never move a visit's end (dwell ends at the
// last detection inside) and never count a line crossing. Once a predicted observation has been
// seen in a run, settleMs() grows to the longer hysteresis + coastMs, because exits are then
// decided up to that long after the visit ended.
//
// Attention (docs/metrics.md): on frames with facesRan, each track's head pose is judged looking
// or not; glances of >= attention_min_s are attention events. Once a frame with facesRan has
// been seen in a run, settleMs() grows to at least attention_min_s + 1 s so that every glance
// overlapping a window is decided when the window closes.
//
// Demographics (when enabled in the zone config): each core::DemographicSample of a frame goes
// straight into the histogram of the zones the track's foot point is in, at most once per
// track per demographic window; closed demographic windows (>= 5 min) come out of
// takeClosedDemographicWindows(), k-suppressed.
//
// Per-track state (ids, foot points, timers) lives only here and is erased when the track's
// last visit has ended; nothing in the output identifies a track.
class AudienceAggregator {
public:
    explicit AudienceAggregator(const core::ZoneConfig &config, AggregatorOptions options = {});

    AudienceAggregator(const AudienceAggregator &) = delete;
    AudienceAggregator &operator=(const AudienceAggregator &) = delete;

    // One processed frame; timestamps must not decrease (an earlier frame is dropped and
    // counted in droppedFrames()). Windows that closed are queued for takeClosedWindows().
    void observe(const core::FrameObservations &frame);

    // Shutdown at endMs: visits still open end at endMs (a track that was already outside
    // ends at its last inside observation), every open window is closed and queued, all
    // state is cleared. The last window ends at endMs, clamped to
    // [last frame + 1 ms, its aligned end]. The aggregator can then start a new run.
    void finish(qint64 endMs);

    // The windows closed so far, oldest first, zones in config order; empties the queue.
    QList<core::AudienceWindow> takeClosedWindows();
    bool hasClosedWindows() const { return !m_closed.isEmpty(); }

    // Demographic windows closed so far (only with demographics enabled, only windows of at
    // least 5 minutes), oldest first, zones in config order, cells under k already suppressed.
    QList<core::DemographicWindow> takeClosedDemographicWindows();
    bool hasClosedDemographicWindows() const { return m_demographics.hasClosed(); }

    // For the vision side: should an age/gender estimate be taken of this track now? True when
    // demographics are enabled, the track's latest confirmed observation was inside a zone and
    // no sample of it has been counted in the current demographic window. The aggregator keeps
    // only this "sampled" flag, never the estimate.
    bool wantsDemographicSample(core::TrackId id) const;

    // People currently counted inside a zone (visits entered and not yet exited) — for the
    // live occupancy series. 0 for an unknown zone.
    int occupancy(const QString &zone) const;
    int occupancy(qsizetype zoneIndex) const;

    const core::ZoneConfig &config() const { return m_config; }
    const QString &calibrationVersion() const { return m_options.calibrationVersion; }
    // The calibration in use (empty: uncalibrated, by config or by AggregatorOptions).
    const std::optional<core::Calibration> &calibration() const { return m_calibration; }
    qint64 windowMs() const { return m_windowMs; }
    qint64 settleMs() const { return m_settleMs; }
    // Tracks with state held (for tests and health metrics).
    qsizetype trackStateCount() const { return qsizetype(m_tracks.size()); }
    qint64 droppedFrames() const { return m_droppedFrames; }

private:
    struct ZoneTrack {
        ZoneMembership membership;
        core::TrackId trackId = 0;
        qint64 otsWindow = -1;       // serial of the latest window whose OTS counted this track
        qint64 departureStartMs = 0; // an ended visit waiting for an arrival elsewhere
        qint64 departureEndMs = 0;
        bool departurePending = false;
        bool inside = false; // the latest confirmed observation's foot point was in the polygon
    };
    struct TrackState {
        std::vector<ZoneTrack> zones;
        std::vector<LineCrossingTracker> lines;
        quint64 lastFrame = 0; // serial of the frame of the latest confirmed observation
        GlanceTracker glance;
        quint64 glanceSerial = 0;       // id of the open glance (never leaves the aggregator)
        std::optional<QPointF> floorM;  // latest known floor position (calibrated only)
        int distanceBand = -1;          // band of floorM, -1 unknown
        bool hasSpeedAnchor = false;    // walking speed: position and time of the segment start
        qint64 speedAnchorMs = 0;
        QPointF speedAnchorM;
        bool speedAnchorDetected = false; // the anchor is a detected (not predicted) position
        qint64 lastFloorMs = 0;
    };
    struct Span {
        qint64 startMs;
        qint64 endMs;
        core::TrackId track;
    };
    // Part of one counted glance inside one window.
    struct GlancePiece {
        qint64 startMs;
        qint64 endMs;
        quint64 serial;
        bool last; // the glance has ended within this window
    };
    struct BandMark {
        qint64 tMs; // from this time on the track was at distance band `band`
        int band;
    };
    struct TrackRecord {
        std::vector<GlancePiece> glances; // in time order
        std::vector<BandMark> bands;      // in time order
    };
    struct ZoneTally {
        int ots = 0;
        int entries = 0;
        int exits = 0;
        std::array<int, core::DwellBandCount> dwellBands{};
        qint64 dwellSumMs = 0; // exact: the mean does not depend on the order visits end in
        int lineIn = 0;
        int lineOut = 0;
        std::vector<int> transitionsTo; // by zone index
        std::vector<Span> spans;        // visit time inside the window, for occupancy
        ObservationTally observations;
        double walkDistanceM = 0.0;     // walking speed segments ending in the zone
        qint64 walkTimeMs = 0;
        std::array<qint64, 4> walkDirectionMs{}; // walking segments by direction: toward, away, left, right
        qint64 poseJudgements = 0;      // head poses judged while inside the polygon
        qint64 lowConfidencePoses = 0;
    };
    struct WindowSlot {
        qint64 serial = 0;
        qint64 startMs = 0;
        qint64 endMs = 0;
        FrameTally frames;
        std::vector<ZoneTally> zones;
        std::unordered_map<core::TrackId, TrackRecord> tracks; // attention and distance evidence
    };

    TrackState newTrackState(core::TrackId id) const;
    void openWindowFor(qint64 tMs);
    WindowSlot &windowAt(qint64 tMs);
    void updateTrack(TrackState &track, qint64 tMs, const core::TrackObservation *observation);
    void countVisitEnd(ZoneTrack &zoneTrack, qsizetype zone, const Visit &visit);
    void addSpan(WindowSlot &window, qsizetype zone, ZoneTrack &zoneTrack, qint64 startMs, qint64 endMs);
    void depart(TrackState &track, qsizetype zone, const Visit &visit);
    void arrive(TrackState &track, qsizetype zone, const Visit &visit);
    void closeOldestWindow();
    core::AudienceWindow windowFor(const WindowSlot &window, qsizetype zone);
    void reset();

    Judgement judge(const core::FrameObservations &frame, const TrackState &track,
                    const core::TrackObservation *observation);
    void updateAttention(core::TrackId id, TrackState &track, qint64 tMs, Judgement judgement);
    void addGlance(core::TrackId id, quint64 serial, const Glance &glance);
    void updateFloor(core::TrackId id, TrackState &track, qint64 tMs, const core::TrackObservation &observation);
    void addAttention(const WindowSlot &window, qsizetype zone, core::AudienceWindow &w);

    core::ZoneConfig m_config;
    AggregatorOptions m_options;
    Hysteresis m_hysteresis;
    qint64 m_windowMs = 60000;
    qint64 m_settleMs = 1000;
    qint64 m_transitionGapMs = 10000;
    std::vector<QRectF> m_zoneBounds;
    std::vector<qsizetype> m_lineZone; // zone index of each counting line
    std::optional<core::Calibration> m_calibration; // empty when uncalibrated
    AttentionGeometry m_geometry;
    AttentionRules m_attentionRules;
    qint64 m_baseSettleMs = 1000;
    qint64 m_predictionSettleMs = 1000; // settleMs once predicted observations are seen

    std::unordered_map<core::TrackId, TrackState> m_tracks;
    std::deque<WindowSlot> m_windows;
    std::vector<int> m_occupancy;
    QList<core::AudienceWindow> m_closed;
    DemographicHistograms m_demographics;
    // Zones in which a glance's attention event has been counted, while windows containing
    // pieces of that glance are open (an event counts once, in the first window it touches).
    std::unordered_map<quint64, std::vector<bool>> m_countedGlances;

    bool m_started = false;
    bool m_finishing = false;
    bool m_warnedOutOfOrder = false;
    qint64 m_lastFrameMs = 0;
    quint64 m_frameSerial = 0;
    qint64 m_windowSerial = 0;
    qint64 m_droppedFrames = 0;
    quint64 m_glanceSerial = 0;

    // Scratch buffers reused every frame / window (no per-frame allocation).
    std::vector<ZoneMembership::Transition> m_transitions;
    std::vector<std::pair<qint64, int>> m_sweep;
    std::vector<Span> m_spanScratch;
};

} // namespace signiq::analytics
