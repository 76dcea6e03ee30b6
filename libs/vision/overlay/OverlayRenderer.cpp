#include "vision/overlay/OverlayRenderer.h"
#include "vision/capture/PixelScrub.h"

#include <opencv2/imgcodecs.hpp>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

const cv::Scalar kSilhouette(150, 110, 70);    // confirmed person: muted blue
const cv::Scalar kSilhouetteTentative(110, 110, 110);
const cv::Scalar kBox(255, 200, 120);
const cv::Scalar kTrail(80, 220, 255);
const cv::Scalar kZone(90, 220, 90);
const cv::Scalar kLine(60, 60, 240);
const cv::Scalar kText(255, 255, 255);

void scrub(cv::Mat &m)
{
    scrubPixels(m);
}

// Hershey fonts draw ASCII only.
std::string ascii(const QString &s)
{
    std::string out;
    out.reserve(size_t(s.size()));
    for (QChar c : s)
        out.push_back(c.unicode() >= 32 && c.unicode() < 127 ? char(c.unicode()) : '?');
    return out;
}

void filledRoundedRect(cv::Mat &img, cv::Rect r, int radius, const cv::Scalar &colour)
{
    radius = std::max(0, std::min({radius, r.width / 2, r.height / 2}));
    if (radius == 0) {
        cv::rectangle(img, r, colour, cv::FILLED);
        return;
    }
    cv::rectangle(img, cv::Rect(r.x + radius, r.y, r.width - 2 * radius, r.height), colour, cv::FILLED);
    cv::rectangle(img, cv::Rect(r.x, r.y + radius, r.width, r.height - 2 * radius), colour, cv::FILLED);
    const cv::Point corners[] = {{r.x + radius, r.y + radius},
                                 {r.x + r.width - 1 - radius, r.y + radius},
                                 {r.x + radius, r.y + r.height - 1 - radius},
                                 {r.x + r.width - 1 - radius, r.y + r.height - 1 - radius}};
    for (const cv::Point &c : corners)
        cv::circle(img, c, radius, colour, cv::FILLED, cv::LINE_8);
}

} // namespace

OverlayRenderer::OverlayRenderer(const OverlayConfig &config) : m_config(config)
{
    m_config.maxWidth = std::max(16, m_config.maxWidth);
    m_config.pixelationCells = std::clamp(m_config.pixelationCells, 2, 256);
    m_config.colourStep = std::clamp(m_config.colourStep, 1, 128);
    m_config.maxFps = m_config.maxFps > 0.0 ? m_config.maxFps : 5.0;
    m_config.trailLength = std::max(0, m_config.trailLength);
}

OverlayRenderer::~OverlayRenderer()
{
    scrub();
}

bool OverlayRenderer::shouldRender(qint64 timestampMs) const
{
    if (!m_rendered || timestampMs < m_lastRenderMs)
        return true;
    const double minGapMs = 1000.0 / m_config.maxFps;
    return double(timestampMs - m_lastRenderMs) >= minGapMs - 1e-6;
}

void OverlayRenderer::scrub()
{
    ::signiq::vision::scrub(m_output);
    ::signiq::vision::scrub(m_small);
    m_trails.clear();
}

cv::Point OverlayRenderer::toPx(QPointF p) const
{
    return {int(std::lround(p.x() * m_output.cols)), int(std::lround(p.y() * m_output.rows))};
}

