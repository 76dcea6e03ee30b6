#include "api/RateLimiter.h"

#include <algorithm>

namespace signiq::api {

RatePolicy RatePolicy::forTier(Tier tier)
{
    switch (tier) {
    case Tier::Free: return {60, 60, 10};
    case Tier::Pro: return {600, 60, 50};
    case Tier::Enterprise: return {6000, 60, 300};
    }
    return {};
}

QString RatePolicy::headerValue() const
{
    return QStringLiteral("%1;w=%2;burst=%3").arg(limit).arg(windowS).arg(burst);
}

QString RateDecision::headerValue() const
{
    return QStringLiteral("limit=%1, remaining=%2, reset=%3").arg(limit).arg(remaining).arg(resetS);
}

RateLimiter::RateLimiter(const core::Clock &clock)
    : m_clock(clock)
{
}

RateDecision RateLimiter::check(const QString &keyId, const RatePolicy &policy)
{
    const qint64 now = m_clock.nowMs();
    const qint64 windowMs = qint64(policy.windowS) * 1000;
    std::lock_guard lock(m_mutex);
    Bucket &bucket = m_buckets[keyId];
    // Drop what has slid out of the long window: a request at t counts while now - t < window.
    const auto firstInWindow = std::upper_bound(bucket.times.cbegin(), bucket.times.cend(), now - windowMs);
    bucket.times.erase(bucket.times.cbegin(), firstInWindow);

    const auto firstInSecond = std::upper_bound(bucket.times.cbegin(), bucket.times.cend(), now - 1000);
    const int inSecond = int(bucket.times.cend() - firstInSecond);
    const int inWindow = int(bucket.times.size());

    RateDecision d;
    d.limit = policy.limit;
    if (inWindow >= policy.limit || inSecond >= policy.burst) {
        d.allowed = false;
        qint64 waitMs = 0;
        if (inWindow >= policy.limit) // the oldest request in the window must slide out
            waitMs = std::max(waitMs, bucket.times.at(inWindow - policy.limit) + windowMs - now);
        if (inSecond >= policy.burst)
            waitMs = std::max(waitMs, *(bucket.times.cend() - policy.burst) + 1000 - now);
        d.retryAfterS = int(std::max<qint64>(1, (waitMs + 999) / 1000));
        // Refused: nothing can be sent now, whichever limit refused it, and room comes back when
        // a retry can succeed (a burst refusal once said remaining>0, reset=0).
        d.remaining = 0;
        d.resetS = d.retryAfterS;
        return d;
    }
    bucket.times.append(now);
    d.remaining = policy.limit - inWindow - 1;
    d.resetS = d.remaining > 0 ? 0 : int((bucket.times.first() + windowMs - now + 999) / 1000);
    return d;
}

void RateLimiter::forget(const QString &keyId)
{
    std::lock_guard lock(m_mutex);
    m_buckets.remove(keyId);
}

} // namespace signiq::api
