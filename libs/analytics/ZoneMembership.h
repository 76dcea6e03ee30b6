#pragma once

#include <QtGlobal>

namespace signiq::analytics {

// The hysteresis thresholds of zone membership, in milliseconds.
struct Hysteresis {
    static constexpr qint64 DefaultCoastMs = 1500; // vision::TrackerConfig::coastMs

    qint64 enterAfterMs = 500;
    qint64 exitAfterMs = 1000;
    // A predicted observation inside counts as presence only up to this long after the last
    // detected observation inside (the tracker reports a lost track for up to its coastMs).
    // Later predictions count as absent. 0: predictions never count as presence.
    qint64 coastMs = DefaultCoastMs;

    // From seconds (e.g. core::ZoneConfig::enterAfterS), rounded to whole milliseconds.
    static Hysteresis fromSeconds(double enterAfterS, double exitAfterS, qint64 coastMs = DefaultCoastMs);
};

// A completed (or in-progress) visit of one track to one zone: from the first observation
// inside to the last observation inside, both inclusive. Never leaves the aggregator.
struct Visit {
    qint64 startMs = 0;
    qint64 endMs = 0;
    double dwellS() const { return double(endMs - startMs) / 1000.0; }
    bool operator==(const Visit &) const = default;
};

// Whether one track is in one zone, with hysteresis, fed one observation at a time in time
// order (docs/analytics.md, "Zone membership"). "Present inside" is a detected observation
// inside, or a predicted one inside at most coastMs after the last detected one inside.
//  - Entry: the track has been present inside at every observation since its first detected
//    observation inside (firstInside), and a *detected* observation inside arrives with
//    t - firstInside >= enterAfterMs. The visit starts at firstInside. An observation not
//    present inside before that cancels the candidate; predictions alone never start one.
//  - Exit: after an entry, the track is not present inside and t - lastPresent >= exitAfterMs,
//    lastPresent being its last presence inside (detected or predicted). The visit ends at
//    lastInside, the last *detected* observation inside: predictions keep a visit open across
//    an occlusion but never lengthen it. Being present inside again earlier is a blip.
class ZoneMembership {
public:
    enum class State : quint8 {
        Outside,  // not visiting
        Entering, // inside, hysteresis not yet satisfied (not counted anywhere)
        Inside,   // visiting and the latest observation was inside
        Leaving,  // visiting, latest observation outside, exit hysteresis not yet satisfied
    };

    // One observation of the track, as seen from this zone.
    enum class Sighting : quint8 {
        Outside,         // outside (detected or predicted), unconfirmed or missing
        Inside,          // a detection matched and its foot point is inside
        PredictedInside, // the tracker's predicted foot point is inside (coasting, or no detection ran)
    };

    // What one observation changed.
    struct Transition {
        bool entered = false; // the visit `visit` (endMs = now) has just been confirmed
        bool exited = false;  // the visit `visit` has just ended
        Visit visit;
    };

    ZoneMembership() = default;
    explicit ZoneMembership(Hysteresis hysteresis) : m_hysteresis(hysteresis) {}

    // One observation at time tMs.
    Transition observe(qint64 tMs, Sighting sighting);
    // A detected observation inside the zone, or not (outside, unconfirmed or missing).
    Transition observe(qint64 tMs, bool inside) { return observe(tMs, inside ? Sighting::Inside : Sighting::Outside); }
    // Shutdown at endMs: a visit whose latest observation was detected inside ends at endMs (or
    // at that observation if it is later); a visit whose latest presence was predicted, or in
    // Leaving, ends at its last detected inside observation; a candidate entry is dropped. The
    // state becomes Outside.
    Transition end(qint64 endMs);

    State state() const { return m_state; }
    bool visiting() const { return m_state == State::Inside || m_state == State::Leaving; }
    // Valid while visiting() (or Entering: the candidate's first inside observation).
    qint64 visitStartMs() const { return m_firstInsideMs; }
    qint64 lastInsideMs() const { return m_lastInsideMs; }     // last detected inside: the visit's end so far
    qint64 lastPresentMs() const { return m_lastPresentMs; }   // last presence inside, detected or predicted

private:
    Hysteresis m_hysteresis;
    qint64 m_firstInsideMs = 0;
    qint64 m_lastInsideMs = 0;
    qint64 m_lastPresentMs = 0;
    State m_state = State::Outside;
    bool m_presenceIsPrediction = false; // Inside: the latest presence was a prediction
};

} // namespace signiq::analytics
