#pragma once

#include <vector>

namespace signiq::vision {

// Optimal (minimum-cost) assignment of rows to columns for a small dense cost matrix, with a
// cost limit: a pair whose cost exceeds costLimit is never assigned, and leaving a row or a
// column unassigned costs costLimit / 2 (the "cost_limit" extension used by lapjv/ByteTrack).
// The matrix is row-major, rows x cols. Returns, for each row, the assigned column or -1.
// O(n^3) Hungarian algorithm with potentials on the (rows + cols) square extension; meant for
// the tens of tracks and detections of one frame.
std::vector<int> solveLinearAssignment(const std::vector<double> &cost, int rows, int cols,
                                       double costLimit);

} // namespace signiq::vision
