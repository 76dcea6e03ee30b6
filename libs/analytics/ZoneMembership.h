#pragma once

#include <QtGlobal>

namespace signiq::analytics {

// The hysteresis thresholds of zone membership, in milliseconds.
struct Hysteresis {
    qint64 enterAfterMs = 500;
    qint64 exitAfterMs = 1000;

    // From seconds (e.g. core::ZoneConfig::enterAfterS), rounded to whole milliseconds.
    static Hysteresis fromSeconds(double enterAfterS, double exitAfterS);
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
// order (docs/analytics.md, "Zone membership"):
//  - Entry: the track has been observed inside continuously (every observation inside) for at
//    least enterAfterMs, i.e. t - firstInside >= enterAfterMs. The visit starts at firstInside.
//    An observation outside (or a frame without the track) before that cancels the candidate.
//  - Exit: after an entry, every observation since the last inside one was outside (or the
//    track was missing) and t - lastInside >= exitAfterMs. The visit ends at lastInside.
//    Being seen inside again earlier is a blip: the visit simply continues.
class ZoneMembership {
public:
    enum class State : quint8 {
        Outside,  // not visiting
        Entering, // inside, hysteresis not yet satisfied (not counted anywhere)
        Inside,   // visiting and the latest observation was inside
        Leaving,  // visiting, latest observation outside, exit hysteresis not yet satisfied
    };

    // What one observation changed.
    struct Transition {
        bool entered = false; // the visit `visit` (endMs = now) has just been confirmed
        bool exited = false;  // the visit `visit` has just ended
        Visit visit;
    };

    ZoneMembership() = default;
    explicit ZoneMembership(Hysteresis hysteresis) : m_hysteresis(hysteresis) {}

    // One observation at time tMs: inside the zone or not (outside, unconfirmed or missing).
    Transition observe(qint64 tMs, bool inside);
    // Shutdown at endMs: a visit whose latest observation was inside ends at endMs (or at its
    // last observation if that is later); a visit in Leaving ends at its last inside
    // observation; a candidate entry is dropped. The state becomes Outside.
    Transition end(qint64 endMs);

    State state() const { return m_state; }
    bool visiting() const { return m_state == State::Inside || m_state == State::Leaving; }
    // Valid while visiting() (or Entering: the candidate's first inside observation).
    qint64 visitStartMs() const { return m_firstInsideMs; }
    qint64 lastInsideMs() const { return m_lastInsideMs; }

private:
    Hysteresis m_hysteresis;
    qint64 m_firstInsideMs = 0;
    qint64 m_lastInsideMs = 0;
    State m_state = State::Outside;
};

} // namespace signiq::analytics
