#pragma once

#include <QtGlobal>

#include <atomic>

namespace signiq::core {

// Wall-clock time in milliseconds since the Unix epoch, injectable so that tests never sleep.
class Clock {
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    qint64 nowMs() const override;
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(qint64 startMs = 0) : m_ms(startMs) {}
    qint64 nowMs() const override { return m_ms.load(); }
    void setMs(qint64 ms) { m_ms.store(ms); }
    void advanceMs(qint64 deltaMs) { m_ms.fetch_add(deltaMs); }

private:
    std::atomic<qint64> m_ms;
};

} // namespace signiq::core
