#include "vision/tracking/LinearAssignment.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <functional>
#include <vector>

using namespace signiq::vision;

namespace {

// Objective the solver minimises: matched costs + costLimit / 2 per unmatched row or column.
double objective(const std::vector<double> &cost, int rows, int cols, double limit, const std::vector<int> &rowToCol)
{
    double total = 0.0;
    int matched = 0;
    for (int r = 0; r < rows; ++r) {
        if (rowToCol[static_cast<size_t>(r)] >= 0) {
            total += cost[static_cast<size_t>(r * cols + rowToCol[static_cast<size_t>(r)])];
            ++matched;
        }
    }
    return total + limit / 2.0 * (rows + cols - 2 * matched);
}

double bruteForceBest(const std::vector<double> &cost, int rows, int cols, double limit)
{
    double best = 1e300;
    std::vector<int> assignment(static_cast<size_t>(rows), -1);
    std::vector<char> colUsed(static_cast<size_t>(cols), 0);
    std::function<void(int)> recurse = [&](int r) {
        if (r == rows) {
            best = std::min(best, objective(cost, rows, cols, limit, assignment));
            return;
        }
        assignment[static_cast<size_t>(r)] = -1;
        recurse(r + 1);
        for (int c = 0; c < cols; ++c) {
            if (colUsed[static_cast<size_t>(c)] || cost[static_cast<size_t>(r * cols + c)] > limit)
                continue;
            colUsed[static_cast<size_t>(c)] = 1;
            assignment[static_cast<size_t>(r)] = c;
            recurse(r + 1);
            colUsed[static_cast<size_t>(c)] = 0;
        }
        assignment[static_cast<size_t>(r)] = -1;
    };
    recurse(0);
    return best;
}

} // namespace

class TestLinearAssignment : public QObject {
    Q_OBJECT

private slots:
    void emptyInputs();
    void picksGlobalOptimumNotGreedy();
    void respectsCostLimit();
    void matchesBruteForceOnRandomMatrices();
};

void TestLinearAssignment::emptyInputs()
{
    QCOMPARE(solveLinearAssignment({}, 0, 3, 0.8).size(), size_t(0));
    QCOMPARE(solveLinearAssignment({}, 2, 0, 0.8), (std::vector<int>{-1, -1}));
}

void TestLinearAssignment::picksGlobalOptimumNotGreedy()
{
    // Greedy would take (0,0)=0.1 and then (1,1)=0.9; optimal is (0,1)+(1,0) = 0.2 + 0.2.
    const std::vector<double> cost{0.1, 0.2, 0.2, 0.9};
    QCOMPARE(solveLinearAssignment(cost, 2, 2, 1.0), (std::vector<int>{1, 0}));
}

void TestLinearAssignment::respectsCostLimit()
{
    const std::vector<double> cost{0.95, 0.3, 0.9, 0.99};
    const auto result = solveLinearAssignment(cost, 2, 2, 0.8);
    QCOMPARE(result, (std::vector<int>{1, -1}));
}

void TestLinearAssignment::matchesBruteForceOnRandomMatrices()
{
    QRandomGenerator rng(42);
    for (int iteration = 0; iteration < 400; ++iteration) {
        const int rows = rng.bounded(1, 6);
        const int cols = rng.bounded(1, 6);
        const double limit = 0.3 + 0.6 * rng.generateDouble();
        std::vector<double> cost(static_cast<size_t>(rows * cols));
        for (double &c : cost)
            c = rng.generateDouble();
        const auto result = solveLinearAssignment(cost, rows, cols, limit);
        QCOMPARE(int(result.size()), rows);
        std::vector<char> used(static_cast<size_t>(cols), 0);
        for (int c : result) {
            if (c < 0)
                continue;
            QVERIFY(c < cols);
            QVERIFY(!used[static_cast<size_t>(c)]);
            used[static_cast<size_t>(c)] = 1;
        }
        for (int r = 0; r < rows; ++r) {
            if (result[static_cast<size_t>(r)] >= 0)
                QVERIFY(cost[static_cast<size_t>(r * cols + result[static_cast<size_t>(r)])] <= limit);
        }
        const double got = objective(cost, rows, cols, limit, result);
        const double best = bruteForceBest(cost, rows, cols, limit);
        QVERIFY2(std::abs(got - best) < 1e-9, qPrintable(QStringLiteral("iteration %1: %2 vs %3").arg(iteration).arg(got).arg(best)));
    }
}

QTEST_GUILESS_MAIN(TestLinearAssignment)
#include "TestLinearAssignment.moc"
