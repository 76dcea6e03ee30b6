#include "vision/tracking/TrackIdGenerator.h"

#include <QRandomGenerator>

namespace signiq::vision {

namespace {

quint32 roundFunction(quint32 x, quint32 key)
{
    // murmur3 finaliser: a cheap, well-mixing 32-bit function (need not be invertible).
    x ^= key;
    x ^= x >> 16;
    x *= 0x85ebca6bU;
    x ^= x >> 13;
    x *= 0xc2b2ae35U;
    x ^= x >> 16;
    return x;
}

} // namespace

TrackIdGenerator::TrackIdGenerator()
{
    auto *rng = QRandomGenerator::system();
    for (auto &key : m_roundKeys)
        key = rng->generate();
    m_counter.store(rng->generate64());
}

quint64 TrackIdGenerator::permute(quint64 value) const
{
    auto left = static_cast<quint32>(value >> 32);
    auto right = static_cast<quint32>(value);
    for (const quint32 key : m_roundKeys) {
        const quint32 next = left ^ roundFunction(right, key);
        left = right;
        right = next;
    }
    return (static_cast<quint64>(left) << 32) | right;
}

core::TrackId TrackIdGenerator::next()
{
    for (;;) {
        // The counter wraps after 2^64 ids, which no process lives to see.
        const quint64 id = permute(m_counter.fetch_add(1, std::memory_order_relaxed));
        if (id != 0)
            return id;
    }
}

TrackIdGenerator &TrackIdGenerator::processWide()
{
    static TrackIdGenerator generator;
    return generator;
}

} // namespace signiq::vision
