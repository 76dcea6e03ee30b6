#include "analytics/ZoneMembership.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

Hysteresis Hysteresis::fromSeconds(double enterAfterS, double exitAfterS, qint64 coastMs)
{
    return {std::llround(enterAfterS * 1000.0), std::llround(exitAfterS * 1000.0), std::max<qint64>(0, coastMs)};
}

ZoneMembership::Transition ZoneMembership::observe(qint64 tMs, Sighting sighting)
{
    // A prediction is presence only while a candidate or visit exists, and only within
    // coastMs of the last detection inside; otherwise it is as good as absent.
    if (sighting == Sighting::PredictedInside
        && (m_state == State::Outside || tMs - m_lastInsideMs > m_hysteresis.coastMs))
        sighting = Sighting::Outside;

    Transition result;
    switch (m_state) {
    case State::Outside:
        if (sighting != Sighting::Inside)
            break;
        m_state = State::Entering;
        m_firstInsideMs = tMs;
        m_lastInsideMs = tMs;
        m_lastPresentMs = tMs;
        [[fallthrough]]; // a zero enter threshold confirms at once
    case State::Entering:
        if (sighting == Sighting::Outside) {
            m_state = State::Outside;
            break;
        }
        m_lastPresentMs = tMs;
        if (sighting == Sighting::PredictedInside)
            break; // keeps the candidate, but only a detection can confirm it
        m_lastInsideMs = tMs;
        if (tMs - m_firstInsideMs >= m_hysteresis.enterAfterMs) {
            m_state = State::Inside;
            m_presenceIsPrediction = false;
            result.entered = true;
            result.visit = {m_firstInsideMs, tMs};
        }
        break;
    case State::Inside:
    case State::Leaving:
        if (sighting != Sighting::Outside) {
            m_state = State::Inside;
            m_lastPresentMs = tMs;
            m_presenceIsPrediction = sighting == Sighting::PredictedInside;
            if (!m_presenceIsPrediction)
                m_lastInsideMs = tMs;
            break;
        }
        m_state = State::Leaving;
        if (tMs - m_lastPresentMs >= m_hysteresis.exitAfterMs) {
            m_state = State::Outside;
            result.exited = true;
            result.visit = {m_firstInsideMs, m_lastInsideMs};
        }
        break;
    }
    return result;
}

ZoneMembership::Transition ZoneMembership::end(qint64 endMs)
{
    Transition result;
    if (m_state == State::Inside && !m_presenceIsPrediction) {
        result.exited = true;
        result.visit = {m_firstInsideMs, std::max(endMs, m_lastInsideMs)};
    } else if (m_state == State::Inside || m_state == State::Leaving) {
        result.exited = true;
        result.visit = {m_firstInsideMs, m_lastInsideMs};
    }
    m_state = State::Outside;
    return result;
}

} // namespace signiq::analytics
