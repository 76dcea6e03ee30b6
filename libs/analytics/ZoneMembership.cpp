#include "analytics/ZoneMembership.h"

#include <algorithm>
#include <cmath>

namespace signiq::analytics {

Hysteresis Hysteresis::fromSeconds(double enterAfterS, double exitAfterS)
{
    return {std::llround(enterAfterS * 1000.0), std::llround(exitAfterS * 1000.0)};
}

ZoneMembership::Transition ZoneMembership::observe(qint64 tMs, bool inside)
{
    Transition result;
    switch (m_state) {
    case State::Outside:
        if (!inside)
            break;
        m_state = State::Entering;
        m_firstInsideMs = tMs;
        m_lastInsideMs = tMs;
        [[fallthrough]]; // a zero enter threshold confirms at once
    case State::Entering:
        if (!inside) {
            m_state = State::Outside;
            break;
        }
        m_lastInsideMs = tMs;
        if (tMs - m_firstInsideMs >= m_hysteresis.enterAfterMs) {
            m_state = State::Inside;
            result.entered = true;
            result.visit = {m_firstInsideMs, tMs};
        }
        break;
    case State::Inside:
    case State::Leaving:
        if (inside) {
            m_state = State::Inside;
            m_lastInsideMs = tMs;
            break;
        }
        m_state = State::Leaving;
        if (tMs - m_lastInsideMs >= m_hysteresis.exitAfterMs) {
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
    if (m_state == State::Inside) {
        result.exited = true;
        result.visit = {m_firstInsideMs, std::max(endMs, m_lastInsideMs)};
    } else if (m_state == State::Leaving) {
        result.exited = true;
        result.visit = {m_firstInsideMs, m_lastInsideMs};
    }
    m_state = State::Outside;
    return result;
}

} // namespace signiq::analytics
