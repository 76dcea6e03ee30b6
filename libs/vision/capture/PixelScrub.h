#pragma once

#include <opencv2/core/mat.hpp>

#include <cstddef>

namespace signiq::vision {

// The one place pixels are zeroed (privacy-critical: docs/metrics.md, "privacy design").
// Every buffer that held camera pixels — pooled frames, the overlay's canvases, the face
// analyser's crops, a camera driver's scratch copies, encoded image bytes — goes through these,
// so there is one implementation to review and one to test (TestPixelScrub).
//
// scrubPixels() zeroes the whole allocation a cv::Mat points into (not only the region its
// header shows: a ROI or a reshaped header must not leave the rest of the buffer behind);
// a header without its own allocation (wrapping foreign memory) has the bytes it views zeroed.
// The writes cannot be optimised away (explicit_bzero).
void scrubPixels(cv::Mat &image);
void scrubBytes(void *data, std::size_t size);

} // namespace signiq::vision
