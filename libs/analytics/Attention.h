#pragma once

#include "core/Calibration.h"
#include "core/Track.h"

#include <QPointF>
#include <QtGlobal>

#include <optional>

namespace signiq::analytics {

// The rules of attention (docs/metrics.md, "Attention"). coneDeg and minDurationMs come from
// zones.json ("audience"); the two gap rules are fixed so that equal configs mean equal metrics.
struct AttentionRules {
    double coneDeg = 20.0;       // looking = angle to the screen centre <= coneDeg
    qint64 minDurationMs = 1000; // a glance counts as an attention event from this duration on
    // A glance survives "not looking" judgements for less than this after its last "looking"
    // judgement (a single misjudged frame or a blink).
    qint64 gapToleranceMs = 300;
    // Two "looking" judgements this far apart or more never belong to one glance, however many
    // frames without face analysis lie between them.
    qint64 maxJudgementGapMs = 1000;

    static AttentionRules fromSettings(const core::AudienceSettings &settings);
    // How long after a window's end every glance overlapping it is decided (see AudienceAggregator).
    qint64 settleMs() const { return maxJudgementGapMs + minDurationMs; }
};

// Turns a head pose into "how far from the screen centre is this person looking".
//
// Head pose is taken relative to the line from the face to the camera lens: yaw = pitch = 0 is
// looking straight into the lens, yaw < 0 turns the face toward the image's left, pitch > 0
// looks up (the camera image is not mirrored). With a calibration the head sits at HeadHeightM
// above the person's floor position;
// the pose is applied to the direction head -> camera (yaw around the vertical, pitch in
// elevation) and the result is compared with the direction head -> screen centre. Without one,
// the screen is assumed to be at the camera: angle = acos(cos yaw * cos pitch).
class AttentionGeometry {
public:
    explicit AttentionGeometry(std::optional<core::Calibration> calibration = std::nullopt);

    // Angle in degrees (0..180) between the head direction and the direction to the screen
    // centre. Empty when calibrated but the floor position is unknown.
    std::optional<double> angleToScreenDeg(const core::HeadPose &pose, std::optional<QPointF> floorM) const;

    bool calibrated() const { return m_calibration.has_value(); }

private:
    std::optional<core::Calibration> m_calibration;
};

// What one frame says about whether one track looks at the screen.
enum class Judgement : quint8 {
    Unknown, // face analysis did not run, or no usable pose: neither extends nor breaks a glance
    Looking, // head pose within the cone
    Away,    // pose outside the cone, no face found, or the track not seen while faces ran
};

// A span of continuous looking: from the first to the last "looking" judgement, inclusive.
struct Glance {
    qint64 startMs = 0;
    qint64 endMs = 0;
    qint64 durationMs() const { return endMs - startMs; }
    bool operator==(const Glance &) const = default;
};

// The glance state of one track, fed one judgement per processed frame in time order.
//  - A "looking" judgement opens a glance or extends the open one (its end = this judgement).
//  - The open glance ends at its last "looking" judgement when
//      * an "away" judgement arrives at least gapToleranceMs after that last look, or
//      * any frame arrives maxJudgementGapMs or more after that last look, or
//      * end() is called.
//  - "Unknown" judgements change nothing.
// An ended glance is an attention event when durationMs() >= minDurationMs.
class GlanceTracker {
public:
    GlanceTracker() = default;
    explicit GlanceTracker(const AttentionRules &rules) : m_rules(rules) {}

    // Returns the glance that this judgement ended, if any (counted or not).
    std::optional<Glance> observe(qint64 tMs, Judgement judgement);
    std::optional<Glance> end();

    bool open() const { return m_open; }
    qint64 startMs() const { return m_startMs; }
    qint64 lastLookMs() const { return m_lastLookMs; }
    bool counts(const Glance &glance) const { return glance.durationMs() >= m_rules.minDurationMs; }
    // The open glance already lasts long enough to count, whatever happens next.
    bool openAndCertain() const { return m_open && m_lastLookMs - m_startMs >= m_rules.minDurationMs; }

private:
    AttentionRules m_rules;
    qint64 m_startMs = 0;
    qint64 m_lastLookMs = 0;
    bool m_open = false;
};

} // namespace signiq::analytics
