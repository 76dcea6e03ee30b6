#pragma once

#include "vision/detection/PersonDetector.h"

#include <atomic>
#include <functional>
#include <memory>

namespace signiq::test {

// A person detector that answers from a script: the detections for the n-th call (0-based),
// or an error at a given call. It records whether the frame it was given still held its
// pixels (the pipeline must not scrub a frame before the detector has seen it).
class ScriptedPersonDetector final : public vision::PersonDetector {
public:
    struct Options {
        std::function<QList<vision::Detection>(qint64 call)> script; // empty: nobody
        int failAt = -1;
        std::function<void(qint64 call)> onDetect; // e.g. to hold the pipeline back in a test
    };
    struct Counters {
        std::atomic<qint64> calls{0};
        std::atomic<qint64> framesWithPixels{0};
    };

    explicit ScriptedPersonDetector(Options options) : m_options(std::move(options)) {}

    core::Result<QList<vision::Detection>> detect(const cv::Mat &bgr) override;
    QString modelVersion() const override { return QStringLiteral("scripted@0"); }
    std::shared_ptr<Counters> counters() const { return m_counters; }

    // A person of the given size walking from (x0, y) to (x1, y) (normalised centre) over
    // `calls` calls, then gone.
    static std::function<QList<vision::Detection>(qint64)> walker(double x0, double x1, double y, qint64 calls,
                                                                   QSizeF frame = {160, 120}, QSizeF box = {20, 50});

private:
    Options m_options;
    std::shared_ptr<Counters> m_counters = std::make_shared<Counters>();
};

} // namespace signiq::test
