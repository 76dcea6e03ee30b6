#include "vision/geometry/GroundPlane.h"

#include <QTest>

#include <array>
#include <cmath>

using namespace signiq;
using namespace signiq::vision;

namespace {

// A synthetic camera: floor (x, y) metres -> normalised image via a known homography
// (camera 2.5 m up, looking down into the room; perspective in y).
const std::array<double, 9> kTrue{0.18, 0.11, 0.5, 0.0, 0.033, 0.95, 0.0, 0.22, 1.0};

QPointF project(QPointF f)
{
    const auto &h = kTrue;
    const double w = h[6] * f.x() + h[7] * f.y() + h[8];
    return {(h[0] * f.x() + h[1] * f.y() + h[2]) / w, (h[3] * f.x() + h[4] * f.y() + h[5]) / w};
}

QList<core::FloorCorrespondence> correspondences(const QList<QPointF> &floor)
{
    QList<core::FloorCorrespondence> c;
    for (const QPointF &f : floor)
        c.append({project(f), f});
    return c;
}

const QList<QPointF> kSquare{{-2.0, 1.0}, {2.0, 1.0}, {2.0, 6.0}, {-2.0, 6.0}};

} // namespace

class TestGroundPlane : public QObject {
    Q_OBJECT

private slots:
    void roundTripOnSyntheticCamera();
    void moreThanFourPointsReportsReprojectionError();
    void fillsTrackFloorPositionsFromFootPoint();
    void pointsAboveTheHorizonHaveNoFloorPosition();
    void degenerateInput_data();
    void degenerateInput();
};

void TestGroundPlane::roundTripOnSyntheticCamera()
{
    auto plane = GroundPlane::fromCorrespondences(correspondences(kSquare));
    QVERIFY2(plane.ok(), qPrintable(plane.ok() ? QString() : plane.error().toString()));
    QVERIFY(plane->rmsErrorM() < 1e-6);
    QVERIFY(plane->maxErrorM() < 1e-6);
    QCOMPARE(plane->pointErrorsM().size(), 4);
    for (double x = -3.0; x <= 3.0; x += 0.5) {
        for (double y = 0.5; y <= 10.0; y += 0.5) {
            const QPointF floor(x, y);
            const QPointF img = project(floor);
            const auto back = plane->toFloor(img);
            QVERIFY(back);
            QVERIFY2(std::hypot(back->x() - x, back->y() - y) < 1e-6, qPrintable(QStringLiteral("%1,%2").arg(x).arg(y)));
            const auto again = plane->toImage(*back);
            QVERIFY(again);
            QVERIFY(std::hypot(again->x() - img.x(), again->y() - img.y()) < 1e-9);
        }
    }
    // Nearer people appear lower in the image (larger y).
    QVERIFY(project({0.0, 1.0}).y() > project({0.0, 5.0}).y());
}

void TestGroundPlane::moreThanFourPointsReportsReprojectionError()
{
    QList<core::FloorCorrespondence> c = correspondences(kSquare + QList<QPointF>{{0.0, 3.0}, {1.0, 2.0}, {-1.0, 4.0}});
    c[4].image += QPointF(0.01, 0.0); // an installer's 1 % click error on one point
    auto plane = GroundPlane::fromCorrespondences(c);
    QVERIFY(plane.ok());
    qInfo() << "rms" << plane->rmsErrorM() << "max" << plane->maxErrorM();
    QVERIFY(plane->rmsErrorM() > 1e-3);
    QVERIFY(plane->rmsErrorM() < 0.2);
    QVERIFY(plane->maxErrorM() >= plane->rmsErrorM());
    const auto &errors = plane->pointErrorsM();
    QCOMPARE(errors.size(), 7);
    QCOMPARE(int(std::max_element(errors.cbegin(), errors.cend()) - errors.cbegin()), 4);
}

void TestGroundPlane::fillsTrackFloorPositionsFromFootPoint()
{
    auto plane = GroundPlane::fromCorrespondences(correspondences(kSquare));
    QVERIFY(plane.ok());
    const QPointF foot = project({1.0, 3.0});
    core::TrackObservation t;
    t.box = QRectF(foot.x() - 0.03, foot.y() - 0.2, 0.06, 0.2);
    QList<core::TrackObservation> tracks{t};
    plane->fillFloorPositions(tracks);
    QVERIFY(tracks[0].floorM);
    QVERIFY(std::hypot(tracks[0].floorM->x() - 1.0, tracks[0].floorM->y() - 3.0) < 1e-6);
}

void TestGroundPlane::pointsAboveTheHorizonHaveNoFloorPosition()
{
    auto plane = GroundPlane::fromCorrespondences(correspondences(kSquare));
    QVERIFY(plane.ok());
    // Horizon of kTrue: image y -> 0.033 / 0.22 = 0.15 as the floor y -> infinity.
    QVERIFY(!plane->toFloor({0.5, 0.1}));
    QVERIFY(plane->toFloor({0.5, 0.5}));
    core::TrackObservation t;
    t.box = QRectF(0.45, 0.0, 0.1, 0.12); // foot above the horizon
    t.floorM = QPointF(9, 9);
    QList<core::TrackObservation> tracks{t};
    plane->fillFloorPositions(tracks);
    QVERIFY(!tracks[0].floorM);
}

void TestGroundPlane::degenerateInput_data()
{
    QTest::addColumn<QList<core::FloorCorrespondence>>("points");
    QTest::addColumn<QString>("messagePart");
    auto good = correspondences(kSquare);
    QTest::newRow("three points") << good.mid(0, 3) << QStringLiteral("at least 4");
    QTest::newRow("empty") << QList<core::FloorCorrespondence>{} << QStringLiteral("at least 4");
    QTest::newRow("collinear floor")
        << correspondences({{0.0, 1.0}, {0.0, 2.0}, {0.0, 3.0}, {0.0, 4.0}, {0.0, 5.0}}) << QStringLiteral("collinear");
    auto threeOnALine = correspondences({{-2.0, 1.0}, {0.0, 1.0}, {2.0, 1.0}, {0.0, 5.0}});
    QTest::newRow("three of four collinear") << threeOnALine << QStringLiteral("collinear");
    auto dup = good;
    dup[2].image = dup[0].image;
    QTest::newRow("duplicate image point") << dup << QStringLiteral("same image position");
    auto nan = good;
    nan[1].floorM.setX(std::nan(""));
    QTest::newRow("nan") << nan << QStringLiteral("non-finite");
    auto swapped = good;
    std::swap(swapped[0].floorM, swapped[2].floorM); // order mix-up: a twisted quadrilateral
    swapped.append({project({0.0, 3.0}), QPointF(0.0, 3.0)});
    QTest::newRow("crossed order") << swapped << QStringLiteral("same order");
}

void TestGroundPlane::degenerateInput()
{
    QFETCH(QList<core::FloorCorrespondence>, points);
    QFETCH(QString, messagePart);
    auto plane = GroundPlane::fromCorrespondences(points);
    QVERIFY(!plane.ok());
    QCOMPARE(plane.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(plane.error().message.contains(messagePart), qPrintable(plane.error().message));
}

QTEST_GUILESS_MAIN(TestGroundPlane)
#include "TestGroundPlane.moc"
