#pragma once

#include "api/ApiKey.h"
#include "core/Clock.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <mutex>

namespace signiq::api {

// The limit of one tier: `limit` requests per sliding `windowS`, of which at most `burst` in any
// sliding second (burst headroom above the steady rate limit/window, but not a whole window's
// worth at once).
struct RatePolicy {
    int limit = 60;
    int windowS = 60;
    int burst = 10;

    static RatePolicy forTier(Tier tier); // free 60/min burst 10; pro 600/min burst 50; enterprise 6000/min burst 300
    // RateLimit-Policy header value, e.g. `60;w=60;burst=10`.
    QString headerValue() const;
};

struct RateDecision {
    bool allowed = true;
    int limit = 0;
    int remaining = 0;   // in the long window after this request; 0 when refused
    int resetS = 0;      // seconds until there is room again (0 when there is; = retryAfterS when refused)
    int retryAfterS = 0; // when refused: seconds until a retry can succeed (>= 1)

    // RateLimit header value, e.g. `limit=60, remaining=59, reset=0`.
    QString headerValue() const;
};

// Sliding-window rate limiter per key. Keeps exact request timestamps (bounded by the limit, so
// memory per key is O(limit)). Thread-safe. Time comes from an injected clock.
class RateLimiter {
public:
    explicit RateLimiter(const core::Clock &clock);

    // Records the request if allowed. Refused requests are not recorded (they don't extend the
    // penalty).
    RateDecision check(const QString &keyId, const RatePolicy &policy);

    void forget(const QString &keyId); // e.g. on revocation

private:
    struct Bucket {
        QList<qint64> times; // ms, ascending, within the long window
    };

    const core::Clock &m_clock;
    std::mutex m_mutex;
    QHash<QString, Bucket> m_buckets;
};

} // namespace signiq::api
