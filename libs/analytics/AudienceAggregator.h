#pragma once

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
#include <unordered_map>
#include <utility>
#include <vector>

namespace signiq::analytics {

struct AggregatorOptions {
    QString modelVersion;       // copied into every window, "<model name>@<sha256 prefix>"
    QString calibrationVersion; // empty: the zone config's version()
    bool uncalibrated = true;   // every window gets QualityUncalibrated
    QualityThresholds quality;
    double targetFps = 15.0;    // processing fps at which the fps factor of confidence is 1
};

// Turns a time-ordered stream of tracked frames into one core::AudienceWindow per zone per
// window (definitions: docs/analytics.md). Not thread-safe; feed it from one thread.
//
// Windows are aligned to multiples of windowS in epoch time; the first window of a run starts
// at the first frame, the last one ends at finish(). A window is closed once a frame at or
// after its end + settleMs() arrives (settleMs = the longer hysteresis), so that entries and
// exits decided late are still attributed to the window in which they happened.
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

    // People currently counted inside a zone (visits entered and not yet exited) — for the
    // live occupancy series. 0 for an unknown zone.
    int occupancy(const QString &zone) const;
    int occupancy(qsizetype zoneIndex) const;

    const core::ZoneConfig &config() const { return m_config; }
    const QString &calibrationVersion() const { return m_options.calibrationVersion; }
    qint64 windowMs() const { return m_windowMs; }
    qint64 settleMs() const { return m_settleMs; }
    // Tracks with state held (for tests and health metrics).
    qsizetype trackStateCount() const { return qsizetype(m_tracks.size()); }
    qint64 droppedFrames() const { return m_droppedFrames; }

private:
    struct ZoneTrack {
        ZoneMembership membership;
        qint64 otsWindow = -1;       // serial of the latest window whose OTS counted this track
        qint64 departureStartMs = 0; // an ended visit waiting for an arrival elsewhere
        qint64 departureEndMs = 0;
        bool departurePending = false;
    };
    struct TrackState {
        std::vector<ZoneTrack> zones;
        std::vector<LineCrossingTracker> lines;
        quint64 lastFrame = 0; // serial of the frame of the latest confirmed observation
    };
    struct Span {
        qint64 startMs;
        qint64 endMs;
    };
    struct ZoneTally {
        int ots = 0;
        int entries = 0;
        int exits = 0;
        std::array<int, core::DwellBandCount> dwellBands{};
        double dwellSumS = 0.0;
        int lineIn = 0;
        int lineOut = 0;
        std::vector<int> transitionsTo; // by zone index
        std::vector<Span> spans;        // visit time inside the window, for occupancy
        ObservationTally observations;
    };
    struct WindowSlot {
        qint64 serial = 0;
        qint64 startMs = 0;
        qint64 endMs = 0;
        FrameTally frames;
        std::vector<ZoneTally> zones;
    };

    TrackState newTrackState() const;
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

    core::ZoneConfig m_config;
    AggregatorOptions m_options;
    Hysteresis m_hysteresis;
    qint64 m_windowMs = 60000;
    qint64 m_settleMs = 1000;
    qint64 m_transitionGapMs = 10000;
    std::vector<QRectF> m_zoneBounds;
    std::vector<qsizetype> m_lineZone; // zone index of each counting line

    std::unordered_map<core::TrackId, TrackState> m_tracks;
    std::deque<WindowSlot> m_windows;
    std::vector<int> m_occupancy;
    QList<core::AudienceWindow> m_closed;

    bool m_started = false;
    bool m_finishing = false;
    bool m_warnedOutOfOrder = false;
    qint64 m_lastFrameMs = 0;
    quint64 m_frameSerial = 0;
    qint64 m_windowSerial = 0;
    qint64 m_droppedFrames = 0;

    // Scratch buffers reused every frame / window (no per-frame allocation).
    std::vector<ZoneMembership::Transition> m_transitions;
    std::vector<std::pair<qint64, int>> m_sweep;
};

} // namespace signiq::analytics