void OverlayRenderer::pixelate(const cv::Mat &bgr)
{
    const int outW = std::min(bgr.cols, m_config.maxWidth);
    const int outH = std::max(1, int(std::lround(double(bgr.rows) * outW / bgr.cols)));
    const double cell = double(std::max(bgr.cols, bgr.rows)) / m_config.pixelationCells; // frame pixels
    const cv::Size grid(std::max(1, int(std::lround(bgr.cols / cell))), std::max(1, int(std::lround(bgr.rows / cell))));
    // Area average straight from the full frame: every grid cell is the mean of its block.
    cv::resize(bgr, m_small, grid, 0, 0, cv::INTER_AREA);
    if (m_config.colourStep > 1) {
        const int step = m_config.colourStep;
        m_small.forEach<cv::Vec3b>([step](cv::Vec3b &p, const int *) {
            for (int c = 0; c < 3; ++c)
                p[c] = cv::saturate_cast<uchar>(p[c] / step * step + step / 2);
        });
    }
    cv::resize(m_small, m_output, cv::Size(outW, outH), 0, 0, cv::INTER_NEAREST);
    if (m_config.blurBlocks) {
        const double block = double(outW) / grid.width;
        const int k = std::max(3, int(block) | 1);
        cv::GaussianBlur(m_output, m_output, cv::Size(k, k), block / 3.0);
    }
    ::signiq::vision::scrub(m_small);
}

void OverlayRenderer::updateTrails(const QList<core::TrackObservation> &tracks)
{
    QHash<core::TrackId, std::deque<QPointF>> live;
    live.reserve(tracks.size());
    for (const core::TrackObservation &t : tracks) {
        std::deque<QPointF> trail = m_trails.take(t.id);
        if (m_config.trailLength > 0) {
            trail.push_back(t.footPoint());
            while (int(trail.size()) > m_config.trailLength)
                trail.pop_front();
        }
        live.insert(t.id, std::move(trail));
    }
    m_trails.swap(live); // trails of tracks that are gone are dropped here
}

void OverlayRenderer::drawZones(const core::ZoneConfig &zones)
{
    const int thick = std::max(1, m_output.cols / 320);
    for (const core::Zone &z : zones.zones) {
        std::vector<cv::Point> poly;
        for (const QPointF &p : z.polygon)
            poly.push_back(toPx(p));
        if (poly.size() < 2)
            continue;
        cv::polylines(m_output, poly, true, kZone, thick, cv::LINE_AA);
        cv::putText(m_output, ascii(z.name), poly.front() + cv::Point(4, 14), cv::FONT_HERSHEY_SIMPLEX, 0.45, kZone, 1,
                    cv::LINE_AA);
    }
    for (const core::CountingLine &l : zones.lines) {
        const cv::Point a = toPx(l.a), b = toPx(l.b);
        cv::line(m_output, a, b, kLine, thick + 1, cv::LINE_AA);
        // "in" = from the right-hand side of a->b to the left-hand side (y down): arrow to the left normal.
        const cv::Point2d d(b - a);
        const double len = std::hypot(d.x, d.y);
        if (len > 1.0) {
            const cv::Point mid = (a + b) / 2;
            const cv::Point2d left(d.y / len, -d.x / len);
            const cv::Point from = mid - cv::Point(int(left.x * 12), int(left.y * 12));
            const cv::Point to = mid + cv::Point(int(left.x * 12), int(left.y * 12));
            cv::arrowedLine(m_output, from, to, kLine, thick, cv::LINE_AA, 0, 0.4);
        }
        cv::putText(m_output, ascii(l.name), b + cv::Point(4, 0), cv::FONT_HERSHEY_SIMPLEX, 0.45, kLine, 1, cv::LINE_AA);
    }
}

