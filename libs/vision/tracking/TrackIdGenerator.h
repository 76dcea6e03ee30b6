#pragma once

#include "core/Track.h"

#include <array>
#include <atomic>

namespace signiq::vision {

// Issues track ids: 64-bit, random-looking, never 0 and never repeated within the process.
//
// A counter (starting at a random offset) is passed through a 64-bit Feistel permutation keyed
// with round keys from QRandomGenerator::system(). A permutation of distinct inputs gives distinct
// outputs, so uniqueness is guaranteed without remembering issued ids (memory stays flat), and
// the keys are fresh per process, so ids cannot be linked across restarts. Ids are never
// persisted or logged. Thread-safe.
class TrackIdGenerator {
public:
    TrackIdGenerator(); // keys from QRandomGenerator::system()

    core::TrackId next();

    // The one generator every tracker of the process shares.
    static TrackIdGenerator &processWide();

private:
    quint64 permute(quint64 value) const;

    std::array<quint32, 6> m_roundKeys{};
    std::atomic<quint64> m_counter{0};
};

} // namespace signiq::vision
