#include "vision/tracking/TrackingEvaluation.h"

#include "vision/tracking/LinearAssignment.h"

#include <QFile>
#include <QList>

#include <algorithm>
#include <cmath>
#include <set>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

double boxIou(const QRectF &a, const QRectF &b)
{
    const double x1 = std::max(a.left(), b.left());
    const double y1 = std::max(a.top(), b.top());
    const double x2 = std::min(a.right(), b.right());
    const double y2 = std::min(a.bottom(), b.bottom());
    const double inter = std::max(0.0, x2 - x1) * std::max(0.0, y2 - y1);
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0.0 ? inter / uni : 0.0;
}

core::Result<TrackAnnotation> TrackAnnotation::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("track annotation %1 does not exist").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read track annotation %1: %2").arg(path, file.errorString()));
    return parse(file.read(4 * 1024 * 1024), path);
}

core::Result<TrackAnnotation> TrackAnnotation::parse(const QByteArray &text, const QString &source)
{
    TrackAnnotation a;
    bool haveHeader = false;
    std::map<qint64, std::map<int, QRectF>> byId;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArray line = lines[n].trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const auto bad = [&](const QString &what) {
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 line %2: %3").arg(source).arg(n + 1).arg(what));
        };
        const QList<QByteArray> f = line.split(',');
        if (!haveHeader) {
            bool okW = false, okH = false, okN = false, okF = false;
            if (f.size() == 5 && f[0].trimmed() == "video") {
                a.m_width = f[1].trimmed().toInt(&okW);
                a.m_height = f[2].trimmed().toInt(&okH);
                a.m_frames = f[3].trimmed().toInt(&okN);
                a.m_fps = f[4].trimmed().toDouble(&okF);
            }
            if (!(okW && okH && okN && okF) || a.m_width <= 0 || a.m_height <= 0 || a.m_frames <= 0 || !(a.m_fps > 0.0))
                return bad(QStringLiteral("expected the header \"video,<width>,<height>,<frames>,<fps>\" with positive numbers, got \"%1\"")
                               .arg(QString::fromUtf8(line)));
            haveHeader = true;
            continue;
        }
        if (f.size() != 6)
            return bad(QStringLiteral("expected \"<stretch id>,<frame>,<x>,<y>,<w>,<h>\" (6 fields), got %1 fields").arg(f.size()));
        bool ok[6] = {};
        const qint64 id = f[0].trimmed().toLongLong(&ok[0]);
        const int frame = f[1].trimmed().toInt(&ok[1]);
        double v[4];
        for (int i = 0; i < 4; ++i)
            v[i] = f[2 + i].trimmed().toDouble(&ok[2 + i]);
        if (!std::all_of(std::begin(ok), std::end(ok), [](bool b) { return b; }))
            return bad(QStringLiteral("a field is not a number: \"%1\"").arg(QString::fromUtf8(line)));
        if (id <= 0)
            return bad(QStringLiteral("stretch id must be positive, got %1").arg(id));
        if (frame < 0 || frame >= a.m_frames)
            return bad(QStringLiteral("frame %1 is outside the video's 0..%2").arg(frame).arg(a.m_frames - 1));
        const QRectF box(v[0], v[1], v[2], v[3]);
        if (!(v[2] > 0.0 && v[3] > 0.0) || v[0] < 0.0 || v[1] < 0.0 || box.right() > a.m_width + 0.5
            || box.bottom() > a.m_height + 0.5)
            return bad(QStringLiteral("box (%1, %2, %3 x %4) is empty or outside the %5x%6 frame")
                           .arg(v[0]).arg(v[1]).arg(v[2]).arg(v[3]).arg(a.m_width).arg(a.m_height));
        auto &keys = byId[id];
        if (!keys.emplace(frame, box).second)
            return bad(QStringLiteral("stretch %1 has a second box for frame %2").arg(id).arg(frame));
    }
    if (!haveHeader)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: no header line \"video,<width>,<height>,<frames>,<fps>\"").arg(source));
    if (byId.empty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: no annotated stretch").arg(source));
    for (const auto &[id, keys] : byId) {
        Stretch s;
        s.id = id;
        for (const auto &[frame, box] : keys)
            s.keys.push_back({frame, box});
        a.m_stretches.push_back(std::move(s));
    }
    return a;
}

