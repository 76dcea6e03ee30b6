#pragma once

#include "core/Result.h"
#include "core/Track.h"
#include "core/ZoneConfig.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QString>

#include <opencv2/core.hpp>

#include <deque>

namespace signiq::vision {

struct OverlayConfig {
    int maxWidth = 640;          // output width = min(frame width, maxWidth), aspect kept
    int pixelationCells = 12;    // background grid: this many square cells across the longer side
    bool blurBlocks = false;     // Gaussian blur of about one cell over the blown-up grid (makes faces
                                 // easier to detect: smooth blobs look like blurred faces; off by default)
    int colourStep = 32;         // cell colours are quantised to steps of this (1 = no quantisation)
    double maxFps = 5.0;         // render() refuses frames closer than 1000/maxFps ms
    int trailLength = 30;        // foot points kept per live track
};

// Counts drawn in the top-left panel; the caller (analytics) decides what they are.
struct OverlayCounts {
    struct ZoneCount {
        QString zone;
        int occupancy = 0;
    };
    struct LineCount {
        QString line;
        int in = 0;
        int out = 0;
    };
    int people = 0; // confirmed tracks in view
    QList<ZoneCount> zones;
    QList<LineCount> lines;
};

// The anonymised live view for installers: the only image that may leave libs/vision.
//
// render() builds, in a buffer the renderer owns (at most maxWidth wide):
//   1. the frame pixelated to a grid of pixelationCells square cells across its longer side (area
//      average of each cell, colours quantised to colourStep), blown up with nearest neighbour.
//      Hard blocks, no blur: a blur turns 3-6 blocks back into a smooth, detectable face
//      (docs/faces.md has the measurements behind these defaults);
//   2. every track box filled with an opaque rounded silhouette, every attached face box (grown
//      by 25 %) filled black;
//   3. zone polygons and names, counting lines with their "in" direction, track boxes, foot
//      point trails of live tracks, and the counts panel.
// The pixelation alone must defeat a face detector (tests/vision/overlay checks it with YuNet at
// several scales on every test image, with and without person boxes): silhouettes and face boxes
// are extra layers, not the guarantee.
//
// Rate limit: at most maxFps renders per second of frame time (shouldRender()). Trails are kept
// only here, as normalised foot points, only for tracks present in the latest render() call.
// Library code never encodes or writes the image: the caller (the installer session) does, over
// TLS. One thread at a time.
class OverlayRenderer {
public:
    explicit OverlayRenderer(const OverlayConfig &config = {});
    ~OverlayRenderer();

    OverlayRenderer(const OverlayRenderer &) = delete;
    OverlayRenderer &operator=(const OverlayRenderer &) = delete;

    // True if a frame at this timestamp may be rendered (first frame, >= 1000/maxFps ms after the
    // last rendered one, or time went backwards, e.g. a restarted file).
    bool shouldRender(qint64 timestampMs) const;

    // Renders into image(). InvalidArgument for an empty or non-CV_8UC3 frame, and when
    // shouldRender(timestampMs) is false (nothing is rendered then; image() keeps the last one).
    core::Status render(const cv::Mat &bgr, const QList<core::TrackObservation> &tracks,
                        const core::ZoneConfig &zones, const OverlayCounts &counts, qint64 timestampMs);

    // The last rendered overlay (BGR, CV_8UC3), empty before the first render. Valid until the
    // next render() or scrub(); copy or encode it before then.
    const cv::Mat &image() const { return m_output; }

    // The rendered overlay as JPEG: the one place Signiq encodes an image. Only anonymised
    // overlay pixels can pass through here (there is no overload for a raw frame).
    core::Result<QByteArray> encodeJpeg(int quality = 80) const;

    // Zeroes the output and the pixelation buffer and forgets all trails (installer session ended).
    void scrub();

    int trackedTrails() const { return int(m_trails.size()); }

private:
    void pixelate(const cv::Mat &bgr);
    void updateTrails(const QList<core::TrackObservation> &tracks);
    void drawZones(const core::ZoneConfig &zones);
    void drawTracks(const QList<core::TrackObservation> &tracks);
    void drawCounts(const OverlayCounts &counts);
    cv::Point toPx(QPointF normalised) const;

    OverlayConfig m_config;
    cv::Mat m_small;  // the pixelation grid
    cv::Mat m_output; // what leaves
    QHash<core::TrackId, std::deque<QPointF>> m_trails;
    qint64 m_lastRenderMs = 0;
    bool m_rendered = false;
};

} // namespace signiq::vision
