#include "vision/tracking/LinearAssignment.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace signiq::vision {

std::vector<int> solveLinearAssignment(const std::vector<double> &cost, int rows, int cols,
                                       double costLimit)
{
    std::vector<int> rowToCol(static_cast<std::size_t>(std::max(rows, 0)), -1);
    if (rows <= 0 || cols <= 0)
        return rowToCol;

    const auto nr = static_cast<std::size_t>(rows);
    const auto nc = static_cast<std::size_t>(cols);
    // Square extension: [cost | limit/2] over [limit/2 | 0]. Forbidden pairs get a cost so large
    // that leaving both ends unmatched is always cheaper.
    const std::size_t n = nr + nc;
    const double forbidden = costLimit * 4.0 + 1e6;
    const double half = costLimit / 2.0;
    auto at = [&](std::size_t i, std::size_t j) -> double {
        if (i < nr && j < nc) {
            const double c = cost[i * nc + j];
            return (c <= costLimit) ? c : forbidden;
        }
        if (i >= nr && j >= nc)
            return 0.0;
        return half;
    };

    // Hungarian algorithm with potentials (1-based; column 0 is the virtual start).
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0), minv(n + 1);
    std::vector<std::size_t> p(n + 1, 0), way(n + 1, 0);
    std::vector<char> used(n + 1);
    for (std::size_t i = 1; i <= n; ++i) {
        p[0] = i;
        std::size_t j0 = 0;
        std::fill(minv.begin(), minv.end(), inf);
        std::fill(used.begin(), used.end(), 0);
        do {
            used[j0] = 1;
            const std::size_t i0 = p[j0];
            double delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= n; ++j) {
                if (used[j])
                    continue;
                const double cur = at(i0 - 1, j - 1) - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (std::size_t j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const std::size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }

    for (std::size_t j = 1; j <= nc; ++j) {
        const std::size_t i = p[j];
        if (i >= 1 && i <= nr && cost[(i - 1) * nc + (j - 1)] <= costLimit)
            rowToCol[i - 1] = static_cast<int>(j - 1);
    }
    return rowToCol;
}

} // namespace signiq::vision
