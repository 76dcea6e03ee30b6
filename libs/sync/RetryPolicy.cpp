#include "sync/RetryPolicy.h"

#include <QRandomGenerator>

#include <algorithm>

namespace signiq::sync {

RetryPolicy::RetryPolicy(qint64 baseMs, qint64 capMs, std::function<double()> unitRandom)
    : m_baseMs(std::max<qint64>(1, baseMs))
    , m_capMs(std::max(m_baseMs, capMs))
    , m_random(unitRandom ? std::move(unitRandom) : [] { return QRandomGenerator::global()->generateDouble(); })
{
}

qint64 RetryPolicy::delayMs(int failures) const
{
    qint64 d = m_baseMs;
    for (int i = 1; i < failures && d < m_capMs; ++i)
        d *= 2;
    d = std::min(d, m_capMs);
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return d / 2 + qint64(double(d - d / 2) * r);
}

} // namespace signiq::sync