double TrackAnnotation::personSeconds() const
{
    double frames = 0.0;
    for (const Stretch &s : m_stretches)
        frames += double(s.lastFrame() - s.firstFrame() + 1);
    return frames / m_fps;
}

EvaluatedFrame TrackAnnotation::at(int frame) const
{
    EvaluatedFrame out;
    for (const Stretch &s : m_stretches) {
        if (frame < s.firstFrame() || frame > s.lastFrame())
            continue;
        const auto next = std::lower_bound(s.keys.begin(), s.keys.end(), frame,
                                           [](const Key &k, int f) { return k.frame < f; });
        if (next->frame == frame || next == s.keys.begin()) {
            out.push_back({s.id, next->box});
            continue;
        }
        const Key &b = *next;
        const Key &a = *(next - 1);
        const double w = double(frame - a.frame) / double(b.frame - a.frame);
        const auto mix = [w](double p, double q) { return p + (q - p) * w; };
        out.push_back({s.id, QRectF(mix(a.box.x(), b.box.x()), mix(a.box.y(), b.box.y()),
                                    mix(a.box.width(), b.box.width()), mix(a.box.height(), b.box.height()))});
    }
    return out;
}

bool TrackAnnotation::isKeyFrame(int frame) const
{
    return std::any_of(m_stretches.begin(), m_stretches.end(), [frame](const Stretch &s) {
        return std::binary_search(s.keys.begin(), s.keys.end(), Key{frame, {}},
                                  [](const Key &x, const Key &y) { return x.frame < y.frame; });
    });
}

