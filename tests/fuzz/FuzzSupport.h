#pragma once

// Shared by the libFuzzer targets in this folder (docs/security.md, "Fuzzing").

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// An invariant of the code under test: when it does not hold, abort, so libFuzzer reports a
// crash and saves the input (crash-<sha1> in the artifact directory).
#define SIGNIQ_FUZZ_CHECK(condition)                                                                               \
    do {                                                                                                           \
        if (!(condition)) {                                                                                        \
            std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__);           \
            std::abort();                                                                                          \
        }                                                                                                          \
    } while (false)

namespace signiq::fuzz {

// The libraries log refusals (qCWarning); millions of lines would drown libFuzzer's output and
// slow it down. Fatal messages still abort.
inline void quietQtMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        std::abort();
    }
}
inline const bool kQuiet = (qInstallMessageHandler(quietQtMessages), true);

inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Takes fuzzer-chosen parameters from the front of the input; the rest is the payload.
class Input {
public:
    Input(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}

    std::uint8_t byte()
    {
        if (m_pos >= m_size)
            return 0;
        return m_data[m_pos++];
    }
    // A number in [0, bound) from one or two bytes (0 when the input is used up).
    std::size_t below(std::size_t bound)
    {
        if (bound <= 1)
            return 0;
        std::size_t v = byte();
        if (bound > 256)
            v = (v << 8) | byte();
        return v % bound;
    }
    std::size_t remaining() const { return m_size - m_pos; }
    // The next `n` bytes (fewer at the end).
    QByteArray take(std::size_t n)
    {
        n = std::min(n, remaining());
        QByteArray out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(n));
        m_pos += n;
        return out;
    }
    QByteArray rest() { return take(remaining()); }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace signiq::fuzz
