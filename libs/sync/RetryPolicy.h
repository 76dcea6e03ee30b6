#pragma once

#include <QtGlobal>

#include <functional>

namespace signiq::sync {

// Exponential backoff with jitter, capped (docs/sync.md "Retry"): after the n-th failed send of
// a batch (n >= 1) the next attempt waits a random time in [d/2, d] where
// d = min(cap, base * 2^(n-1)). The random source is injected (tests: a fixed value).
class RetryPolicy {
public:
    static constexpr qint64 DefaultBaseMs = 2'000;
    static constexpr qint64 DefaultCapMs = 5 * 60 * 1000;

    // `unitRandom` returns a number in [0, 1); default: QRandomGenerator::global().
    explicit RetryPolicy(qint64 baseMs = DefaultBaseMs, qint64 capMs = DefaultCapMs, std::function<double()> unitRandom = {});

    qint64 delayMs(int failures) const;
    qint64 baseMs() const { return m_baseMs; }
    qint64 capMs() const { return m_capMs; }

private:
    qint64 m_baseMs;
    qint64 m_capMs;
    std::function<double()> m_random;
};

} // namespace signiq::sync