TrackingScores scoreTracking(const std::vector<EvaluatedFrame> &groundTruth,
                             const std::vector<EvaluatedFrame> &hypotheses, double minIou)
{
    TrackingScores s;
    const size_t frames = std::min(groundTruth.size(), hypotheses.size());
    std::map<qint64, qint64> lastMatch;  // ground-truth id -> hypothesis id it was last matched to
    std::map<qint64, qint64> previous;   // the matches of the previous frame
    std::map<std::pair<qint64, qint64>, qint64> overlapFrames; // (gt, hyp) -> frames with IoU >= minIou
    std::set<qint64> gtIds, hypIds;
    double iouSum = 0.0;

    for (size_t f = 0; f < frames; ++f) {
        const EvaluatedFrame &gt = groundTruth[f];
        const EvaluatedFrame &hy = hypotheses[f];
        s.groundTruth += qint64(gt.size());
        s.hypotheses += qint64(hy.size());
        for (const auto &g : gt)
            gtIds.insert(g.id);
        for (const auto &h : hy)
            hypIds.insert(h.id);

        std::vector<double> iou(gt.size() * hy.size());
        for (size_t i = 0; i < gt.size(); ++i) {
            for (size_t j = 0; j < hy.size(); ++j) {
                iou[i * hy.size() + j] = boxIou(gt[i].box, hy[j].box);
                if (iou[i * hy.size() + j] >= minIou)
                    ++overlapFrames[{gt[i].id, hy[j].id}];
            }
        }
        std::vector<int> gtToHy(gt.size(), -1);
        std::vector<char> hyUsed(hy.size(), 0);
        // 1. Last frame's correspondences stay while their IoU is good enough.
        for (size_t i = 0; i < gt.size(); ++i) {
            const auto p = previous.find(gt[i].id);
            if (p == previous.end())
                continue;
            for (size_t j = 0; j < hy.size(); ++j) {
                if (!hyUsed[j] && hy[j].id == p->second && iou[i * hy.size() + j] >= minIou) {
                    gtToHy[i] = int(j);
                    hyUsed[j] = 1;
                    break;
                }
            }
        }
        // 2. Hungarian on 1 - IoU for the rest.
        std::vector<int> rows, cols;
        for (size_t i = 0; i < gt.size(); ++i) {
            if (gtToHy[i] < 0)
                rows.push_back(int(i));
        }
        for (size_t j = 0; j < hy.size(); ++j) {
            if (!hyUsed[j])
                cols.push_back(int(j));
        }
        if (!rows.empty() && !cols.empty()) {
            std::vector<double> cost(rows.size() * cols.size());
            for (size_t r = 0; r < rows.size(); ++r) {
                for (size_t c = 0; c < cols.size(); ++c) {
                    const double v = iou[size_t(rows[r]) * hy.size() + size_t(cols[c])];
                    cost[r * cols.size() + c] = v >= minIou ? 1.0 - v : 2.0;
                }
            }
            // Cost limit 1: a pair costs at most 1 - minIou <= 1, leaving both ends unmatched 1.
            const auto match = solveLinearAssignment(cost, int(rows.size()), int(cols.size()), 1.0);
            for (size_t r = 0; r < rows.size(); ++r) {
                if (match[r] >= 0)
                    gtToHy[size_t(rows[r])] = cols[size_t(match[r])];
            }
        }
        // 3. Count.
        previous.clear();
        qint64 matched = 0;
        for (size_t i = 0; i < gt.size(); ++i) {
            if (gtToHy[i] < 0)
                continue;
            const qint64 h = hy[size_t(gtToHy[i])].id;
            ++matched;
            iouSum += iou[i * hy.size() + size_t(gtToHy[i])];
            const auto last = lastMatch.find(gt[i].id);
            if (last != lastMatch.end() && last->second != h)
                ++s.idSwitches;
            lastMatch[gt[i].id] = h;
            previous[gt[i].id] = h;
        }
        s.matches += matched;
        s.falseNegatives += qint64(gt.size()) - matched;
        s.falsePositives += qint64(hy.size()) - matched;
    }
    s.mota = s.groundTruth > 0 ? 1.0 - double(s.falseNegatives + s.falsePositives + s.idSwitches) / double(s.groundTruth) : 0.0;
    s.motp = s.matches > 0 ? iouSum / double(s.matches) : 0.0;

    // Identity: maximise the frames matched by one fixed id-to-id assignment. With cost
    // 2 - 2 c / (max c + 1) per pair and cost limit 2 (1 per unmatched id), the total cost is
    // rows + cols - 2 sum(c) / (max c + 1), so the minimum-cost assignment maximises sum(c).
    const std::vector<qint64> g(gtIds.begin(), gtIds.end());
    const std::vector<qint64> h(hypIds.begin(), hypIds.end());
    s.groundTruthIds = int(g.size());
    s.hypothesisIds = int(h.size());
    qint64 maxOverlap = 0;
    for (const auto &[pair, c] : overlapFrames)
        maxOverlap = std::max(maxOverlap, c);
    if (!g.empty() && !h.empty() && maxOverlap > 0) {
        std::vector<double> cost(g.size() * h.size(), 2.0);
        const auto index = [](const std::vector<qint64> &v, qint64 id) {
            return size_t(std::lower_bound(v.begin(), v.end(), id) - v.begin());
        };
        for (const auto &[pair, c] : overlapFrames)
            cost[index(g, pair.first) * h.size() + index(h, pair.second)] = 2.0 - 2.0 * double(c) / double(maxOverlap + 1);
        const auto match = solveLinearAssignment(cost, int(g.size()), int(h.size()), 2.0);
        for (size_t r = 0; r < g.size(); ++r) {
            if (match[r] < 0)
                continue;
            const auto it = overlapFrames.find({g[r], h[size_t(match[r])]});
            if (it != overlapFrames.end())
                s.idTruePositives += it->second;
        }
    }
    s.idFalseNegatives = s.groundTruth - s.idTruePositives;
    s.idFalsePositives = s.hypotheses - s.idTruePositives;
    const qint64 denominator = s.groundTruth + s.hypotheses;
    s.idf1 = denominator > 0 ? 2.0 * double(s.idTruePositives) / double(denominator) : 0.0;
    s.idPrecision = s.hypotheses > 0 ? double(s.idTruePositives) / double(s.hypotheses) : 0.0;
    s.idRecall = s.groundTruth > 0 ? double(s.idTruePositives) / double(s.groundTruth) : 0.0;
    return s;
}

} // namespace signiq::vision