void OverlayRenderer::drawTracks(const QList<core::TrackObservation> &tracks)
{
    const cv::Rect canvas(0, 0, m_output.cols, m_output.rows);
    // Silhouettes first (opaque), then faces black, then outlines and trails on top.
    for (const core::TrackObservation &t : tracks) {
        const cv::Rect r = cv::Rect(toPx(t.box.topLeft()), toPx(t.box.bottomRight())) & canvas;
        if (r.width <= 0 || r.height <= 0)
            continue;
        filledRoundedRect(m_output, r, std::min(r.width, r.height) / 4,
                          t.confirmed ? kSilhouette : kSilhouetteTentative);
    }
    for (const core::TrackObservation &t : tracks) {
        if (!t.face)
            continue;
        const QRectF f = t.face->box;
        const QRectF grown = f.adjusted(-0.125 * f.width(), -0.125 * f.height(), 0.125 * f.width(), 0.125 * f.height());
        const cv::Rect r = cv::Rect(toPx(grown.topLeft()), toPx(grown.bottomRight())) & canvas;
        if (r.width > 0 && r.height > 0)
            cv::rectangle(m_output, r, cv::Scalar::all(0), cv::FILLED);
    }
    const int thick = std::max(1, m_output.cols / 320);
    for (const core::TrackObservation &t : tracks) {
        const auto it = m_trails.constFind(t.id);
        if (it != m_trails.cend() && it->size() >= 2) {
            std::vector<cv::Point> pts;
            pts.reserve(it->size());
            for (const QPointF &p : *it)
                pts.push_back(toPx(p));
            cv::polylines(m_output, pts, false, kTrail, thick, cv::LINE_AA);
        }
        const cv::Rect r = cv::Rect(toPx(t.box.topLeft()), toPx(t.box.bottomRight())) & canvas;
        if (r.width > 0 && r.height > 0)
            cv::rectangle(m_output, r, kBox, thick, cv::LINE_AA);
        cv::circle(m_output, toPx(t.footPoint()), thick + 2, kTrail, cv::FILLED, cv::LINE_AA);
    }
}

void OverlayRenderer::drawCounts(const OverlayCounts &counts)
{
    std::vector<std::string> lines;
    lines.push_back("people " + std::to_string(counts.people));
    for (const auto &z : counts.zones)
        lines.push_back(ascii(z.zone) + " " + std::to_string(z.occupancy));
    for (const auto &l : counts.lines)
        lines.push_back(ascii(l.line) + " in " + std::to_string(l.in) + " out " + std::to_string(l.out));
    const double scale = 0.45;
    const int lineH = 16;
    int width = 0;
    for (const std::string &s : lines) {
        int base = 0;
        width = std::max(width, cv::getTextSize(s, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &base).width);
    }
    const cv::Rect panel = cv::Rect(4, 4, width + 10, int(lines.size()) * lineH + 8)
        & cv::Rect(0, 0, m_output.cols, m_output.rows);
    cv::rectangle(m_output, panel, cv::Scalar(30, 30, 30), cv::FILLED);
    for (size_t i = 0; i < lines.size(); ++i)
        cv::putText(m_output, lines[i], cv::Point(9, 4 + lineH * int(i + 1)), cv::FONT_HERSHEY_SIMPLEX, scale, kText, 1,
                    cv::LINE_AA);
}

core::Status OverlayRenderer::render(const cv::Mat &bgr, const QList<core::TrackObservation> &tracks,
                                     const core::ZoneConfig &zones, const OverlayCounts &counts, qint64 timestampMs)
{
    if (bgr.empty() || bgr.type() != CV_8UC3)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("overlay: frame must be a non-empty CV_8UC3 image"));
    if (!shouldRender(timestampMs))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("overlay: rate limit of %1 fps: frame at %2 ms is too soon after %3 ms")
                             .arg(m_config.maxFps)
                             .arg(timestampMs)
                             .arg(m_lastRenderMs));
    try {
        pixelate(bgr);
        updateTrails(tracks);
        drawTracks(tracks);
        drawZones(zones);
        drawCounts(counts);
    } catch (const cv::Exception &e) {
        scrub();
        return makeError(ErrorCode::Internal, QStringLiteral("overlay: %1").arg(QString::fromStdString(e.what())));
    }
    m_lastRenderMs = timestampMs;
    m_rendered = true;
    return {};
}

core::Result<QByteArray> OverlayRenderer::encodeJpeg(int quality) const
{
    if (m_output.empty())
        return core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("no overlay rendered yet"));
    try {
        std::vector<uchar> encoded;
        const std::vector<int> params{cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 10, 95)};
        if (!cv::imencode(".jpg", m_output, encoded, params))
            return core::makeError(core::ErrorCode::Internal, QStringLiteral("JPEG encoding of the overlay failed"));
        return QByteArray(reinterpret_cast<const char *>(encoded.data()), qsizetype(encoded.size()));
    } catch (const cv::Exception &e) {
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("JPEG encoding of the overlay failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace signiq::vision
