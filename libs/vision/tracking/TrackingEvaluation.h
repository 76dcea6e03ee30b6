#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QRectF>
#include <QString>

#include <map>
#include <vector>

namespace signiq::vision {

// Tracker evaluation against a hand-made ground truth: the annotation format and the standard
// multi-object tracking metrics (CLEAR-MOT: MOTA with FN/FP/IDSW; the identity metrics IDF1,
// IDP, IDR). Used by bench/pipeline/bench_tracking_accuracy; docs/benchmarks.md.

// One object in one frame: an id (ground-truth person stretch or tracker track) and its box in
// pixels.
struct EvaluatedBox {
    qint64 id = 0;
    QRectF box;
};
using EvaluatedFrame = std::vector<EvaluatedBox>;

// A ground-truth annotation of a video: for every stretch (one continuous visibility of one
// person), boxes at key frames, the first and last key frame being where the stretch starts
// and ends. Between two key frames the box is interpolated linearly.
//
// Text format (tests/data/README.md): '#' starts a comment line; the first other line is the
// header "video,<width>,<height>,<frames>,<fps>"; every further line is
// "<stretch id>,<frame>,<x>,<y>,<w>,<h>" (pixels; frames count from 0). Rows of one stretch
// may come in any order but not twice for one frame.
class TrackAnnotation {
public:
    struct Key {
        int frame = 0;
        QRectF box;
    };
    struct Stretch {
        qint64 id = 0;
        std::vector<Key> keys; // sorted by frame, at least one
        int firstFrame() const { return keys.front().frame; }
        int lastFrame() const { return keys.back().frame; }
    };

    // Errors (InvalidArgument) name the source, the line number and what is wrong.
    static core::Result<TrackAnnotation> parse(const QByteArray &text, const QString &source);
    static core::Result<TrackAnnotation> load(const QString &path);

    int width() const { return m_width; }
    int height() const { return m_height; }
    int frameCount() const { return m_frames; }
    double fps() const { return m_fps; }
    const std::vector<Stretch> &stretches() const { return m_stretches; }
    // Sum over stretches of their length in seconds ((last - first + 1) / fps).
    double personSeconds() const;

    // The interpolated ground truth of one frame (stretches whose span covers it).
    EvaluatedFrame at(int frame) const;
    // Whether the frame is a key frame of any stretch (annotated rather than interpolated).
    bool isKeyFrame(int frame) const;

private:
    int m_width = 0;
    int m_height = 0;
    int m_frames = 0;
    double m_fps = 0.0;
    std::vector<Stretch> m_stretches;
};

struct TrackingScores {
    // CLEAR-MOT (Bernardin & Stiefelhagen 2008)
    qint64 groundTruth = 0; // ground-truth boxes over all evaluated frames
    qint64 hypotheses = 0;  // tracker boxes over all evaluated frames
    qint64 matches = 0;
    qint64 falseNegatives = 0;
    qint64 falsePositives = 0;
    qint64 idSwitches = 0;
    double mota = 0.0;      // 1 - (FN + FP + IDSW) / GT
    double motp = 0.0;      // mean IoU of the matches
    // Identity metrics (Ristani et al. 2016)
    qint64 idTruePositives = 0;
    qint64 idFalsePositives = 0;
    qint64 idFalseNegatives = 0;
    double idf1 = 0.0;      // 2 IDTP / (GT + hypotheses)
    double idPrecision = 0.0;
    double idRecall = 0.0;
    int groundTruthIds = 0;
    int hypothesisIds = 0;
};

// Scores hypothesis frames against ground-truth frames (same length, same frame order).
// A pair can match only with IoU >= minIou.
//  - CLEAR-MOT, per frame: a ground-truth object keeps last frame's hypothesis if their IoU is
//    still >= minIou; the others are matched by the Hungarian algorithm on 1 - IoU. A ground
//    truth matched to a different hypothesis than the one it was last matched to (in any
//    earlier frame) is an id switch.
//  - Identity: one global one-to-one matching of ground-truth ids to hypothesis ids
//    (Hungarian) maximising the number of frames in which the two match (IoU >= minIou);
//    IDTP = that number, IDFN = GT - IDTP, IDFP = hypotheses - IDTP.
TrackingScores scoreTracking(const std::vector<EvaluatedFrame> &groundTruth,
                             const std::vector<EvaluatedFrame> &hypotheses, double minIou = 0.5);

double boxIou(const QRectF &a, const QRectF &b);

} // namespace signiq::vision
